"""A real PostgreSQL server for the tests that need one (Debian's postgresql): initdb into a
temporary folder, pg_ctl start on a Unix socket in that folder (no TCP port), a database named
erg, trust authentication for its one role, erg. As root, the server runs as an unprivileged
account (initdb refuses root)."""
import glob
import os
import pwd
import shutil
import subprocess
import tempfile

import ergtest


def server_programs():
    """The folder of initdb and pg_ctl (they are not on PATH in Debian), or None."""
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"))
    return os.path.dirname(found[-1]) if found else None


class PostgresServer:
    def __init__(self, durable=False):
        self.bin = server_programs()
        if self.bin is None:
            raise RuntimeError("PostgreSQL's server is not installed (Debian package postgresql)")
        self.root = tempfile.mkdtemp(prefix="erg-pg-")
        os.chmod(self.root, 0o755)
        self.data = os.path.join(self.root, "data")
        self.socket_dir = self.root
        self.owner = None
        if os.geteuid() == 0:
            self.owner = "postgres" if self._has_user("postgres") else "ergtest"
            if self.owner == "ergtest":
                ergtest.unprivileged_user()
            entry = pwd.getpwnam(self.owner)
            os.chown(self.root, entry.pw_uid, entry.pw_gid)
        self._run("initdb", "-D", self.data, "-U", "erg", "--auth=trust", "-E", "UTF8", "--no-sync")
        # fsync off for tests (their data may be lost with the machine); on for the benchmark,
        # which measures what a site's server does.
        options = f"-k {self.socket_dir} -c listen_addresses='' -c max_connections=50"
        if not durable:
            options += " -c fsync=off -c synchronous_commit=off"
        self._run("pg_ctl", "-D", self.data, "-l", os.path.join(self.root, "server.log"), "-o", options, "-w",
                  "-t", "60", "start")
        self._run("createdb", "-h", self.socket_dir, "-U", "erg", "erg")
        self.url = f"postgresql:///erg?host={self.socket_dir}&user=erg"

    @staticmethod
    def _has_user(name):
        try:
            pwd.getpwnam(name)
            return True
        except KeyError:
            return False

    def _run(self, program, *args, check=True):
        command = [os.path.join(self.bin, program), *args]
        if self.owner:
            command = ["runuser", "-u", self.owner, "--", *command]
        result = subprocess.run(command, capture_output=True, text=True, timeout=120, cwd=self.root)
        if check and result.returncode != 0:
            raise RuntimeError(f"{program} failed: {result.stderr.strip()[-2000:]}")
        return result

    def psql(self, sql):
        """One query's rows as tuples of text (psql, an independent reader)."""
        result = self._run("psql", "-h", self.socket_dir, "-U", "erg", "-d", "erg", "-A", "-t", "-F", "\t", "-c", sql)
        return [tuple(line.split("\t")) for line in result.stdout.splitlines() if line]

    def log(self):
        try:
            with open(os.path.join(self.root, "server.log")) as f:
                return f.read()[-4000:]
        except OSError:
            return ""

    def stop(self):
        self._run("pg_ctl", "-D", self.data, "-m", "immediate", "-w", "stop", check=False)
        shutil.rmtree(self.root, ignore_errors=True)
