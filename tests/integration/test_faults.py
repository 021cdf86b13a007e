"""What clusters do to jobs, done to jobs under erg: a rank killed with SIGKILL, SIGTERM to
mpirun, a sensor failing mid-run, a counter that wraps more than once between samples, the
wall clock stepped during a run, a full disk while the trace is written, and output folders
that are missing or read-only. The job must never be harmed, and what was measured is kept."""
import glob
import json
import math
import os
import shutil
import signal
import subprocess
import tempfile
import time
import unittest

import ergtest
from ergtest import MPIRUN, erg, open_trace, report_json, run

LONG_PHASE = os.environ.get("ERG_TEST_LONG_PHASE")
AS_TWO_NODES = 'ERG_NODE_NAME=n$((OMPI_COMM_WORLD_RANK / 2)) exec "$@"'
FAKETIME_LIBRARY = "/usr/lib/x86_64-linux-gnu/faketime/libfaketime.so.1"


class Mounted:
    """A small tmpfs (a disk that fills up, or a read-only one); needs root and mount(2)."""

    def __init__(self, path, options):
        os.makedirs(path)
        result = run(["mount", "-t", "tmpfs", "-o", options, "tmpfs", path])
        self.path = path if result.returncode == 0 else None
        self.error = result.stderr.strip()

    def close(self):
        if self.path:
            run(["umount", "-l", self.path])


class Faults(ergtest.TestCase):
    def start_job(self, out, seconds, env=None, np=4):
        """The long-phase job on 2 simulated nodes, started in the background."""
        extra = dict(ERG_OUT=out, ERG_INTERVAL="0.1", ERG_CONFIG="/dev/null", **(env or {}))
        exports = sum((["-x", key] for key in extra), [])
        env = dict(os.environ, **extra)
        command = [*MPIRUN, "-np", str(np), *exports, "sh", "-c", AS_TWO_NODES, "sh", LONG_PHASE, self.tmp,
                   str(seconds)]
        return subprocess.Popen(command, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                                start_new_session=True)

    def wait_for_ranks(self, job, np=4, timeout=60):
        deadline = time.time() + timeout
        pid_files = [self.path(f"rank{r}.pid") for r in range(np)]
        while time.time() < deadline:
            if all(os.path.exists(p) and os.path.getsize(p) > 0 for p in pid_files):
                pids = []
                for p in pid_files:
                    with open(p) as f:
                        pids.append(int(f.read()))
                return pids
            if job.poll() is not None:
                self.fail("the job ended early: " + job.stderr.read())
            time.sleep(0.05)
        self.fail("the ranks did not start")

    def finish(self, job, timeout=60):
        """The job's output; a job that does not end in time is a hang, and fails the test."""
        try:
            out, err = job.communicate(timeout=timeout)
        except subprocess.TimeoutExpired:
            os.killpg(job.pid, signal.SIGKILL)
            out, err = job.communicate()
            self.fail("the job hung: " + err[-3000:])
        return job.returncode, err

    def check_collected_after_a_kill(self, out, killed_at):
        folder = out[:-3] + ".spool"
        self.assertTrue(os.path.isdir(folder), "the killed job's spool must be kept")
        self.assertEqual(sorted(os.listdir(folder)), ["marks", "n0.spool", "n1.spool"])
        result = erg("collect", folder)
        self.assertEqual(result.returncode, 0, result.stderr)
        self.assertTrue(os.path.exists(out) and os.path.exists(out[:-3] + ".json"))
        report = report_json(out)
        self.assertEqual(sorted(report["energy"]["by_node"]), ["n0", "n1"])
        # Kept up to the last flush (1 s, plus a sample interval) before the kill, timed from the
        # job's own start (erg_init), which a slow build reaches well after mpirun starts.
        from datetime import datetime
        with open_trace(out) as f:
            start = datetime.fromisoformat(f.attrs["start_utc"].replace("Z", "+00:00")).timestamp()
        lost_s = killed_at - (start + report["duration_s"])
        self.assertLess(lost_s, 1.0 + 0.1 + 0.5, f"lost {lost_s:.2f} s")
        # Negative: the other ranks sample on until mpirun has torn the job down.
        self.assertGreater(lost_s, -3.0, f"lost {lost_s:.2f} s")
        self.assertGreater(report["duration_s"], 2.0)
        self.assertEqual([p["name"] for p in report["phases"]], ["warmup", "train"])
        self.assertTrue(any("'train' was still open" in n for n in report["notes"]), report["notes"])
        train = report["phases"][1]
        self.assertGreater(train["it_j"], 0)
        self.assertGreater(train["items"], 10)
        with open_trace(out) as f:
            self.assertEqual(f.attrs["n_ranks"], 4)
            for node in ["n0", "n1"]:
                t = f["nodes"][node]["time_s"][()]
                self.assertTrue(all(b > a for a, b in zip(t, t[1:])))
        return report

    def test_rank_killed_with_sigkill_keeps_what_was_measured(self):
        out = self.path("job.h5")
        job = self.start_job(out, 60)
        pids = self.wait_for_ranks(job)
        time.sleep(3)
        killed_at = time.time()
        os.kill(pids[3], signal.SIGKILL)  # a rank that is not its node's sampler
        status, stderr = self.finish(job)
        self.assertNotEqual(status, 0)
        self.assertFalse(os.path.exists(out), "no trace from a job that did not reach erg_finalize")
        self.check_collected_after_a_kill(out, killed_at)
        # The next run with the same trace path moves the uncollected spool aside, not into its own.
        os.remove(out)
        again = erg("run", "--out", out, "--", "true", env={"ERG_POWERCAP_ROOT": "/nonexistent"})
        self.assertEqual(again.returncode, 0, again.stderr)
        aside = glob.glob(self.path("job-*.spool"))
        self.assertEqual(len(aside), 1, os.listdir(self.tmp))
        self.assertIn("moved to " + aside[0], again.stderr)
        self.assertFalse(os.path.exists(self.path("job.spool")))
        recovered = erg("collect", aside[0])
        self.assertEqual(recovered.returncode, 0, recovered.stderr)
        self.assertEqual(sorted(report_json(aside[0][:-6] + ".h5")["energy"]["by_node"]), ["n0", "n1"])

    def test_sigterm_to_mpirun_keeps_what_was_measured(self):
        out = self.path("job.h5")
        job = self.start_job(out, 60)
        self.wait_for_ranks(job)
        time.sleep(3)
        killed_at = time.time()
        job.send_signal(signal.SIGTERM)
        status, stderr = self.finish(job)
        self.assertNotEqual(status, 0)
        self.check_collected_after_a_kill(out, killed_at)

    def test_job_that_ends_normally_leaves_no_spool(self):
        out = self.path("job.h5")
        status, stderr = self.finish(self.start_job(out, 1.5))
        self.assertEqual(status, 0, stderr)
        self.assertTrue(os.path.exists(out))
        self.assertFalse(os.path.exists(self.path("job.spool")), os.listdir(self.tmp))
        report = report_json(out)
        self.assertEqual([p["name"] for p in report["phases"]], ["warmup", "train"])
        self.assertGreater(report["phases"][1]["items"], 10)

    def test_collected_daemon_spools_of_an_aborted_job_say_what_is_unknown(self):
        """A node daemon killed hard: no final record, and no MPI agent that counted the ranks."""
        from test_bad_input import spool_bytes, spool_record

        header = {"format": "erg-spool", "format_version": 1, "node": "n1", "job_id": "A", "start_unix_s": 1.7e9,
                  "interval_s": 0.1, "domains": [{"name": "cpu", "source": "model", "path": ""}]}
        complete = spool_bytes(header)  # samples from 0 to 0.4 s, then the final record
        # Without the final record (9 bytes of length, CRC and type, then its JSON), as a kill leaves it.
        unfinished = complete[:complete.rindex(b'{"sampler_cpu_s"') - 9]
        cases = {"killed after 0.4 s": (unfinished, r"duration +400 ms, 1 node\(s\), ranks unknown"),
                 "killed before its first flush": (b"ERGSPL1\n" + spool_record(1, json.dumps(header).encode()),
                                                   r"duration +no samples, 1 node\(s\), ranks unknown")}
        for name, (spool, expected) in cases.items():
            with self.subTest(name):
                root = self.path(name.replace(" ", "-"))
                os.makedirs(os.path.join(root, "A"))
                with open(os.path.join(root, "A", "n1.spool"), "wb") as f:
                    f.write(spool)
                out = os.path.join(root, "t.h5")
                result = erg("collect", "--job", "A", "--spool", root, "-o", out)
                self.assertEqual(result.returncode, 0, result.stderr)
                self.assertRegex(result.stderr, expected)
                self.assertIn("stopped hard", result.stderr)
                with open_trace(out) as f:
                    self.assertEqual(f.attrs["n_ranks"], 0)  # 0: nobody counted them (docs/trace-format.md)

    def test_sensor_that_starts_failing_mid_run_under_the_agent(self):
        pc = ergtest.SimulatedPowercap(self.path("powercap"))
        pc.add_zone("intel-rapl:0", "package-0", 0)
        out = self.path("job.h5")
        job = self.start_job(out, 3, env={"ERG_POWERCAP_ROOT": pc.root}, np=2)
        self.wait_for_ranks(job, np=2)
        for step in range(10):  # 1 J per 0.1 s, then garbage, then numbers again
            pc.set_energy("intel-rapl:0", (step + 1) * 1_000_000)
            time.sleep(0.1)
        path = os.path.join(pc.root, "intel-rapl:0", "energy_uj")
        fd = os.open(path, os.O_WRONLY)
        os.pwrite(fd, b"x" * 20 + b"\n", 0)
        os.close(fd)
        time.sleep(0.8)
        pc.set_energy("intel-rapl:0", 15_000_000)
        status, stderr = self.finish(job)
        self.assertEqual(status, 0, stderr)
        report = report_json(out)
        self.assertTrue(any("RAPL reads failed" in n for n in report["notes"]), report["notes"])
        self.assertAlmostEqual(report["energy"]["by_domain"]["cpu"], 15.0, delta=1e-6)
        with open_trace(out) as f:
            cpu = f["nodes"]["n0"]["energy_j"]["cpu"][()]
            self.assertTrue(any(math.isnan(x) for x in cpu), "failed reads are missing data")

    def test_counter_that_wraps_more_than_once_between_samples_is_reported(self):
        pc = ergtest.SimulatedPowercap(self.path("powercap"))
        # A 10 J counter in a zone that may draw 10 W: it can wrap once a second.
        pc.add_zone("intel-rapl:0", "package-0", 0, 9_999_999)
        with open(os.path.join(pc.root, "intel-rapl:0", "constraint_0_max_power_uw"), "w") as f:
            f.write("10000000\n")
        env = {"ERG_POWERCAP_ROOT": pc.root}
        short = erg("run", "--interval", "0.05", "--out", self.path("short.h5"), "--", "sleep", "1.2", env=env)
        self.assertEqual(short.returncode, 0, short.stderr)
        self.assertFalse(any("too long" in n for n in report_json(self.path("short.h5"))["notes"]))
        long = erg("run", "--interval", "2", "--out", self.path("long.h5"), "--", "sleep", "4.5", env=env)
        self.assertEqual(long.returncode, 0, long.stderr)
        notes = report_json(self.path("long.h5"))["notes"]
        self.assertTrue(any("interval is too long for this counter" in n and "intel-rapl:0" in n for n in notes),
                        notes)

    @unittest.skipUnless(os.path.exists(FAKETIME_LIBRARY), "libfaketime (Debian faketime) is not installed")
    @unittest.skipIf(ergtest.ASAN_RUNTIME, "libfaketime and the ASan runtime deadlock at start-up (any program, "
                     "coreutils' timeout included); the release build runs this test")
    def test_wall_clock_stepped_during_a_run(self):
        clock = self.path("faketime")
        with open(clock, "w") as f:
            f.write("+0\n")
        env = {"LD_PRELOAD": ergtest.preload(FAKETIME_LIBRARY), "FAKETIME_TIMESTAMP_FILE": clock, "FAKETIME_NO_CACHE": "1",
               "DONT_FAKE_MONOTONIC": "1"}
        trace = self.path("stepped.h5")
        job = subprocess.Popen([ergtest.ERG, "run", "--interval", "0.1", "--out", trace, "--", "sleep", "3"],
                               env=dict(os.environ, **env), stderr=subprocess.PIPE, text=True)
        time.sleep(1.5)
        with open(clock, "w") as f:
            f.write("-3600\n")  # one hour back, mid-run
        try:
            _, stderr = job.communicate(timeout=60)
        except subprocess.TimeoutExpired:
            job.kill()
            self.fail("erg run hung with the wall clock stepped: " + job.communicate()[1][-2000:])
        self.assertEqual(job.returncode, 0, stderr)
        report = report_json(trace)
        self.assertGreater(report["duration_s"], 2.9)
        self.assertLess(report["duration_s"], 5)
        with open_trace(trace) as f:
            t = f["nodes"][list(f["nodes"])[0]]["time_s"][()]
            self.assertTrue(all(b > a for a, b in zip(t, t[1:])), "time must only go forward")
            self.assertGreater(t[-1] - t[0], 2.9)
            self.assertLess(t[-1] - t[0], 5)
            from datetime import datetime

            start = datetime.fromisoformat(f.attrs["start_utc"].replace("Z", "+00:00"))
            end = datetime.fromisoformat(f.attrs["end_utc"].replace("Z", "+00:00"))
            self.assertAlmostEqual((end - start).total_seconds(), f.attrs["duration_s"], delta=0.01)

    def small_disk(self, options):
        # Outside self.tmp: the cleanups that unmount it run after tearDown removes self.tmp.
        parent = tempfile.mkdtemp(prefix="erg-disk-")
        self.addCleanup(shutil.rmtree, parent, True)
        disk = Mounted(os.path.join(parent, "disk"), options)
        self.addCleanup(disk.close)  # cleanups run last first: unmounted, then removed
        if not disk.path:
            self.skipTest("cannot mount a tmpfs here: " + disk.error)
        return disk.path

    def fill(self, folder):
        fd = os.open(os.path.join(folder, "filler"), os.O_WRONLY | os.O_CREAT, 0o600)
        try:
            while os.write(fd, b"\0" * 4096) > 0:
                pass
        except OSError:  # full
            pass
        finally:
            os.close(fd)

    def test_full_disk_while_erg_run_writes_its_trace_keeps_the_spool(self):
        disk = self.small_disk("size=1m")
        trace = os.path.join(disk, "t.h5")
        job = subprocess.Popen([ergtest.ERG, "run", "--interval", "0.05", "--out", trace, "--", "sleep", "3"],
                               env=dict(os.environ, ERG_POWERCAP_ROOT="/nonexistent"), stderr=subprocess.PIPE,
                               text=True)
        time.sleep(1.5)
        self.fill(disk)
        _, stderr = job.communicate(timeout=60)
        self.assertEqual(job.returncode, 1, stderr)  # the command succeeded; its trace did not
        self.assertIn("No space left on device", stderr)
        self.assertIn("the measurements are kept in " + os.path.join(disk, "t.spool"), stderr)
        self.assertLessEqual(stderr.count("No space left"), 3, stderr)  # said once per place, not per flush
        os.remove(os.path.join(disk, "filler"))
        result = erg("collect", os.path.join(disk, "t.spool"))
        self.assertEqual(result.returncode, 0, result.stderr)
        report = report_json(trace)
        self.assertGreater(report["duration_s"], 0.9)  # at least what was flushed before the disk filled

    def test_full_disk_while_the_agent_writes_its_trace_keeps_the_spool(self):
        disk = self.small_disk("size=1m")
        out = os.path.join(disk, "job.h5")
        job = self.start_job(out, 3)
        self.wait_for_ranks(job)
        time.sleep(1.5)
        self.fill(disk)
        status, stderr = self.finish(job)
        self.assertEqual(status, 0, stderr)  # the job itself is not harmed
        self.assertIn("the trace was not written", stderr)
        self.assertIn("the measurements are kept in " + os.path.join(disk, "job.spool"), stderr)
        self.assertFalse(os.path.exists(out) and os.path.getsize(out) > 0 and os.path.exists(out[:-3] + ".json"))
        os.remove(os.path.join(disk, "filler"))
        result = erg("collect", os.path.join(disk, "job.spool"))
        self.assertEqual(result.returncode, 0, result.stderr)
        report = report_json(out)
        self.assertEqual(sorted(report["energy"]["by_node"]), ["n0", "n1"])
        self.assertEqual([p["name"] for p in report["phases"]], ["warmup", "train"])

    def test_output_folder_missing_or_read_only(self):
        read_only = self.small_disk("size=64k,ro")
        for out in ["/nonexistent/dir/job.h5", os.path.join(read_only, "job.h5")]:
            marker = self.path("ran")
            result = erg("run", "--out", out, "--", "touch", marker)
            self.assertUsageError(result, out)
            self.assertFalse(os.path.exists(marker))
            # The MPI job runs to its end and is told early, on rank 0, once.
            for p in glob.glob(self.path("rank*.pid")):
                os.remove(p)
            status, stderr = self.finish(self.start_job(out, 0.3, np=2))
            self.assertEqual(status, 0, stderr)
            self.assertEqual(stderr.count("cannot write the trace to " + out), 1, stderr)


if __name__ == "__main__":
    ergtest.main()
