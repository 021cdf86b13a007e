"""Node data stay where they were measured (docs/trace-format.md, "Node files"): an MPI job of
8 simulated nodes writes job.h5 beside job.nodes/<node>.h5; rank 0 gets summaries only. The
report from the summaries equals, number for number, the report from every sample (the way
erg reported before the accounting tables); h5py reads /nodes/<node>/... through job.h5's
links; erg collect --pack gives one file that reads the same."""
import json
import math
import os
import shutil

import ergtest
from ergtest import MPIRUN, erg, open_trace, report_json, run

TRAINING = os.environ.get("ERG_EXAMPLE_TRAINING")
NODES = [f"n{i}" for i in range(8)]
# 16 ranks, two per node: ERG_NODE_NAME from Open MPI's rank variable.
AS_EIGHT_NODES = 'ERG_NODE_NAME=n$((OMPI_COMM_WORLD_RANK / 2)) exec "$@"'


def same_numbers(test, a, b, where="report"):
    """a and b hold the same keys, texts and numbers (to 1e-12: sums in another order)."""
    if isinstance(a, dict):
        test.assertEqual(sorted(a), sorted(b), where)
        for key in a:
            same_numbers(test, a[key], b[key], f"{where}.{key}")
    elif isinstance(a, list):
        test.assertEqual(len(a), len(b), where)
        for i, (x, y) in enumerate(zip(a, b)):
            same_numbers(test, x, y, f"{where}[{i}]")
    elif isinstance(a, float) or isinstance(b, float):
        test.assertTrue(math.isclose(a, b, rel_tol=1e-12, abs_tol=1e-12), f"{where}: {a} != {b}")
    else:
        test.assertEqual(a, b, where)


class NodeFiles(ergtest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls._job = ergtest.tempfile.TemporaryDirectory(prefix="erg-node-files-")
        cls.dir = cls._job.name
        cls.trace = os.path.join(cls.dir, "job.h5")
        env = {"ERG_OUT": cls.trace, "ERG_INTERVAL": "0.05", "ERG_POWERCAP_ROOT": "/nonexistent"}
        exports = [arg for key in env for arg in ("-x", key)]
        cls.result = run([*MPIRUN, "-np", "16", *exports, "sh", "-c", AS_EIGHT_NODES, "sh", TRAINING, "0.4"],
                         env=env, timeout=300)

    @classmethod
    def tearDownClass(cls):
        cls._job.cleanup()

    def setUp(self):
        super().setUp()
        self.assertEqual(self.result.returncode, 0, self.result.stderr)

    def without_accounting(self, packed, name):
        """The packed trace as erg wrote traces before the accounting tables: samples only."""
        import h5py

        path = self.path(name)
        shutil.copy(packed, path)
        with h5py.File(path, "r+") as f:
            del f["accounting"], f["power"]
        return path

    def test_node_files_beside_the_job_file(self):
        self.assertEqual(sorted(os.listdir(os.path.join(self.dir, "job.nodes"))), sorted(f"{n}.h5" for n in NODES))
        self.assertFalse(os.path.exists(os.path.join(self.dir, "job.spool")), "the spools go once the files are written")
        import h5py

        with open_trace(self.trace) as f:
            self.assertEqual(sorted(f["nodes"]), NODES)
            self.assertEqual(f.attrs["n_nodes"], 8)
            for node in NODES:
                link = f["nodes"].get(node, getlink=True)
                self.assertIsInstance(link, h5py.ExternalLink)
                self.assertEqual(link.filename, f"job.nodes/{node}.h5")
                # h5py follows the link: the contract's datasets, as before.
                time_s = f[f"nodes/{node}/time_s"][()]
                self.assertGreater(len(time_s), 3)
                self.assertEqual(f[f"nodes/{node}"].attrs["n_ranks"], 2)
                for domain in ("cpu", "dram"):
                    energy = f[f"nodes/{node}/energy_j/{domain}"][()]
                    self.assertEqual(len(energy), len(time_s))
                    self.assertEqual(energy[0], 0.0)
            # What rank 0 gathered: one row per node and domain, never a sample.
            self.assertEqual(len(f["accounting/nodes"]), 8)
            self.assertEqual(len(f["accounting/domains"]), 16)
            self.assertEqual(len(f["accounting/phase_energy_j"]), 16 * len(f["phases"]))
            self.assertEqual(len(f["power/time_s"]), 1001)
        # From another folder, h5py still finds the node files (beside the job file).
        here = os.getcwd()
        try:
            os.chdir("/")
            with open_trace(self.trace) as f:
                self.assertGreater(len(f["nodes/n3/time_s"]), 3)
        finally:
            os.chdir(here)

    def test_the_same_report_from_summaries_and_from_samples(self):
        packed = self.path("packed.h5")
        result = erg("collect", "--pack", self.trace, "-o", packed)
        self.assertEqual(result.returncode, 0, result.stderr)
        old = self.without_accounting(packed, "old.h5")
        new_report, old_report = report_json(self.trace), report_json(old)
        self.assertGreater(new_report["energy"]["it_j"], 0)
        self.assertEqual(len(new_report["energy"]["by_node"]), 8)
        self.assertEqual([p["name"] for p in new_report["phases"]], ["search", "train", "inference"])
        same_numbers(self, new_report, old_report)
        # The summary written at the end of the job is the same report too.
        with open(os.path.join(self.dir, "job.json")) as f:
            same_numbers(self, json.load(f), new_report, "job.json")
        # The text and HTML reports, word for word (the chart from the stored power series).
        for fmt in ("text", "md"):
            a = erg("report", self.trace, "--format", fmt)
            b = erg("report", old, "--format", fmt)
            self.assertEqual(a.returncode, 0, a.stderr)
            self.assertEqual(a.stdout, b.stdout, fmt)
        html = erg("report", self.trace, "--format", "html")
        self.assertEqual(html.returncode, 0, html.stderr)
        self.assertIn("cpu (all nodes)", html.stdout)

    def test_pack_gives_one_file_that_reads_the_same(self):
        import h5py

        packed = self.path("archive.h5")
        result = erg("collect", "--pack", self.trace, "-o", packed)
        self.assertEqual(result.returncode, 0, result.stderr)
        self.assertEqual(os.stat(packed).st_mode & 0o777, os.stat(self.trace).st_mode & 0o777)
        alone = self.path("alone")
        os.mkdir(alone)
        moved = shutil.move(packed, os.path.join(alone, "archive.h5"))
        self.assertEqual(os.listdir(alone), ["archive.h5"])
        with open_trace(self.trace) as linked, open_trace(moved) as f:
            self.assertEqual(sorted(f["nodes"]), NODES)
            for node in NODES:
                self.assertIsInstance(f["nodes"].get(node, getlink=True), h5py.HardLink)
                for name in ("time_s", "energy_j/cpu", "energy_j/dram"):
                    self.assertEqual(f[f"nodes/{node}/{name}"][()].tolist(),
                                     linked[f"nodes/{node}/{name}"][()].tolist(), f"{node}/{name}")
                self.assertEqual(dict(f[f"nodes/{node}"].attrs), dict(linked[f"nodes/{node}"].attrs))
            for name in ("phases", "metrics", "accounting/domains", "power/energy_j/cpu"):
                self.assertEqual(f[name][()].tolist(), linked[name][()].tolist(), name)
            self.assertEqual(f.attrs["job_id"], linked.attrs["job_id"])
        same_numbers(self, report_json(moved), report_json(self.trace))
        # Default name beside the trace; the trace itself is never replaced.
        self.assertEqual(erg("collect", "--pack", self.trace).returncode, 0)
        self.assertTrue(os.path.exists(os.path.join(self.dir, "job-packed.h5")))
        self.assertUsageError(erg("collect", "--pack", self.trace, "-o", self.trace))

    def test_pack_follows_only_the_traces_own_node_files(self):
        import h5py

        # A trace copied elsewhere whose link leads out of its node folder (another user's
        # trace, say): erg refuses it, h5py may follow what it likes.
        folder = self.path("copy")
        os.mkdir(folder)
        copy = os.path.join(folder, "job.h5")
        shutil.copy(self.trace, copy)
        shutil.copytree(os.path.join(self.dir, "job.nodes"), os.path.join(folder, "job.nodes"))
        self.assertEqual(erg("collect", "--pack", copy, "-o", self.path("ok.h5")).returncode, 0)
        with h5py.File(copy, "r+") as f:
            del f["nodes/n1"]
            f["nodes/n1"] = h5py.ExternalLink(os.path.join(self.dir, "job.nodes", "n1.h5"), "/nodes/n1")
        self.assertUsageError(erg("collect", "--pack", copy, "-o", self.path("bad.h5")))
        with h5py.File(copy, "r+") as f:
            del f["nodes/n1"]
            f["nodes/n1"] = h5py.ExternalLink("job.nodes/../job.nodes/n1.h5", "/nodes/n1")
        self.assertUsageError(erg("collect", "--pack", copy, "-o", self.path("bad.h5")))
        # A node file of another run of the job (a rerun that wrote its node files, then no job
        # file) is not this trace's.
        shutil.copy(self.trace, copy)
        with h5py.File(os.path.join(folder, "job.nodes", "n2.h5"), "r+") as f:
            f.attrs["job_start_utc"] = "2020-01-01T00:00:00.000Z"
        self.assertUsageError(erg("collect", "--pack", copy, "-o", self.path("bad.h5")))
        shutil.copy(os.path.join(self.dir, "job.nodes", "n2.h5"), os.path.join(folder, "job.nodes", "n2.h5"))
        # The node folder a symbolic link (to another user's node files, say): not followed.
        os.rename(os.path.join(folder, "job.nodes"), os.path.join(folder, "real.nodes"))
        os.symlink("real.nodes", os.path.join(folder, "job.nodes"))
        self.assertUsageError(erg("collect", "--pack", copy, "-o", self.path("bad.h5")))
        os.remove(os.path.join(folder, "job.nodes"))
        os.rename(os.path.join(folder, "real.nodes"), os.path.join(folder, "job.nodes"))
        # A renamed job file keeps its links, and packs.
        os.rename(copy, os.path.join(folder, "renamed.h5"))
        self.assertEqual(erg("collect", "--pack", os.path.join(folder, "renamed.h5"), "-o", self.path("ok2.h5")).returncode, 0)
        os.rename(os.path.join(folder, "renamed.h5"), copy)
        # A node file gone: nothing to pack, said in one line; the report still works, and a
        # report under another series keeps that node (its CO2e as recorded, with a note).
        os.remove(os.path.join(folder, "job.nodes", "n5.h5"))
        self.assertUsageError(erg("collect", "--pack", copy, "-o", self.path("bad.h5")))
        self.assertEqual(report_json(copy)["energy"]["by_node"].keys(), report_json(self.trace)["energy"]["by_node"].keys())
        series = self.path("flat.csv")
        with open(series, "w") as f:
            f.write("datetime,carbon_intensity_g_per_kwh\n2000-01-01T00:00:00Z,200\n2100-01-01T00:00:00Z,200\n")
        varied = report_json(copy, "--intensity", series)
        self.assertEqual(varied["job"]["n_nodes"], 8)
        self.assertEqual(varied["energy"]["it_j"], report_json(self.trace)["energy"]["it_j"])
        self.assertTrue([n for n in varied["notes"] if "n5" in n and "not at hand" in n], varied["notes"])

    def test_another_intensity_sums_the_samples_again(self):
        # Applying a series afterwards needs each sampling interval's energy: erg reads the node
        # files for it, and gives what the samples give.
        start = report_json(self.trace)["job"]["start_utc"]
        hour = start[:13] + ":00:00Z"
        series = self.path("series.csv")
        with open(series, "w") as f:
            f.write("datetime,carbon_intensity_g_per_kwh\n")
            year, rest = int(hour[:4]), hour[4:]
            f.write(f"{year - 1}{rest},100\n{year}{rest},300\n{year + 1}{rest},300\n")
        packed = self.path("packed.h5")
        self.assertEqual(erg("collect", "--pack", self.trace, "-o", packed).returncode, 0)
        a = report_json(self.trace, "--intensity", series)
        b = report_json(self.without_accounting(packed, "old.h5"), "--intensity", series)
        same_numbers(self, a, b)
        self.assertAlmostEqual(a["co2e_g"], a["energy"]["facility_j"] / 3.6e6 * 300, delta=1e-9 * a["co2e_g"])


if __name__ == "__main__":
    ergtest.main()
