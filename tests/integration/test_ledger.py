"""The site ledger (docs/ledger.md): erg ledger add records real traces of erg run, erg ledger
report sums them exactly as their trace.json files say, adding again changes nothing, bad input
leaves the ledger byte for byte as it was, many writers at once, the privacy of a report run by
a user, and erg collect --ledger-add as the slurmctld epilog runs it."""
import csv
import hashlib
import io
import json
import os
import shutil
import subprocess
import tempfile

import ergtest
from ergtest import ERG, erg

TRACE_DIR = None
# user, account, partition of the four jobs; carol's job has no account. ergtest is the
# unprivileged account of the privacy test (ergtest.unprivileged_user).
JOBS = [("alice", "physics", "batch"), ("alice", "chem", "gpu"), ("bob", "physics", "batch"), ("ergtest", "", "batch")]


def setUpModule():
    """Four jobs of erg run, their identity from Slurm's variables as job_metadata reads them."""
    global TRACE_DIR
    TRACE_DIR = tempfile.mkdtemp(prefix="erg-ledger-")
    os.chmod(TRACE_DIR, 0o755)
    busy = "import time\nend = time.time() + 0.4\nwhile time.time() < end: pass"
    for i, (user, account, partition) in enumerate(JOBS):
        env = {"ERG_POWERCAP_ROOT": "/nonexistent", "SLURM_JOB_USER": user, "SLURM_JOB_ACCOUNT": account,
               "SLURM_JOB_PARTITION": partition, "ERG_PUE": "1.3", "ERG_EMISSION_FACTOR": "300"}
        result = erg("run", "--interval", "0.1", "--out", trace(i), "--", "/usr/bin/python3", "-c", busy, env=env)
        assert result.returncode == 0, result.stderr


def tearDownModule():
    shutil.rmtree(TRACE_DIR, ignore_errors=True)


def trace(i, suffix=".h5"):
    return os.path.join(TRACE_DIR, f"job{i}{suffix}")


def summary(i):
    with open(trace(i, ".json")) as f:
        return json.load(f)


def digest(path):
    with open(path, "rb") as f:
        return hashlib.sha256(f.read()).hexdigest()


class Ledger(ergtest.TestCase):
    def setUp(self):
        super().setUp()
        os.chmod(self.tmp, 0o755)
        self.url = "sqlite:" + self.path("ledger.sqlite")

    def ledger(self, *args):
        return erg("ledger", *args, "--ledger", self.url)

    def report(self, *args):
        result = self.ledger("report", "--format", "json", *args)
        self.assertEqual(result.returncode, 0, result.stderr)
        return json.loads(result.stdout)

    def add_all(self):
        result = self.ledger("add", *[trace(i) for i in range(len(JOBS))])
        self.assertEqual(result.returncode, 0, result.stderr)
        self.assertEqual(len(result.stdout.splitlines()), len(JOBS))

    def assertClose(self, a, b, what):
        self.assertAlmostEqual(a, b, delta=1e-9 * max(abs(b), 1e-12), msg=what)

    def test_report_by_user_is_the_sum_of_the_traces(self):
        self.add_all()
        report = self.report("--by", "user")
        groups = {g["key"]["user"]: g for g in report["groups"]}
        self.assertEqual(list(groups), ["alice", "bob", "ergtest"])  # ordered by key
        for user, group in groups.items():
            mine = [summary(i) for i, job in enumerate(JOBS) if job[0] == user]
            self.assertEqual(group["jobs"], len(mine))
            self.assertClose(group["it_kwh"], sum(s["energy"]["it_j"] for s in mine) / 3.6e6, user)
            self.assertClose(group["facility_kwh"], sum(s["energy"]["facility_j"] for s in mine) / 3.6e6, user)
            self.assertClose(group["co2e_kg"], sum(s["co2e_g"] for s in mine) / 1000, user)
            self.assertClose(group["node_hours"], sum(s["job"]["n_nodes"] * s["duration_s"] for s in mine) / 3600, user)
            self.assertEqual(group["embodied_co2e_kg"], 0)
            # No powercap here: the CPU's energy comes from the model, and says so.
            self.assertClose(group["estimated_it_kwh"], group["it_kwh"], user)
            self.assertGreater(group["it_kwh"], 0)
        everything = [summary(i) for i in range(len(JOBS))]
        self.assertEqual(report["total"]["jobs"], 4)
        self.assertClose(report["total"]["it_kwh"], sum(s["energy"]["it_j"] for s in everything) / 3.6e6, "total")
        self.assertClose(report["total"]["facility_kwh"], 1.3 * report["total"]["it_kwh"], "PUE")

        by_account = self.report("--by", "account,partition")
        keys = [g["key"] for g in by_account["groups"]]
        self.assertEqual(keys, [{"account": "", "partition": "batch"}, {"account": "chem", "partition": "gpu"},
                                {"account": "physics", "partition": "batch"}])
        self.assertEqual([g["jobs"] for g in by_account["groups"]], [1, 1, 2])
        today = everything[0]["job"]["start_utc"][:10]
        by_day = self.report("--by", "day", "--by", "job", "--account", "physics", "--since", today, "--until", today)
        self.assertEqual(len(by_day["groups"]), 2)
        self.assertEqual(by_day["groups"][0]["key"]["day"], today)
        self.assertEqual(by_day["groups"][0]["key"]["cluster"], "local")
        self.assertEqual(self.report("--until", "2000-01-01")["total"]["jobs"], 0)
        by_month = self.report("--by", "user", "--by", "month", "--user", "alice")
        self.assertEqual([(g["key"]["user"], g["key"]["month"], g["jobs"]) for g in by_month["groups"]],
                         [("alice", today[:7], 2)])

    def test_adding_again_changes_nothing(self):
        self.add_all()
        before = self.report("--by", "job")
        self.add_all()
        self.assertEqual(self.report("--by", "job"), before)
        # The JSON summaries are the same jobs with the same figures: still four rows.
        result = self.ledger("add", *[trace(i, ".json") for i in range(len(JOBS))])
        self.assertEqual(result.returncode, 0, result.stderr)
        self.assertEqual(self.report("--by", "job"), before)

    def test_bad_input_is_one_line_and_leaves_the_ledger_alone(self):
        self.add_all()
        ledger = self.path("ledger.sqlite")
        before = digest(ledger)
        not_a_trace = self.path("notes.h5")
        with open(not_a_trace, "w") as f:
            f.write("not a trace\n")
        bad_json = self.path("bad.json")
        with open(bad_json, "w") as f:
            json.dump({"job": {"job_id": "x"}}, f)
        other = trace(0).replace("job0", "elsewhere")  # a trace of a job not yet in the ledger
        shutil.copy(trace(0), other)
        cases = {
            "not a trace among good ones": ("add", trace(1), not_a_trace),
            "a JSON that is no summary": ("add", bad_json),
            "a missing trace": ("add", self.path("missing.h5")),
            "no trace": ("add",),
            "a date that is not one": ("report", "--since", "2026-02-30"),
            "a date in another form": ("report", "--until", "03/12/2026"),
            "since after until": ("report", "--since", "2026-12-02", "--until", "2026-12-01"),
            "an unknown grouping": ("report", "--by", "week"),
            "an unknown format": ("report", "--format", "xml"),
            "an unknown subcommand": ("remove", trace(0)),
        }
        for name, args in cases.items():
            with self.subTest(name):
                self.assertUsageError(self.ledger(*args), name)
                self.assertEqual(digest(ledger), before, name)
        self.assertUsageError(erg("ledger"), "no subcommand")
        for name, url in {"a folder that does not exist": "sqlite:/nonexistent/erg/ledger.sqlite",
                          "PostgreSQL, not yet": "postgresql://db.example/erg",
                          "another scheme": "mysql://db/erg",
                          "a file that is not a ledger": "sqlite:" + not_a_trace}.items():
            with self.subTest(name):
                self.assertUsageError(erg("ledger", "add", other, "--ledger", url), name)
                self.assertUsageError(erg("ledger", "report", "--ledger", url), name)
        self.assertUsageError(erg("ledger", "report", "--ledger", "sqlite:" + self.path("none.sqlite")), "missing")
        self.assertFalse(os.path.exists(self.path("none.sqlite")), "a report creates no ledger")
        self.assertEqual(digest(ledger), before)
        # The environment and the site file name the ledger too.
        env_report = erg("ledger", "report", "--format", "json", env={"ERG_LEDGER": self.url})
        self.assertEqual(env_report.returncode, 0, env_report.stderr)
        self.assertEqual(json.loads(env_report.stdout)["total"]["jobs"], 4)
        site = self.path("erg.conf")
        with open(site, "w") as f:
            f.write(f"ledger = {self.url}\n")
        site_report = erg("ledger", "report", "--format", "json", env={"ERG_CONFIG": site})
        self.assertEqual(json.loads(site_report.stdout)["total"]["jobs"], 4)

    def test_text_csv_and_html(self):
        self.add_all()
        text = self.ledger("report", "--by", "user")
        self.assertEqual(text.returncode, 0, text.stderr)
        lines = text.stdout.splitlines()
        self.assertRegex(lines[0], r"^user +jobs +node-hours +IT energy +facility energy +CO2e +estimated IT$")
        self.assertTrue(lines[-1].startswith("total"))
        self.assertNotRegex(text.stdout, r"\de[+-]\d")  # the number formatter: no exponents
        self.assertRegex(text.stdout, r"Wh")
        widths = {len(l) for l in lines if not l.startswith("-")}
        self.assertEqual(len(widths), 1, "the columns line up")

        rows = list(csv.reader(io.StringIO(self.report_text("csv", "--by", "account"))))
        self.assertEqual(rows[0][:3], ["account", "jobs", "node_hours"])
        self.assertEqual([r[0] for r in rows[1:]], ["", "chem", "physics", "total"])
        self.assertEqual(int(rows[-1][1]), 4)
        self.assertAlmostEqual(float(rows[-1][3]), self.report()["total"]["it_kwh"], delta=1e-15)

        out = self.path("ledger.html")
        result = self.ledger("report", "--by", "user", "--format", "html", "-o", out)
        self.assertEqual(result.returncode, 0, result.stderr)
        with open(out) as f:
            html = f.read()
        self.assertTrue(html.startswith("<!DOCTYPE html>"))
        self.assertEqual(html.count("<svg"), 3)  # a chart per user
        for outside in ("<script", "<link", "src=", "@import", "url("):
            self.assertNotIn(outside, html)
        self.assertIn("bob", html)

    def report_text(self, fmt, *args):
        result = self.ledger("report", "--format", fmt, *args)
        self.assertEqual(result.returncode, 0, result.stderr)
        return result.stdout

    def test_many_writers_at_once(self):
        """The slurmctld epilogs of jobs that end together: every add is kept."""
        base = summary(0)
        paths = []
        for n in range(12):
            base["job"]["job_id"] = f"many-{n}"
            path = self.path(f"many-{n}.json")
            with open(path, "w") as f:
                json.dump(base, f)
            paths.append(path)
        writers = [subprocess.Popen([ERG, "ledger", "add", p, "--ledger", self.url], stdout=subprocess.DEVNULL,
                                    stderr=subprocess.PIPE, text=True) for p in paths]
        for w in writers:
            _, stderr = w.communicate(timeout=120)
            self.assertEqual(w.returncode, 0, stderr)
        self.assertEqual(self.report()["total"]["jobs"], 12)
        self.assertEqual(oct(os.stat(self.path("ledger.sqlite")).st_mode & 0o777), "0o640")

    def test_a_user_sees_only_their_own_jobs(self):
        if ergtest.unprivileged_user() is None:
            self.skipTest("needs root to act as another user")
        self.add_all()
        ledger = self.path("ledger.sqlite")
        for suffix in ("", "-wal", "-shm"):
            if os.path.exists(ledger + suffix):
                os.chmod(ledger + suffix, 0o644)  # a site that lets its users read the ledger
        result = ergtest.as_user("ergtest", ERG, "ledger", "report", "--by", "user", "--format", "json",
                                 "--ledger", self.url)
        self.assertEqual(result.returncode, 0, result.stderr)
        report = json.loads(result.stdout)
        self.assertEqual([g["key"]["user"] for g in report["groups"]], ["ergtest"])
        self.assertEqual(report["total"]["jobs"], 1)
        self.assertUsageError(ergtest.as_user("ergtest", ERG, "ledger", "report", "--user", "alice",
                                              "--ledger", self.url), "another user's jobs")
        before = digest(ledger)
        self.assertUsageError(ergtest.as_user("ergtest", ERG, "ledger", "add", trace(0), "--ledger", self.url),
                              "a user cannot write the ledger")
        self.assertEqual(digest(ledger), before)
        for suffix in ("", "-wal", "-shm"):
            if os.path.exists(ledger + suffix):
                os.chmod(ledger + suffix, 0o640)  # the default: root only
        self.assertUsageError(ergtest.as_user("ergtest", ERG, "ledger", "report", "--ledger", self.url), "unreadable")

    def test_collect_adds_the_job_as_the_slurmctld_epilog_does(self):
        from test_bad_input import spool_bytes

        root = self.path("spool")
        os.makedirs(os.path.join(root, "77"))
        header = {"format": "erg-spool", "format_version": 1, "node": "n1", "job_id": "77", "start_unix_s": 1.7e9,
                  "interval_s": 0.1, "domains": [{"name": "cpu", "source": "model", "path": ""}]}
        with open(os.path.join(root, "77", "n1.spool"), "wb") as f:
            f.write(spool_bytes(header))
        env = {"SLURM_JOB_ID": "77", "SLURM_JOB_USER": "dora", "SLURM_JOB_ACCOUNT": "bio", "SLURM_CLUSTER_NAME": "hpc1",
               "SLURM_JOB_EXIT_CODE2": "0:9", "ERG_LEDGER": self.url}  # killed by SIGKILL
        result = erg("collect", "--job", "77", "--spool", root, "--ledger-add", "--quiet", env=env)
        self.assertEqual(result.returncode, 0, result.stderr)
        report = self.report("--by", "job", "--by", "account")
        self.assertEqual(report["groups"][0]["key"], {"job": "77", "cluster": "hpc1", "account": "bio"})
        trace_json = json.load(open(os.path.join(root, "77", "trace.json")))
        self.assertClose(report["total"]["it_kwh"], trace_json["energy"]["it_j"] / 3.6e6, "collected")
        import sqlite3  # Python's own SQLite: an independent reader

        with sqlite3.connect(f"file:{self.path('ledger.sqlite')}?mode=ro", uri=True) as db:
            rows = db.execute("SELECT user_name, job_state, exit_code, trace_path FROM jobs").fetchall()
        self.assertEqual(rows, [("dora", "cancelled", 137, f"{root}/77/trace.h5")])


if __name__ == "__main__":
    ergtest.main()
