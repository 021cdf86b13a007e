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
import time
import unittest

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


def add_at_once(test, url, jobs):
    """As the epilogs of jobs that end together: one `erg ledger add` per job, all started at
    once. Each must succeed; returns their stderr."""
    base = summary(0)
    paths = []
    for n in range(jobs):
        base["job"]["job_id"] = f"many-{n}"
        path = test.path(f"many-{n}.json")
        with open(path, "w") as f:
            json.dump(base, f)
        paths.append(path)
    writers = [subprocess.Popen([ERG, "ledger", "add", p, "--ledger", url], stdout=subprocess.DEVNULL,
                                stderr=subprocess.PIPE, text=True) for p in paths]
    errors = []
    for w in writers:
        _, stderr = w.communicate(timeout=120)
        test.assertEqual(w.returncode, 0, stderr)
        errors.append(stderr)
    return errors


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
            self.assertClose(group["operational_co2e_kg"], sum(s["co2e_g"] for s in mine) / 1000, user)
            self.assertClose(group["node_hours"], sum(s["job"]["n_nodes"] * s["duration_s"] for s in mine) / 3600, user)
            self.assertClose(group["embodied_co2e_kg"], sum(s["carbon"]["embodied_co2e_g"] for s in mine) / 1000, user)
            self.assertGreater(group["embodied_co2e_kg"], 0)
            self.assertClose(group["co2e_kg"], sum(s["carbon"]["total_co2e_g"] for s in mine) / 1000, user)
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
        # The same job from another trace (a copy, one its user made) is refused without --replace.
        copy = self.path("copy.h5")
        shutil.copy(trace(0), copy)
        ledger = self.path("ledger.sqlite")
        unchanged = digest(ledger)
        self.assertUsageError(self.ledger("add", copy), "another trace of a recorded job")
        self.assertEqual(digest(ledger), unchanged)
        result = self.ledger("add", "--replace", copy)
        self.assertEqual(result.returncode, 0, result.stderr)
        import sqlite3

        with sqlite3.connect(f"file:{ledger}?mode=ro", uri=True) as db:
            paths = [row[0] for row in db.execute("SELECT trace_path FROM jobs")]
        self.assertIn(copy, paths)
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
                          "a PostgreSQL server that is not there": "postgresql:///erg?host=/nonexistent&connect_timeout=2",
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
        for stderr in add_at_once(self, self.url, 12):
            self.assertEqual(stderr, "")
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


    def test_spool_retention_removes_only_old_folders_whose_traces_are_in_the_ledger(self):
        from test_bad_input import spool_bytes

        root = self.path("spool")
        os.makedirs(root)
        outside = self.path("precious.txt")  # what a link planted in a job's marks/ points to
        with open(outside, "w") as f:
            f.write("keep me\n")
        three_days_ago = time.time() - 3 * 86400

        def job_folder(job, in_ledger, old):
            folder = os.path.join(root, job)
            os.makedirs(os.path.join(folder, "marks"))
            os.symlink(outside, os.path.join(folder, "marks", "link"))
            shutil.copy(trace(0), os.path.join(folder, "trace.h5"))
            with open(os.path.join(folder, "trace.json"), "w") as f:
                s = summary(0)
                s["job"]["job_id"] = job
                json.dump(s, f)
            if in_ledger:
                added = self.ledger("add", "--cluster", "hpc1", os.path.join(folder, "trace.json"))
                self.assertEqual(added.returncode, 0, added.stderr)
            if old:
                for path in (os.path.join(folder, "marks"), os.path.join(folder, "trace.h5"),
                             os.path.join(folder, "trace.json"), folder):
                    os.utime(path, (three_days_ago, three_days_ago))
            return folder

        old_recorded = job_folder("10", in_ledger=True, old=True)
        old_unrecorded = job_folder("11", in_ledger=False, old=True)
        new_recorded = job_folder("12", in_ledger=True, old=False)
        os.makedirs(os.path.join(root, "77"))
        header = {"format": "erg-spool", "format_version": 1, "node": "n1", "job_id": "77", "start_unix_s": 1.7e9,
                  "interval_s": 0.1, "domains": [{"name": "cpu", "source": "model", "path": ""}]}
        with open(os.path.join(root, "77", "n1.spool"), "wb") as f:
            f.write(spool_bytes(header))
        env = {"SLURM_JOB_ID": "77", "SLURM_JOB_USER": "dora", "SLURM_CLUSTER_NAME": "hpc1", "ERG_LEDGER": self.url,
               "ERG_SPOOL_KEEP_DAYS": "2"}
        result = erg("collect", "--job", "77", "--spool", root, "--ledger-add", "--quiet", env=env)
        self.assertEqual(result.returncode, 0, result.stderr)
        self.assertIn("removed 1 job folder(s) older than 2 days", result.stderr)
        self.assertFalse(os.path.exists(old_recorded))
        self.assertTrue(os.path.exists(os.path.join(old_unrecorded, "trace.h5")), "not in the ledger: kept")
        self.assertTrue(os.path.exists(os.path.join(new_recorded, "trace.h5")), "recent: kept")
        self.assertTrue(os.path.exists(os.path.join(root, "77", "trace.h5")), "the job just collected")
        with open(outside) as f:
            self.assertEqual(f.read(), "keep me\n", "the link was removed, not followed")
        # The rows stay: the ledger keeps every job forever.
        self.assertEqual(self.report("--by", "job")["total"]["jobs"], 3)
        self.assertUsageError(erg("collect", "--job", "77", "--spool", root, "--spool-keep-days", "-1"), "negative")


class PostgresLedger(ergtest.TestCase):
    """The same ledger in a real PostgreSQL server (postgres_server.py): the same reports, group
    by group, as SQLite's."""

    @classmethod
    def setUpClass(cls):
        import postgres_server

        if postgres_server.server_programs() is None:
            raise unittest.SkipTest("PostgreSQL's server is not installed (Debian package postgresql)")
        cls.server = postgres_server.PostgresServer()

    @classmethod
    def tearDownClass(cls):
        cls.server.stop()

    def setUp(self):
        super().setUp()
        self.server.psql("DROP TABLE IF EXISTS jobs, job_domains, schema_version")
        self.sqlite = "sqlite:" + self.path("ledger.sqlite")

    def report(self, url, *args):
        result = erg("ledger", "report", "--format", "json", "--ledger", url, *args)
        self.assertEqual(result.returncode, 0, result.stderr + self.server.log())
        return json.loads(result.stdout)

    def add(self, url, *paths):
        result = erg("ledger", "add", *paths, "--ledger", url)
        self.assertEqual(result.returncode, 0, result.stderr + self.server.log())

    def assertSameReport(self, a, b, what):
        """Keys and job counts exactly; sums to the last bits (the two databases may add in
        another order)."""
        self.assertEqual([g["key"] for g in a["groups"]], [g["key"] for g in b["groups"]], what)
        for group_a, group_b in zip(a["groups"] + [a["total"]], b["groups"] + [b["total"]]):
            self.assertEqual(group_a.keys(), group_b.keys(), what)
            for name, value in group_a.items():
                if isinstance(value, float):
                    self.assertAlmostEqual(value, group_b[name], delta=1e-12 * max(abs(value), 1e-12), msg=f"{what} {name}")
                else:
                    self.assertEqual(value, group_b[name], f"{what} {name}")

    def test_the_same_reports_as_sqlite(self):
        traces = [trace(i) for i in range(len(JOBS))]
        self.add(self.sqlite, *traces)
        self.add(self.server.url, *traces)
        today = summary(0)["job"]["start_utc"][:10]
        for by in (["user"], ["account"], ["partition"], ["day"], ["month"], ["job"], ["user", "month"],
                   ["account", "partition", "day"]):
            args = [a for b in by for a in ("--by", b)]
            self.assertSameReport(self.report(self.sqlite, *args), self.report(self.server.url, *args), by)
        for filters in (["--user", "alice"], ["--account", "physics", "--since", today], ["--until", "2000-01-01"]):
            self.assertSameReport(self.report(self.sqlite, "--by", "job", *filters),
                                  self.report(self.server.url, "--by", "job", *filters), filters)
        # Byte order, not the server's collation: "" before "chem", upper case before lower.
        keys = [g["key"]["account"] for g in self.report(self.server.url, "--by", "account")["groups"]]
        self.assertEqual(keys, sorted(keys))
        # Rows as PostgreSQL holds them (psql: an independent reader).
        rows = dict(self.server.psql("SELECT user_name, COUNT(*) FROM jobs GROUP BY user_name"))
        self.assertEqual(rows, {"alice": "2", "bob": "1", "ergtest": "1"})
        domains = self.server.psql("SELECT COUNT(*) FROM job_domains")
        self.assertGreater(int(domains[0][0]), 0)

    def test_adding_again_changes_nothing(self):
        traces = [trace(i) for i in range(len(JOBS))]
        self.add(self.server.url, *traces)
        before = self.server.psql("SELECT * FROM jobs ORDER BY job_id")
        self.add(self.server.url, *traces)
        self.add(self.server.url, *[trace(i, ".json") for i in range(len(JOBS))])
        self.assertEqual(self.server.psql("SELECT * FROM jobs ORDER BY job_id"), before)
        self.assertEqual(self.server.psql("SELECT MAX(version) FROM schema_version"), [("3",)])

    def test_many_writers_at_once(self):
        # Into an empty database: the first adds also race to create the tables.
        for stderr in add_at_once(self, self.server.url, 8):
            self.assertEqual(stderr, "")  # no server notices on erg's stderr
        self.assertEqual(self.report(self.server.url)["total"]["jobs"], 8)

    def test_bad_input_leaves_the_ledger_alone(self):
        self.add(self.server.url, trace(0))
        before = self.server.psql("SELECT * FROM jobs")
        not_a_trace = self.path("notes.h5")
        with open(not_a_trace, "w") as f:
            f.write("not a trace\n")
        self.assertUsageError(erg("ledger", "add", trace(1), not_a_trace, "--ledger", self.server.url), "not a trace")
        self.assertEqual(self.server.psql("SELECT * FROM jobs"), before)
        wrong_db = self.server.url.replace("/erg?", "/nosuchdb?")
        self.assertUsageError(erg("ledger", "add", trace(1), "--ledger", wrong_db), "no such database")
        secret = erg("ledger", "report", "--ledger", self.server.url.replace("/erg?", "/nosuchdb?") + "&password=hunter2")
        self.assertUsageError(secret, "no such database")
        self.assertNotIn("hunter2", secret.stderr)


if __name__ == "__main__":
    ergtest.main()
