"""Bad input to the erg command line: one clear line on stderr and exit status 2."""
import json
import os

import ergtest
from ergtest import erg, report_json


class BadInput(ergtest.TestCase):
    def test_report_of_files_that_are_not_traces(self):
        self.assertUsageError(erg("report", self.path("missing.h5")), "missing file")
        with open(self.path("text.h5"), "w") as f:
            f.write("hello")
        self.assertUsageError(erg("report", self.path("text.h5")), "text file")
        import h5py

        with h5py.File(self.path("other.h5"), "w") as f:
            f.attrs["format"] = "something-else"
        self.assertUsageError(erg("report", self.path("other.h5")), "other HDF5 file")
        with h5py.File(self.path("bare.h5"), "w") as f:
            f.create_dataset("x", data=[1, 2, 3])
        self.assertUsageError(erg("report", self.path("bare.h5")), "HDF5 file without attributes")
        self.assertUsageError(erg("report", self.tmp), "a directory")
        self.assertUsageError(erg("report"), "no trace")

    def test_options(self):
        self.assertUsageError(erg("run", "--bogus", "--", "true"), "unknown option")
        self.assertUsageError(erg("run", "--interval", "0", "--", "true"), "interval 0")
        self.assertUsageError(erg("run", "--interval", "-1", "--", "true"), "negative interval")
        self.assertUsageError(erg("run", "--interval", "nan", "--", "true"), "NaN interval")
        self.assertUsageError(erg("run", "--interval", "abc", "--", "true"), "interval not a number")
        self.assertUsageError(erg("run", "--"), "no command after --")
        self.assertUsageError(erg("run"), "no command at all")
        self.assertUsageError(erg("run", "--pue", "0.5", "--", "true"), "PUE below 1")
        self.assertUsageError(erg("frobnicate"), "unknown command")
        self.assertUsageError(erg("sensors", "--format", "xml"), "unknown format")
        self.assertUsageError(erg("run", "--", "true", env={"ERG_INTERVAL": "-3"}), "bad environment value")
        marker = self.path("ran")
        result = erg("run", "--out", "/nonexistent/dir/t.h5", "--", "touch", marker)
        self.assertUsageError(result, "output folder missing")
        self.assertFalse(os.path.exists(marker), "the command must not run when its trace cannot be written")

    def test_percent_value_placeholders_do_not_hang(self):
        # Boost.ProgramOptions 1.74 loops forever on an error message whose value holds "%value%"
        # (found by the settings fuzzer); erg must answer with one line instead.
        site = self.path("erg.conf")
        with open(site, "w") as f:
            f.write("pue = %value%\n")
        for args, env in [(["run", "--pue", "%value%", "--", "true"], {}),
                          (["run", "--", "true"], {"ERG_PUE": "%value%"}),
                          (["run", "--", "true"], {"ERG_CONFIG": site})]:
            self.assertUsageError(erg(*args, env=env, timeout=20), f"{args} {env}")

    def test_sensors_json_is_valid(self):
        result = erg("sensors", "--format", "json", env={"ERG_POWERCAP_ROOT": "/nonexistent"})
        self.assertEqual(result.returncode, 0)
        sensors = json.loads(result.stdout)["sensors"]
        used = {(s["domain"], s["source"]) for s in sensors if s["status"] == "used"}
        self.assertEqual(used, {("cpu", "model"), ("dram", "model")})
        # A model reads no file: no path, and its method in a field of its own (docs/cli.md).
        for s in sensors:
            self.assertEqual(set(s), {"domain", "source", "path", "method", "status", "detail"})
            if s["source"] == "model" and s["status"] == "used":
                self.assertIsNone(s["path"])
                self.assertRegex(s["method"], r"^(TDP \d+(\.\d+)? W x CPU share|\d+(\.\d+)? mW/GB x )")

    def test_sensors_text_is_an_aligned_table(self):
        result = erg("sensors", env={"ERG_POWERCAP_ROOT": "/nonexistent"})
        self.assertEqual(result.returncode, 0, result.stderr)
        lines = result.stdout.splitlines()[1:]
        self.assertNotRegex(result.stdout, r"\d\.\d{4,}")  # no "TDP 24.000000 W"
        header = lines[0]
        for column in ["source", "status", "why", "path or method"]:
            start = header.index(column)
            for line in lines[1:]:
                if line.startswith("warning"):
                    continue
                # Every cell of the column starts where its heading does, after a space.
                self.assertEqual(line[start - 1], " ", line)
                self.assertNotEqual(line[start], " ", line)

    def test_help_is_not_an_error(self):
        for command in ["run", "report", "sensors", "regions"]:
            self.assertEqual(erg(command, "--help").returncode, 0)
        self.assertIn("--detach", erg("agent", "--help").stdout.splitlines()[0])

    def test_a_bad_variable_is_named_with_its_value(self):
        result = erg("sensors", env={"ERG_INTERVAL": "abc"})
        self.assertUsageError(result)
        self.assertIn("ERG_INTERVAL=abc", result.stderr)

    def test_slurms_null_account_is_no_account(self):
        trace = self.path("n.h5")
        result = erg("run", "--out", trace, "--", "true", env={"SLURM_JOB_ACCOUNT": "(null)", "SLURM_JOB_PARTITION": "debug"})
        self.assertEqual(result.returncode, 0, result.stderr)
        extra = report_json(trace)["job"]["extra"]
        self.assertNotIn("account", extra)
        self.assertEqual(extra["partition"], "debug")


if __name__ == "__main__":
    ergtest.main()
