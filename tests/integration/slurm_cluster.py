"""A real Slurm cluster on this machine for the tests: munge, slurmctld and two slurmd
(`slurmd -N n1`, `slurmd -N n2`) on loopback, each node with its own port, spool and TmpFS,
and erg's prolog and epilogs in slurm.conf."""
import os
import shutil
import subprocess
import tempfile
import time
import unittest

import ergtest

PACKAGES = ["slurmd", "slurmctld", "slurm-client", "munge"]


def ensure_installed():
    """Installs the Slurm packages if they are missing; returns a reason when that is impossible."""
    if all(shutil.which(p) for p in ["slurmctld", "slurmd", "sbatch", "munged"]):
        return None
    env = dict(os.environ, DEBIAN_FRONTEND="noninteractive")
    subprocess.run(["apt-get", "update", "-qq"], env=env, capture_output=True)
    result = subprocess.run(["apt-get", "install", "-y", "-qq", "--no-install-recommends", *PACKAGES], env=env,
                            capture_output=True, text=True)
    if result.returncode != 0:
        return "the Slurm packages cannot be installed here: " + result.stderr.strip().splitlines()[-1:][0]
    return None


def ensure_munge():
    if not os.path.exists("/etc/munge/munge.key"):
        subprocess.run(["mungekey", "--create"], check=True)
        shutil.chown("/etc/munge/munge.key", "munge", "munge")
    if subprocess.run(["munge", "-n"], capture_output=True).returncode == 0:
        return
    os.makedirs("/run/munge", exist_ok=True)
    shutil.chown("/run/munge", "munge", "munge")
    subprocess.run(["runuser", "-u", "munge", "--", "/usr/sbin/munged"], check=True)
    for _ in range(50):
        if subprocess.run(["munge", "-n"], capture_output=True).returncode == 0:
            return
        time.sleep(0.1)
    raise RuntimeError("munged did not start")


class SlurmCluster:
    def __init__(self, root, prefix, site_file):
        self.root = root
        self.conf = os.path.join(root, "slurm.conf")
        self.env = dict(os.environ, SLURM_CONF=self.conf)
        base = 20000 + (os.getpid() % 2000) * 4
        self.ports = {"ctld": base, "n1": base + 1, "n2": base + 2}
        scripts = os.path.join(prefix, "share", "erg", "slurm")
        log = os.path.join(root, "erg-slurm.log")
        self.log = log
        # The wrappers' own lines go elsewhere: erg's log must hold only stamped lines.
        wrap_log = os.path.join(root, "wrappers.log")
        # slurmd runs the scripts with its own environment: wrappers name the site file and log.
        wrappers = {}
        # The sanitizer build's erg, run by slurmd, which passes none of our environment on.
        asan = f"ASAN_OPTIONS={os.environ['ASAN_OPTIONS']} " if os.environ.get("ASAN_OPTIONS") else ""
        # /etc/default/erg as a site writes it, at a path only the tests use (ERG_DEFAULTS).
        defaults = os.path.join(root, "default-erg")
        with open(defaults, "w") as f:
            f.write(f"ERG_CONFIG={site_file}\nERG_LOG={log}\n")
        for script in ["prolog", "epilog", "epilog-slurmctld"]:
            path = os.path.join(root, f"wrap-{script}")
            with open(path, "w") as f:
                f.write(f"#!/bin/sh\necho \"$(date +%T.%N) {script} job $SLURM_JOB_ID node $SLURMD_NODENAME\" >>{wrap_log}\n"
                        f"{asan}SLURM_CONF={self.conf} ERG_DEFAULTS={defaults} {scripts}/{script}\n"
                        f"echo \"$(date +%T.%N) {script} job $SLURM_JOB_ID node $SLURMD_NODENAME: $?\" >>{wrap_log}\n")
            os.chmod(path, 0o755)
            wrappers[script] = path
        for d in ["state", "spool-n1", "spool-n2", "tmp-n1", "tmp-n2"]:
            os.makedirs(os.path.join(root, d), exist_ok=True)
        with open(self.conf, "w") as f:
            f.write(f"""ClusterName=ergtest
SlurmctldHost=localhost(127.0.0.1)
SlurmctldPort={self.ports['ctld']}
SlurmUser=root
SlurmdUser=root
AuthType=auth/munge
StateSaveLocation={root}/state
SlurmdSpoolDir={root}/spool-%n
TmpFS={root}/tmp-%n
SlurmctldPidFile={root}/slurmctld.pid
SlurmdPidFile={root}/slurmd-%n.pid
SlurmctldLogFile={root}/slurmctld.log
SlurmdLogFile={root}/slurmd-%n.log
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
SelectType=select/cons_tres
SelectTypeParameters=CR_Core
MpiDefault=none
ReturnToService=2
SchedulerType=sched/builtin
AccountingStorageType=accounting_storage/none
JobCompType=jobcomp/none
KillWait=5
Prolog={wrappers['prolog']}
Epilog={wrappers['epilog']}
EpilogSlurmctld={wrappers['epilog-slurmctld']}
PrologFlags=Alloc
NodeName=n1 NodeAddr=127.0.0.1 Port={self.ports['n1']} CPUs=2 State=UNKNOWN
NodeName=n2 NodeAddr=127.0.0.1 Port={self.ports['n2']} CPUs=2 State=UNKNOWN
PartitionName=debug Nodes=n1,n2 Default=YES MaxTime=INFINITE State=UP OverSubscribe=YES
""")

    def start(self):
        ensure_munge()
        subprocess.run(["slurmctld", "-f", self.conf], env=self.env, check=True)
        for node in ["n1", "n2"]:
            subprocess.run(["slurmd", "-f", self.conf, "-N", node], env=self.env, check=True)
        deadline = time.time() + 60
        while time.time() < deadline:
            out = subprocess.run(["sinfo", "-h", "-o", "%T %D"], env=self.env, capture_output=True, text=True)
            if out.stdout.strip() == "idle 2":
                return
            time.sleep(0.5)
        raise RuntimeError("the Slurm nodes did not become idle: " + self.logs())

    def stop(self):
        subprocess.run(["scontrol", "shutdown"], env=self.env, capture_output=True)
        for name in ["slurmd-n1.pid", "slurmd-n2.pid", "slurmctld.pid"]:
            try:
                with open(os.path.join(self.root, name)) as f:
                    os.kill(int(f.read().strip()), 15)
            except (OSError, ValueError):
                pass

    def sbatch(self, script, env, user=None):
        """Submits a batch job, as root or as an ordinary user (runuser): its output goes to a
        folder that user may write."""
        path = os.path.join(self.root, f"job-{time.time_ns()}.sh")
        with open(path, "w") as f:
            f.write(script)
        os.chmod(path, 0o755)
        outputs = os.path.join(self.root, "outputs")
        os.makedirs(outputs, exist_ok=True)
        os.chmod(outputs, 0o1777)
        command = ["sbatch", "--parsable", "-o", os.path.join(outputs, "out-%j.txt"), path]
        if user:
            command = ["runuser", "-u", user, "--"] + command
        out = subprocess.run(command, env=dict(self.env, **env), capture_output=True, text=True, check=True)
        return out.stdout.strip().split(";")[0]

    def state(self, job):
        out = subprocess.run(["scontrol", "show", "job", job, "-o"], env=self.env, capture_output=True, text=True)
        for field in out.stdout.split():
            if field.startswith("JobState="):
                return field.split("=", 1)[1]
        return "GONE"

    def wait_state(self, job, states, timeout=120):
        deadline = time.time() + timeout
        while time.time() < deadline:
            state = self.state(job)
            if state in states:
                return state
            time.sleep(0.2)
        raise AssertionError(f"job {job} not in {states} after {timeout} s (is {self.state(job)}): " + self.logs())

    def admin_comment(self, job):
        """The job's AdminComment as slurmctld holds it, or None (scontrol's record, one field a
        line: the comment holds spaces)."""
        out = subprocess.run(["scontrol", "show", "job", job], env=self.env, capture_output=True, text=True)
        for line in out.stdout.splitlines():
            if line.strip().startswith("AdminComment="):
                return line.strip().split("=", 1)[1]
        return None

    def scancel(self, job):
        subprocess.run(["scancel", job], env=self.env, check=True)

    def output(self, job):
        try:
            with open(os.path.join(self.root, "outputs", f"out-{job}.txt")) as f:
                return f.read()
        except OSError:
            return ""

    def logs(self):
        text = ""
        for name in ["slurmctld.log", "slurmd-n1.log", "slurmd-n2.log", "wrappers.log", "erg-slurm.log"]:
            try:
                with open(os.path.join(self.root, name)) as f:
                    text += f"\n--- {name}\n" + "".join(f.readlines()[-15:])
            except OSError:
                pass
        return text


class ClusterTestCase(unittest.TestCase):
    """A test class with its own cluster: erg installed under a temporary prefix, a spool
    root as an admin makes it (0755), and a site file with SITE_LINES. Skipped where Slurm
    cannot be installed."""

    SITE_LINES = ""

    @classmethod
    def setUpClass(cls):
        reason = ensure_installed()
        if reason:
            raise unittest.SkipTest(reason)
        cls.root = tempfile.mkdtemp(prefix="erg-slurm-")
        os.chmod(cls.root, 0o755)
        cls.prefix = os.path.join(cls.root, "prefix")
        result = ergtest.run(["cmake", "--install", ergtest.BUILD_DIR, "--prefix", cls.prefix])
        assert result.returncode == 0, result.stderr
        cls.spool = os.path.join(cls.root, "spool")
        os.makedirs(cls.spool)
        os.chmod(cls.spool, 0o755)
        cls.prepare()
        cls.site_file = os.path.join(cls.root, "erg.conf")
        with open(cls.site_file, "w") as f:
            f.write(f"spool = {cls.spool}\n" + cls.site_lines())
        cls.cluster = SlurmCluster(cls.root, cls.prefix, cls.site_file)
        cls.cluster.start()

    @classmethod
    def prepare(cls):
        """What a test class sets up before its site file is written."""

    @classmethod
    def site_lines(cls):
        return cls.SITE_LINES

    @classmethod
    def tearDownClass(cls):
        cls.cluster.stop()
        if not os.environ.get("ERG_KEEP_TEST_FILES"):
            shutil.rmtree(cls.root, ignore_errors=True)

    def wait_trace(self, job, timeout=90):
        path = os.path.join(self.spool, job, "trace.h5")
        deadline = time.time() + timeout
        while time.time() < deadline:
            if os.path.exists(path) and os.path.exists(os.path.join(self.spool, job, "trace.json")):
                return path
            time.sleep(0.3)
        self.fail(f"no trace for job {job}: " + self.cluster.logs() + self.cluster.output(job))
