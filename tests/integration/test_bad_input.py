"""Bad input to every erg command and every file it reads, table-driven: exit status 2 and
exactly one short, printable line on stderr, and never a crash, a hang, an abort, "terminate
called" or a sanitizer report. erg run runs its command only when its own input is good."""
import collections
import json
import os
import random
import shutil
import stat
import struct
import tempfile
import zlib

import ergtest

TIMEOUT_S = 20  # every call: a hang fails its case instead of blocking the suite
MAX_LINE = 600  # a clear line, not a dump of the input that was refused

# Values that no numeric option takes; "0" is added where zero is out of range too.
BAD_NUMBERS = ["1e308", "1e400", "-1", "nan", "inf", "-inf", "", "abc", "1.5x"]
# The settings every command shares: option -> whether zero is out of range.
SITE_NUMBERS = {"pue": True, "emission-factor": False, "interval": True, "dram-w-per-gb": False}
CRASH_SIGNS = ["terminate called", "Sanitizer", "runtime error:", "Aborted", "core dumped", "HDF5-DIAG",
               "Segmentation fault", "what():"]

# No hardware counters and a fixed node name: the same answers on every machine.
BASE_ENV = {"ERG_POWERCAP_ROOT": "/nonexistent", "ERG_NODE_NAME": "n1"}

COMMANDS = ["sensors", "run", "report", "estimate", "label", "regions", "agent", "collect"]
COUNTS = collections.Counter()  # cases per command, printed at the end
# The sanitizer build runs one case in ERG_TEST_SAMPLE_EVERY (tests/CMakeLists.txt), a
# different third on each line of cases: each erg start costs it a second, and the normal
# build runs them all. The count of cases run is printed at the end.
SAMPLE_EVERY = max(1, int(os.environ.get("ERG_TEST_SAMPLE_EVERY", "1")))
CASE_NUMBER = iter(range(1 << 62))


def bad_numbers(zero_is_bad):
    return BAD_NUMBERS + (["0"] if zero_is_bad else [])


def env_variable(option):
    return "ERG_" + option.upper().replace("-", "_")


def printable(line):
    """No character that breaks a line or is not text: controls, C1 controls, U+2028/2029, and
    the surrogates that stand for bytes that are not UTF-8."""
    return not any(c < " " or "\x7f" <= c <= "\x9f" or c in "\u2028\u2029" or "\udc80" <= c <= "\udcff"
                   for c in line)


def short(text, limit=160):
    text = repr(text)
    return text if len(text) <= limit else text[:limit] + f"... ({len(text)} chars)"


def garbage(size, seed=1):
    """Deterministic binary garbage with every byte value (NUL, CR, form feed, invalid UTF-8)."""
    r = random.Random(seed)
    return bytes(range(256)) + bytes(r.randrange(256) for _ in range(max(0, size - 256)))


def spool_record(record_type, payload):
    """One record of docs/spool-format.md: length:u32le crc:u32le type:u8 payload."""
    crc = zlib.crc32(bytes([record_type]) + payload) & 0xFFFFFFFF
    return struct.pack("<IIB", len(payload), crc, record_type) + payload


def spool_bytes(header=None, samples=None):
    """A complete spool of node n1: header, samples (time_s, cpu energy_j), footer."""
    header = header or {"format": "erg-spool", "format_version": 1, "node": "n1", "job_id": "J",
                        "start_unix_s": 1.7e9, "interval_s": 0.1,
                        "domains": [{"name": "cpu", "source": "model", "path": ""}]}
    width = 1 + len(header.get("domains", []))
    samples = samples if samples is not None else [[0.1 * i] + [5.0 * i] * (width - 1) for i in range(5)]
    flat = [x for row in samples for x in row]
    return (b"ERGSPL1\n" + spool_record(1, json.dumps(header).encode()) +
            spool_record(2, struct.pack("<II", len(samples), width) + struct.pack(f"<{len(flat)}d", *flat)) +
            spool_record(4, json.dumps({"sampler_cpu_s": 0.01, "stopped_by": "Terminated",
                                        "end_unix_s": 1.7e9 + 1}).encode()))


class Fixtures:
    """What the cases share, made once: a real trace, a metrics CSV, cut points, spools."""

    def __init__(self):
        self._tmp = tempfile.TemporaryDirectory(prefix="erg-bad-input-")
        self.dir = self._tmp.name
        self.trace = self.path("good.h5")
        made = ergtest.erg("run", "--interval", "0.05", "--out", self.trace, "--", "sleep", "0.3",
                           env=BASE_ENV, timeout=TIMEOUT_S)
        if made.returncode != 0:
            raise AssertionError(f"erg run could not make the test trace: {made.stderr}")
        # The same trace as erg wrote it before the accounting tables: its samples inside, in
        # /nodes, which a report then reads whole.
        self.old_trace = self.path("old.h5")
        packed = ergtest.erg("collect", "--pack", self.trace, "-o", self.old_trace, env=BASE_ENV, timeout=TIMEOUT_S)
        if packed.returncode != 0:
            raise AssertionError(f"erg collect --pack could not pack the test trace: {packed.stderr}")
        import h5py
        with h5py.File(self.old_trace, "r+") as f:
            del f["accounting"], f["power"]
        self.csv = self.write("metrics.csv", "name,inference_power_draw,top1_val\nref,10,0.7\nm,5,0.6\n")
        self.boundaries = self.write("cuts.json", json.dumps({"power_draw_w": [2, 1.5, 1, 0.5]}))
        # A spool root as an admin makes it (0755), with job J's spool as a node daemon writes it.
        self.spool = self.path("spool")
        os.mkdir(self.spool)
        os.chmod(self.spool, 0o755)
        os.mkdir(os.path.join(self.spool, "J"), 0o750)
        with open(os.path.join(self.spool, "J", "n1.spool"), "wb") as f:
            f.write(spool_bytes())

    def path(self, name):
        return os.path.join(self.dir, name)

    def write(self, name, text):
        with open(self.path(name), "wb" if isinstance(text, bytes) else "w") as f:
            f.write(text)
        return self.path(name)

    def cleanup(self):
        self._tmp.cleanup()


FIXTURES = None


def setUpModule():
    global FIXTURES
    FIXTURES = Fixtures()


def tearDownModule():
    FIXTURES.cleanup()
    print("\nbad-input cases per command: " + ", ".join(f"{c} {n}" for c, n in sorted(COUNTS.items())) +
          f" (total {sum(COUNTS.values())}" + (f", one case in {SAMPLE_EVERY} of a sanitizer build" if SAMPLE_EVERY > 1 else "") + ")")


class BadInputCase(ergtest.TestCase):
    def setUp(self):
        super().setUp()
        self.f = FIXTURES
        self.marker = self.path("command-ran")

    # Each command with arguments that work; a case adds (or replaces) one bad thing.
    def base(self, command):
        f = self.f
        return {
            "sensors": ["sensors"],
            "run": ["run", "--out", self.path("run.h5"), "--", "touch", self.marker],
            "report": ["report", f.trace, "--format", "json"],
            "estimate": ["estimate", "--energy-kwh", "1"],
            "label": ["label", "--metrics", f.csv, "--reference", "ref"],
            "regions": ["regions", "DEU"],
            # --stop with no daemon to stop: checks every option, and never starts a daemon
            "agent": ["agent", "--job", "J", "--spool", f.spool, "--stop"],
            "collect": ["collect", "--job", "J", "--spool", f.spool, "-o", self.path("collected.h5"), "-q"],
        }[command]

    def erg(self, args, env=None, timeout=TIMEOUT_S):
        # surrogateescape: bytes that are not UTF-8 reach the checks instead of failing the decode
        return ergtest.run([ergtest.ERG, *args], env={**BASE_ENV, **(env or {})}, timeout=timeout,
                           errors="surrogateescape")

    def assertWorks(self, args, env=None):
        result = self.erg(args, env)
        self.assertEqual(result.returncode, 0, f"erg {short(args)}: {result.stderr}")
        return result

    def assertBad(self, args, env=None, why="", timeout=TIMEOUT_S):
        """Bad input: status 2, one printable line 'erg COMMAND: ...', no sign of a crash; erg run
        does not run its command."""
        if next(CASE_NUMBER) % SAMPLE_EVERY:
            return
        COUNTS[args[0] if args[0] in COMMANDS else "(unknown command)"] += 1
        context = f"{why}: erg {short(args)} env {short(env or {})}"
        with self.subTest(context):
            if os.path.exists(self.marker):
                os.remove(self.marker)
            result = self.erg(args, env, timeout)
            self.assertLessEqual(len(result.stderr), 2 * MAX_LINE, f"{context}: {short(result.stderr)}")
            self.assertUsageError(result, context)
            for sign in CRASH_SIGNS:
                self.assertNotIn(sign, result.stderr, context)
            line = result.stderr.strip()
            self.assertTrue(line.startswith((f"erg {args[0]}: ", "erg: ")), f"{context}: {short(line)}")
            self.assertTrue(printable(line), f"{context}: not printable: {short(line)}")
            self.assertLessEqual(len(line), MAX_LINE, f"{context}: {short(line)}")
            self.assertFalse(os.path.exists(self.marker), f"{context}: the command ran")

    def bad_in_every_source(self, command, option, value, sources=("command line", "environment", "site file")):
        """A bad value of a site setting on the command line, in ERG_*, and in the site file."""
        base = self.base(command)
        cut = base.index("--") if "--" in base else len(base)
        why = f"{option}={value!r} from the"
        if "command line" in sources:
            self.assertBad(base[:cut] + [f"--{option}={value}"] + base[cut:], why=why + " command line")
        if "environment" in sources:
            self.assertBad(base, {env_variable(option): value}, why + " environment")
        if "site file" in sources and "\n" not in value:  # a line break in a site file ends the value
            site = self.path("erg.conf")
            with open(site, "w") as f:
                f.write(f"{option} = {value}\n")
            self.assertBad(base, {"ERG_CONFIG": site}, why + " site file")


class SiteSettings(BadInputCase):
    """pue, emission-factor, interval and dram-w-per-gb: every command, every source."""

    def test_every_command_works_without_the_bad_value(self):
        for command in COMMANDS:
            with self.subTest(command):
                self.assertWorks(self.base(command))
        self.assertTrue(os.path.exists(self.marker), "erg run ran its command")

    def test_numbers(self):
        for command in ["sensors", "run", "estimate", "label", "regions", "agent", "collect"]:
            for option, zero_is_bad in SITE_NUMBERS.items():
                for value in bad_numbers(zero_is_bad):
                    self.bad_in_every_source(command, option, value)

    def test_report_takes_settings_from_its_command_line_only(self):
        # A trace keeps the settings it was accounted with (docs/cli.md): ERG_* and the site
        # file do not change it, so only the command line can give report a bad value.
        for option, zero_is_bad in SITE_NUMBERS.items():
            for value in bad_numbers(zero_is_bad):
                self.bad_in_every_source("report", option, value, sources=("command line",))
        self.assertWorks(self.base("report"), {"ERG_PUE": "nan"})

    def test_regions_and_mixes(self):
        huge = "x" * 100_000  # under the kernel's limit for one argument
        values = {"region": ["XYZ", "", huge, "gcp:", "DEU\n"],
                  "mix": ["coal", "coal=abc", "coal=-5", "coal=nan", "coal=1e400", "coal=50", "unobtainium=100",
                          ",", "coal=1e308,nuclear=1e308", "=100", huge]}
        for command in ["run", "estimate", "collect"]:
            for option, bad in values.items():
                for value in bad:
                    if option == "region" and value == "":
                        continue  # an empty region is no region: the default factor
                    self.bad_in_every_source(command, option, value)
        for option, bad in values.items():
            for value in bad:
                if value:
                    self.bad_in_every_source("report", option, value, sources=("command line",))

    def test_shared_node_settings(self):
        for command in ["run", "agent"]:
            for value in ["bogus", "Shared", "shared\x1b[2J"]:
                self.bad_in_every_source(command, "node-share", value)
            for value in ["0", "1.5", "nan", "abc"]:
                self.bad_in_every_source(command, "idle-power-fraction", value)

    def test_ledger_settings(self):
        for value in ["-1", "nan", "inf", "36501", "thirty"]:
            self.bad_in_every_source("collect", "spool-keep-days", value)
        for value in ["", "mysql://db/erg", "sqlite:", "ledger.sqlite"]:
            self.bad_in_every_source("collect", "ledger", value, sources=("command line",))

    def test_malformed_site_files(self):
        huge_comments = b"# a comment of a site file that is far too long to be one\n" * 70_000  # 4 MB
        files = {
            "unknown key": b"frobnicate = 1\n",
            "line without '='": b"pue 1.2\n",
            "binary garbage": garbage(4096),
            "a NUL in a value": b"pue = 1.2\x00\x01\n",
            "empty value": b"pue =\n",
            "section": b"[erg]\npue = 1.2\n",
            "a key twice": b"pue = 1.2\npue = 1.3\n",
            "huge garbage line": b"x" * 4_000_000,
            "huge file": huge_comments,
            "huge region": b"region = " + b"x" * 3_000_000 + b"\n",
        }
        for name, content in files.items():
            with open(self.path(name), "wb") as f:
                f.write(content)
        os.mkdir(self.path("a directory"))
        for command in ["sensors", "run", "estimate", "label", "regions", "agent", "collect"]:
            for name in list(files) + ["a directory"]:
                self.assertBad(self.base(command), {"ERG_CONFIG": self.path(name)}, f"site file: {name}")
            self.assertBad(self.base(command), {"ERG_CONFIG": self.path("missing.conf")}, "missing site file")
            self.assertBad(self.base(command), {"ERG_CONFIG": "/dev/zero"}, "endless site file")


class CommandOptions(BadInputCase):
    """Each command's own numeric options, missing and contradictory options."""

    # estimate's forms, each with all its options at values that work
    FORMS = {
        "energy": {"energy-kwh": "1"},
        "hardware": {"hours": "2", "cores": "4", "core-w": "10", "gpus": "1", "gpu-w": "300", "memory-gb": "16",
                     "usage": "0.5"},
        "life-cycle": {"inference-j": "0.5", "samples": "1000", "epochs": "3", "training-factor": "5",
                       "searches": "1", "inferences": "1e6"},
        "operations": {"macs": "1e9", "bits": "8", "accesses-8kb": "10", "accesses-32kb": "10",
                       "accesses-1mb": "10", "accesses-dram": "10"},
    }

    @staticmethod
    def form_args(form, **override):
        options = dict(CommandOptions.FORMS[form], **override)
        return ["estimate"] + [f"--{name}={value}" for name, value in options.items()]

    def test_estimate_numbers(self):
        for form, options in self.FORMS.items():
            self.assertWorks(self.form_args(form))
            for option in options:
                extra = ["0", "7", "8.0", "64"] if option == "bits" else []
                for value in bad_numbers(option == "bits") + extra:
                    self.assertBad(self.form_args(form, **{option: value}), why=f"{form} form")
        self.assertBad(self.form_args("hardware", usage="1.5"), why="usage above 1")
        self.assertBad(["estimate", "--hours=2", "--cores=0"], why="hardware without hardware")

    def test_estimate_missing_and_contradictory(self):
        bad = [
            ([], "no form"),
            (["--format", "json"], "no form"),
            (["--energy-kwh=1", "--hours=2", "--cores=4"], "two forms"),
            (["--hours=2", "--cores=4", "--macs=10", "--bits=8"], "two forms"),
            (["--energy-kwh=1", "--inference-j=1", "--samples=1", "--epochs=1"], "two forms"),
            (["--energy-kwh=1", "--hours=1", "--inference-j=1", "--macs=1"], "four forms"),
            (["--hours=2"], "hardware without cores, GPUs or memory"),
            (["--inference-j=1", "--epochs=2"], "life cycle without samples"),
            (["--inference-j=1", "--samples=2"], "life cycle without epochs"),
            (["--macs=10"], "operations without bits"),
            (["--samples=10", "--epochs=2"], "life cycle without the inference energy"),
            (["--energy-kwh=1", "--cores=4"], "a hardware option in the energy form"),
            (["--energy-kwh=1", "--bits=8"], "an operations option in the energy form"),
            (["--hours=1", "--cores=4", "--samples=10"], "a life-cycle option in the hardware form"),
            (["--macs=10", "--bits=8", "--usage=0.5"], "a hardware option in the operations form"),
            (["--inference-j=1", "--samples=2", "--epochs=1", "--accesses-dram=5"], "operations option, life cycle"),
            (["--energy-kwh=1", "--energy-kwh=2"], "an option twice"),
            (["--energy-kwh=1", "--format=xml"], "unknown format"),
            (["--energy-kwh=1", "--bogus"], "unknown option"),
            (["--energy-kwh=1", "extra"], "a stray argument"),
            (["--energy-kwh"], "an option without its value"),
        ]
        for args, why in bad:
            self.assertBad(["estimate"] + args, why=why)

    def test_report_options(self):
        trace = self.f.trace
        for value in bad_numbers(False):
            self.assertBad(["report", trace, f"--inferences={value}"], why="inferences")
        os.mkdir(self.path("folder"))
        bad = [
            ([], "no trace"),
            ([trace, trace], "two traces"),
            ([trace, "--format=xml"], "unknown format"),
            ([trace, "--bogus"], "unknown option"),
            ([trace, "-o", self.path("missing/report.txt")], "output folder missing"),
            ([trace, "-o", self.path("folder")], "output is a folder"),
            ([trace, "--format=html", "--reference", self.path("missing.h5")], "reference missing"),
            ([trace, "--format=html", "--reference", self.f.csv], "reference not a trace"),
        ]
        for args, why in bad:
            self.assertBad(["report"] + args, why=why)

    def test_label_options(self):
        csv = self.f.csv
        bad = [
            ([], "nothing to label"),
            (["--reference", "ref"], "nothing to label"),
            (["--metrics", csv], "no reference"),
            (["--metrics", csv, "--reference", "nobody"], "reference not among the models"),
            (["--metrics", csv, "--reference", "ref", self.f.trace], "both a CSV and jobs"),
            (["--metrics", csv, "--reference", "ref", "--format=xml"], "unknown format"),
            (["--metrics", csv, "--reference", "ref", "--compound=best"], "unknown compound mode"),
            (["--metrics", csv, "--reference", "ref", "--format=svg", "--model=nobody"], "unknown model"),
            (["--metrics", csv, "--reference", "ref", "--boundaries", self.path("missing.json")], "no cut points"),
            (["--metrics", csv, "--reference", "ref", "--weights", self.path("missing.json")], "no weights"),
            (["--metrics", csv, "--reference", "ref", "-o", self.path("missing/label.txt")], "output folder"),
            (["--metrics", csv, "--reference", "ref", "--bogus"], "unknown option"),
            ([self.f.trace, "--reference", self.path("missing.h5")], "reference file missing"),
        ]
        for args, why in bad:
            self.assertBad(["label"] + args, why=why)

    def test_label_json_inputs(self):
        csv = ["label", "--metrics", self.f.csv, "--reference", "ref"]
        cuts_ok = {"inference_power_draw": [2, 1.5, 1, 0.5], "top1_val": [1.1, 1.05, 1, 0.95]}
        json_files = {
            "not JSON": b"{cut points",
            "binary garbage": garbage(2048),
            "empty": b"",
            "a list": b"[1, 2, 3, 4]",
            "three cut points": json.dumps({"top1_val": [3, 2, 1]}).encode(),
            "a cut that is text": json.dumps({"top1_val": [3, "2", 1, 0]}).encode(),
            "cuts that rise": json.dumps({"top1_val": [1, 2, 3, 4]}).encode(),
            "an overflowing cut": b'{"top1_val": [1e400, 2, 1, 0]}',
            "a NaN cut": b'{"top1_val": [NaN, 2, 1, 0]}',
        }
        for name, content in json_files.items():
            path = self.path(name + ".json")
            with open(path, "wb") as f:
                f.write(content)
            self.assertBad(csv + ["--boundaries", path], why=f"boundaries: {name}")
        weights = {"negative": {"top1_val": -1}, "text": {"top1_val": "1"}, "a list": [1],
                   "all zero": {"top1_val": 0, "inference_power_draw": 0}}
        for name, content in weights.items():
            path = self.path(f"weights {name}.json")
            with open(path, "w") as f:
                json.dump(content, f)
            self.assertBad(csv + ["--boundaries", self.f.write("cuts_ok.json", json.dumps(cuts_ok)), "--weights", path],
                           why=f"weights: {name}")
        path = self.path("overflowing weights.json")
        with open(path, "w") as f:
            f.write('{"top1_val": 1e308, "inference_power_draw": 1e308}')
        self.assertBad(csv + ["--boundaries", self.path("cuts_ok.json"), "--weights", path], why="weights add up to inf")
        self.assertBad(csv + ["--boundaries", self.tmp], why="boundaries: a directory")
        # JSON summaries in place of traces
        summaries = {"not JSON": b"{", "binary": garbage(1024), "empty": b"", "an object of nothing": b"{}",
                     "phases of the wrong kind": b'{"phases": 3, "duration_s": 1}'}
        for name, content in summaries.items():
            path = self.path(name.replace(" ", "_") + ".json")
            with open(path, "wb") as f:
                f.write(content)
            self.assertBad(["label", self.f.trace, path, "--reference", self.f.trace,
                            "--boundaries", self.f.boundaries], why=f"job summary: {name}")
        os.mkdir(self.path("dir.json"))
        self.assertBad(["label", self.f.trace, self.path("dir.json"), "--reference", self.f.trace,
                        "--boundaries", self.f.boundaries], why="job summary: a directory")

    def test_run_options(self):
        out = self.path("t.h5")
        os.mkdir(self.path("folder"))
        bad = [
            ([], "nothing at all"),
            (["--"], "no command after --"),
            (["--out", out], "no --"),
            (["--bogus", "--", "touch", self.marker], "unknown option"),
            (["--out", self.path("missing/t.h5"), "--", "touch", self.marker], "trace folder missing"),
            (["--out", self.path("folder"), "--", "touch", self.marker], "the trace path is a folder"),
            (["--interval", "--", "touch", self.marker], "an option without its value"),
            (["--interval=1", "--interval=2", "--", "touch", self.marker], "an option twice"),
        ]
        for args, why in bad:
            self.assertBad(["run"] + args, why=why)
        # Good input: the command's own status, whatever it is.
        for status in [0, 3]:
            result = self.erg(["run", "--out", out, "--", "sh", "-c", f"exit {status}"])
            self.assertEqual(result.returncode, status, result.stderr)

    def test_agent_options(self):
        spool = self.f.spool
        for option, zero_is_bad in [("flush", True), ("stop-timeout", False)]:
            for value in bad_numbers(zero_is_bad):
                self.assertBad(self.base("agent") + [f"--{option}={value}"], why=option)
        # Without --stop a bad option must not start a daemon (it would run until the timeout).
        for value in ["0", "nan", "-1", "abc"]:
            self.assertBad(["agent", "--job", "J2", "--spool", spool, f"--flush={value}"], why="flush, no --stop")
        self.assertFalse(os.path.exists(os.path.join(spool, "J2")), "a refused daemon left a spool")
        with open(self.path("file"), "w"):
            pass
        for stop in [["--stop"], []]:
            bad = [
                ([], "no job"),
                (["--job", "J"], "no spool"),
                (["--job", "J", "--spool="], "empty spool"),
                (["--job", "J", "--spool", self.path("missing")], "spool root missing"),
                (["--job", "J", "--spool", self.path("file")], "spool root is a file"),
            ] + [(["--job", job, "--spool", spool], "unsafe job id") for job in ["a/b", "..", ".", "a b", "../J", "",
                                                                                   "/etc", "J\n"]]
            if stop:
                bad.append((["--job", "nojob", "--spool", spool], "no spool for the job"))
            for args, why in bad:
                self.assertBad(["agent"] + args + stop, why=f"{why} {stop}", timeout=10)
            for node in ["a/b", "..", "", "n 1"]:
                if node == "":
                    continue  # empty: the host name, a good one
                self.assertBad(["agent", "--job", "J", "--spool", spool] + stop, {"ERG_NODE_NAME": node},
                               f"unsafe node name {stop}", timeout=10)


class Traces(BadInputCase):
    """HDF5 inputs of erg report and erg label: anything but a whole erg trace is refused."""

    def bad_trace(self, path, why):
        self.assertBad(["report", path], why=why)
        self.assertBad(["report", self.f.trace, "--format=html", "--reference", path], why=why + " (html reference)")
        self.assertBad(["label", self.f.trace, path, "--reference", self.f.trace, "--boundaries", self.f.boundaries],
                       why=why + " (label)")

    def edited(self, name, edit, old=False):
        """A copy of the good trace (old: of the trace without accounting tables), edited."""
        import h5py

        path = self.path(("old_" if old else "") + name.replace(" ", "_").replace("/", "_") + ".h5")
        shutil.copy(self.f.old_trace if old else self.f.trace, path)
        with h5py.File(path, "r+") as f:
            edit(f)
        return path

    def test_the_good_trace_works(self):
        self.assertWorks(["report", self.f.trace])
        self.assertWorks(["label", self.f.trace, self.f.trace, "--reference", self.f.trace, "--boundaries",
                          self.f.boundaries])
        with open(self.f.trace, "rb") as f:
            self.assertEqual(f.read(8), b"\x89HDF\r\n\x1a\n")

    def test_files_that_are_not_traces(self):
        import h5py

        files = {"text": b"hello\n", "empty": b"", "garbage": garbage(20_000),
                 "HDF5 signature then garbage": b"\x89HDF\r\n\x1a\n" + garbage(4096)}
        for name, content in files.items():
            with open(self.path(name), "wb") as f:
                f.write(content)
            self.bad_trace(self.path(name), name)
        self.bad_trace(self.tmp, "a directory")
        self.bad_trace(self.path("missing.h5"), "a missing file")
        with h5py.File(self.path("other.h5"), "w") as f:
            f.create_dataset("x", data=[1, 2, 3])
        self.bad_trace(self.path("other.h5"), "an HDF5 file that is not an erg trace")
        with h5py.File(self.path("other_format.h5"), "w") as f:
            f.attrs["format"] = "something-else"
        self.bad_trace(self.path("other_format.h5"), "an HDF5 file of another format")

    def test_truncated_traces(self):
        with open(self.f.trace, "rb") as f:
            whole = f.read()
        sizes = sorted({8, 64, 100, 512, 1024, 2048, 4096, 8192, len(whole) // 2, len(whole) - 4096,
                        len(whole) - 512, len(whole) - 100, len(whole) - 1})
        for size in sizes:
            path = self.path(f"cut{size}.h5")
            with open(path, "wb") as f:
                f.write(whole[:size])
            self.bad_trace(path, f"truncated at {size} of {len(whole)} bytes")

    def test_damaged_traces(self):
        import numpy
        import h5py

        text = h5py.string_dtype()
        phase = numpy.dtype([("name", text), ("kind", text), ("start_s", "f8"), ("end_s", "f8"), ("items", "u8")])

        def replace(path, data, **kwargs):
            def edit(f):
                del f[path]
                f.create_dataset(path, data=data, **kwargs)
            return edit

        def delete(path):
            def edit(f):
                del f[path]
            return edit

        def set_attribute(path, name, value):
            def edit(f):
                f[path].attrs[name] = value
            return edit

        def delete_attribute(name):
            def edit(f):
                del f.attrs[name]
            return edit

        node = "nodes/n1"
        edits = {
            "no nodes group": delete("nodes"),
            "no time_s": delete(f"{node}/time_s"),
            "no energy_j group": delete(f"{node}/energy_j"),
            "time_s of text": replace(f"{node}/time_s", numpy.array(["a", "b"], dtype=object), dtype=text),
            "time_s 2-D": replace(f"{node}/time_s", numpy.zeros((3, 4))),
            "time_s scalar": replace(f"{node}/time_s", 1.0),
            "time_s of 2^40 values never written": replace(f"{node}/time_s", None, shape=(2**40,), dtype="f8",
                                                          chunks=(1024,)),
            "time_s a link to itself": lambda f: (f[node].__delitem__("time_s"),
                                                  f[node].__setitem__("time_s", h5py.SoftLink(f"/{node}/time_s"))),
            "time_s in a missing file": lambda f: (f[node].__delitem__("time_s"),
                                                   f[node].__setitem__("time_s",
                                                                       h5py.ExternalLink("/nonexistent.h5", "/t"))),
            "energy 2-D": replace(f"{node}/energy_j/cpu", numpy.zeros((2, 50))),
            "energy shorter than time": replace(f"{node}/energy_j/cpu", [1.0]),
            "energy of text": replace(f"{node}/energy_j/cpu", numpy.array(["x"] * 3, dtype=object), dtype=text),
            "a node that is a dataset": lambda f: (f["nodes"].__delitem__("n1"),
                                                   f["nodes"].create_dataset("n1", data=[1.0])),
            "energy_j a dataset": replace(f"{node}/energy_j", [1.0, 2.0]),
            "phases of numbers": replace("phases", [1.0, 2.0]),
            "phases 2-D": replace("phases", numpy.array([[("a", "train", 0, 1, 5)] * 3] * 2, dtype=phase)),
            "metrics 2-D": replace("metrics", numpy.zeros((4, 4))),
            "notes 2-D": replace("notes", numpy.array([["a", "b"], ["c", "d"]], dtype=object), dtype=text),
            "node notes 2-D": replace(f"{node}/notes", numpy.array([["a"] * 3] * 3, dtype=object), dtype=text),
            "no format_version": delete_attribute("format_version"),
            "no duration_s": delete_attribute("duration_s"),
            "no pue": delete_attribute("pue"),
            "no n_ranks": delete_attribute("n_ranks"),
            "format an integer": set_attribute("/", "format", 7),
            "format_version 2": set_attribute("/", "format_version", 2),
            "format_version text": set_attribute("/", "format_version", "1"),
            "format a list": set_attribute("/", "format", ["erg-trace"] * 8),
            "pue a list": set_attribute("/", "pue", [1.5] * 64),
            "n_ranks a list": set_attribute("/", "n_ranks", list(range(64))),
            "node name a list": set_attribute(node, "name", ["n1"] * 64),
            "energy source a list": set_attribute(f"{node}/energy_j/cpu", "source", ["model"] * 64),
            "pue NaN": set_attribute("/", "pue", float("nan")),
            "pue below 1": set_attribute("/", "pue", 0.5),
            "emission factor negative": set_attribute("/", "emission_factor_g_per_kwh", -5.0),
            "emission factor inf": set_attribute("/", "emission_factor_g_per_kwh", float("inf")),
            "duration NaN": set_attribute("/", "duration_s", float("nan")),
            "duration negative": set_attribute("/", "duration_s", -1.0),
            "interval 0": set_attribute("/", "interval_s", 0.0),
            "time_s NaN": lambda f: f[f"{node}/time_s"].__setitem__(1, float("nan")),
            "time_s going back": lambda f: f[f"{node}/time_s"].__setitem__(2, -100.0),
            "n_ranks negative": set_attribute("/", "n_ranks", -3),
            "sampler CPU time NaN": set_attribute(node, "sampler_cpu_s", float("nan")),
            "CPU TDP negative": set_attribute(node, "cpu_tdp_w", -100.0),
            "a phase from NaN": replace("phases", numpy.array([("a", "train", float("nan"), 0.1, 5)], dtype=phase)),
            "a phase to inf": replace("phases", numpy.array([("a", "train", 0, float("inf"), 5)], dtype=phase)),
            "a phase that ends before it starts": replace("phases", numpy.array([("a", "train", 0.2, 0.1, 5)],
                                                                                dtype=phase)),
            # A 2^31-value time_s (16 GiB) in deflated chunks, one of them written: a small file
            # that made erg allocate what it declares before finding it damaged.
            "time_s of 2^31 compressed values": lambda f: (
                f[node].__delitem__("time_s"),
                f[node].create_dataset("time_s", shape=(2**31,), dtype="f8", chunks=(2**20,), compression="gzip"),
                f[f"{node}/time_s"].__setitem__(slice(0, 2**20), numpy.zeros(2**20))),
            "energy of 2^31 compressed values": lambda f: (
                f[f"{node}/energy_j"].__delitem__("cpu"),
                f[f"{node}/energy_j"].create_dataset("cpu", shape=(2**31,), dtype="f8", chunks=(2**16,),
                                                     compression="gzip", shuffle=True)),
            "time_s kept in /dev/zero": lambda f: (
                f[node].__delitem__("time_s"),
                f[node].create_dataset("time_s", shape=(2**30,), dtype="f8", external=[("/dev/zero", 0, 2**33)])),
            "energy going down": lambda f: f[f"{node}/energy_j/cpu"].__setitem__(
                -1, f[f"{node}/energy_j/cpu"][-2] - 1.0),
            "energy inf": lambda f: f[f"{node}/energy_j/cpu"].__setitem__(-1, float("inf")),
            "energy -inf": lambda f: f[f"{node}/energy_j/cpu"].__setitem__(1, float("-inf")),
            "energy 1.7e308": lambda f: f[f"{node}/energy_j/cpu"].__setitem__(-1, 1.7e308),
            "energy -1.7e308": lambda f: f[f"{node}/energy_j/cpu"].__setitem__(1, -1.7e308),
            "energy 1e16 J": lambda f: f[f"{node}/energy_j/cpu"].__setitem__(-1, 1e16),
            "measurement unknown": set_attribute(f"{node}/energy_j/cpu", "measurement", "guessed"),
            "node n_ranks negative": set_attribute(node, "n_ranks", -1),
            "logical_cpus negative": set_attribute(node, "logical_cpus", -4),
        }
        # Every edit on a trace whose samples are in /nodes (packed, or from before the
        # accounting tables: read whole); those of the job's record on the trace a job writes.
        for why, edit in edits.items():
            self.bad_trace(self.edited(why, edit, old=True), why + " (samples inside)")
        record = [why for why in edits if why.split()[0] in ("phases", "metrics", "notes", "no", "format", "pue",
                                                              "n_ranks", "emission", "duration", "interval", "a")
                  and "node" not in why and "time_s" not in why and "energy" not in why]
        self.assertGreater(len(record), 20)
        for why in record:
            self.bad_trace(self.edited(why, edits[why]), why)

        def rows(path, change):
            def edit(f):
                data = f[path][()]
                change(data)
                del f[path]
                f.create_dataset(path, data=data)
            return edit

        def first_row(path, field, value):
            return rows(path, lambda data: data[field].__setitem__(0, value))

        def notes_of_node(index):
            def edit(f):
                del f["accounting/node_notes"]
                f.create_dataset("accounting/node_notes",
                                 data=numpy.array([(index, "x")], dtype=[("node", "u8"), ("text", text)]))
            return edit

        domain = "power/energy_j/cpu"
        accounting = {
            "no accounting domains": delete("accounting/domains"),
            "no accounting nodes": delete("accounting/nodes"),
            "no power series": delete("power"),
            "accounting nodes of numbers": replace("accounting/nodes", [1.0, 2.0]),
            "accounting domains 2-D": replace("accounting/domains", numpy.zeros((3, 3))),
            "a domain row of no node": first_row("accounting/domains", "node", 99),
            "a note of no node": notes_of_node(7),
            "domain energy NaN": first_row("accounting/domains", "energy_j", float("nan")),
            "domain energy negative": first_row("accounting/domains", "energy_j", -1.0),
            "domain energy 1e30 J": first_row("accounting/domains", "energy_j", 1e30),
            "outside energy inf": first_row("accounting/domains", "outside_energy_j", float("inf")),
            "domain measurement unknown": first_row("accounting/domains", "measurement", "guessed"),
            "domain holding CPU time": first_row("accounting/domains", "measurement", "cpu_time"),
            "node share of neither kind": first_row("accounting/nodes", "node_share", "half"),
            "node ranks negative": first_row("accounting/nodes", "n_ranks", -2),
            "node idle fraction 2": first_row("accounting/nodes", "idle_power_fraction", 2.0),
            "phase energy of another length": replace("accounting/phase_energy_j", [1.0] * 7),
            "power of unequal lengths": lambda f: f["power/energy_j"].create_dataset("zz", data=[0.0, 1.0]),
            "power energy NaN": lambda f: f[domain].__setitem__(3, float("nan")),
            "power energy 2-D": replace(domain, numpy.zeros((4, 4))),
            "power step negative": set_attribute("power", "step_s", -1.0),
            "accounting domains in another file": lambda f: (f["accounting"].__delitem__("domains"),
                                                             f["accounting"].__setitem__(
                                                                 "domains", h5py.ExternalLink("/nonexistent.h5", "/d"))),
            "accounting a link to itself": lambda f: (f.__delitem__("accounting"),
                                                      f.__setitem__("accounting", h5py.SoftLink("/accounting"))),
        }
        for why, edit in accounting.items():
            self.bad_trace(self.edited(why, edit), why)
        # What a trace may hold: more than erg writes, a failed read (NaN), the job's own figures.
        metric = numpy.dtype([("name", text), ("value", "f8"), ("higher_is_better", "i4")])
        tolerated = {
            "an extra group": lambda f: f.create_group("site_notes"),
            "an extra job_ attribute that is a list": set_attribute("/", "job_partition", ["x"] * 64),
            "a failed read": lambda f: f[f"{node}/energy_j/cpu"].__setitem__(1, float("nan")),
            "a metric the job gave as NaN": replace("metrics", numpy.array([("loss", float("nan"), 0)], dtype=metric)),
            "a phase": replace("phases", numpy.array([("a", "train", 0, 0.1, 5)], dtype=phase)),
            "a sensor's own attribute": set_attribute(f"{node}/energy_j/cpu", "firmware", "1.2"),
            "a number a tool added to a domain": set_attribute(f"{node}/energy_j/cpu", "max_power_w", 300.5),
            "a trace from before measurement": lambda f: f[f"{node}/energy_j/cpu"].attrs.__delitem__("measurement"),
            "time_s compressed": lambda f: (f[node].__setitem__("t", f[f"{node}/time_s"][()]),
                                            f[node].__delitem__("time_s"),
                                            f[node].create_dataset("time_s", data=f[f"{node}/t"][()],
                                                                   compression="gzip"),
                                            f[node].__delitem__("t")),
        }
        for why, edit in tolerated.items():
            with self.subTest(why):
                self.assertWorks(["report", self.edited(why, edit, old=True)])
        # A job's trace whose node files are gone (copied alone, or cleaned up): its report
        # needs only the job file.
        self.assertWorks(["report", self.edited("the node files gone", lambda f: None)])


    def test_the_size_a_trace_may_take(self):
        # ERG_MAX_TRACE_BYTES bounds what reading one trace allocates (docs/trace-format.md).
        self.assertBad(["report", self.f.trace], {"ERG_MAX_TRACE_BYTES": "100"}, "a trace over ERG_MAX_TRACE_BYTES")
        for value in ["", "0", "-1", "abc", "1e9", "1.5x", "nan", "99999999999999999999999"]:
            self.assertBad(["report", self.f.trace], {"ERG_MAX_TRACE_BYTES": value}, f"ERG_MAX_TRACE_BYTES={value!r}")
        self.assertWorks(["report", self.f.trace], {"ERG_MAX_TRACE_BYTES": "100000000"})


class LabelCsv(BadInputCase):
    """The metrics CSV of erg label --metrics (docs/labels.md)."""

    def test_malformed_csv(self):
        files = {
            "empty": b"",
            "only a newline": b"\n",
            "no name column": b"model,inference_power_draw\nref,1\n",
            "no metric columns": b"name\nref\n",
            "no models": b"name,inference_power_draw\n",
            "a missing cell": b"name,inference_power_draw,top1_val\nref,1\n",
            "a row with too many fields": b"name,inference_power_draw\nref,1,2\n",
            "a text cell": b"name,inference_power_draw\nref,fast\n",
            "trailing garbage": b"name,inference_power_draw\nref,1.5x\n",
            "a NUL inside a number": b"name,inference_power_draw\nref,1\x002\n",
            "NaN": b"name,inference_power_draw\nref,NaN\n",
            "nan": b"name,inference_power_draw\nref,nan\n",
            "inf": b"name,inference_power_draw\nref,inf\n",
            "-inf": b"name,inference_power_draw\nref,-inf\n",
            "overflow": b"name,inference_power_draw\nref,1e400\n",
            "a model twice": b"name,inference_power_draw\nref,1\nref,2\n",
            "a model without a name": b"name,inference_power_draw\nref,1\n,2\n",
            "an unclosed quote": b'name,inference_power_draw\n"ref,1\n',
            "binary garbage": garbage(8192),
            "binary after the header": b"name,inference_power_draw\n" + garbage(4096),
            "reference without a value": b"name,inference_power_draw\nref,\nm,1\n",
        }
        for name, content in files.items():
            path = self.path(name.replace(" ", "_") + ".csv")
            with open(path, "wb") as f:
                f.write(content)
            self.assertBad(["label", "--metrics", path, "--reference", "ref"], why=f"CSV: {name}")
        self.assertBad(["label", "--metrics", self.tmp, "--reference", "ref"], why="CSV: a directory")
        self.assertBad(["label", "--metrics", self.path("missing.csv"), "--reference", "ref"], why="CSV: missing")


class Spools(BadInputCase):
    """erg collect: the spool root, the job's folder and its <node>.spool files."""

    def job(self, name, files):
        folder = os.path.join(self.f.spool, name)
        os.mkdir(folder, 0o750)
        for node, content in files.items():
            if content is None:
                os.mkdir(os.path.join(folder, node))
            else:
                with open(os.path.join(folder, node), "wb") as f:
                    f.write(content)
        self.addCleanup(shutil.rmtree, folder)
        return ["collect", "--job", name, "--spool", self.f.spool, "-o", self.path("t.h5"), "-q"]

    def test_the_spool_root_is_as_an_admin_makes_it(self):
        self.assertEqual(stat.S_IMODE(os.stat(self.f.spool).st_mode), 0o755)
        self.assertWorks(self.base("collect"))

    def test_damaged_spools(self):
        spools = {
            "garbage": {"n1.spool": garbage(4096)},
            "zero length": {"n1.spool": b""},
            "magic only": {"n1.spool": b"ERGSPL1\n"},
            "magic then garbage": {"n1.spool": b"ERGSPL1\n" + garbage(4096)},
            "another magic": {"n1.spool": b"ERGSPL9\n" + spool_bytes()[8:]},
            "a header that is not JSON": {"n1.spool": b"ERGSPL1\n" + spool_record(1, b"{not json")},
            "a header without domains": {"n1.spool": b"ERGSPL1\n" + spool_record(1, b'{"node": "n1"}')},
            "a spool that is a folder": {"n1.spool": None},
            "two garbage nodes": {"n1.spool": garbage(100, 2), "n2.spool": b""},
        }
        # Headers that parse but are not plainly right: refused whole, never half used.
        good = json.loads(json.dumps({"format": "erg-spool", "format_version": 1, "node": "n1", "job_id": "J",
                                      "start_unix_s": 1.7e9, "interval_s": 0.1,
                                      "domains": [{"name": "cpu", "source": "model", "path": ""}]}))

        def header(**change):
            h = json.loads(json.dumps(good))
            h.update(change)
            return h
        for why, h in [
            ("a domain named a/b", header(domains=[{"name": "a/b", "source": "model"}])),
            ("a domain without a name", header(domains=[{"name": "", "source": "model"}])),
            ("a domain named .", header(domains=[{"name": ".", "source": "model"}])),
            ("two domains named cpu", header(domains=[{"name": "cpu", "source": "rapl"}] * 2)),
            ("an empty attribute key", header(domains=[{"name": "cpu", "source": "rapl", "attributes": {"": "x"}}])),
            ("start_unix_s as text", header(start_unix_s="x")),
            ("interval_s as text", header(interval_s="x")),
            ("a negative interval", header(interval_s=-5)),
            ("a job name that is a number", header(job={"name": 5})),
            ("a job that is a list", header(job=[1])),
            ("a start in the year 5138 (1e11 s)", header(start_unix_s=1e11)),
            ("a start in 1970", header(start_unix_s=0)),
            ("a start before 2000", header(start_unix_s=946684799)),
            ("a start after 2100", header(start_unix_s=4102444801)),
            ("no start_unix_s", {k: v for k, v in good.items() if k != "start_unix_s"}),
            ("no node", {k: v for k, v in good.items() if k != "node"}),
        ]:
            spools[why] = {"n1.spool": spool_bytes(header=h)}
        for number, (name, files) in enumerate(spools.items()):
            self.assertBad(self.job(f"job{number}", files), why=f"spool: {name}")
        self.assertBad(self.job("empty", {}), why="a job folder without spools")

    def test_samples_without_a_time_are_dropped(self):
        # A sample whose time is NaN or infinite is not a sample: the rest make a trace that
        # erg report reads.
        nan, inf = float("nan"), float("inf")
        for why, samples in [("a first sample without a time", [[nan, 0.0], [0.1, 1.0], [0.2, 2.0]]),
                             ("an infinite time", [[0.0, 0.0], [0.1, 1.0], [inf, 2.0]]),
                             ("an infinite reading", [[0.0, 0.0], [0.1, inf], [0.2, 2.0]])]:
            args = self.job("t" + str(abs(hash(why))), {"n1.spool": spool_bytes(samples=samples)})
            self.assertWorks(args)
            self.assertWorks(["report", self.path("t.h5"), "--format", "json"])

    def test_samples_that_are_no_readings_are_skipped(self):
        # A samples record whose energy goes down or is not a reading (inf, 1.7e308) is skipped
        # whole and counted; the records around it make the trace.
        nan, inf = float("nan"), float("inf")
        header = json.loads(spool_bytes()[17:17 + struct.unpack("<I", spool_bytes()[8:12])[0]])

        def samples(rows):
            flat = [x for row in rows for x in row]
            return spool_record(2, struct.pack("<II", len(rows), 2) + struct.pack(f"<{len(flat)}d", *flat))
        for why, bad in [("energy going down", [[0.2, 8.0], [0.3, 7.0]]),
                         ("energy below the record before", [[0.2, 4.0]]),
                         ("infinite energy", [[0.2, inf]]),
                         ("1.7e308 J", [[0.2, 1.7e308], [0.3, 1.7e308]]),
                         ("-1.7e308 J", [[0.2, -1.7e308]])]:
            spool = (b"ERGSPL1\n" + spool_record(1, json.dumps(header).encode()) +
                     samples([[0.0, 0.0], [0.1, 5.0]]) + samples(bad) + samples([[0.4, 10.0], [0.5, nan]]) +
                     spool_record(4, json.dumps({"sampler_cpu_s": 0.01}).encode()))
            with self.subTest(why):
                self.assertWorks(self.job("r" + str(abs(hash(why))), {"n1.spool": spool}))
                report = json.loads(self.assertWorks(["report", self.path("t.h5"), "--format", "json"]).stdout)
                self.assertAlmostEqual(report["energy"]["by_domain"]["cpu"], 10.0)
                self.assertTrue(any("1 bad records skipped" in note for note in report["notes"]), report["notes"])

    def test_collect_output_that_cannot_be_written(self):
        os.makedirs(self.path("folder"), exist_ok=True)
        for out, why in [(self.path("missing/t.h5"), "a missing folder"), (self.path("folder"), "a folder")]:
            args = self.base("collect")
            args[args.index("-o") + 1] = out
            self.assertBad(args, why=f"-o {why}")

    def test_agent_on_a_damaged_spool_folder(self):
        spool = self.f.spool
        daemon = ["agent", "--job", "A", "--spool", spool, "--interval", "0.05", "--flush", "0.05"]
        env = {"ERG_NODE_NAME": "n1"}
        os.makedirs(os.path.join(spool, "A", "n1.spool"))
        self.addCleanup(shutil.rmtree, os.path.join(spool, "A"))
        self.assertBad(daemon, env, "the node's spool is a folder", timeout=10)
        os.symlink(os.path.join(spool, "A"), os.path.join(spool, "B"))
        self.addCleanup(os.remove, os.path.join(spool, "B"))
        self.assertBad(["agent", "--job", "B"] + daemon[3:], env, "the job folder is a link", timeout=10)
        os.makedirs(os.path.join(spool, "C"), 0o750)
        self.addCleanup(shutil.rmtree, os.path.join(spool, "C"))
        os.symlink("/etc/passwd", os.path.join(spool, "C", "n1.spool"))
        self.assertBad(["agent", "--job", "C"] + daemon[3:], env, "the node's spool is a link", timeout=10)

    def test_spool_folders_and_job_ids(self):
        spool = self.f.spool
        with open(self.path("file"), "w"):
            pass
        bad = [
            (["--job", "nojob", "--spool", spool], "a job folder that does not exist"),
            (["--job", "J"], "no spool"),
            (["--job", "J", "--spool="], "an empty spool"),
            (["--spool", spool], "no job"),
            (["--job", "J", "--spool", self.path("missing")], "a spool root that does not exist"),
            (["--job", "J", "--spool", self.path("file")], "a spool root that is a file"),
            (["--job", "J", "--spool", spool, "--bogus"], "unknown option"),
        ] + [(["--job", job, "--spool", spool], f"job id {job!r}")
             for job in ["a/b", "J/..", "..", ".", "a b", " J", "../J", "", "/etc", "J\n", "x" * 300]]
        for args, why in bad:
            self.assertBad(["collect"] + args + ["-o", self.path("t.h5"), "-q"], why=why)
        for value in bad_numbers(False):
            self.assertBad(self.base("collect") + [f"--wait={value}"], why="wait")


class OtherCommands(BadInputCase):
    def test_sensors_and_regions(self):
        bad = [
            (["sensors", "--format=xml"], "unknown format"),
            (["sensors", "extra"], "a stray argument"),
            (["sensors", "--bogus"], "unknown option"),
            (["regions", "DEU", "FRA"], "two searches"),
            (["regions", "--bogus"], "unknown option"),
            (["regions", "--data-dir", self.path("missing")], "no data folder"),
            (["frobnicate"], "unknown command"),
        ]
        for args, why in bad:
            self.assertBad(args, why=why)


if __name__ == "__main__":
    ergtest.main()
