"""Carbon accounting and the per-job reports: JSON figures that add up, what-if, markdown,
the self-contained HTML report rendered in headless Chromium, erg estimate and erg regions."""
import hashlib
import json
import os
import re
import shutil
import unittest

import ergtest
from ergtest import MPIRUN, erg, report_json, run

TRAINING = os.environ.get("ERG_EXAMPLE_TRAINING")
TRACE_DIR = None


def setUpModule():
    """One real MPI job (2 ranks on 2 named nodes, three phases) shared by the report tests."""
    global TRACE_DIR
    import tempfile

    TRACE_DIR = tempfile.mkdtemp(prefix="erg-reports-")
    env = {"ERG_OUT": os.path.join(TRACE_DIR, "job.h5"), "ERG_INTERVAL": "0.05", "ERG_PUE": "1.25",
           "ERG_REGION": "DEU", "ERG_POWERCAP_ROOT": "/nonexistent"}
    result = run([*MPIRUN, "-np", "2", *sum((["-x", k] for k in env), []),
                  "sh", "-c", 'ERG_NODE_NAME=n$OMPI_COMM_WORLD_RANK exec "$@"', "sh", TRAINING, "0.4"], env=env)
    assert result.returncode == 0, result.stderr


def tearDownModule():
    shutil.rmtree(TRACE_DIR, ignore_errors=True)


def trace():
    return os.path.join(TRACE_DIR, "job.h5")


class Reports(ergtest.TestCase):
    def test_json_figures_add_up(self):
        r = report_json(trace())
        e = r["energy"]
        site = r["site"]
        self.assertEqual(site["pue"], 1.25)
        self.assertEqual(site["region"], "DEU")
        self.assertIn("2023", site["emission_factor_source"])
        rel = lambda a, b: self.assertAlmostEqual(a, b, delta=1e-9 * max(abs(b), 1e-12))
        rel(e["facility_j"], e["it_j"] * 1.25)
        rel(r["co2e_g"], e["facility_j"] / 3.6e6 * site["emission_factor_g_per_kwh"])
        rel(sum(p["co2e_g"] for p in r["phases"]) + r["outside_phases"]["co2e_g"], r["co2e_g"])
        rel(sum(p["it_j"] for p in r["phases"]) + e["outside_phases_j"], e["it_j"])
        rel(sum(e["by_node"].values()), e["it_j"])
        rel(sum(e["by_domain"].values()), e["it_j"])
        for p in r["phases"]:
            rel(sum(p["by_domain"].values()), p["it_j"])

        phases = {p["kind"]: p for p in r["phases"]}
        lc = r["life_cycle"]
        rel(lc["search_j"], phases["search"]["it_j"])
        rel(lc["training_j"], phases["train"]["it_j"])
        rel(lc["inference_j_per_item"], phases["inference"]["it_j"] / phases["inference"]["items"])
        self.assertEqual(lc["inferences"], phases["inference"]["items"])
        rel(lc["lifetime_j"], lc["search_j"] + lc["training_j"] + lc["inferences"] * lc["inference_j_per_item"])
        rel(lc["break_even_inferences"], (lc["search_j"] + lc["training_j"]) / lc["inference_j_per_item"])
        rel(lc["lifetime_kwh"], lc["lifetime_j"] / 3.6e6)

        o = r["overheads"]
        rel(o["facility_j"], 0.25 * e["it_j"])
        rel(o["idle_j"], e["outside_phases_j"])
        rel(o["training_ratio"], (phases["train"]["it_j"] / phases["train"]["items"]) /
            (phases["inference"]["it_j"] / phases["inference"]["items"]))
        self.assertGreater(o["measurement_cpu_s"], 0)
        self.assertGreater(o["measurement_j"], 0)

    def test_what_if_recomputes_carbon_and_leaves_the_file_alone(self):
        before = hashlib.sha256(open(trace(), "rb").read()).hexdigest()
        base = report_json(trace())
        what_if = report_json(trace(), "--pue", "1.1", "--emission-factor", "100")
        self.assertEqual(hashlib.sha256(open(trace(), "rb").read()).hexdigest(), before)
        self.assertAlmostEqual(what_if["energy"]["it_j"], base["energy"]["it_j"])
        self.assertAlmostEqual(what_if["co2e_g"], base["energy"]["it_j"] * 1.1 / 3.6e6 * 100)
        mix = report_json(trace(), "--mix", "coal=25,petroleum=35,natural_gas=26,nuclear=14")
        self.assertAlmostEqual(mix["site"]["emission_factor_g_per_kwh"], 731.59)
        lifetime = report_json(trace(), "--inferences", "1e9")
        self.assertEqual(lifetime["life_cycle"]["inferences"], 1e9)
        # The environment does not change a recorded trace; only the command line does.
        env_only = erg("report", trace(), "--format", "json", env={"ERG_PUE": "3"})
        self.assertEqual(json.loads(env_only.stdout)["site"]["pue"], 1.25)

    def test_markdown(self):
        result = erg("report", trace(), "--format", "md")
        self.assertEqual(result.returncode, 0, result.stderr)
        for heading in ["# erg report", "## Key figures", "## Phases", "## Life cycle", "## Overheads"]:
            self.assertIn(heading, result.stdout)
        self.assertIn("| search | search |", result.stdout)

    def test_text_figures_are_readable(self):
        result = erg("report", trace())
        self.assertEqual(result.returncode, 0, result.stderr)
        text = result.stdout
        self.assertNotRegex(text, r"\d[eE][-+]?\d", "no exponents")
        self.assertRegex(text, r"IT energy +\d+(\.\d+)? [nµm]?J \(\d+(\.\d+)? [µmkMG]?Wh\)")
        self.assertIn("2 node(s), 2 rank(s)", text)
        self.assertIn("at PUE 1.25, given\n", text)  # the source after a comma, never nested parentheses
        self.assertNotIn("((", text.replace("(outside phases)", ""))
        self.assertRegex(text, r"CO2e +\d+(\.\d+)? [µmk]?g at \d+(\.\d+)? gCO2e/kWh DEU, ")
        # Energy outside the phases is not "idle": a busy program that marks none is all outside.
        self.assertRegex(text, r"overheads .*; outside phases \d+(\.\d+)? %")
        self.assertNotIn("idle", text)

    def test_emission_factor_reads_the_same_everywhere(self):
        text = erg("report", trace()).stdout
        factor = re.search(r"\d+(\.\d+)? gCO2e/kWh DEU", text).group(0)
        self.assertIn(factor, erg("report", trace(), "--format", "md").stdout)
        html = self.path("report.html")
        self.assertEqual(erg("report", trace(), "--format", "html", "-o", html).returncode, 0)
        with open(html) as f:
            self.assertIn(factor.replace(" g", "&#160;g"), f.read())
        self.assertIn(factor.replace(" DEU", ""), erg("estimate", "--energy-kwh", "1", "--region", "DEU").stdout)
        self.assertIn(factor.replace(" DEU", ""), erg("regions", "germany").stdout)
        svg = erg("label", trace(), "--reference", trace(), "--format", "svg").stdout
        self.assertIn(factor.replace(" g", "&#160;g"), svg)

    def test_html_is_self_contained(self):
        html = self.path("report.html")
        result = erg("report", trace(), "--format", "html", "-o", html)
        self.assertEqual(result.returncode, 0, result.stderr)
        text = open(html).read()
        self.assertTrue(text.startswith("<!DOCTYPE html>"))
        self.assertGreaterEqual(text.count("<svg"), 3)
        self.assertNotRegex(text, r"<script|<link|@import|url\(|<iframe|<img")
        self.assertNotRegex(text, r'(src|href)\s*=\s*"(?!#)')
        self.assertNotRegex(text, r"https?://(?!www\.w3\.org/2000/svg)")
        # Readable: no figure cut from its unit, times as a reader writes them, one colour a phase kind.
        self.assertNotRegex(text, r"\d %")
        self.assertRegex(text, r"\d&#160;%")
        self.assertRegex(text, r"\d{4}-\d\d-\d\d&#160;\d\d:\d\d:\d\d&#160;UTC to ")
        self.assertNotRegex(text, r"\d\d:\d\d:\d\d(\.\d+)?Z")
        for kind in ["search", "train", "inference"]:
            # Bands of the power charts and the life-cycle legend (colour, then name), the phase bars (name, then colour).
            places = re.findall(r'fill="(#[0-9a-f]{6})"[^>]*/><text[^>]*>' + kind + r"[ :<]", text)
            places += re.findall(r'text-anchor="end">' + kind + r'</text><rect [^>]*fill="(#[0-9a-f]{6})"', text)
            self.assertGreaterEqual(len(places), 3, kind)  # a band, a bar, a part of the life cycle
            self.assertEqual(len(set(places)), 1, f"{kind}: {places}")
        self.assertIn("white-space:nowrap", text)

    @unittest.skipUnless(shutil.which("chromium"), "chromium is not installed (tests/install-packages.sh installs it)")
    def test_html_renders_in_headless_chromium(self):
        html = self.path("report.html")
        png = self.path("report.png")
        erg("report", trace(), "--format", "html", "-o", html)
        chromium = ["chromium", "--headless", "--no-sandbox", "--disable-gpu", "--hide-scrollbars",
                    "--no-first-run", "--disable-dev-shm-usage"]
        dom = run([*chromium, "--dump-dom", f"file://{html}"], timeout=120)
        self.assertEqual(dom.returncode, 0, dom.stderr[-2000:])
        self.assertGreaterEqual(dom.stdout.count("<svg"), 3)
        self.assertGreaterEqual(len(re.findall(r"<path d=\"M", dom.stdout)), 2, "the power chart has lines")
        self.assertIn("Life cycle", dom.stdout)
        shot = run([*chromium, "--window-size=1100,1800", f"--screenshot={png}", f"file://{html}"], timeout=120)
        self.assertEqual(shot.returncode, 0, shot.stderr[-2000:])
        with open(png, "rb") as f:
            self.assertEqual(f.read(8), b"\x89PNG\r\n\x1a\n")
        self.assertGreater(os.path.getsize(png), 20000, "a rendered page, not a blank one")


class Estimate(ergtest.TestCase):
    def estimate(self, *args):
        result = erg("estimate", *args, "--format", "json")
        self.assertEqual(result.returncode, 0, result.stderr)
        return json.loads(result.stdout)

    def test_mix_of_the_issue(self):
        out = self.estimate("--mix", "coal=25,petroleum=35,natural_gas=26,nuclear=14", "--energy-kwh", "1", "--pue", "1")
        self.assertEqual(out["emission_factor_g_per_kwh"], 731.59)
        self.assertAlmostEqual(out["co2e_kg"], 0.73159)
        for key in ["it_energy_kwh", "facility_energy_kwh", "co2e_kg", "pue", "emission_factor_g_per_kwh"]:
            self.assertIn(key, out)

    def test_forms(self):
        hw = self.estimate("--hours", "2", "--cores", "4", "--core-w", "10", "--memory-gb", "16", "--pue", "1.5",
                           "--emission-factor", "300")
        it = 2 * (40 + 16 * 0.3725) / 1000
        self.assertAlmostEqual(hw["it_energy_kwh"], it)
        self.assertAlmostEqual(hw["facility_energy_kwh"], it * 1.5)
        self.assertAlmostEqual(hw["co2e_kg"], it * 1.5 * 0.3)
        lc = self.estimate("--inference-j", "3.6", "--samples", "1000", "--epochs", "10", "--searches", "2",
                           "--inferences", "1e6", "--pue", "1")
        self.assertAlmostEqual(lc["training_kwh"], 3.6 * 1000 * 10 * 5 / 3.6e6)
        self.assertAlmostEqual(lc["search_kwh"], 2 * lc["training_kwh"])
        self.assertAlmostEqual(lc["inference_kwh"], 1.0)
        self.assertAlmostEqual(lc["it_energy_kwh"], lc["search_kwh"] + lc["training_kwh"] + lc["inference_kwh"])
        ops = self.estimate("--macs", "1e15", "--bits", "32", "--accesses-dram", "1e12")
        self.assertAlmostEqual(ops["it_energy_kwh"], (1e15 * 4.6 + 1e12 * 1000) * 1e-12 / 3.6e6)
        default = self.estimate("--energy-kwh", "1")
        self.assertEqual(default["pue"], 1.56)
        self.assertEqual(default["emission_factor_g_per_kwh"], 475)
        self.assertIn("default", default["emission_factor_source"])
        self.assertIn("default", default["pue_source"])
        cloud = self.estimate("--energy-kwh", "1", "--region", "gcp:europe-west3")
        self.assertEqual(cloud["pue"], 1.12)

    def test_bad_input(self):
        result = erg("estimate", "--energy-kwh", "1", "--region", "DEX")
        self.assertUsageError(result, "unknown region")
        self.assertIn("DEU", result.stderr)
        self.assertUsageError(erg("estimate", "--energy-kwh", "1", "--pue", "0.9"), "PUE below 1")
        self.assertUsageError(erg("estimate", "--energy-kwh", "1", "--mix", ""), "empty mix")
        self.assertUsageError(erg("estimate", "--energy-kwh", "1", "--mix", "coal=20,nuclear=20"), "shares")
        self.assertUsageError(erg("estimate", "--energy-kwh", "1", "--mix", "coal=abc"), "share not a number")
        self.assertUsageError(erg("estimate"), "no form")
        self.assertUsageError(erg("estimate", "--energy-kwh", "1", "--hours", "2"), "two forms")
        self.assertUsageError(erg("estimate", "--energy-kwh", "-1"), "negative energy")
        self.assertUsageError(erg("estimate", "--energy-kwh", "inf"), "infinite energy")
        self.assertUsageError(erg("estimate", "--macs", "10", "--bits", "12"), "bits")
        self.assertUsageError(erg("report", trace(), "--region", "Atlantis"), "unknown region in a what-if")

    def test_regions(self):
        result = erg("regions", "germany")
        self.assertEqual(result.returncode, 0)
        self.assertIn("DEU", result.stdout)
        self.assertIn("gCO2e/kWh", result.stdout)
        everything = erg("regions").stdout.splitlines()
        self.assertGreater(len(everything), 250)


if __name__ == "__main__":
    ergtest.main()
