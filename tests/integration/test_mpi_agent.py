"""The MPI agent with real mpirun: a job of 4 ranks on two (named) nodes, linked or preloaded."""
import json
import os
import subprocess

import ergtest
from ergtest import MPIRUN, open_trace, report_json, run

TRAINING = os.environ.get("ERG_EXAMPLE_TRAINING")
PLAIN = os.environ.get("ERG_EXAMPLE_PLAIN")
WRONG_ORDER = os.environ.get("ERG_WRONG_ORDER")
PMPI = os.environ.get("ERG_PMPI_LIB")

# Ranks 0,1 on node n0 and 2,3 on n1: ERG_NODE_NAME from Open MPI's rank variable.
AS_TWO_NODES = 'ERG_NODE_NAME=n$((OMPI_COMM_WORLD_RANK / 2)) exec "$@"'


class MpiAgent(ergtest.TestCase):
    def mpirun(self, np, program_args, env, preload=False, two_nodes=True):
        exports = []
        for key in env:
            exports += ["-x", key]
        command = list(program_args)
        if preload:
            command = ["env", f"LD_PRELOAD={ergtest.preload(PMPI)}", *command]
        if two_nodes:
            command = ["sh", "-c", AS_TWO_NODES, "sh", *command]
        return run([*MPIRUN, "-np", str(np), *exports, *command], env=env, timeout=240)

    def check_totals(self, report):
        total = report["energy"]["it_j"]
        by_node = sum(report["energy"]["by_node"].values())
        self.assertAlmostEqual(by_node, total, delta=1e-9 * max(total, 1e-12))
        phases = sum(p["it_j"] for p in report["phases"])
        self.assertAlmostEqual(phases + report["energy"]["outside_phases_j"], total,
                               delta=1e-9 * max(total, 1e-12))

    def test_linked_agent_two_nodes_three_phases(self):
        trace = self.path("job.h5")
        env = {"ERG_OUT": trace, "ERG_INTERVAL": "0.1", "ERG_POWERCAP_ROOT": "/nonexistent"}
        result = self.mpirun(4, [TRAINING, "0.6"], env)
        self.assertEqual(result.returncode, 0, result.stderr)
        self.assertEqual(result.stderr.count("erg report:"), 1, result.stderr)
        with open_trace(trace) as f:
            self.assertEqual(sorted(f["nodes"]), ["n0", "n1"])
            self.assertEqual(f.attrs["n_nodes"], 2)
            self.assertEqual(f.attrs["n_ranks"], 4)
            for node in ["n0", "n1"]:
                self.assertEqual(f["nodes"][node].attrs["n_ranks"], 2)
            phases = f["phases"][()]
            self.assertEqual([p["name"].decode() if isinstance(p["name"], bytes) else p["name"] for p in phases],
                             ["search", "train", "inference"])
            self.assertTrue(all(p["items"] > 0 for p in phases))
            self.assertTrue(all(p["end_s"] > p["start_s"] for p in phases))
            metrics = f["metrics"][()]
            self.assertEqual(len(metrics), 1)
        with open(self.path("job.json")) as f:
            summary = json.load(f)
        self.assertEqual([p["kind"] for p in summary["phases"]], ["search", "train", "inference"])
        self.check_totals(summary)
        self.assertGreater(summary["energy"]["it_j"], 0)
        self.check_totals(report_json(trace))

    def test_phases_on_simulated_rapl(self):
        pc = ergtest.SimulatedPowercap(self.path("powercap"))
        pc.add_zone("intel-rapl:0", "package-0", 0)
        trace = self.path("rapl.h5")
        env = {"ERG_OUT": trace, "ERG_INTERVAL": "0.05", "ERG_POWERCAP_ROOT": pc.root}
        result = self.mpirun(4, [TRAINING, "0.3"], env)
        self.assertEqual(result.returncode, 0, result.stderr)
        report = report_json(trace)
        self.assertEqual(report["estimated"], ["dram"])
        self.assertEqual(report["sources"]["cpu"], "rapl")
        self.check_totals(report)

    def test_unmodified_program_under_ld_preload(self):
        trace = self.path("plain.h5")
        env = {"ERG_OUT": trace, "ERG_INTERVAL": "0.1", "ERG_POWERCAP_ROOT": "/nonexistent"}
        result = self.mpirun(4, [PLAIN, "1.0"], env, preload=True)
        self.assertEqual(result.returncode, 0, result.stderr)
        with open_trace(trace) as f:
            self.assertEqual(sorted(f["nodes"]), ["n0", "n1"])
            self.assertEqual(len(f["phases"]), 0)
            self.assertEqual(f.attrs["n_ranks"], 4)
        report = report_json(trace)
        self.assertGreater(report["energy"]["it_j"], 0)
        self.check_totals(report)

    def test_linked_and_preloaded_is_accounted_once(self):
        trace = self.path("both.h5")
        env = {"ERG_OUT": trace, "ERG_INTERVAL": "0.1", "ERG_POWERCAP_ROOT": "/nonexistent"}
        result = self.mpirun(4, [TRAINING, "0.3"], env, preload=True)
        self.assertEqual(result.returncode, 0, result.stderr)
        self.assertEqual(result.stderr.count("erg report:"), 1, result.stderr)
        self.assertNotIn("warning", result.stderr)
        with open_trace(trace) as f:
            self.assertEqual(sorted(f["nodes"]), ["n0", "n1"])
            self.assertEqual(len(f["phases"]), 3)

    def test_calls_in_the_wrong_order_warn_and_the_job_succeeds(self):
        trace = self.path("wrong.h5")
        env = {"ERG_OUT": trace, "ERG_INTERVAL": "0.1", "ERG_POWERCAP_ROOT": "/nonexistent"}
        result = self.mpirun(2, [WRONG_ORDER], env, two_nodes=False)
        self.assertEqual(result.returncode, 0, result.stdout + result.stderr)
        self.assertIn("warning", result.stderr)
        self.assertIn("before erg_init", result.stderr)
        self.assertIn("after erg_finalize", result.stderr)
        report = report_json(trace)
        self.assertEqual([p["name"] for p in report["phases"]], ["outer", "inner", "unnamed"])
        self.assertEqual(report["phases"][2]["kind"], "other")
        self.check_totals(report)

    def test_items_from_every_rank_metrics_from_any_and_no_erg_finalize(self):
        trace = self.path("nofin.h5")
        env = {"ERG_OUT": trace, "ERG_INTERVAL": "0.05", "ERG_POWERCAP_ROOT": "/nonexistent"}
        result = self.mpirun(4, [os.environ["ERG_TEST_NO_FINALIZE"]], env)
        self.assertEqual(result.returncode, 0, result.stdout + result.stderr)
        report = report_json(trace)
        items = {p["name"]: p["items"] for p in report["phases"]}
        self.assertEqual(items, {"train": 1000, "eval": 40})
        self.assertEqual(sorted(m["name"] for m in report["metrics"]), ["accuracy", "loss"])
        self.assertTrue(any("did not call erg_finalize" in n for n in report["notes"]), report["notes"])
        with open_trace(trace) as f:
            self.assertEqual(f.attrs["job_state"], "completed")
            self.assertEqual(f.attrs["exit_code"], 0)
        self.assertFalse(os.path.exists(self.path("nofin.spool")))

    def test_program_that_exits_without_mpi_finalize_gets_its_trace_at_exit(self):
        # Rank 0 gives up with exit(3), neither erg_finalize nor MPI_Finalize called: the trace
        # is assembled at exit from both nodes' spools, with the exit code and a note.
        trace = self.path("exit.h5")
        env = {"ERG_OUT": trace, "ERG_INTERVAL": "0.05", "ERG_POWERCAP_ROOT": "/nonexistent"}
        result = self.mpirun(4, [os.environ["ERG_TEST_NO_FINALIZE"], "exit"], env)
        self.assertNotEqual(result.returncode, 0)  # mpirun says the job ended without MPI_Finalize
        self.assertEqual(result.stderr.count("erg report:"), 1, result.stderr)
        report = report_json(trace)
        self.assertEqual(sorted(report["energy"]["by_node"]), ["n0", "n1"])
        self.assertEqual({p["name"]: p["items"] for p in report["phases"]}, {"train": 100, "eval": 10})
        self.assertTrue(any("exited without MPI_Finalize" in n for n in report["notes"]), report["notes"])
        with open_trace(trace) as f:
            self.assertEqual(f.attrs["job_state"], "failed")
            self.assertEqual(f.attrs["exit_code"], 3)
        self.assertFalse(os.path.exists(self.path("exit.spool")))

    def test_linked_agent_on_a_shared_node_charges_its_share(self):
        # Issue 16: an MPI job inside a Slurm allocation of 1 of this node's CPUs, without
        # erg's node daemons: its node leader splits the node's counters by the same rule.
        powercap = ergtest.SimulatedPowercap(self.path("powercap"))
        powercap.add_zone("intel-rapl:0", "package-0")
        trace = self.path("shared.h5")
        env = {"ERG_OUT": trace, "ERG_INTERVAL": "0.05", "ERG_POWERCAP_ROOT": powercap.root, "ERG_NODE_NAME": "c1",
               "SLURM_JOB_NODELIST": "c[0-1]", "SLURM_JOB_CPUS_PER_NODE": f"{os.cpu_count()},1"}
        with ergtest.ConstantPower(powercap, {"intel-rapl:0": 40}):
            result = self.mpirun(2, [TRAINING, "0.6"], env, two_nodes=False)
        self.assertEqual(result.returncode, 0, result.stderr)
        report = report_json(trace)
        self.check_totals(report)
        shared = report["energy"]["shared_nodes"]["c1"]
        self.assertEqual((shared["job_cpus"], shared["node_cpus"]), (1, os.cpu_count()))
        self.assertLess(shared["charged_j"], shared["node_j"])
        self.assertGreater(shared["charged_j"], 0)
        self.assertAlmostEqual(report["energy"]["by_domain"]["cpu"], shared["charged_j"], delta=1e-6)
        with open_trace(trace) as f:
            self.assertEqual(f["nodes"]["c1"].attrs["node_share"], "shared")
            self.assertIn("allocated CPUs", f["nodes"]["c1"].attrs["share_rule"])

    def test_disabled_agent_writes_nothing(self):
        trace = self.path("off.h5")
        env = {"ERG_OUT": trace, "ERG_DISABLE": "1"}
        result = self.mpirun(2, [TRAINING, "0.2"], env, two_nodes=False)
        self.assertEqual(result.returncode, 0, result.stderr)
        self.assertFalse(os.path.exists(trace))

    def test_bad_setting_turns_erg_off_without_harming_the_job(self):
        trace = self.path("bad.h5")
        env = {"ERG_OUT": trace, "ERG_INTERVAL": "-1"}
        result = self.mpirun(2, [TRAINING, "0.2"], env, two_nodes=False)
        self.assertEqual(result.returncode, 0, result.stderr)
        self.assertIn("erg is off", result.stderr)
        self.assertFalse(os.path.exists(trace))

    def test_placeholder_in_a_setting_does_not_hang_the_job(self):
        env = {"ERG_OUT": self.path("p.h5"), "ERG_PUE": "%value%"}
        result = self.mpirun(2, [TRAINING, "0.2"], env, two_nodes=False)
        self.assertEqual(result.returncode, 0, result.stderr)
        self.assertIn("erg is off", result.stderr)

    def test_agent_beside_a_node_daemon_with_an_unknown_region_still_writes_its_trace(self):
        spool = self.path("spool")
        os.makedirs(spool)
        os.chmod(spool, 0o755)
        daemon_env = {"ERG_SPOOL": spool, "ERG_NODE_NAME": "n0", "ERG_INTERVAL": "0.05",
                      "ERG_POWERCAP_ROOT": "/nonexistent"}
        # Detached, the daemon keeps the output it was given (the prolog gives it a log file).
        log = self.path("daemon.log")
        with open(log, "w") as out:
            started = subprocess.run([ergtest.ERG, "agent", "--job", "77", "--detach"], stdout=out, stderr=out,
                                     env=dict(os.environ, **daemon_env), timeout=30)
        self.assertEqual(started.returncode, 0, open(log).read())
        try:
            trace = self.path("coop.h5")
            env = dict(daemon_env, SLURM_JOB_ID="77", ERG_OUT=trace, ERG_REGION="Atlantis")
            result = self.mpirun(2, [TRAINING, "0.3"], env, two_nodes=False)
            self.assertEqual(result.returncode, 0, result.stderr)
            self.assertIn("unknown region", result.stderr)
            self.assertIn("from the node daemons' spools", result.stderr)
            report = report_json(trace)
            self.assertEqual(list(report["energy"]["by_node"]), ["n0"])  # sampled once, by the daemon
            self.assertEqual(len(report["phases"]), 3)
            self.assertEqual(report["site"]["emission_factor_g_per_kwh"], 475)
        finally:
            run([ergtest.ERG, "agent", "--job", "77", "--stop"], env=daemon_env)

    def test_unwritable_output_warns_and_the_job_succeeds(self):
        env = {"ERG_OUT": "/nonexistent/dir/job.h5", "ERG_INTERVAL": "0.1"}
        result = self.mpirun(2, [TRAINING, "0.2"], env, two_nodes=False)
        self.assertEqual(result.returncode, 0, result.stderr)
        self.assertIn("trace was not written", result.stderr)


if __name__ == "__main__":
    ergtest.main()
