"""`erg run` end to end: a real program, a simulated RAPL tree, the trace read back by h5py."""
import os
import signal
import subprocess
import sys
import textwrap
import time

import ergtest
from ergtest import erg, open_trace, report_json

MAX_RANGE_UJ = 262143328850

# The program erg accounts: it advances the simulated counters by known steps while it runs,
# from near the top of the package counter's range, so that the counter wraps once.
ADVANCE = textwrap.dedent("""
    import os, sys, time
    root, steps = sys.argv[1], int(sys.argv[2])
    def bump(zone, delta, top):
        path = os.path.join(root, zone, "energy_uj")
        value = (int(open(path).read()) + delta) % (top + 1)
        fd = os.open(path, os.O_WRONLY)
        os.pwrite(fd, f"{value:020d}\\n".encode(), 0)
        os.close(fd)
    for _ in range(steps):
        bump("intel-rapl:0", 1_000_000, TOP)      # 1 J per step
        bump("intel-rapl:0:2", 250_000, TOP)      # 0.25 J per step
        time.sleep(0.03)
""").replace("TOP", str(MAX_RANGE_UJ))


class ErgRun(ergtest.TestCase):
    def simulated_tree(self):
        pc = ergtest.SimulatedPowercap(self.path("powercap"))
        pc.add_zone("intel-rapl:0", "package-0", MAX_RANGE_UJ - 5_500_000, MAX_RANGE_UJ)
        pc.add_zone("intel-rapl:0:0", "core", 0)
        pc.add_zone("intel-rapl:0:2", "dram", 0, MAX_RANGE_UJ)
        return pc

    def test_sleep_without_counters_writes_a_trace_h5py_reads(self):
        trace = self.path("t.h5")
        result = erg("run", "--out", trace, "--", "sleep", "2", env={"ERG_POWERCAP_ROOT": "/nonexistent"})
        self.assertEqual(result.returncode, 0, result.stderr)
        self.assertIn("estimate", result.stderr)
        with open_trace(trace) as f:
            self.assertEqual(f.attrs["format"], "erg-trace")
            self.assertEqual(f.attrs["format_version"], 1)
            for key in ["job_id", "job_name", "user", "start_utc", "end_utc", "duration_s", "n_nodes", "n_ranks",
                        "pue", "emission_factor_g_per_kwh", "emission_factor_source", "region", "interval_s",
                        "erg_version"]:
                self.assertIn(key, f.attrs)
            self.assertGreater(f.attrs["duration_s"], 1.9)
            nodes = list(f["nodes"])
            self.assertEqual(len(nodes), 1)
            node = f["nodes"][nodes[0]]
            self.assertGreaterEqual(len(node["time_s"]), 3)
            self.assertEqual(set(node["energy_j"]), {"cpu", "dram"})
            self.assertEqual(node["energy_j"]["cpu"].attrs["source"], "model")
            self.assertIn("it_energy_j", f["summary"].attrs)
        report = report_json(trace)
        self.assertGreater(report["duration_s"], 1.9)
        for key in ["it_j", "by_domain", "by_node"]:
            self.assertIn(key, report["energy"])
        self.assertEqual(sorted(report["estimated"]), ["cpu", "dram"])
        self.assertTrue(os.path.exists(self.path("t.json")))

    def test_simulated_rapl_with_a_wrap_matches_to_0_1_percent(self):
        pc = self.simulated_tree()
        trace = self.path("rapl.h5")
        steps = 20
        result = erg("run", "--interval", "0.05", "--out", trace, "--",
                     sys.executable, "-c", ADVANCE, pc.root, str(steps),
                     env={"ERG_POWERCAP_ROOT": pc.root})
        self.assertEqual(result.returncode, 0, result.stderr)
        self.assertLess(pc.energy("intel-rapl:0"), 1_000_000_000, "the counter should have wrapped")
        report = report_json(trace)
        self.assertAlmostEqual(report["energy"]["by_domain"]["cpu"], steps * 1.0, delta=steps * 1.0 * 0.001)
        self.assertAlmostEqual(report["energy"]["by_domain"]["dram"], steps * 0.25, delta=steps * 0.25 * 0.001)
        self.assertEqual(report["estimated"], [])
        self.assertAlmostEqual(report["energy"]["it_j"], steps * 1.25, delta=1e-6)
        with open_trace(trace) as f:
            node = f["nodes"][list(f["nodes"])[0]]
            cpu = node["energy_j"]["cpu"][()]
            self.assertEqual(node["energy_j"]["cpu"].attrs["source"], "rapl")
            self.assertEqual(cpu[0], 0.0)
            self.assertAlmostEqual(cpu[-1] - cpu[0], steps * 1.0, delta=1e-6)
            self.assertTrue((cpu[1:] >= cpu[:-1]).all(), "cumulative joules never decrease")
            self.assertGreater(len(cpu), 5)
            self.assertAlmostEqual(f["summary"].attrs["it_energy_j"], steps * 1.25, delta=1e-6)

    def test_counter_that_starts_failing_mid_run_is_missing_data_and_noted(self):
        pc = self.simulated_tree()
        trace = self.path("failing.h5")
        # Halfway the counter holds no number (erg keeps the file open: it must be rewritten in
        # place), then a number again.
        script = ("import os,time\np=os.path.join(%r,'intel-rapl:0','energy_uj')\n"
                  "def put(t):\n  fd=os.open(p,os.O_WRONLY); os.pwrite(fd,t.encode(),0); os.close(fd)\n"
                  "time.sleep(0.4)\nput('x'*20+'\\n')\ntime.sleep(0.4)\nput('%%020d\\n' %% 3000000)\ntime.sleep(0.4)"
                  ) % pc.root
        result = erg("run", "--interval", "0.05", "--out", trace, "--", sys.executable, "-c", script,
                     env={"ERG_POWERCAP_ROOT": pc.root})
        self.assertEqual(result.returncode, 0, result.stderr)
        report = report_json(trace)
        self.assertTrue(any("RAPL reads failed" in n for n in report["notes"]), report["notes"])
        with open_trace(trace) as f:
            cpu = f["nodes"][list(f["nodes"])[0]]["energy_j"]["cpu"][()]
            import math
            self.assertTrue(any(math.isnan(x) for x in cpu), "failed reads are missing data")
        # Across the gap (and a wrap) nothing is lost: from 5.5 J below the top to 3 J after it.
        self.assertAlmostEqual(report["energy"]["by_domain"]["cpu"], 5.5 + 1e-6 + 3.0, delta=1e-6)

    def test_exit_status_of_the_command_is_returned(self):
        result = erg("run", "--out", self.path("x.h5"), "--", "sh", "-c", "exit 3",
                     env={"ERG_POWERCAP_ROOT": "/nonexistent"})
        self.assertEqual(result.returncode, 3)
        self.assertTrue(os.path.exists(self.path("x.h5")))
        job = report_json(self.path("x.h5"))["job"]
        self.assertEqual((job["job_state"], job["exit_code"]), ("failed", 3))
        result = erg("run", "--out", self.path("y.h5"), "--", "/nonexistent/program")
        self.assertEqual(result.returncode, 127)

    def test_sigterm_is_passed_to_the_command_and_the_trace_is_written(self):
        trace = self.path("killed.h5")
        proc = subprocess.Popen([ergtest.ERG, "run", "--interval", "0.1", "--out", trace, "--", "sleep", "30"],
                                stderr=subprocess.PIPE, text=True)
        # A second after sampling began (its spool exists): erg's own start may take longer
        # than that on a loaded machine or under the sanitizers.
        spools = self.path("killed.spool")
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline and not (os.path.isdir(spools) and
                                                   [f for f in os.listdir(spools) if f.endswith(".spool")]):
            time.sleep(0.05)
        time.sleep(1.0)
        proc.send_signal(signal.SIGTERM)
        _, stderr = proc.communicate(timeout=20)
        self.assertEqual(proc.returncode, 128 + signal.SIGTERM, stderr)
        report = report_json(trace)
        self.assertEqual((report["job"]["job_state"], report["job"]["exit_code"]), ("cancelled", 128 + signal.SIGTERM))
        self.assertGreater(report["duration_s"], 0.5)
        self.assertLess(report["duration_s"], 10)

    def test_busy_command_gets_cpu_energy_from_the_model(self):
        trace = self.path("busy.h5")
        busy = "import time\nt=time.time()\nwhile time.time()-t<1.5: pass"
        result = erg("run", "--interval", "0.1", "--out", trace, "--", sys.executable, "-c", busy,
                     env={"ERG_POWERCAP_ROOT": "/nonexistent"})
        self.assertEqual(result.returncode, 0, result.stderr)
        report = report_json(trace)
        self.assertGreater(report["energy"]["by_domain"]["cpu"], 0.0)
        self.assertGreater(report["energy"]["by_domain"]["dram"], 0.0)
        self.assertIn("cpu", report["estimated"])

    def test_a_short_busy_command_is_charged_from_its_first_tick(self):
        # Issue 15: a 0.6 s busy command at the default 1 s interval ended between two samples
        # and was charged 0 J. Its CPU time is now read before it is reaped.
        trace = self.path("short.h5")
        # 0.6 s of the command's own CPU time, however busy the machine is.
        busy = "import time\nt=time.process_time()\nwhile time.process_time()-t<0.6: pass"
        result = erg("run", "--out", trace, "--", sys.executable, "-c", busy, env={"ERG_POWERCAP_ROOT": "/nonexistent"})
        self.assertEqual(result.returncode, 0, result.stderr)
        with open_trace(trace) as f:
            tdp_w = float(f["nodes"][list(f["nodes"])[0]].attrs["cpu_tdp_w"])
            cpus = int(f["nodes"][list(f["nodes"])[0]].attrs["logical_cpus"])
        cpu_j = report_json(trace)["energy"]["by_domain"]["cpu"]
        # About 0.6 CPU-seconds (and the interpreter's start) at TDP / logical CPUs.
        self.assertGreater(cpu_j, 0.5 * tdp_w / cpus)
        self.assertLess(cpu_j, 1.2 * tdp_w / cpus)


if __name__ == "__main__":
    ergtest.main()
