#!/usr/bin/python3
"""Issue 14: what a job's user can write is hostile input to root's erg. Each case is an
attack that once broke erg (a crash, unbounded time or memory, an unreadable or wrong trace,
raw control characters on a terminal); each must now fail cleanly, with a note in the trace
where something was refused, and never cost the job its trace."""
import json
import os
import subprocess
import sys
import time

import ergtest
from ergtest import erg, open_trace, report_json
from test_bad_input import spool_bytes

START_UNIX_S = 1.7e9


def marks(**change):
    """An agent's marks (docs/spool-format.md) on the spool's time base, as a dict."""
    m = {"format": "erg-marks", "start_unix_s": START_UNIX_S, "n_ranks": 2,
         "phases": [{"name": "train", "kind": "train", "start_s": 0.1, "end_s": 0.3, "items": 10}],
         "metrics": [{"name": "accuracy", "value": 0.9, "higher_is_better": True}], "notes": []}
    m.update(change)
    return m


class Marks(ergtest.TestCase):
    """erg collect (root, on the controller) reading the marks/ a job's user may write."""

    def collect(self, marks_files, env=None):
        root = self.path("spool")
        os.makedirs(os.path.join(root, "J", "marks"), exist_ok=True)
        os.chmod(root, 0o755)
        with open(os.path.join(root, "J", "n1.spool"), "wb") as f:
            f.write(spool_bytes())
        for name, content in marks_files.items():
            with open(os.path.join(root, "J", "marks", name), "wb") as f:
                f.write(content if isinstance(content, bytes) else json.dumps(content).encode())
        out = self.path("t.h5")
        start = time.monotonic()
        result = erg("collect", "--job", "J", "--spool", root, "-o", out, "-q", env=env)
        took_s = time.monotonic() - start
        self.assertEqual(result.returncode, 0, result.stderr)
        self.assertNotIn("terminate", result.stderr)
        return report_json(out), took_s

    def test_marks_nested_150000_levels_deep(self):
        report, _ = self.collect({"agent-1.json": b"[" * 150000 + b"]" * 150000})
        self.assertTrue(any("nested deeper" in n for n in report["notes"]), report["notes"])
        self.assertGreater(report["energy"]["it_j"], 0)

    def test_ten_large_marks_files_are_refused_quickly(self):
        big = json.dumps(marks(phases=[{"name": "p" * 200, "kind": "train", "start_s": 0.1, "end_s": 0.2,
                                        "items": 1}] * 40000)).encode()
        self.assertGreater(len(big), 9_000_000)
        report, took_s = self.collect({f"agent-{i}.json": big for i in range(10)})
        self.assertLess(took_s, 5.0)
        self.assertEqual(sum("at most" in n for n in report["notes"]), 10, report["notes"])

    def test_too_many_marks_files(self):
        report, _ = self.collect({f"agent-{i}.json": marks(phases=[]) for i in range(70)})
        self.assertEqual(sum("at most 64 marks files" in n for n in report["notes"]), 6, report["notes"])

    def test_numbers_out_of_range(self):
        cases = {
            "agent-1.json": marks(start_unix_s=1.7e308),
            "agent-2.json": marks(n_ranks=2147483647),
        }
        report, _ = self.collect(cases)
        self.assertEqual(sum("out of range" in n for n in report["notes"]), 2, report["notes"])
        self.assertLess(report["duration_s"], 10)
        self.assertEqual(report["phases"], [])

    def test_phases_outside_the_job_and_huge_item_counts(self):
        report, _ = self.collect({"agent-1.json": marks(phases=[
            {"name": "wide", "kind": "train", "start_s": -1e9, "end_s": 1e9, "items": 5},
            {"name": "later", "kind": "train", "start_s": 1e8, "end_s": 1e9, "items": 5},
            {"name": "many", "kind": "train", "start_s": 0.1, "end_s": 0.2, "items": 2**64 - 1}])})
        phases = {p["name"]: p for p in report["phases"]}
        self.assertEqual(sorted(phases), ["wide"])
        self.assertLessEqual(phases["wide"]["duration_s"], report["duration_s"] + 1e-9)
        notes = " ".join(report["notes"])
        self.assertIn("'wide' reached outside the job's time; cut", notes)
        self.assertIn("'later' lies outside the job's time; left out", notes)
        self.assertIn("items is out of range", notes)

    def test_text_that_is_not_utf8_and_control_characters(self):
        # Marks must be JSON (UTF-8): a file that is not is refused with a note. Names with
        # terminal escapes reach the trace as text and the terminal escaped.
        report, _ = self.collect({
            "agent-1.json": b'{"format": "erg-marks", "phases": ["\xff\xfe"]}',
            "agent-2.json": marks(phases=[{"name": "\x1b]0;owned\x07\x1b[31mred", "kind": "train",
                                           "start_s": 0.1, "end_s": 0.3, "items": 1}])})
        self.assertTrue(any("agent-1.json ignored" in n for n in report["notes"]), report["notes"])
        self.assertEqual([p["name"] for p in report["phases"]], ["\x1b]0;owned\x07\x1b[31mred"])
        text = erg("report", self.path("t.h5"))
        self.assertEqual(text.returncode, 0, text.stderr)
        self.assertNotIn("\x1b", text.stdout)
        self.assertNotIn("\x07", text.stdout)
        self.assertIn("\\x1B[31mred", text.stdout)


class JobText(ergtest.TestCase):
    """Text that reaches erg from the job's environment or command line."""

    def test_job_name_and_command_that_are_not_utf8(self):
        out = self.path("t.h5")
        env = dict(os.environb)
        env[b"ERG_CONFIG"] = b"/dev/null"
        # The command's name becomes the job's name: here invalid UTF-8 and a screen-clearing escape.
        link = os.path.join(os.fsencode(self.tmp), b"\xff\x1b[2J")
        os.symlink(b"/bin/true", link)
        command = [ergtest.ERG.encode(), b"run", b"--interval", b"0.05", b"--out", out.encode(), b"--", link]
        result = subprocess.run(command, env=env, capture_output=True, timeout=60)
        self.assertEqual(result.returncode, 0, result.stderr)
        self.assertNotIn(b"\x1b[2J", result.stderr)
        with open(out[:-3] + ".json", "rb") as f:
            summary = json.loads(f.read().decode("utf-8"))  # valid UTF-8, or this raises
        self.assertIn("\ufffd", summary["job"]["job_name"] if "job" in summary else json.dumps(summary))
        with open_trace(out) as f:
            self.assertIn("\ufffd", f.attrs["job_name"])


if __name__ == "__main__":
    ergtest.main()
