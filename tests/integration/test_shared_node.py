"""Shared nodes on a real Slurm cluster (issue 16): two one-core jobs on one 2-CPU node, under
a simulated RAPL package at a constant 40 W, are charged together what the node drew over
their time, the busy one at least as much as the idle one; an exclusive job is charged the
whole node. docs/accounting.md gives the rule. CTest runs this file alone (RUN_SERIAL): the
"node" is this machine, whose other load would be the node's own, charged to no job."""
import os

import ergtest
import slurm_cluster
from ergtest import open_trace, report_json

WATTS = 40.0
JOB_S = 8


class SharedNode(slurm_cluster.ClusterTestCase):
    @classmethod
    def prepare(cls):
        cls.powercap = ergtest.SimulatedPowercap(os.path.join(cls.root, "powercap"))
        cls.powercap.add_zone("intel-rapl:0", "package-0")
        cls.power = ergtest.ConstantPower(cls.powercap, {"intel-rapl:0": WATTS}).__enter__()

    @classmethod
    def site_lines(cls):
        return f"interval = 0.2\nregion = DEU\npowercap-root = {cls.powercap.root}\n"

    @classmethod
    def tearDownClass(cls):
        super().tearDownClass()
        cls.power.__exit__(None, None, None)

    def submit(self, options, command):
        script = f"#!/bin/sh\n#SBATCH -w n1 {options}\n{command}\n"
        return self.cluster.sbatch(script, {"ERG_CONFIG": self.site_file})

    def charged_and_measured(self, trace):
        with open_trace(trace) as f:
            node = f["nodes"]["n1"]
            charged = float(node["energy_j"]["cpu"][-1])
            measured = float(node["node_energy_j"]["cpu"][-1]) if "node_energy_j" in node else charged
            return charged, measured, dict(node.attrs)

    def test_1_busy_and_idle_jobs_share_the_node_and_nothing_is_counted_twice(self):
        busy = self.submit("-n 1", f"timeout {JOB_S} sh -c 'while :; do :; done'; exit 0")
        idle = self.submit("-n 1", f"sleep {JOB_S}")
        busy_j, busy_node_j, busy_attrs = self.charged_and_measured(self.wait_trace(busy))
        idle_j, idle_node_j, idle_attrs = self.charged_and_measured(self.wait_trace(idle))
        for attrs in (busy_attrs, idle_attrs):
            self.assertEqual(attrs["node_share"], "shared")
            self.assertEqual(attrs["job_cpus"], 1)
            self.assertEqual(attrs["node_cpus"], os.cpu_count())
        # What the node drew over the two jobs' time: each job's trace keeps it beside its share.
        node_j = (busy_node_j + idle_node_j) / 2
        self.assertAlmostEqual(node_j, WATTS * JOB_S, delta=0.15 * WATTS * JOB_S)
        self.assertGreaterEqual(busy_j, idle_j)
        self.assertGreater(idle_j, 0.1 * node_j)  # an idle job still holds its core
        self.assertAlmostEqual(busy_j + idle_j, node_j, delta=0.06 * node_j,
                               msg=f"busy {busy_j:.1f} J + idle {idle_j:.1f} J vs the node's {node_j:.1f} J")
        report = report_json(self.wait_trace(busy))
        self.assertAlmostEqual(report["energy"]["it_j"], busy_j, delta=0.01 * busy_j + 1)
        self.assertTrue(any("shared node" in n for n in report["notes"]), report["notes"])

    def test_2_an_exclusive_job_is_charged_the_whole_node(self):
        job = self.submit("-n 1 --exclusive", f"sleep {JOB_S / 2}")
        charged, measured, attrs = self.charged_and_measured(self.wait_trace(job))
        self.assertEqual(attrs["node_share"], "exclusive")
        self.assertEqual(charged, measured)
        self.assertAlmostEqual(charged, WATTS * JOB_S / 2, delta=0.2 * WATTS * JOB_S / 2)


if __name__ == "__main__":
    ergtest.main()
