"""The Python module erg (issue 18): mpi4py with an explicit erg.init and under the preload,
a torchrun-style launch without MPI, a rank that vanishes, errors that warn once or raise
when strict, the installed module, and read_trace against h5py value for value. The PyTorch
example (examples/python/) runs as a test of its own: it skips where torch is missing."""
import math
import os
import subprocess
import sys
import time

import ergtest
import slurm_cluster
from ergtest import MPIRUN, open_trace, run

JOB = os.path.join(ergtest.SOURCE_DIR, "tests", "support", "python_job.py")
PMPI = os.environ.get("ERG_PMPI_LIB")
PYTHON = "/usr/bin/python3"
MODULE_PATH = os.path.join(ergtest.SOURCE_DIR, "python")
# Ranks 0,1 on node n0 and 2,3 on n1 under mpirun: ERG_NODE_NAME from Open MPI's rank variable.
AS_NODE_PER_RANK = 'ERG_NODE_NAME=n$OMPI_COMM_WORLD_RANK exec "$@"'
ENV = {"ERG_INTERVAL": "0.05", "ERG_POWERCAP_ROOT": "/nonexistent", "PYTHONPATH": MODULE_PATH}
# The sanitizer build: Python loads an agent built with ASan, which needs its runtime first,
# and C++'s beside it (ASan finds the real __cxa_throw only in what was loaded at its start).
STDCXX = "libstdc++.so.6"
if ergtest.ASAN_RUNTIME:
    ENV["LD_PRELOAD"] = ergtest.preload(STDCXX)


def text(value):
    return value.decode() if isinstance(value, bytes) else value


def same(a, b):
    """Equal as values: NaN equals NaN, numpy scalars equal Python numbers."""
    if isinstance(a, float) and isinstance(b, float) and math.isnan(a) and math.isnan(b):
        return True
    return a == b


def check_read_trace(test, trace):
    """erg.read_trace against h5py, value for value (run in Debian's python3 with pandas)."""
    import numpy as np

    sys.path.insert(0, MODULE_PATH)
    try:
        import erg
    finally:
        sys.path.remove(MODULE_PATH)
    t = erg.read_trace(trace)
    with open_trace(trace) as f:
        test.assertEqual(set(t.attrs), set(f.attrs))
        for key, value in f.attrs.items():
            test.assertTrue(same(t.attrs[key], text(value.item() if hasattr(value, "item") else value)), key)
        test.assertEqual(t.notes, [text(n) for n in f["notes"][()]])
        rows = 0
        for group_name, group in f["nodes"].items():
            node = text(group.attrs["name"])
            test.assertEqual(t.nodes[node]["notes"], [text(n) for n in group["notes"][()]])
            time_s = group["time_s"][()]
            for domain, dataset in group["energy_j"].items():
                part = t.samples[(t.samples.node == node) & (t.samples.domain == domain)]
                energy_j = dataset[()]
                test.assertTrue(np.array_equal(part.time_s.to_numpy(), time_s))
                test.assertTrue(np.array_equal(part.energy_j.to_numpy(), energy_j, equal_nan=True))
                expected_w = np.diff(energy_j) / np.diff(time_s)
                test.assertTrue(np.array_equal(part.power_w.to_numpy()[1:], expected_w, equal_nan=True))
                test.assertTrue(math.isnan(part.power_w.iloc[0]))
                rows += len(time_s)
        test.assertEqual(len(t.samples), rows)
        test.assertEqual(list(t.samples.columns), ["node", "domain", "time_s", "energy_j", "power_w"])
        phases = f["phases"][()]
        test.assertEqual(list(t.phases.columns), ["name", "kind", "start_s", "end_s", "items"])
        test.assertEqual(len(t.phases), len(phases))
        for row, p in zip(t.phases.itertuples(index=False), phases):
            test.assertEqual((row.name, row.kind, row.start_s, row.end_s, row.items),
                             (text(p["name"]), text(p["kind"]), p["start_s"], p["end_s"], p["items"]))
        metrics = f["metrics"][()]
        test.assertEqual(len(t.metrics), len(metrics))
        for row, m in zip(t.metrics.itertuples(index=False), metrics):
            test.assertEqual((row.name, row.value, row.higher_is_better),
                             (text(m["name"]), m["value"], m["higher_is_better"]))
        test.assertEqual(t.summary, {k: v.item() for k, v in f["summary"].attrs.items()})


class Python(ergtest.TestCase):
    def mpirun(self, mode, env, preload=False):
        exports = []
        for key in env:
            exports += ["-x", key]
        command = [PYTHON, JOB, mode]
        if preload:
            command = ["env", f"LD_PRELOAD={ergtest.preload(PMPI)}", *command]
        command = ["sh", "-c", AS_NODE_PER_RANK, "sh", *command]
        return run([*MPIRUN, "-np", "2", *exports, *command], env=env, timeout=120)

    def launch(self, env, nodes, *extra, size=2):
        """A torchrun-style launch without MPI: `size` processes with RANK, WORLD_SIZE,
        LOCAL_RANK and LOCAL_WORLD_SIZE (and MASTER_ADDR/PORT, unused here), one per node
        when nodes, else all on this one."""
        processes = []
        for rank in range(size):
            rank_env = dict(os.environ, **env, RANK=str(rank), WORLD_SIZE=str(size), MASTER_ADDR="127.0.0.1",
                            MASTER_PORT="29500")
            if nodes:
                rank_env.update(LOCAL_RANK="0", LOCAL_WORLD_SIZE="1", ERG_NODE_NAME=f"n{rank}")
            else:
                rank_env.update(LOCAL_RANK=str(rank), LOCAL_WORLD_SIZE=str(size))
            processes.append(subprocess.Popen([PYTHON, JOB, "ranks", *extra], env=rank_env, stdout=subprocess.PIPE,
                                              stderr=subprocess.PIPE, text=True))
        outputs = []
        for p in processes:
            out, err = p.communicate(timeout=120)
            outputs.append((p.returncode, out, err))
        return outputs

    def check_job(self, trace, nodes, ranks_on_node):
        """The trace holds the three phases with items summed over both ranks and the
        metrics of both; read_trace gives the same values as h5py."""
        with open_trace(trace) as f:
            self.assertEqual(sorted(f["nodes"]), nodes)
            self.assertEqual(f.attrs["n_ranks"], 2)
            for node in nodes:
                self.assertEqual(f["nodes"][node].attrs["n_ranks"], ranks_on_node)
            phases = [(text(p["name"]), text(p["kind"]), int(p["items"])) for p in f["phases"][()]]
            self.assertEqual(phases, [("search", "search", 2), ("train", "train", 201),
                                      ("inference", "inference", 20)])
            metrics = sorted((text(m["name"]), round(float(m["value"]), 6), int(m["higher_is_better"]))
                             for m in f["metrics"][()])
            self.assertEqual(metrics, [("accuracy", 0.9, 1), ("accuracy", 0.91, 1), ("loss", 0.25, 0)])
        check_read_trace(self, trace)
        report = self.erg_report(trace)
        self.assertEqual({p["name"]: p["items"] for p in report["phases"]}, {"search": 2, "train": 201, "inference": 20})
        self.assertGreater(report["energy"]["it_j"], 0)

    def erg_report(self, trace):
        result = run([PYTHON, "-c", f"import erg, json; print(json.dumps(erg.report({trace!r})))"],
                     env={"PYTHONPATH": MODULE_PATH})
        self.assertEqual(result.returncode, 0, result.stderr)
        import json

        report = json.loads(result.stdout)
        self.assertEqual(report, ergtest.report_json(trace))
        return report

    def test_mpi4py_explicit_init_two_ranks(self):
        trace = self.path("mpi.h5")
        result = self.mpirun("mpi4py", dict(ENV, ERG_OUT=trace, ERG_AGENT_LIB=os.environ["ERG_AGENT_LIB"]))
        self.assertEqual(result.returncode, 0, result.stderr)
        self.assertEqual(result.stderr.count("erg report:"), 1, result.stderr)
        self.assertNotIn("warning", result.stderr)
        self.check_job(trace, ["n0", "n1"], 1)
        self.assertFalse(os.path.exists(self.path("mpi.spool")))

    def test_mpi4py_under_the_preload_is_accounted_once(self):
        # The module finds the preloaded agent in the process, not a second copy by path: one
        # node session per node, one trace, and erg.init(comm) changes nothing.
        if ergtest.ASAN_RUNTIME:
            self.skipTest("the sanitizer build: Python started with the ASan runtime and libhdf5 preloaded deadlocks "
                          "in glibc's setlocale lock before it runs any code (python3 -c pass hangs too)")
        for mode in ["mpi4py", "mpi4py-none"]:
            trace = self.path(f"preload-{mode}.h5")
            env = dict(ENV, ERG_OUT=trace, ERG_AGENT_LIB="/nonexistent/liberg_agent.so")
            result = self.mpirun(mode, env, preload=True)
            self.assertEqual(result.returncode, 0, result.stderr)
            self.assertEqual(result.stdout.count("agent the process (preloaded)"), 2, result.stdout)
            self.assertEqual(result.stderr.count("erg report:"), 1, result.stderr)
            self.assertNotIn("warning", result.stderr)
            self.check_job(trace, ["n0", "n1"], 1)

    def test_torchrun_style_launch_on_two_nodes(self):
        trace = self.path("ranks.h5")
        outputs = self.launch(dict(ENV, ERG_OUT=trace), nodes=True)
        for status, out, err in outputs:
            self.assertEqual(status, 0, err)
            self.assertNotIn("warning", err)
        self.assertEqual(sum(err.count("erg report:") for _, _, err in outputs), 1)
        self.check_job(trace, ["n0", "n1"], 1)
        self.assertFalse(os.path.exists(self.path("ranks.spool")))

    def test_torchrun_style_launch_on_one_node_samples_it_once(self):
        trace = self.path("local.h5")
        outputs = self.launch(dict(ENV, ERG_OUT=trace, ERG_NODE_NAME="box"), nodes=False)
        for status, out, err in outputs:
            self.assertEqual(status, 0, err)
        self.check_job(trace, ["box"], 2)

    def test_a_rank_that_vanishes_is_noted_and_the_trace_written(self):
        trace = self.path("vanish.h5")
        outputs = self.launch(dict(ENV, ERG_OUT=trace, ERG_FINALIZE_WAIT_S="1"), True, "vanish")
        self.assertEqual([status for status, _, _ in outputs], [0, 0])
        report = ergtest.report_json(trace)
        self.assertEqual({p["name"]: p["items"] for p in report["phases"]}, {"search": 1, "train": 100, "inference": 10})
        self.assertTrue(any("rank(s) 1 did not finish within 1 s" in n for n in report["notes"]), report["notes"])
        with open_trace(trace) as f:
            notes = [text(n) for n in f["nodes"]["n1"]["notes"][()]]
            # Gone before its spool's final record (or, on a slow machine, not yet gone when read).
            self.assertTrue(any("no final record" in n or "still running" in n for n in notes), notes)
        # The vanished rank's spool was collected into the trace: the folder is gone.
        self.assertFalse(os.path.exists(self.path("vanish.spool")))

    def test_erg_collect_counts_the_ranks_of_a_killed_rank_0(self):
        trace = self.path("killed.h5")
        env = dict(os.environ, **ENV, ERG_OUT=trace, WORLD_SIZE="2", LOCAL_RANK="0", LOCAL_WORLD_SIZE="1")
        ranks = [subprocess.Popen([PYTHON, JOB, "ranks", "stall"], env=dict(env, RANK=str(r), ERG_NODE_NAME=f"n{r}"),
                                  stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True) for r in range(2)]
        self.assertEqual(ranks[1].wait(timeout=60), 0)
        time.sleep(1.5)  # rank 0 saves its marks at each flush (1 s): a kill loses at most one
        ranks[0].kill()
        ranks[0].communicate()
        result = ergtest.erg("collect", self.path("killed.spool"))
        self.assertEqual(result.returncode, 0, result.stderr)
        report = ergtest.report_json(trace)
        self.assertEqual({p["name"]: p["items"] for p in report["phases"]}, {"search": 2, "train": 201, "inference": 20})
        self.assertEqual(sorted(m["name"] for m in report["metrics"]), ["accuracy", "accuracy", "loss"])
        self.assertEqual(sorted(report["energy"]["by_node"]), ["n0", "n1"])

    def test_c_program_without_erg_finalize_gets_its_trace_at_exit(self):
        # The agent's exit handler, without MPI: the C API through ctypes, no erg module (whose
        # atexit would finalize), and an exit status that says the program failed.
        trace = self.path("exit.h5")
        script = ("import ctypes, os, sys\n"
                  "lib = ctypes.CDLL(os.environ['ERG_AGENT_LIB'])\n"
                  "lib.erg_init_ranks(0, 1, 0, 1)\n"
                  "lib.erg_phase_begin(b'train', b'train')\n"
                  "lib.erg_phase_items(ctypes.c_ulonglong(7))\n"
                  "sys.exit(3)\n")
        result = run([PYTHON, "-c", script], env=dict(ENV, ERG_OUT=trace))
        self.assertEqual(result.returncode, 3, result.stderr)
        report = ergtest.report_json(trace)
        self.assertEqual([(p["name"], p["items"]) for p in report["phases"]], [("train", 7)])
        self.assertEqual((report["job"]["job_state"], report["job"]["exit_code"]), ("failed", 3))
        self.assertTrue(any("exited without erg_finalize" in n for n in report["notes"]), report["notes"])
        self.assertFalse(os.path.exists(self.path("exit.spool")))

    def test_errors_warn_once_or_raise_when_strict(self):
        script = (
            "import warnings, erg\n"
            "warnings.simplefilter('always')\n"
            "with warnings.catch_warnings(record=True) as w:\n"
            "    erg.init()\n"
            "    erg.items(5); erg.items(5)\n"
            "    erg.metric('acc', 'high')\n"
            "    print(len(w), '|'.join(str(x.message) for x in w))\n"
            "erg.strict = True\n"
            "try:\n"
            "    erg.items(5)\n"
            "except erg.ErgError as e:\n"
            "    print('raised', e)\n"
        )
        trace = self.path("warn.h5")
        result = run([PYTHON, "-c", script], env=dict(ENV, ERG_OUT=trace))
        self.assertEqual(result.returncode, 0, result.stderr)
        first = result.stdout.splitlines()[0]
        self.assertTrue(first.startswith("2 "), result.stdout)
        self.assertIn("erg.items: phase calls out of order", first)
        self.assertIn("'high' is not a number", first)
        self.assertIn("raised erg.items: phase calls out of order", result.stdout)
        self.assertTrue(os.path.exists(trace))  # written at the interpreter's exit

    def test_without_the_agent_library_the_program_runs(self):
        result = run([PYTHON, JOB, "ranks"], env=dict(ENV, ERG_OUT=self.path("none.h5"),
                                                      ERG_AGENT_LIB="/nonexistent/liberg_agent.so",
                                                      LD_LIBRARY_PATH="/nonexistent"))
        self.assertEqual(result.returncode, 0, result.stderr)
        self.assertEqual(result.stderr.count("erg's agent library cannot be loaded"), 1, result.stderr)
        self.assertFalse(os.path.exists(self.path("none.h5")))

    def test_installed_module_finds_the_installed_agent_and_erg(self):
        prefix = self.path("prefix")
        result = run(["cmake", "--install", ergtest.BUILD_DIR, "--prefix", prefix])
        self.assertEqual(result.returncode, 0, result.stderr)
        version = f"{sys.version_info[0]}.{sys.version_info[1]}"
        site = os.path.join(prefix, "lib", f"python{version}", "dist-packages")
        self.assertTrue(os.path.exists(os.path.join(site, "erg", "__init__.py")))
        trace = self.path("installed.h5")
        env = {k: v for k, v in os.environ.items() if k not in ("ERG_AGENT_LIB", "ERG", "PYTHONPATH")}
        env.update(ENV, PYTHONPATH=site, ERG_OUT=trace, ERG_DATA_DIR=os.path.join(prefix, "share", "erg"))
        result = subprocess.run([PYTHON, JOB, "ranks"], env=env, capture_output=True, text=True, timeout=60)
        self.assertEqual(result.returncode, 0, result.stderr)
        self.assertIn(os.path.join(prefix, "lib"), result.stdout)
        result = subprocess.run([PYTHON, "-c", f"import erg; print(erg.report({trace!r})['phases'][1]['items'])"],
                                env=env, capture_output=True, text=True, timeout=60)
        self.assertEqual(result.returncode, 0, result.stderr)
        self.assertEqual(result.stdout.strip(), "100")


class PyTorchExample(ergtest.TestCase):
    """examples/python/train_digits.py at a small size: a reference run under mpi4py, then
    the job under the torchrun-style launcher, labelled against it."""

    EXAMPLE = os.path.join(ergtest.SOURCE_DIR, "examples", "python")

    def setUp(self):
        super().setUp()
        import importlib.util

        missing = [m for m in ["torch", "sklearn", "mpi4py", "pandas"] if importlib.util.find_spec(m) is None]
        if missing:  # tests/install-packages.sh installs them: only where Debian's cannot be
            self.skipTest("the PyTorch example needs " + ", ".join(missing) + " (python3-torch, ...)")

    def test_digits_under_mpi4py_and_torchrun_style_with_a_label(self):
        reference = self.path("reference.h5")
        env = dict(ENV, ERG_OUT=reference, OMP_NUM_THREADS="1")
        exports = [a for key in env for a in ["-x", key]]
        result = run([*MPIRUN, "-np", "2", *exports, PYTHON, os.path.join(self.EXAMPLE, "train_digits.py"), "--mpi",
                      "--epochs", "2", "--hidden", "128"], env=env, timeout=120)
        self.assertEqual(result.returncode, 0, result.stderr)
        trace = self.path("digits.h5")
        result = run([PYTHON, os.path.join(self.EXAMPLE, "launch.py"), "--nproc", "2",
                      os.path.join(self.EXAMPLE, "train_digits.py"), "--epochs", "2", "--reference", reference],
                     env=dict(ENV, ERG_OUT=trace), timeout=120)
        self.assertEqual(result.returncode, 0, result.stderr)
        self.assertRegex(result.stdout, r"J per training sample \(2400 in ")
        self.assertRegex(result.stdout, r"J per inference \(397 in ")
        self.assertRegex(result.stdout, r"label [A-E] against " + reference)
        for path, n_ranks in [(reference, 2), (trace, 2)]:
            with open_trace(path) as f:
                self.assertEqual(f.attrs["n_ranks"], n_ranks)
                phases = {text(p["name"]): int(p["items"]) for p in f["phases"][()]}
                # Every rank's share, summed: 3 learning rates x 1200 images, 2 epochs, 397 test images.
                self.assertEqual(phases, {"search": 3600, "train": 2400, "inference": 397})
                accuracy = [float(m["value"]) for m in f["metrics"][()] if text(m["name"]) == "top1_val"]
                self.assertEqual(len(accuracy), 1)  # the same value from both ranks: kept once
                self.assertGreater(accuracy[0], 0.8)


class PythonSlurm(slurm_cluster.ClusterTestCase):
    """A job of 2 tasks on the test cluster's 2 nodes, started by srun without MPI, under
    erg's node daemons: erg.init() takes its ranks from Slurm's environment, the phases go to
    the daemons' folder, rank 0 writes its ERG_OUT from their spools, and the slurmctld
    epilog's trace holds the same phases, items summed over the ranks."""

    def submit(self, command, own_trace):
        site = os.path.join(self.prefix, "lib", f"python{sys.version_info[0]}.{sys.version_info[1]}", "dist-packages")
        env = {"ERG_CONFIG": self.site_file, "ERG_OUT": own_trace, "PYTHONPATH": site, "ERG_AGENT_LIB": "",
               "ERG": "", "ASAN_OPTIONS": "detect_leaks=0",
               "LD_PRELOAD": ergtest.preload(STDCXX) if ergtest.ASAN_RUNTIME else ""}
        job = self.cluster.sbatch(f"#!/bin/sh\n#SBATCH -N 2 -n 2\n{command} {PYTHON} {JOB} ranks\n", env,
                                  user="ergtest")
        self.cluster.wait_state(job, {"COMPLETED", "FAILED", "CANCELLED"})
        return job

    def test_a_batch_script_is_one_process_whatever_the_job_has(self):
        # SLURM_NTASKS=2 in the batch script, but only srun starts tasks: no rank 1 to wait for.
        own_trace = os.path.join(ergtest.user_folder(self.root, "home-python"), "batch.h5")
        job = self.submit("", own_trace)
        self.assertEqual(self.cluster.state(job), "COMPLETED", self.cluster.output(job) + self.cluster.logs())
        with open_trace(own_trace) as f:
            self.assertEqual(f.attrs["n_ranks"], 1)
            self.assertEqual([(text(p["name"]), int(p["items"])) for p in f["phases"][()]],
                             [("search", 1), ("train", 100), ("inference", 10)])
            self.assertLess(f.attrs["duration_s"], 20)

    def test_srun_job_without_mpi_under_the_node_daemons(self):
        own_trace = os.path.join(ergtest.user_folder(self.root, "home-python"), "own.h5")
        job = self.submit("srun", own_trace)
        output = self.cluster.output(job)
        self.assertEqual(self.cluster.state(job), "COMPLETED", output + self.cluster.logs())
        self.assertIn("from the node daemons' spools", output)
        self.assertNotIn("warning", output)
        for trace in [own_trace, self.wait_trace(job)]:
            with open_trace(trace) as f:
                self.assertEqual(sorted(f["nodes"]), ["n1", "n2"])
                self.assertEqual(text(f.attrs["job_id"]), job)
                self.assertEqual(f.attrs["n_ranks"], 2)
                phases = [(text(p["name"]), int(p["items"])) for p in f["phases"][()]]
                self.assertEqual(phases, [("search", 2), ("train", 201), ("inference", 20)], trace)
                metrics = sorted((text(m["name"]), round(float(m["value"]), 6)) for m in f["metrics"][()])
                self.assertEqual(metrics, [("accuracy", 0.9), ("accuracy", 0.91), ("loss", 0.25)])
            check_read_trace(self, trace)


if __name__ == "__main__":
    ergtest.main()
