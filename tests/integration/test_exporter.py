"""erg exporter (issue 21, docs/metrics.md): the node's counters and its running jobs' energy
in the Prometheus text format, under a simulated RAPL package at a constant power. The tests
that need Debian's prometheus package (promtool, a real server) are the class Prometheus,
which CTest runs on its own (tests/CMakeLists.txt), so that it shows as skipped without it."""
import json
import os
import re
import select
import shutil
import signal
import socket
import subprocess
import tempfile
import threading
import time
import urllib.error
import urllib.parse
import urllib.request

import ergtest
from ergtest import erg

WATTS = 40.0
INTERVAL_S = 0.1
METRICS = {"erg_node_energy_joules_total", "erg_node_power_watts", "erg_job_energy_joules_total",
           "erg_job_co2e_grams_total"}
# A user name as hostile as a job's environment can make it: quotes, a backslash, a line
# break, a fake label and a fake sample.
HOSTILE_USER = 'eve" } erg_node_power_watts{node="x"} 1e9\n# TYPE \\ ,domain="cpu'

SAMPLE = re.compile(r'^([a-zA-Z_:][a-zA-Z0-9_:]*)(\{(.*)\})? (\S+)$')
LABEL = re.compile(r'([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"')


def unescape(value):
    return re.sub(r'\\(.)', lambda m: {"n": "\n", "\\": "\\", '"': '"'}[m.group(1)], value)


def parse_page(text):
    """{(name, ((label, value), ...)): value} of a scrape; HELP and TYPE lines by name."""
    samples, types = {}, {}
    for line in text.splitlines():
        if line.startswith("# TYPE "):
            _, _, name, kind = line.split(" ", 3)
            types[name] = kind
            continue
        if line.startswith("#") or not line:
            continue
        m = SAMPLE.match(line)
        if not m:
            raise AssertionError(f"not a sample line: {line!r}")
        labels = tuple(sorted((k, unescape(v)) for k, v in LABEL.findall(m.group(3) or "")))
        samples[(m.group(1), labels)] = float(m.group(4))
    return samples, types


def pick(samples, name, **labels):
    """The samples of one metric whose labels include those given: {labels dict: value}."""
    found = {}
    for (n, ls), v in samples.items():
        d = dict(ls)
        if n == name and all(d.get(k) == v2 for k, v2 in labels.items()):
            found[ls] = v
    return found


class Exporter:
    """erg exporter on a free port; stderr's first line says which."""

    def __init__(self, args, env):
        self.process = subprocess.Popen([ergtest.ERG, "exporter", "--listen", "127.0.0.1:0", *args],
                                        env=dict(os.environ, **env), stderr=subprocess.PIPE, text=True)
        # Warnings (a sensor, the spool) may come first; the line that names the port last.
        said, m, deadline = "", None, time.monotonic() + 20
        while not m and time.monotonic() < deadline:
            ready, _, _ = select.select([self.process.stderr], [], [], max(deadline - time.monotonic(), 0))
            line = self.process.stderr.readline() if ready else ""
            if not line:
                break
            said += line
            m = re.search(r"http://127\.0\.0\.1:(\d+)/metrics", line)
        if not m:
            self.process.kill()
            raise AssertionError(f"erg exporter did not start: {said!r}")
        self.port = int(m.group(1))
        self.url = f"http://127.0.0.1:{self.port}/metrics"

    def get(self, path="/metrics", timeout=5):
        with urllib.request.urlopen(f"http://127.0.0.1:{self.port}{path}", timeout=timeout) as response:
            return response.status, response.headers.get("Content-Type"), response.read().decode()

    def scrape(self, timeout=5):
        status, content_type, text = self.get(timeout=timeout)
        assert status == 200 and content_type.startswith("text/plain; version=0.0.4"), (status, content_type)
        return text

    def stop(self):
        if self.process.stderr.closed:  # stopped already
            return self.process.returncode, ""
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()
            raise
        rest = self.process.stderr.read()
        self.process.stderr.close()
        return self.process.returncode, rest


class ExporterCase(ergtest.TestCase):
    """A simulated node at a constant WATTS, a spool root, and helpers to run daemons on it."""

    def setUp(self):
        super().setUp()
        self.powercap = ergtest.SimulatedPowercap(self.path("powercap"))
        self.powercap.add_zone("intel-rapl:0", "package-0")
        self.power = ergtest.ConstantPower(self.powercap, {"intel-rapl:0": WATTS}).__enter__()
        self.spool = self.path("spool")
        os.mkdir(self.spool, 0o755)
        self.env = {"ERG_POWERCAP_ROOT": self.powercap.root, "ERG_NODE_NAME": "n1", "ERG_CONFIG": "/dev/null"}
        self.processes = []

    def tearDown(self):
        for stop in reversed(self.processes):
            stop()
        self.power.__exit__(None, None, None)
        super().tearDown()

    def exporter(self, *args):
        exporter = Exporter(["--spool", self.spool, "--interval", str(INTERVAL_S), "--pue", "1.5",
                             "--emission-factor", "400", *args], self.env)
        self.processes.append(exporter.stop)
        return exporter

    def agent(self, job, user):
        """A job's node daemon, as the Slurm prolog starts it (slurm/prolog)."""
        daemon = subprocess.Popen([ergtest.ERG, "agent", "--job", job, "--spool", self.spool, "--interval",
                                   str(INTERVAL_S), "--flush", "0.1"],
                                  env=dict(os.environ, **self.env, SLURM_JOB_USER=user, SLURM_JOB_ID=job),
                                  stderr=subprocess.PIPE, text=True)

        def stop():
            if daemon.poll() is None:
                daemon.send_signal(signal.SIGTERM)
            daemon.wait(timeout=10)
            daemon.stderr.close()

        self.processes.append(stop)
        return stop

    def at_change(self, exporter, name, **labels):
        """(time, value, samples) as soon as the page shows a new value of one sample: the
        moment the exporter rebuilt it, within 10 ms. A rate between two such moments
        carries no rebuild lag (0 to 0.2 s at each end otherwise, more on a loaded machine)."""
        first, deadline = None, time.monotonic() + 10
        while True:
            samples, _ = parse_page(exporter.scrape())
            t = time.monotonic()
            value = next(iter(pick(samples, name, **labels).values()), None)
            if first is None:
                first = value
            elif value != first or t > deadline:
                return t, value, samples
            time.sleep(0.01)

    def wait_for(self, exporter, condition, timeout_s=10):
        deadline = time.monotonic() + timeout_s
        while True:
            samples, _ = parse_page(exporter.scrape())
            if condition(samples) or time.monotonic() > deadline:
                return samples
            time.sleep(0.05)


class NodeAndJobs(ExporterCase):
    def test_node_counters_rise_at_the_constant_power(self):
        exporter = self.exporter()
        samples = self.wait_for(exporter, lambda s: pick(s, "erg_node_power_watts", domain="cpu"))
        t0, e0, _ = self.at_change(exporter, "erg_node_energy_joules_total", node="n1", domain="cpu")
        time.sleep(2.0)
        t1, e1, _ = self.at_change(exporter, "erg_node_energy_joules_total", node="n1", domain="cpu")
        samples, types = parse_page(exporter.scrape())
        # Each end is a sample of the last 0.1 s interval: +-5 % over 2 s.
        self.assertAlmostEqual((e1 - e0) / (t1 - t0), WATTS, delta=0.2 * WATTS)
        power = list(pick(samples, "erg_node_power_watts", node="n1", domain="cpu").values())[0]
        self.assertAlmostEqual(power, WATTS, delta=0.3 * WATTS)  # one 0.1 s interval, the counter moves every 20 ms
        self.assertEqual(types["erg_node_energy_joules_total"], "counter")
        self.assertEqual(types["erg_node_power_watts"], "gauge")
        self.assertEqual(types["erg_job_energy_joules_total"], "counter")
        self.assertEqual(types["erg_job_co2e_grams_total"], "counter")
        self.assertFalse(pick(samples, "erg_job_energy_joules_total"), "no job runs")
        self.assertLessEqual({n for n, _ in samples}, METRICS)

    def test_a_running_job_daemon_is_shown_with_its_energy_and_co2e_and_leaves_when_it_stops(self):
        # The grid's intensity over time (the site's series) prices the job's energy, at
        # 200 g/kWh from yesterday to tomorrow, over the emission factor (400).
        intensity = self.path("intensity.csv")
        with open(intensity, "w") as f:
            f.write("datetime,carbon_intensity_g_per_kwh\n")
            for day in (-1, 0, 1):
                f.write(time.strftime("%Y-%m-%dT00:00:00Z", time.gmtime(time.time() + day * 86400)) + ",200\n")
        exporter = self.exporter("--intensity", intensity)
        stop = self.agent("4242", HOSTILE_USER)
        samples = self.wait_for(exporter, lambda s: pick(s, "erg_job_energy_joules_total", job_id="4242"))
        jobs = pick(samples, "erg_job_energy_joules_total", job_id="4242", domain="cpu")
        self.assertEqual(len(jobs), 1, samples)
        labels = dict(next(iter(jobs)))
        self.assertEqual(labels, {"job_id": "4242", "user": HOSTILE_USER, "node": "n1", "domain": "cpu"})
        # The hostile name added no sample of its own.
        self.assertFalse(pick(samples, "erg_node_power_watts", node="x"))
        job_cpu = {"job_id": "4242", "domain": "cpu"}
        t0, e0, _ = self.at_change(exporter, "erg_job_energy_joules_total", **job_cpu)
        time.sleep(2.0)
        t1, e1, samples = self.at_change(exporter, "erg_job_energy_joules_total", **job_cpu)
        # An exclusive node (no Slurm allocation): the job is charged the node's whole counter.
        # Each end is the daemon's last flush (every 0.1 s) of 0.1 s samples.
        self.assertAlmostEqual((e1 - e0) / (t1 - t0), WATTS, delta=0.25 * WATTS)
        job_j = sum(pick(samples, "erg_job_energy_joules_total", job_id="4242").values())
        co2e = pick(samples, "erg_job_co2e_grams_total", job_id="4242", user=HOSTILE_USER)
        self.assertEqual(len(co2e), 1)
        self.assertAlmostEqual(next(iter(co2e.values())), job_j * 1.5 * 200 / 3.6e6, delta=1e-9 + 1e-6 * job_j)
        stop()
        self.wait_for(exporter, lambda s: not pick(s, "erg_job_energy_joules_total", job_id="4242"))
        samples, _ = parse_page(exporter.scrape())
        self.assertFalse(pick(samples, "erg_job_energy_joules_total", job_id="4242"), "the ended job left")
        self.assertTrue(pick(samples, "erg_node_energy_joules_total", domain="cpu"))

    def test_finished_jobs_in_the_spool_are_not_shown(self):
        stop = self.agent("7", "alice")
        deadline = time.monotonic() + 10
        while not os.path.exists(os.path.join(self.spool, "7", "n1.pid")) and time.monotonic() < deadline:
            time.sleep(0.05)
        time.sleep(0.3)
        stop()
        exporter = self.exporter()
        samples, _ = parse_page(exporter.scrape())
        time.sleep(0.5)
        samples, _ = parse_page(exporter.scrape())
        self.assertFalse(pick(samples, "erg_job_energy_joules_total"))

    def test_textfile_for_node_exporter(self):
        folder = self.path("textfile")
        os.mkdir(folder)
        exporter = self.exporter("--textfile", folder)
        deadline = time.monotonic() + 10
        prom = os.path.join(folder, "erg.prom")
        def read():
            with open(prom) as f:
                return parse_page(f.read())[0]

        while time.monotonic() < deadline:
            if os.path.exists(prom) and pick(read(), "erg_node_power_watts", domain="cpu"):
                break
            time.sleep(0.05)
        samples = read()
        self.assertTrue(pick(samples, "erg_node_energy_joules_total", node="n1", domain="cpu"))
        self.assertEqual([f for f in os.listdir(folder)], ["erg.prom"], "no temporary file left behind")
        exporter.stop()

    def test_malformed_requests_and_many_scrapers(self):
        exporter = self.exporter()
        # Garbage, a request line a megabyte long, a body on a GET, a version that does not exist.
        for payload in (b"\x00\xff garbage\r\n\r\n", b"GET /" + b"a" * (1 << 20) + b" HTTP/1.1\r\n\r\n",
                        b"GET /metrics HTTP/1.1\r\nContent-Length: 99999999\r\n\r\nxx", b"GET /metrics HTTP/9\r\n\r\n",
                        b"POST /metrics HTTP/1.1\r\nHost: x\r\n\r\n"):
            with socket.create_connection(("127.0.0.1", exporter.port), timeout=5) as s:
                try:
                    s.sendall(payload)
                    s.recv(4096)
                except OSError:
                    pass  # the server may close before reading everything
        with self.assertRaises(urllib.error.HTTPError) as missing:
            exporter.get("/nothing-here")
        self.assertEqual(missing.exception.code, 404)
        # Many scrapers at once for 2 s, while the idle connections hold threads until they
        # time out.
        errors, latencies = [], []

        def scraper():
            while time.monotonic() < hammer_until or (len(latencies) < 160 and time.monotonic() < hammer_until + 30):
                try:
                    t = time.monotonic()
                    # Behind the idle clients, which hold the 4 threads for 1 s each.
                    text = exporter.scrape(timeout=10)
                    latencies.append(time.monotonic() - t)
                    if "erg_node_energy_joules_total" not in text:
                        errors.append("no node energy")
                except Exception as e:  # noqa: BLE001 - every failure counts
                    errors.append(repr(e))

        def node_j():
            samples, _ = parse_page(exporter.scrape(timeout=10))
            return time.monotonic(), next(iter(pick(samples, "erg_node_energy_joules_total", domain="cpu").values()))

        t0, e0 = node_j()
        idle = [socket.create_connection(("127.0.0.1", exporter.port), timeout=5) for _ in range(12)]
        hammer_until = time.monotonic() + 2.0
        threads = [threading.Thread(target=scraper) for _ in range(16)]
        for t in threads:
            t.start()
        for t in threads:
            t.join(timeout=60)
        for s in idle:
            s.close()
        self.assertEqual(errors, [])
        self.assertGreaterEqual(len(latencies), 160)
        # Sampling went on at its pace while the scrapers waited and were served.
        t1, e1 = node_j()
        self.assertGreater(t1 - t0, 1.5)
        self.assertAlmostEqual((e1 - e0) / (t1 - t0), WATTS, delta=0.25 * WATTS)
        # With the idle clients gone, a scrape costs milliseconds.
        t = time.monotonic()
        exporter.scrape()
        self.assertLess(time.monotonic() - t, 0.5)
        code, stderr = exporter.stop()
        self.assertEqual(code, 0, stderr)

    def test_stops_cleanly_on_sigterm(self):
        exporter = self.exporter()
        exporter.scrape()
        t = time.monotonic()
        code, stderr = exporter.stop()
        self.assertEqual(code, 0)
        self.assertEqual(stderr, "", "a service that stops says nothing")
        self.assertLess(time.monotonic() - t, 5)


class BadOptions(ergtest.TestCase):
    def test_bad_options_say_one_line_and_exit_2(self):
        env = {"ERG_POWERCAP_ROOT": "/nonexistent", "ERG_NODE_NAME": "n1", "ERG_CONFIG": "/dev/null"}
        with socket.socket() as taken:
            taken.bind(("127.0.0.1", 0))
            taken.listen(1)
            in_use = f"127.0.0.1:{taken.getsockname()[1]}"
            for args in (["--listen", "nonsense"], ["--listen", "127.0.0.1:99999"], ["--listen", "127.0.0.1:"],
                         ["--listen", ":9767"], ["--listen", "::1:9767"], ["--listen", "127.0.0.1:12x"],
                         ["--listen", "192.0.2.1:9767"], ["--listen", in_use], ["--textfile", "/nonexistent"],
                         ["--interval", "0"], ["--pue", "nan"], ["--bogus"], ["--listen"]):
                self.assertUsageError(erg("exporter", *args, env=env, timeout=20), " ".join(args))

    def test_help(self):
        result = erg("exporter", "--help")
        self.assertEqual(result.returncode, 0)
        self.assertIn("--listen", result.stdout)


class Dashboard(ergtest.TestCase):
    def test_the_grafana_dashboard_is_json_and_uses_only_erg_metrics(self):
        path = os.path.join(ergtest.SOURCE_DIR, "contrib", "grafana", "erg-dashboard.json")
        with open(path) as f:
            dashboard = json.load(f)
        exprs = []

        def walk(node):
            if isinstance(node, dict):
                for k, v in node.items():
                    if k == "expr" and isinstance(v, str):
                        exprs.append(v)
                    walk(v)
            elif isinstance(node, list):
                for v in node:
                    walk(v)

        walk(dashboard)
        self.assertGreaterEqual(len(exprs), 4)
        used = set()
        for expr in exprs:
            used |= set(re.findall(r"\berg_[a-z0-9_]+", expr))
        self.assertTrue(used, exprs)
        self.assertLessEqual(used, METRICS, f"unknown metrics in the dashboard: {used - METRICS}")
        self.assertEqual(used, METRICS, "every metric has a panel")
        titles = " ".join(p.get("title", "") for p in dashboard.get("panels", [])).lower()
        for subject in ("power", "energy", "co2e", "user"):
            self.assertIn(subject, titles)


class Prometheus(ExporterCase):
    """promtool and a real Prometheus server (Debian's prometheus package)."""

    def setUp(self):
        for tool in ("promtool", "prometheus"):
            if not shutil.which(tool):
                self.skipTest(f"{tool} is not installed (Debian package prometheus)")
        super().setUp()

    def test_promtool_accepts_the_page_with_a_hostile_user(self):
        exporter = self.exporter()
        self.agent("99", HOSTILE_USER)
        samples = self.wait_for(exporter, lambda s: pick(s, "erg_job_co2e_grams_total", job_id="99")
                                and pick(s, "erg_node_power_watts"))
        self.assertTrue(pick(samples, "erg_job_co2e_grams_total", job_id="99"))
        page = exporter.scrape()
        check = subprocess.run(["promtool", "check", "metrics"], input=page, capture_output=True, text=True, timeout=30)
        self.assertEqual(check.returncode, 0, check.stdout + check.stderr + page)

    def test_a_prometheus_server_scrapes_the_exporter_and_answers_a_query(self):
        exporter = self.exporter()
        self.agent("5", "bob")
        with socket.socket() as s:
            s.bind(("127.0.0.1", 0))
            web_port = s.getsockname()[1]
        config = self.path("prometheus.yml")
        with open(config, "w") as f:
            f.write("global:\n  scrape_interval: 1s\n  evaluation_interval: 1s\n"
                    "scrape_configs:\n  - job_name: erg\n    static_configs:\n"
                    f"      - targets: ['127.0.0.1:{exporter.port}']\n")
        server = subprocess.Popen(["prometheus", f"--config.file={config}", f"--storage.tsdb.path={self.path('tsdb')}",
                                   f"--web.listen-address=127.0.0.1:{web_port}"],
                                  stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)

        def stop():
            server.terminate()
            try:
                server.wait(timeout=10)
            except subprocess.TimeoutExpired:
                server.kill()
                server.wait()

        self.processes.append(stop)
        def query(promql, deadline):
            """The API's answer once it has a result, or the last answer at the deadline."""
            url = f"http://127.0.0.1:{web_port}/api/v1/query?" + urllib.parse.urlencode({"query": promql})
            answer = None
            while time.monotonic() < deadline:
                try:
                    with urllib.request.urlopen(url, timeout=2) as response:
                        answer = json.load(response)
                    if answer["status"] == "success" and answer["data"]["result"]:
                        break
                except OSError:
                    pass
                time.sleep(0.2)
            self.assertIsNotNone(answer, f"Prometheus never answered {promql}")
            self.assertEqual(answer["status"], "success", answer)
            return answer["data"]["result"]

        deadline = time.monotonic() + 20
        result = query('sum by (job_id, user) (erg_job_energy_joules_total{job_id="5"})', deadline)
        answer = {"data": {"result": result}}
        self.assertEqual(len(result), 1, answer)
        self.assertEqual(result[0]["metric"], {"job_id": "5", "user": "bob"})
        self.assertGreater(float(result[0]["value"][1]), 0)
        # The counters mean what they say: Prometheus's rate over them is the node's power.
        # Once four scrapes are in the window, far from the counter's start at 0 (where rate()
        # does not extrapolate).
        series = 'erg_node_energy_joules_total{node="n1",domain="cpu"}'
        query(f"count_over_time({series}[4s]) >= 4", deadline)
        rate = query(f"rate({series}[4s])", deadline)
        self.assertEqual(len(rate), 1, rate)
        self.assertAlmostEqual(float(rate[0]["value"][1]), WATTS, delta=0.25 * WATTS)
        # and the scrape itself was healthy
        targets_url = f"http://127.0.0.1:{web_port}/api/v1/targets"
        with urllib.request.urlopen(targets_url, timeout=5) as response:
            targets = json.load(response)["data"]["activeTargets"]
        self.assertEqual([t["health"] for t in targets], ["up"], targets)


if __name__ == "__main__":
    ergtest.main()
