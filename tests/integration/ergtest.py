"""Helpers shared by erg's integration tests: paths from CTest's environment, a simulated
powercap tree, running erg and mpirun, and reading traces with h5py (an independent reader)."""
import json
import os
import subprocess
import sys
import tempfile
import unittest

ERG = os.environ.get("ERG", "erg")
BUILD_DIR = os.environ.get("ERG_BUILD_DIR", ".")
SOURCE_DIR = os.environ.get("ERG_SOURCE_DIR", ".")

MPIRUN = ["mpirun", "--allow-run-as-root", "--oversubscribe"]
if os.environ.get("ASAN_OPTIONS"):  # the sanitizer build: Open MPI forwards only what -x names
    MPIRUN += ["-x", "ASAN_OPTIONS"]

# Set in the sanitizer build: a program without ASan that loads an erg library needs it first.
ASAN_RUNTIME = os.environ.get("ERG_ASAN_RUNTIME", "")


def preload(*libraries):
    """The LD_PRELOAD value for erg libraries, with the ASan runtime first where needed."""
    return ":".join(([ASAN_RUNTIME] if ASAN_RUNTIME else []) + list(libraries))


class SimulatedPowercap:
    """A powercap sysfs tree. Counters are rewritten in place, same length, zero padded,
    so that erg's open file descriptors see each update as they do in sysfs."""

    def __init__(self, root):
        self.root = root

    def add_zone(self, zone, name, energy_uj=0, max_energy_range_uj=262143328850):
        os.makedirs(os.path.join(self.root, zone), exist_ok=True)
        with open(os.path.join(self.root, zone, "name"), "w") as f:
            f.write(name + "\n")
        with open(os.path.join(self.root, zone, "max_energy_range_uj"), "w") as f:
            f.write(f"{max_energy_range_uj}\n")
        self.set_energy(zone, energy_uj)

    def set_energy(self, zone, energy_uj):
        path = os.path.join(self.root, zone, "energy_uj")
        fd = os.open(path, os.O_WRONLY | os.O_CREAT, 0o644)
        try:
            os.pwrite(fd, f"{energy_uj:020d}\n".encode(), 0)
        finally:
            os.close(fd)

    def energy(self, zone):
        with open(os.path.join(self.root, zone, "energy_uj")) as f:
            return int(f.read())


class ConstantPower:
    """Drives zones of a SimulatedPowercap at constant watts from a thread, as a node that
    draws the same power whatever runs on it (the shared-node tests). Use as a context."""

    def __init__(self, powercap, watts_by_zone, step_s=0.02):
        import threading

        self.powercap, self.watts_by_zone, self.step_s = powercap, dict(watts_by_zone), step_s
        self.stopped = threading.Event()
        self.thread = threading.Thread(target=self._drive, daemon=True)

    def _drive(self):
        import time

        start = time.monotonic()
        while not self.stopped.wait(self.step_s):
            elapsed_s = time.monotonic() - start
            for zone, watts in self.watts_by_zone.items():
                self.powercap.set_energy(zone, int(watts * elapsed_s * 1e6))

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.stopped.set()
        self.thread.join()


def unprivileged_user(name="ergtest"):
    """An ordinary account for the tests that act as a job's user (created once, as root):
    returns (uid, gid), or None where the tests do not run as root."""
    import pwd

    if os.geteuid() != 0:
        return None
    import time

    # Tests run two at a time and may both create it: useradd locks /etc/passwd, so the
    # other one retries until the account is there.
    for _ in range(50):
        try:
            entry = pwd.getpwnam(name)
            return entry.pw_uid, entry.pw_gid
        except KeyError:
            subprocess.run(["useradd", "--no-create-home", "--shell", "/bin/sh", name], capture_output=True)
            time.sleep(0.1)
    raise RuntimeError(f"cannot create the test user {name}")


def user_folder(parent, name, user="ergtest"):
    """PARENT/NAME, made and owned by the unprivileged user (a job's home, as root)."""
    uid, gid = unprivileged_user(user)
    folder = os.path.join(parent, name)
    os.makedirs(folder, exist_ok=True)
    os.chown(folder, uid, gid)
    return folder


def as_user(name, *args, **kwargs):
    """Runs a command as that user (runuser, from util-linux), like ergtest.run."""
    return run(["runuser", "-u", name, "--", *args], **kwargs)


def run(args, env=None, timeout=120, **kwargs):
    full_env = dict(os.environ)
    full_env.update(env or {})
    return subprocess.run(args, env=full_env, capture_output=True, text=True, timeout=timeout, **kwargs)


def erg(*args, env=None, timeout=120):
    return run([ERG, *args], env=env, timeout=timeout)


def report_json(trace_path, *extra):
    result = erg("report", trace_path, "--format", "json", *extra)
    if result.returncode != 0:
        raise AssertionError(f"erg report failed: {result.stderr}")
    return json.loads(result.stdout)


def open_trace(path):
    import h5py  # Debian's python3-h5py: the independent reader

    return h5py.File(path, "r")


class TestCase(unittest.TestCase):
    def setUp(self):
        self._tmp = tempfile.TemporaryDirectory(prefix="erg-it-")
        self.tmp = self._tmp.name

    def tearDown(self):
        self._tmp.cleanup()

    def path(self, name):
        return os.path.join(self.tmp, name)

    def assertUsageError(self, result, context=""):
        """Bad input: exit status 2 and exactly one clear line on stderr."""
        self.assertEqual(result.returncode, 2, f"{context}: status {result.returncode}, stderr {result.stderr!r}")
        lines = [l for l in result.stderr.splitlines() if l.strip()]
        self.assertEqual(len(lines), 1, f"{context}: expected one line, got {result.stderr!r}")
        self.assertNotIn("terminate called", result.stderr)


# CTest's SKIP_RETURN_CODE (tests/CMakeLists.txt): a suite whose every test was skipped
# shows as skipped, never as passed.
SKIPPED_EXIT_CODE = 77


class _ExceptLoader(unittest.TestLoader):
    """Leaves out the tests whose id holds one of the given substrings (`--except S`): CTest
    runs those on their own, so a test that may skip shows as skipped, never inside a pass."""

    def __init__(self, excluded):
        super().__init__()
        self.excluded = excluded

    def loadTestsFromModule(self, module, *args, **kwargs):
        return self._without(super().loadTestsFromModule(module, *args, **kwargs))

    def _without(self, suite):
        kept = unittest.TestSuite()
        for test in suite:
            if isinstance(test, unittest.TestSuite):
                kept.addTest(self._without(test))
            elif not any(e in test.id() for e in self.excluded):
                kept.addTest(test)
        return kept


def main():
    argv, excluded = sys.argv[:1], []
    rest = iter(sys.argv[1:])
    for arg in rest:
        if arg == "--except":
            excluded.append(next(rest))
        else:
            argv.append(arg)
    program = unittest.main(argv=argv, testLoader=_ExceptLoader(excluded), verbosity=2, exit=False)
    result = program.result
    if not result.wasSuccessful():
        sys.exit(1)
    if result.testsRun == 0:
        print("no test matched")
        sys.exit(1)
    if result.skipped:
        # CTest knows a test as passed or skipped, not both: a suite with a skip shows as skipped
        # (the tests that may skip run as CTest tests of their own, tests/CMakeLists.txt).
        print(f"{len(result.skipped)} of {result.testsRun} skipped: " + "; ".join(r for _, r in result.skipped[:3]))
        sys.exit(SKIPPED_EXIT_CODE)
    sys.exit(0)
