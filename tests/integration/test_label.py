"""A-E efficiency labels: the framework's published example, ties, missing and zero values,
unknown metrics, bad references, quantile cut points, traces and the SVG label."""
import json
import os
import shutil
import xml.etree.ElementTree as ElementTree

import ergtest
from ergtest import MPIRUN, erg, run

EXAMPLE = os.path.join(ergtest.SOURCE_DIR, "tests", "data", "imagenet_example.csv")
ORDER = ["inference_power_draw", "inference_time", "parameters", "gflops", "fsize", "top1_val", "top5_val"]


class Label(ergtest.TestCase):
    def label_json(self, *args):
        result = erg("label", *args, "--format", "json")
        self.assertEqual(result.returncode, 0, result.stderr)
        return {m["name"]: m for m in json.loads(result.stdout)["models"]}

    def write_csv(self, name, text):
        path = self.path(name)
        with open(path, "w") as f:
            f.write(text)
        return path

    def test_published_example(self):
        models = self.label_json("--metrics", EXAMPLE, "--reference", "ResNet101")
        eff = models["EfficientNetB0"]
        self.assertEqual(eff["label"], "B")
        self.assertEqual([eff["metrics"][m]["rating"] for m in ORDER], ["B", "B", "B", "B", "B", "D", "D"])
        self.assertEqual(models["ResNet101"]["label"], "C")
        for m in ORDER:
            self.assertEqual(models["ResNet101"]["metrics"][m]["index"], 1.0)
            self.assertIn("value", eff["metrics"][m])
        # parameters, gflops and fsize of EfficientNetB0 lie exactly on c1: the worse class, B
        self.assertEqual(eff["metrics"]["parameters"]["index"], 8.38693941043089)
        text = erg("label", "--metrics", EXAMPLE, "--reference", "ResNet101")
        self.assertIn("EfficientNetB0: label B", text.stdout)
        for mode in ["median", "mean", "optimistic-median"]:
            self.assertIn(self.label_json("--metrics", EXAMPLE, "--reference", "ResNet101", "--compound", mode)
                          ["EfficientNetB0"]["label"], "ABCDE")

    def test_missing_and_zero_values(self):
        csv = self.write_csv("m.csv", "name,inference_time,top1_val\nref,2.0,0.5\nfast,0,0.5\nblank,,0.6\nwrong,2.0,0\n")
        models = self.label_json("--metrics", csv, "--reference", "ref")
        self.assertEqual(models["fast"]["metrics"]["inference_time"]["rating"], "A")
        self.assertIsNone(models["fast"]["metrics"]["inference_time"]["index"])  # infinite: no JSON number
        self.assertEqual(models["blank"]["metrics"]["inference_time"]["rating"], "E")
        self.assertIsNone(models["blank"]["metrics"]["inference_time"]["value"])
        self.assertEqual(models["wrong"]["metrics"]["top1_val"]["rating"], "E")

    def test_unknown_metric_is_not_rated(self):
        csv = self.write_csv("u.csv", "name,inference_time,bogus_metric\nref,2.0,1\nm,1.0,2\n")
        result = erg("label", "--metrics", csv, "--reference", "ref", "--format", "json")
        self.assertEqual(result.returncode, 0, result.stderr)
        self.assertIn("bogus_metric", result.stderr)
        m = {x["name"]: x for x in json.loads(result.stdout)["models"]}["m"]
        self.assertEqual(m["unrated"], ["bogus_metric"])
        self.assertNotIn("bogus_metric", m["metrics"])

    def test_bad_input(self):
        no_ref_value = self.write_csv("r.csv", "name,inference_time,top1_val\nref,,0.5\nm,1.0,0.6\n")
        result = erg("label", "--metrics", no_ref_value, "--reference", "ref")
        self.assertUsageError(result, "reference lacks a metric")
        self.assertIn("inference_time", result.stderr)
        self.assertUsageError(erg("label", "--metrics", EXAMPLE, "--reference", "VGG16"), "unknown reference")
        self.assertUsageError(erg("label", "--metrics", EXAMPLE), "no reference")
        self.assertUsageError(erg("label", "--reference", "x"), "nothing to label")
        self.assertUsageError(erg("label", "--metrics", self.write_csv("a.csv", "model,x\na,1\n"), "--reference", "a"),
                              "no name column")
        self.assertUsageError(erg("label", "--metrics", self.write_csv("b.csv", "name,x\na,fast\n"), "--reference", "a"),
                              "not a number")
        self.assertUsageError(erg("label", "--metrics", self.write_csv("c.csv", "name,x\na,1,2\n"), "--reference", "a"),
                              "too many cells")
        self.assertUsageError(erg("label", "--metrics", self.write_csv("d.csv", "name,x\na,nan\n"), "--reference", "a"),
                              "NaN")
        self.assertUsageError(erg("label", "--metrics", self.path("missing.csv"), "--reference", "a"), "missing file")
        self.assertUsageError(erg("label", "--metrics", EXAMPLE, "--reference", "ResNet101", "--compound", "avg"),
                              "unknown compound mode")
        self.assertUsageError(erg("label", "--metrics", EXAMPLE, "--reference", "ResNet101", "--boundaries",
                                  self.write_csv("bad.json", "{not json")), "malformed boundaries")
        self.assertUsageError(erg("label", "--metrics", EXAMPLE, "--reference", "ResNet101", "--weights",
                                  self.write_csv("w.json", '{"fsize": -1}')), "negative weight")

    def test_quantile_boundaries(self):
        csv = self.write_csv("q.csv", "name,inference_time\n" + "".join(f"m{i},{i}\n" for i in range(1, 11)))
        models = self.label_json("--metrics", csv, "--reference", "m5", "--boundaries", "quantiles")
        self.assertEqual(models["m1"]["label"], "A")   # the fastest
        self.assertEqual(models["m10"]["label"], "E")  # the slowest
        self.assertEqual(sorted({m["label"] for m in models.values()}), ["A", "B", "C", "D", "E"])

    def test_svg_label(self):
        svg = self.path("label.svg")
        result = erg("label", "--metrics", EXAMPLE, "--reference", "ResNet101", "--format", "svg", "-o", svg)
        self.assertEqual(result.returncode, 0, result.stderr)
        root = ElementTree.parse(svg).getroot()
        self.assertTrue(root.tag.endswith("svg"))
        text = open(svg).read()
        self.assertIn("EfficientNetB0", text)
        self.assertIn(">B</text>", text)
        self.assertNotIn("http://", text.replace("http://www.w3.org/2000/svg", ""))

    def test_jobs_from_traces_and_summaries(self):
        traces = []
        for name, seconds in [("slow", "0.6"), ("quick", "0.3")]:
            out = self.path(f"{name}.h5")
            env = {"ERG_OUT": out, "ERG_INTERVAL": "0.05", "ERG_POWERCAP_ROOT": "/nonexistent"}
            result = run([*MPIRUN, "-np", "2", "-x", "ERG_OUT", "-x", "ERG_INTERVAL", "-x", "ERG_POWERCAP_ROOT",
                          os.environ["ERG_EXAMPLE_TRAINING"], seconds], env=env)
            self.assertEqual(result.returncode, 0, result.stderr)
            traces.append(out)
        models = self.label_json(traces[0], self.path("quick.json"), "--reference", traces[0],
                                 "--boundaries", "quantiles")
        self.assertEqual(set(models), {"slow", "quick"})
        for metric in ["inference_power_draw", "inference_time", "train_power_draw", "train_time", "co2e_g",
                       "power_draw_w", "accuracy"]:
            self.assertIn(metric, models["quick"]["metrics"])
        self.assertEqual(models["slow"]["metrics"]["inference_time"]["index"], 1.0)
        # With the framework's ImageNet cut points the erg-specific metrics are not rated.
        imagenet = self.label_json(*traces, "--reference", "slow")
        self.assertIn("co2e_g", imagenet["quick"]["unrated"])
        self.assertIn("inference_power_draw", imagenet["quick"]["metrics"])

        html = self.path("report.html")
        result = erg("report", traces[1], "--format", "html", "--reference", traces[0], "-o", html)
        self.assertEqual(result.returncode, 0, result.stderr)
        text = open(html).read()
        self.assertIn("Efficiency label", text)
        self.assertIn("erg efficiency label", text)


if __name__ == "__main__":
    ergtest.main()
