"""Carbon over time and over the hardware's life (docs/accounting.md): erg run and erg report
with a grid intensity series, the best start within it, embodied emissions in every report
format and in the ledger, and bad series refused with one line."""
import datetime
import json
import os

import ergtest
from ergtest import erg, open_trace, report_json

GRAMS_PER_HOUR = [400, 350, 120, 80, 60, 300, 500, 450]  # hour by hour from the hour the job started


class Carbon(ergtest.TestCase):
    def setUp(self):
        super().setUp()
        os.chmod(self.tmp, 0o755)
        self.trace = self.path("job.h5")
        busy = "import time\nend = time.time() + 0.5\nwhile time.time() < end: pass"
        result = erg("run", "--interval", "0.05", "--out", self.trace, "--pue", "1.2", "--region", "DEU",
                     "--", "/usr/bin/python3", "-c", busy, env={"ERG_POWERCAP_ROOT": "/nonexistent"})
        self.assertEqual(result.returncode, 0, result.stderr)
        self.start = datetime.datetime.fromisoformat(report_json(self.trace)["job"]["start_utc"].replace("Z", "+00:00"))
        self.hour = self.start.replace(minute=0, second=0, microsecond=0)

    def series(self, name, values, first_hour=0, header="datetime,carbon_intensity_g_per_kwh"):
        path = self.path(name)
        with open(path, "w") as f:
            f.write(header + "\n")
            for i, g in enumerate(values):
                t = self.hour + datetime.timedelta(hours=first_hour + i)
                f.write(f"{t.strftime('%Y-%m-%dT%H:%M:%SZ')},{g}\n")
        return path

    def report(self, *args):
        result = erg("report", self.trace, "--format", "json", *args)
        self.assertEqual(result.returncode, 0, result.stderr)
        return json.loads(result.stdout)

    def test_intensity_series_best_start_and_embodied(self):
        flat = self.report()
        self.assertEqual(flat["carbon"]["operational_co2e_g"], flat["co2e_g"])
        self.assertFalse(flat["carbon"]["intensity_varies"])
        self.assertNotIn("best_start_utc", flat["carbon"])
        # Embodied: node-hours x erg's default, which says where it comes from.
        node_hours = flat["duration_s"] / 3600
        self.assertAlmostEqual(flat["carbon"]["node_hours"], node_hours, delta=1e-12)
        self.assertAlmostEqual(flat["carbon"]["embodied_co2e_g"], node_hours * 55.96, delta=1e-9)
        self.assertIn("BLOOM", flat["carbon"]["embodied_source"])
        self.assertAlmostEqual(flat["carbon"]["total_co2e_g"], flat["co2e_g"] + flat["carbon"]["embodied_co2e_g"], delta=1e-9)
        given = self.report("--embodied-g-per-node-hour", "3600")
        self.assertAlmostEqual(given["carbon"]["embodied_co2e_g"], flat["duration_s"], delta=1e-9)
        self.assertEqual(given["carbon"]["embodied_source"], "given")

        # A series over eight hours from the job's own hour: the job (under a second) runs within
        # one step, unless it crossed the hour.
        path = self.series("hourly.csv", GRAMS_PER_HOUR)
        varied = self.report("--intensity", path)
        facility_kwh = varied["energy"]["facility_j"] / 3.6e6
        if varied["job"]["end_utc"][:13] == varied["job"]["start_utc"][:13]:
            self.assertAlmostEqual(varied["co2e_g"], facility_kwh * GRAMS_PER_HOUR[0], delta=1e-9 * facility_kwh * 400)
        self.assertTrue(varied["carbon"]["intensity_varies"])
        self.assertEqual(varied["carbon"]["intensity_source"], path)
        # The least-emitting hour of the series is 04:00 (60 g/kWh): the best start is there, or in
        # it with the job's end at 05:00 (a start within the hour emits the same).
        best = datetime.datetime.fromisoformat(varied["carbon"]["best_start_utc"].replace("Z", "+00:00"))
        self.assertGreaterEqual(best, self.hour + datetime.timedelta(hours=4))
        self.assertLess(best, self.hour + datetime.timedelta(hours=5))
        self.assertAlmostEqual(varied["carbon"]["best_start_co2e_g"], facility_kwh * 60, delta=1e-6 * facility_kwh * 60)
        self.assertAlmostEqual(varied["carbon"]["best_start_saving_co2e_g"],
                               varied["co2e_g"] - varied["carbon"]["best_start_co2e_g"], delta=1e-12)

        # Every format shows operational, embodied and total CO2e, and the best start.
        for fmt in ("text", "md", "html"):
            result = erg("report", self.trace, "--format", fmt, "--intensity", path)
            self.assertEqual(result.returncode, 0, result.stderr)
            for words in ("embodied CO2e", "total CO2e", "best start", "grid intensity over time"):
                self.assertIn(words, result.stdout, fmt)
        html = erg("report", self.trace, "--format", "html", "--intensity", path).stdout
        self.assertIn("Grid intensity", html)

        # A series that covers only hours after the job: part of it at the region's factor, noted.
        later = self.series("later.csv", [100, 100], first_hour=0)
        partial = self.report("--intensity", later)
        self.assertGreaterEqual(partial["carbon"]["uncovered_facility_j"], 0)

    def test_run_records_the_series_in_the_trace_and_the_ledger_sums_the_saving(self):
        path = self.series("hourly.csv", GRAMS_PER_HOUR, first_hour=-1)
        traced = self.path("series.h5")
        busy = "import time\nend = time.time() + 0.3\nwhile time.time() < end: pass"
        result = erg("run", "--interval", "0.05", "--out", traced, "--intensity", path, "--",
                     "/usr/bin/python3", "-c", busy, env={"ERG_POWERCAP_ROOT": "/nonexistent"})
        self.assertEqual(result.returncode, 0, result.stderr)
        with open_trace(traced) as f:
            self.assertEqual(list(f["grid_intensity"]["g_per_kwh"][()]), [float(g) for g in GRAMS_PER_HOUR])
            self.assertEqual(f.attrs["intensity_source"], path)
            self.assertGreater(f.attrs["embodied_g_per_node_hour"], 0)
        # The trace keeps its series: a later report without --intensity gives the same figures.
        again = report_json(traced)
        with open(self.path("series.json")) as f:
            summary = json.load(f)
        self.assertEqual(again["co2e_g"], summary["co2e_g"])
        self.assertTrue(again["carbon"]["intensity_varies"])
        ledger = "sqlite:" + self.path("ledger.sqlite")
        self.assertEqual(erg("ledger", "add", traced, "--ledger", ledger).returncode, 0)
        report = json.loads(erg("ledger", "report", "--format", "json", "--ledger", ledger).stdout)
        self.assertAlmostEqual(report["total"]["avoidable_co2e_kg"], again["carbon"]["best_start_saving_co2e_g"] / 1000,
                               delta=1e-15)
        self.assertGreater(report["total"]["avoidable_co2e_kg"], 0)

    def test_bad_series_are_one_line_and_exit_2(self):
        header = "datetime,carbon_intensity_g_per_kwh\n"
        cases = {"text": header + "2026-12-03T00:00:00Z,lots\n", "negative": header + "2026-12-03T00:00:00Z,-1\n",
                 "NaN": header + "2026-12-03T00:00:00Z,nan\n",
                 "unordered": header + "2026-12-03T01:00:00Z,1\n2026-12-03T00:00:00Z,2\n",
                 "duplicate": header + "2026-12-03T00:00:00Z,1\n2026-12-03T00:00:00Z,2\n", "empty": header,
                 "not a CSV of a series": "a,b\n1,2\n"}
        for name, text in cases.items():
            path = self.path(name + ".csv")
            with open(path, "w") as f:
                f.write(text)
            self.assertUsageError(erg("report", self.trace, "--intensity", path), name)
            marker = self.path("ran")
            self.assertUsageError(erg("run", "--out", self.path("x.h5"), "--intensity", path, "--", "touch", marker), name)
            self.assertFalse(os.path.exists(marker), f"{name}: erg run ran its command")
        # A series that covers none of the job.
        elsewhere = self.series("elsewhere.csv", [100, 200], first_hour=-48)
        self.assertUsageError(erg("report", self.trace, "--intensity", elsewhere), "none of the job")
        self.assertUsageError(erg("report", self.trace, "--intensity", self.path("missing.csv")), "missing")


if __name__ == "__main__":
    ergtest.main()
