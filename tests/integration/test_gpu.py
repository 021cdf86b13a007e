"""GPU energy through a stand-in NVML / ROCm SMI library built by the tests: per-device
energies against scripted values, with and without the energy counter, resets, errors,
the job's GPUs only, and the MPI agent counting each GPU of a node once."""
import json
import os

import ergtest
from ergtest import MPIRUN, erg, open_trace, report_json, run

FAKE = os.environ.get("ERG_FAKE_GPU_LIB")
POWERS = {0: 250.0, 1: 100.5}


class Gpu(ergtest.TestCase):
    def script(self, counter=1, extra=""):
        path = self.path("gpus.txt")
        with open(path, "w") as f:
            f.write(f"device 0 {POWERS[0]} {counter} FakeA100 GPU-aaaa1111-0000\n"
                    f"device 1 {POWERS[1]} {counter} FakeA100 GPU-bbbb2222-0000\n{extra}")
        return path

    def env(self, script, **extra):
        env = {"ERG_NVML_LIBRARY": FAKE, "FAKE_GPU_SCRIPT": script, "ERG_POWERCAP_ROOT": "/nonexistent"}
        env.update(extra)
        return env

    def run_sleep(self, env, seconds="1.5", name="gpu.h5"):
        trace = self.path(name)
        result = erg("run", "--interval", "0.05", "--out", trace, "--", "sleep", seconds, env=env)
        self.assertEqual(result.returncode, 0, result.stderr)
        return trace

    def sampled_span_s(self, trace, domain):
        """Seconds between the first and last valid sample of a domain."""
        import math

        with open_trace(trace) as f:
            node = f["nodes"][list(f["nodes"])[0]]
            times = node["time_s"][()]
            energy = node["energy_j"][domain][()]
            valid = [t for t, e in zip(times, energy) if not math.isnan(e)]
            return valid[-1] - valid[0], dict(node["energy_j"][domain].attrs)

    def check_devices(self, trace, source):
        report = report_json(trace)
        for index, power in POWERS.items():
            span, attrs = self.sampled_span_s(trace, f"gpu{index}")
            expected = power * span
            measured = report["energy"]["by_domain"][f"gpu{index}"]
            self.assertAlmostEqual(measured, expected, delta=expected * 0.001, msg=f"gpu{index}")
            self.assertEqual(attrs["source"], source)
            self.assertEqual(attrs["gpu_index"], str(index))
            self.assertEqual(attrs["gpu_name"], "FakeA100")
            self.assertTrue(attrs["gpu_uuid"].startswith("GPU-"))
        return report

    def test_two_gpus_with_the_energy_counter(self):
        report = self.check_devices(self.run_sleep(self.env(self.script(counter=1))), "nvml")
        self.assertEqual(report["sources"]["gpu0"], "nvml")

    def test_two_gpus_by_power_integration(self):
        trace = self.run_sleep(self.env(self.script(counter=0)))
        self.check_devices(trace, "nvml-power")
        text = erg("report", trace).stdout
        self.assertIn("Power-integrated: gpu0, gpu1", text)

    def test_only_the_jobs_gpus_count(self):
        for visible in ["1", "GPU-bbbb2222"]:
            trace = self.run_sleep(self.env(self.script(), CUDA_VISIBLE_DEVICES=visible), "0.5", f"v{visible}.h5")
            self.assertEqual(sorted(d for d in report_json(trace)["energy"]["by_domain"] if d.startswith("gpu")),
                             ["gpu1"])
        trace = self.run_sleep(self.env(self.script(), SLURM_JOB_GPUS="0"), "0.5", "slurm.h5")
        self.assertIn("gpu0", report_json(trace)["energy"]["by_domain"])
        self.assertNotIn("gpu1", report_json(trace)["energy"]["by_domain"])

    def test_on_a_shared_node_the_gpu_stays_whole_with_the_job_that_holds_it(self):
        # Issue 16: the node's counters are split among the jobs on a shared node (here one
        # CPU of the node, as Slurm says), but a GPU is the job's alone: charged whole, once.
        pc = ergtest.SimulatedPowercap(self.path("powercap"))
        pc.add_zone("intel-rapl:0", "package-0")
        nodes = "n[1-3]"
        env = self.env(self.script(), CUDA_VISIBLE_DEVICES="1", ERG_POWERCAP_ROOT=pc.root, ERG_NODE_NAME="n2",
                       SLURM_JOB_NODELIST=nodes, SLURM_JOB_CPUS_PER_NODE=f"{os.cpu_count()},1(x2)")
        with ergtest.ConstantPower(pc, {"intel-rapl:0": 40}):
            trace = self.run_sleep(env, "1.0", "shared.h5")
        report = report_json(trace)
        self.assertEqual(sorted(report["energy"]["shared_nodes"]), ["n2"])
        shared = report["energy"]["shared_nodes"]["n2"]
        self.assertEqual((shared["job_cpus"], shared["node_cpus"]), (1, os.cpu_count()))
        self.assertLess(shared["charged_j"], shared["node_j"])  # the CPU counter: a share
        with open_trace(trace) as f:
            node = f["nodes"]["n2"]
            self.assertEqual(list(node["node_energy_j"]), ["cpu"])  # only the node's counter was split
            span, _ = self.sampled_span_s(trace, "gpu1")
        self.assertNotIn("gpu0", report["energy"]["by_domain"])
        self.assertAlmostEqual(report["energy"]["by_domain"]["gpu1"], POWERS[1] * span, delta=POWERS[1] * span * 0.001)

    def test_reset_and_errors_are_missing_data_never_negative(self):
        trace = self.run_sleep(self.env(self.script(extra="reset 0 0.7\nerror 1 0.5 0.8\n")))
        report = report_json(trace)
        self.assertTrue(any("reset" in n for n in report["notes"]), report["notes"])
        self.assertTrue(any("GPU reads failed" in n for n in report["notes"]), report["notes"])
        with open_trace(trace) as f:
            node = f["nodes"][list(f["nodes"])[0]]
            import numpy

            for d in ["gpu0", "gpu1"]:
                e = node["energy_j"][d][()]
                valid = e[~numpy.isnan(e)]
                self.assertTrue((numpy.diff(valid) >= 0).all(), d)
        # gpu1's counter kept counting through the failed reads: nothing lost.
        span, _ = self.sampled_span_s(trace, "gpu1")
        self.assertAlmostEqual(report["energy"]["by_domain"]["gpu1"], POWERS[1] * span, delta=POWERS[1] * span * 0.001)
        # gpu0 lost only the interval of its reset.
        span, _ = self.sampled_span_s(trace, "gpu0")
        self.assertGreater(report["energy"]["by_domain"]["gpu0"], POWERS[0] * (span - 0.2))
        self.assertLess(report["energy"]["by_domain"]["gpu0"], POWERS[0] * span)

    def test_sensors_lists_the_gpus_and_their_method(self):
        result = erg("sensors", "--format", "json", env=self.env(self.script(counter=0), CUDA_VISIBLE_DEVICES="0"))
        gpus = {s["domain"]: s for s in json.loads(result.stdout)["sensors"] if s["source"] == "nvml"}
        self.assertEqual(gpus["gpu0"]["status"], "used")
        self.assertIn("power integrated", gpus["gpu0"]["detail"])
        self.assertEqual(gpus["gpu1"]["status"], "not counted")
        self.assertIn("CUDA_VISIBLE_DEVICES", gpus["gpu1"]["detail"])

    def test_amd_through_rocm_smi(self):
        env = {"ERG_ROCM_SMI_LIBRARY": FAKE, "FAKE_GPU_SCRIPT": self.script(counter=1),
               "ERG_POWERCAP_ROOT": "/nonexistent"}
        trace = self.run_sleep(env)
        report = report_json(trace)
        span, attrs = self.sampled_span_s(trace, "gpu0")
        self.assertEqual(attrs["source"], "rocm-smi")
        # The counter's resolution (15.3 uJ) rounds each read down by less than one count.
        self.assertAlmostEqual(report["energy"]["by_domain"]["gpu0"], POWERS[0] * span, delta=POWERS[0] * span * 0.001)

    def test_nvidia_and_amd_on_one_node_get_distinct_domains(self):
        # Two NVIDIA GPUs and one AMD GPU, each vendor numbering its own from 0: the node's
        # domains are gpu0, gpu1 (NVIDIA) and gpu2 (AMD), the vendor's index in gpu_index.
        nvidia = self.script(counter=1)
        amd = self.path("amd.txt")
        amd_power_w = 75.25
        with open(amd, "w") as f:
            f.write(f"device 0 {amd_power_w} 1 FakeMI250 0xabc000\n")
        env = {"ERG_NVML_LIBRARY": FAKE, "ERG_ROCM_SMI_LIBRARY": FAKE, "FAKE_NVML_SCRIPT": nvidia,
               "FAKE_ROCM_SMI_SCRIPT": amd, "ERG_POWERCAP_ROOT": "/nonexistent"}
        trace = self.path("mixed.h5")
        result = erg("run", "--interval", "0.05", "--out", trace, "--", "sh", "-c", "sleep 1; exit 3", env=env)
        self.assertEqual(result.returncode, 3, result.stderr)  # the command's own status

        import math

        expected = {"gpu0": ("nvml", "0", POWERS[0]), "gpu1": ("nvml", "1", POWERS[1]),
                    "gpu2": ("rocm-smi", "0", amd_power_w)}
        with open_trace(trace) as f:
            node = f["nodes"][list(f["nodes"])[0]]
            self.assertEqual(sorted(d for d in node["energy_j"] if d.startswith("gpu")), sorted(expected))
            times = node["time_s"][()]
            for domain, (source, index, power_w) in expected.items():
                dataset = node["energy_j"][domain]
                self.assertEqual(dataset.attrs["source"], source, domain)
                self.assertEqual(dataset.attrs["gpu_index"], index, domain)
                self.assertEqual(dataset.attrs["measurement"], "counter", domain)
                valid = [(t, e) for t, e in zip(times, dataset[()]) if not math.isnan(e)]
                (t0, e0), (t1, e1) = valid[0], valid[-1]
                self.assertGreater(t1 - t0, 0.5, domain)
                self.assertAlmostEqual((e1 - e0) / (t1 - t0), power_w, delta=power_w * 0.001, msg=domain)

    def test_no_gpu_library_behaves_as_before(self):
        result = erg("sensors", "--format", "json", env={"ERG_NVML_LIBRARY": "/nonexistent/libnvidia-ml.so.1"})
        self.assertEqual(result.returncode, 0)
        sensors = json.loads(result.stdout)["sensors"]
        self.assertTrue(any(s["source"] == "nvml" and s["status"] == "unavailable" for s in sensors))

    def test_system_gpu_libraries_are_not_loaded_without_their_driver(self):
        # Issue 15: librocm-smi (which slurmd's recommended rsmi plugin brings) prints on stderr
        # when loaded on a node without an AMD GPU. Where the driver's device file is missing,
        # the system's library is not loaded, and nothing reaches erg's or the job's stderr.
        if os.path.exists("/dev/kfd") or os.path.exists("/dev/nvidiactl"):
            self.skipTest("this machine has a GPU driver")
        env = {"ERG_NVML_LIBRARY": "", "ERG_ROCM_SMI_LIBRARY": ""}
        result = erg("sensors", "--format", "json", env=env)
        self.assertEqual(result.returncode, 0, result.stderr)
        self.assertEqual(result.stderr, "")
        sensors = json.loads(result.stdout)["sensors"]
        self.assertIn("/dev/kfd", json.dumps(sensors))
        self.assertIn("/dev/nvidiactl", json.dumps(sensors))
        result = erg("run", "--out", self.path("quiet.h5"), "--", "sh", "-c", "echo job-output >&2", env=env)
        self.assertEqual(result.returncode, 0, result.stderr)
        self.assertNotIn("rsmi", result.stderr)
        self.assertNotIn("drm", result.stderr)

    def test_mpi_ranks_sharing_a_node_count_each_gpu_once(self):
        trace = self.path("mpi.h5")
        env = self.env(self.script(), ERG_OUT=trace, ERG_INTERVAL="0.05")
        # Two ranks on one node, each seeing one GPU: the node counts both, once each.
        result = run([*MPIRUN, "-np", "2", *sum((["-x", k] for k in env), []), "sh", "-c",
                      'CUDA_VISIBLE_DEVICES=$OMPI_COMM_WORLD_RANK exec "$@"', "sh",
                      os.environ["ERG_EXAMPLE_TRAINING"], "0.3"], env=env)
        self.assertEqual(result.returncode, 0, result.stderr)
        with open_trace(trace) as f:
            self.assertEqual(len(f["nodes"]), 1)
            node = f["nodes"][list(f["nodes"])[0]]
            self.assertEqual(sorted(d for d in node["energy_j"] if d.startswith("gpu")), ["gpu0", "gpu1"])
        report = report_json(trace)
        span, _ = self.sampled_span_s(trace, "gpu0")
        self.assertAlmostEqual(report["energy"]["by_domain"]["gpu0"], POWERS[0] * span, delta=POWERS[0] * span * 0.001)


if __name__ == "__main__":
    ergtest.main()
