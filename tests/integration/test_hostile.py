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


class RootPath(ergtest.TestCase):
    """The Slurm path's files, as root, against an ordinary user (docs/security.md)."""

    def setUp(self):
        super().setUp()
        os.chmod(self.tmp, 0o755)
        self.user = ergtest.unprivileged_user()
        if self.user is None:
            self.skipTest("needs root to create the job's user")
        self.uid, self.gid = self.user

    def agent(self, root, job, *extra, env=None):
        return erg("agent", "--job", job, "--spool", root, "--interval", "0.05", "--flush", "0.05", *extra,
                   env=dict(env or {}, ERG_NODE_NAME="n1"), timeout=60)

    def test_a_spool_root_others_can_write_is_refused(self):
        for why, mode, group in [("1777", 0o1777, 0), ("0777", 0o777, 0), ("root:user 0775", 0o775, self.gid),
                                 ("root:user 01775", 0o1775, self.gid)]:
            root = self.path("spool-" + why.replace(" ", "-").replace(":", "-"))
            os.mkdir(root)
            os.chown(root, 0, group)
            os.chmod(root, mode)
            for args in (["agent", "--job", "A", "--spool", root], ["collect", "--job", "A", "--spool", root]):
                result = erg(*args, env={"ERG_NODE_NAME": "n1"})
                self.assertUsageError(result, f"{why}: {args[0]}")
                self.assertIn("refused", result.stderr)
            self.assertFalse(os.path.exists(os.path.join(root, "A")), why)

    def test_a_job_folder_the_user_made_is_not_used(self):
        # In a root that was once world-writable, a user made the job's folder first.
        root = self.path("spool")
        os.mkdir(root, 0o755)
        os.mkdir(os.path.join(root, "B"), 0o755)
        os.chown(os.path.join(root, "B"), self.uid, self.gid)
        self.assertUsageError(self.agent(root, "B"), "agent in a user's job folder")
        self.assertUsageError(erg("collect", "--job", "B", "--spool", root), "collect in a user's job folder")

    def test_links_and_fifos_the_user_plants_are_not_followed(self):
        secret = self.path("secret")
        with open(secret, "w") as f:
            f.write("root only\n")
        os.chmod(secret, 0o600)
        root = self.path("spool")
        os.mkdir(root, 0o755)
        job = subprocess.Popen([ergtest.ERG, "agent", "--job", "C", "--spool", root, "--interval", "0.05",
                                "--flush", "0.05"], env=dict(os.environ, ERG_NODE_NAME="n1",
                                                              SLURM_JOB_UID=str(self.uid), SLURM_JOB_GID=str(self.gid)),
                               stderr=subprocess.PIPE, text=True)
        marks = os.path.join(root, "C", "marks")
        deadline = time.time() + 20
        while not os.path.exists(os.path.join(root, "C", "n1.pid")) and time.time() < deadline:
            time.sleep(0.05)
        # The job's user may write marks/, and plants a link to a root-only file and a FIFO.
        for made in (ergtest.as_user("ergtest", "ln", "-s", secret, os.path.join(marks, "agent-1.json")),
                     ergtest.as_user("ergtest", "mkfifo", os.path.join(marks, "agent-2.json"))):
            self.assertEqual(made.returncode, 0, made.stderr)
        # and an output folder of its own, where the trace will go, with a link in its place.
        out_dir = self.path("user-out")
        os.mkdir(out_dir, 0o755)
        os.chown(out_dir, self.uid, self.gid)
        ergtest.as_user("ergtest", "ln", "-s", secret, os.path.join(out_dir, "t.h5"))
        ergtest.as_user("ergtest", "mkfifo", os.path.join(out_dir, "t.json"))
        self.assertEqual(erg("agent", "--job", "C", "--spool", root, "--stop", env={"ERG_NODE_NAME": "n1"}).returncode, 0)
        job.wait(timeout=30)
        result = erg("collect", "--job", "C", "--spool", root, "-o", os.path.join(out_dir, "t.h5"), "-q", timeout=30)
        self.assertEqual(result.returncode, 0, result.stderr)
        with open(secret) as f:
            self.assertEqual(f.read(), "root only\n")
        self.assertEqual(os.stat(secret).st_mode & 0o777, 0o600)
        self.assertFalse(os.path.islink(os.path.join(out_dir, "t.h5")))
        report = report_json(os.path.join(out_dir, "t.h5"))
        notes = " ".join(report["notes"])
        self.assertIn("agent-1.json ignored", notes)
        self.assertIn("agent-2.json ignored", notes)
        # The trace in the job's folder: root's and the job group's, through the descriptor.
        result = erg("collect", "--job", "C", "--spool", root, "-q", timeout=30)
        self.assertEqual(result.returncode, 0, result.stderr)
        st = os.stat(os.path.join(root, "C", "trace.h5"))
        self.assertEqual((st.st_uid, st.st_gid, st.st_mode & 0o777), (0, self.gid, 0o640))

    def start_daemon(self, root, job):
        """A node daemon of job on n1, once its pid file is written: (process, pid file)."""
        daemon = subprocess.Popen([ergtest.ERG, "agent", "--job", job, "--spool", root, "--interval", "0.05"],
                                  env=dict(os.environ, ERG_NODE_NAME="n1"), stderr=subprocess.DEVNULL)
        pid_file = os.path.join(root, job, "n1.pid")
        deadline = time.time() + 20
        while not os.path.exists(pid_file) and time.time() < deadline:
            time.sleep(0.05)
        return daemon, pid_file

    def test_stop_never_signals_a_reused_pid(self):
        root = self.path("spool")
        os.mkdir(root, 0o755)
        daemon, pid_file = self.start_daemon(root, "D")
        with open(pid_file) as f:
            recorded_pid, start_ticks = f.read().split()
        self.assertEqual(int(recorded_pid), daemon.pid)
        # The daemon is killed hard; its pid now belongs to an unrelated root process.
        daemon.kill()
        daemon.wait()
        bystander = subprocess.Popen(["sleep", "30"])
        self.addCleanup(bystander.kill)
        with open(pid_file, "w") as f:
            f.write(f"{bystander.pid} {start_ticks}\n")
        result = erg("agent", "--job", "D", "--spool", root, "--stop", env={"ERG_NODE_NAME": "n1"})
        self.assertEqual(result.returncode, 0, result.stderr)
        time.sleep(0.2)
        self.assertIsNone(bystander.poll(), "an unrelated process was signalled")
        # A live daemon whose pid file names another process: not signalled either.
        daemon, pid_file = self.start_daemon(root, "E")
        with open(pid_file, "w") as f:
            f.write(f"{bystander.pid} 1\n")
        result = erg("agent", "--job", "E", "--spool", root, "--stop", env={"ERG_NODE_NAME": "n1"})
        self.assertIn("no longer the daemon", result.stderr)
        self.assertIsNone(bystander.poll(), "an unrelated process was signalled")
        daemon.terminate()
        daemon.wait(timeout=30)

    def test_another_users_process_with_the_job_id_is_not_charged(self):
        root = self.path("spool")
        os.mkdir(root, 0o755)
        busy = "i=0; while [ $i -lt 100000000 ]; do i=$((i+1)); done"
        # A process of another user that sets the job's id in its environment: 100 % of a CPU.
        intruder = subprocess.Popen(["runuser", "-u", "ergtest", "--", "env", "SLURM_JOB_ID=F",
                                     "SLURMD_NODENAME=n1", "sh", "-c", busy], start_new_session=True,
                                    stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        self.addCleanup(lambda: (os.killpg(intruder.pid, 9), intruder.wait()))
        daemon = subprocess.Popen([ergtest.ERG, "agent", "--job", "F", "--spool", root, "--interval", "0.1"],
                                  env=dict(os.environ, ERG_NODE_NAME="n1", ERG_POWERCAP_ROOT="/nonexistent",
                                           SLURM_JOB_UID="0"), stderr=subprocess.DEVNULL)
        time.sleep(2.5)
        erg("agent", "--job", "F", "--spool", root, "--stop", env={"ERG_NODE_NAME": "n1"})
        daemon.wait(timeout=30)
        result = erg("collect", "--job", "F", "--spool", root, "-o", self.path("f.h5"), "-q")
        self.assertEqual(result.returncode, 0, result.stderr)
        report = report_json(self.path("f.h5"))
        self.assertLess(report["energy"]["by_domain"]["cpu"], 1.0, "the intruder's busy loop was charged")


class SameTrace(ergtest.TestCase):
    def test_a_second_run_on_a_trace_a_running_job_writes_is_refused(self):
        out = self.path("t.h5")
        first = subprocess.Popen([ergtest.ERG, "run", "--interval", "0.05", "--out", out, "--", "sleep", "3"],
                                 env=dict(os.environ, ERG_CONFIG="/dev/null"), stderr=subprocess.PIPE, text=True)
        deadline = time.time() + 20
        while not os.path.exists(self.path("t.spool")) and time.time() < deadline:
            time.sleep(0.05)
        time.sleep(0.3)
        marker = self.path("ran")
        second = erg("run", "--out", out, "--", "touch", marker)
        self.assertUsageError(second, "second run")
        self.assertIn(f"pid {first.pid}", second.stderr)
        self.assertFalse(os.path.exists(marker))
        _, stderr = first.communicate(timeout=60)
        self.assertEqual(first.returncode, 0, stderr)
        self.assertGreater(report_json(out)["duration_s"], 2.5)


if __name__ == "__main__":
    ergtest.main()
