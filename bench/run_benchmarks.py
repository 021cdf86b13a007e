#!/usr/bin/env python3
"""Runs erg's benchmarks and prints their figures (bench/README.md says what each means).

    python3 bench/run_benchmarks.py [--build build] [--out bench-results] [--only NAME ...] [--smoke]
    python3 bench/run_benchmarks.py --only scale --nodes N --hours H   # one JSON line (issue 19)

Overhead figures are ratios measured in one run: every accounted run sits between two bare
runs and is compared with their mean; each figure is the median over --repeat rounds, with
the quartiles, and a bare-versus-bare comparison gives the noise floor. --smoke runs every benchmark at a tiny size,
as the test suite does."""
import argparse
import json
import os
import statistics
import subprocess
import sys
import random
import tempfile
import time

MPIRUN = ["mpirun", "--allow-run-as-root", "--oversubscribe"]
if os.environ.get("ASAN_OPTIONS"):  # the sanitizer build's smoke run: Open MPI forwards only what -x names
    MPIRUN += ["-x", "ASAN_OPTIONS"]
# There, a program without ASan that preloads an erg library needs the ASan runtime first.
ASAN_RUNTIME = os.environ.get("ERG_ASAN_RUNTIME", "")


def sh(args, env=None, timeout=900):
    full = dict(os.environ, ERG_CONFIG="/dev/null", **(env or {}))
    result = subprocess.run(args, env=full, capture_output=True, text=True, timeout=timeout)
    if result.returncode != 0:
        raise RuntimeError(f"{' '.join(args)} failed: {result.stderr[-2000:]}")
    return result


def last_json(text):
    return json.loads([line for line in text.splitlines() if line.startswith("{")][-1])


def timed(args, env=None):
    """Wall seconds, peak RSS (MB) and stdout of a child process."""
    full = dict(os.environ, ERG_CONFIG="/dev/null", **(env or {}))
    with tempfile.TemporaryFile(mode="w+") as err:
        start = time.perf_counter()
        proc = subprocess.Popen(args, env=full, stdout=subprocess.PIPE, stderr=err, text=True)
        out = proc.stdout.read()
        _, status, usage = os.wait4(proc.pid, 0)  # the child's own peak RSS, not the largest so far
        wall = time.perf_counter() - start
        proc.stdout.close()
        proc.returncode = os.waitstatus_to_exitcode(status)
        if proc.returncode != 0:
            err.seek(0)
            raise RuntimeError(f"{' '.join(args)} failed: {err.read()[-2000:]}")
    return wall, usage.ru_maxrss / 1024, out


def bench_sensors(build, smoke):
    fake = os.path.join(build, "tests", "liberg_test_fake_gpu.so")
    out = last_json(sh([os.path.join(build, "bench", "erg_bench_sensor_cost"), "2000" if smoke else "50000", fake]).stdout
                    .replace("\n", " "))
    print("\n## Cost per sample by sensor\n\n| sensor | us per sample |\n|---|---|")
    print(f"| RAPL, {out['rapl_zones']} zones (simulated powercap) | {out['rapl_us_per_sample']:.2f} |")
    print(f"| CPU model (procfs) | {out['cpu_model_us_per_sample']:.2f} |")
    print(f"| DRAM model (procfs, shared with the CPU model within a sample) | {out['dram_model_us_per_sample']:.2f} |")
    if "nvml_us_per_sample" in out:
        print(f"| NVML stand-in, {out['nvml_gpus']} GPUs | {out['nvml_us_per_sample']:.2f} |")
    return out


def bench_memory(build, smoke):
    out = last_json(sh([os.path.join(build, "bench", "erg_bench_memory"), "20000" if smoke else "2000000"]).stdout)
    print("\n## Memory and spool size\n")
    print(f"- agent: {out['agent_bytes_per_sample']:.1f} bytes per sample with 4 domains: "
          f"{out['agent_mb_per_hour_at_1s']:.2f} MB per hour at 1 s, {out['agent_mb_per_hour_at_1ms']:.0f} MB at 1 ms")
    print(f"- spool: {out['spool_bytes_per_sample_at_1s']:.1f} bytes per sample at 1 s (a record per sample), "
          f"{out['spool_bytes_per_sample_at_100ms']:.1f} at 100 ms (10 samples per record)")
    return out


def bench_memory_growth(erg, smoke):
    """erg run --interval 0.001 -- sleep 65: erg's resident memory at 5 s and at 64 s."""
    script = os.path.join(os.path.dirname(os.path.abspath(__file__)), "memory_growth.py")
    timing = ["--seconds", "4", "--from", "1"] if smoke else ["--seconds", "65", "--from", "5"]
    out = last_json(sh([sys.executable, script, "--erg", erg, "--interval", "0.001"] + timing).stdout)
    (t0, kb0), (t1, kb1) = out["rss_kb_at"].items()
    print("\n## Memory of a long run at 1 ms (`erg run --interval 0.001 -- sleep 65`)\n")
    print(f"- resident memory {kb0} kB at {t0}, {kb1} kB at {t1}: {out['growth_kb']} kB more, "
          f"{out['growth_mb_per_hour']:.1f} MB per hour")
    return out


def bench_aggregate(build, smoke, erg):
    rows = []
    print("\n## Aggregation at scale (1 s samples, 4 domains per node)\n")
    print("| nodes | samples per node | aggregate + write (s) | read + report in-process (s) | peak RSS (MB) | "
          "file (MB) | `erg report --format json` (s) | its peak RSS (MB) |\n|---|---|---|---|---|---|---|---|")
    with tempfile.TemporaryDirectory() as tmp:
        for nodes in ([1, 4] if smoke else [1, 16, 256, 1024]):
            seconds = 60 if smoke else 3600
            out = os.path.join(tmp, f"agg{nodes}.h5")
            r = last_json(sh([os.path.join(build, "bench", "erg_bench_aggregate"), str(nodes), str(seconds), out]).stdout)
            r["report_s"], r["report_rss_mb"], _ = timed([erg, "report", out, "--format", "json"])
            rows.append(r)
            print(f"| {nodes} | {r['samples_per_node']} | {r['aggregate_write_s']:.3f} | {r['read_and_report_s']:.3f} | "
                  f"{r['peak_rss_mb']:.0f} | {r['file_mb']:.1f} | {r['report_s']:.3f} | {r['report_rss_mb']:.0f} |")
    return rows


def bench_gather(build, smoke):
    rows = []
    print("\n## Finalize latency (each rank a node with one hour of 1 s samples)\n")
    print("| ranks | reduce (s) | write job file and summary (s) | total (s) |\n|---|---|---|---|")
    for np in ([2] if smoke else [2, 4, 8]):
        r = last_json(sh([*MPIRUN, "-np", str(np), os.path.join(build, "bench", "erg_bench_gather"),
                          "60" if smoke else "3600"]).stdout)
        rows.append(r)
        print(f"| {np} | {r['gather_s']:.4f} | {r['write_s']:.4f} | {r['finalize_s']:.4f} |")
    return rows


def spread(values):
    """(median, lower quartile, upper quartile) in percent."""
    if len(values) < 2:
        return 100 * values[0], 100 * values[0], 100 * values[0]
    q = statistics.quantiles(values, n=4, method="inclusive")
    return 100 * statistics.median(values), 100 * q[0], 100 * q[2]


def spread_text(values):
    median, q1, q3 = spread(values)
    return f"{median:+.2f} [{q1:+.2f}, {q3:+.2f}]"


def ratio(numerator, denominator):
    """numerator / denominator, NaN where the kernel had no figure (no schedstat: zeros)."""
    return numerator / denominator if denominator else float("nan")


def bootstrap_median_interval(groups, draws=5000):
    """95 % interval of the median of all values, resampling whole groups (the rounds: their
    runs share bare neighbours, so they are not independent), seeded: the same figures from
    the same data."""
    rng = random.Random(0)
    medians = sorted(statistics.median(sum(rng.choices(groups, k=len(groups)), [])) for _ in range(draws))
    return medians[int(0.025 * draws)], medians[int(0.975 * draws)]


def pooled_overhead(rows):
    """Per interval, every accounted mode together against the A/A floor: the four modes run
    the same sampler, so pooling them narrows the interval around the median."""
    lines = []
    for interval in sorted({row["interval_s"] for row in rows}, reverse=True):
        at = [row for row in rows if row["interval_s"] == interval]
        for name, label in [("wall", "wall"), ("wait", "slowest rank's extra wait")]:
            by_mode = [row[name]["ratios"] for row in at if row["mode"] != "bare"]
            accounted = [list(values) for values in zip(*by_mode)]  # one group per round
            floor = next(row[name]["ratios"] for row in at if row["mode"] == "bare")
            per_round = len(floor) // len(accounted)
            floor = [floor[r * per_round:(r + 1) * per_round] for r in range(len(accounted))]
            texts = []
            for groups in (accounted, floor):
                values = sum(groups, [])
                lo, hi = bootstrap_median_interval(groups)
                texts.append(f"{100 * statistics.median(values):+.2f} % [{100 * lo:+.2f}, {100 * hi:+.2f}] (n={len(values)})")
            lines.append(f"| {interval:g} s | {label} | {texts[0]} | {texts[1]} |")
    print("\nPooled over the four modes, median with its 95 % bootstrap interval (rounds resampled):\n")
    print("| interval | measure | accounted, all modes | bare (A/A) |\n|---|---|---|---|")
    print("\n".join(lines))


def kernel_units(kernel, target_s):
    """The work units that take the kernel about target_s (its own compute time: mpirun's
    start-up is not work)."""
    probe_units = 200
    probe_s = last_json(sh([*MPIRUN, "-np", "2", kernel, str(probe_units)]).stdout)["kernel_s"]
    return max(1, round(probe_units * target_s / max(probe_s, 1e-3)))


def run_beside_daemon(erg, kernel, units, env, tmp, daemon_cpu=None):
    """Runs the kernel on 2 ranks as a Slurm job beside the node daemon, as the prolog starts
    it (bound to daemon_cpu if given); returns (wall s, stdout). The trace is env's ERG_OUT."""
    spool = os.path.join(tmp, "spool")
    os.makedirs(spool, exist_ok=True)
    job = f"bench{time.time_ns()}"
    denv = dict(env, ERG_SPOOL=spool)
    pin = ["taskset", "-c", str(daemon_cpu)] if daemon_cpu is not None else []
    subprocess.run([*pin, erg, "agent", "--job", job, "--detach"], env=dict(os.environ, ERG_CONFIG="/dev/null", **denv),
                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=True)
    time.sleep(0.2)
    wall, _, out = timed([*MPIRUN, "-np", "2", "-x", "SLURM_JOB_ID", kernel, str(units)], dict(env, SLURM_JOB_ID=job))
    sh([erg, "agent", "--job", job, "--stop"], denv)
    sh([erg, "collect", "--job", job, "-o", env["ERG_OUT"], "-q"], denv)
    return wall, out


def bench_overhead(build, smoke, erg, repeat, target_s, only_intervals=None):
    bench = os.path.join(build, "bench")
    pmpi = os.path.join(build, "agent", "liberg_pmpi.so")
    kernel, linked = os.path.join(bench, "erg_bench_kernel"), os.path.join(bench, "erg_bench_kernel_linked")
    tmp = tempfile.mkdtemp(prefix="erg-overhead-")
    units = kernel_units(kernel, target_s)

    def run_mode(mode, interval):
        """The run's figures: wall s, the ranks' mean compute, on-CPU and the longest wait for a
        CPU (s), and the sampler's CPU s (None when bare)."""
        trace = os.path.join(tmp, f"{mode}.h5")
        env = {"ERG_INTERVAL": str(interval), "ERG_OUT": trace, "ERG_POWERCAP_ROOT": "/nonexistent"}
        exports = sum((["-x", k] for k in env), [])
        if mode == "bare":
            wall, _, out = timed([*MPIRUN, "-np", "2", kernel, str(units)])
        elif mode == "linked":
            wall, _, out = timed([*MPIRUN, "-np", "2", *exports, linked, str(units)], env)
        elif mode == "preload":
            preload = ":".join(([ASAN_RUNTIME] if ASAN_RUNTIME else []) + [pmpi])
            wall, _, out = timed([*MPIRUN, "-np", "2", *exports, "env", f"LD_PRELOAD={preload}", kernel, str(units)], env)
        elif mode == "erg-run":
            wall, _, out = timed([erg, "run", "--interval", str(interval), "--out", trace, "--",
                                  *MPIRUN, "-np", "2", kernel, str(units)], env)
        else:
            wall, out = run_beside_daemon(erg, kernel, units, env, tmp)
        k = last_json(out)
        run = {"wall_s": wall, "compute_s": k["rank_mean_s"], "on_cpu_s": k["rank_on_cpu_mean_s"],
               "wait_max_s": k["rank_waiting_max_s"], "sampler_cpu_s": None}
        if mode != "bare":
            with open(trace.replace(".h5", ".json")) as f:
                run["sampler_cpu_s"] = json.load(f)["measurement"]["sampler_cpu_s"]
        return run

    modes = ["linked", "preload", "erg-run", "daemon"]
    intervals = [0.1, 0.001] if smoke else (only_intervals or [1, 0.1, 0.01, 0.001])
    # Each measure of an accounted (or inner bare) run against the mean of its bare neighbours.
    measures = {
        "wall": lambda run, before, after: ratio(run["wall_s"], (before["wall_s"] + after["wall_s"]) / 2) - 1,
        "compute": lambda run, before, after: ratio(run["compute_s"], (before["compute_s"] + after["compute_s"]) / 2) - 1,
        "on_cpu": lambda run, before, after: ratio(run["on_cpu_s"], (before["on_cpu_s"] + after["on_cpu_s"]) / 2) - 1,
        # what the most delayed rank waited for a CPU beyond what bare runs wait, as a share of its compute time
        "wait": lambda run, before, after: ratio(run["wait_max_s"] - (before["wait_max_s"] + after["wait_max_s"]) / 2,
                                                 run["compute_s"]),
    }
    results = []
    print(f"\n## Overhead on a {target_s:g} s MPI kernel, 2 ranks on 2 cores ({units} work units, {repeat} rounds)\n")
    print("Each accounted run is compared with the two bare runs around it (B A B A B ...); the "
          "figures are medians over rounds [quartiles] of accounted / mean(bare neighbours) - 1 for "
          "mpirun's wall time, the ranks' compute time and their time on a CPU, and the extra wait for a "
          "CPU of the most delayed rank as a share of its compute time. `bare (A/A)` compares each inner "
          "bare run with its neighbours the same way: the noise floor.\n")
    print("| interval | mode | wall % [q1, q3] | rank compute % [q1, q3] | rank on CPU % [q1, q3] | "
          "slowest rank's extra wait for a CPU % [q1, q3] | sampler CPU (s) | sampler CPU / job core time |"
          "\n|---|---|---|---|---|---|---|---|")
    for interval in intervals:
        ratios = {m: {name: [] for name in measures} for m in ["bare", *modes]}
        cpu = {m: [] for m in modes}
        job_core_s = {m: [] for m in modes}
        runs = []
        for r in range(repeat):
            order = modes[r % len(modes):] + modes[:r % len(modes)]
            bare = [run_mode("bare", interval)]
            accounted = []
            for mode in order:
                accounted.append((mode, run_mode(mode, interval)))
                bare.append(run_mode("bare", interval))
            runs.append({"bare": bare, "accounted": accounted})
            for i, (mode, run) in enumerate(accounted):
                for name, measure in measures.items():
                    ratios[mode][name].append(measure(run, bare[i], bare[i + 1]))
                cpu[mode].append(run["sampler_cpu_s"])
                job_core_s[mode].append(2 * run["compute_s"])
            for i in range(1, len(bare) - 1):
                for name, measure in measures.items():
                    ratios["bare"][name].append(measure(bare[i], bare[i - 1], bare[i + 1]))
        for mode in ["bare", *modes]:
            row = {"interval_s": interval, "mode": mode, "runs": runs if mode == "bare" else None}
            cells = []
            for name in measures:
                median, q1, q3 = spread(ratios[mode][name])
                row[name] = {"median": median / 100, "q1": q1 / 100, "q3": q3 / 100, "ratios": ratios[mode][name]}
                cells.append(spread_text(ratios[mode][name]))
            cpu_text = share_text = "-"
            if mode != "bare":
                row["sampler_cpu_s"] = statistics.median(cpu[mode])
                row["sampler_cpu_share"] = statistics.median(c / j for c, j in zip(cpu[mode], job_core_s[mode]))
                cpu_text = f"{row['sampler_cpu_s']:.3f}"
                share_text = f"{100 * row['sampler_cpu_share']:.2f} %"
            results.append(row)
            name = "bare (A/A)" if mode == "bare" else mode
            print(f"| {interval:g} s | {name} | {' | '.join(cells)} | {cpu_text} | {share_text} |", flush=True)
    pooled_overhead(results)
    return results


def bench_shared_core(build, smoke, erg, repeat, target_s, interval):
    """What a sampler costs the rank whose core it shares, beyond the wait for the CPU (caches):
    the node daemon is bound to the first rank's CPU, so that within one run that rank shares
    its core with the sampler and the other rank is the control, at the same host speed."""
    kernel = os.path.join(build, "bench", "erg_bench_kernel")
    tmp = tempfile.mkdtemp(prefix="erg-shared-core-")
    units = kernel_units(kernel, target_s)
    env = {"ERG_INTERVAL": str(interval), "ERG_OUT": os.path.join(tmp, "daemon.h5"), "ERG_POWERCAP_ROOT": "/nonexistent"}

    def rank_cpus(out):
        return {r["cpu"]: r for r in last_json(out)["ranks"]}

    def bare():
        return timed([*MPIRUN, "-np", "2", kernel, str(units)])[2]

    # Open MPI binds each rank to a core of its own; the daemon goes on the first rank's CPU.
    first = bare()
    cpus = sorted(rank_cpus(first))
    if len(cpus) != 2:  # one CPU, or no binding: nothing to compare
        print(f"\n## What the sampler costs the rank on its core: skipped, the ranks did not run on two CPUs ({cpus})")
        return None
    shared_cpu, control_cpu = cpus

    def by_cpu(out):
        """(on-CPU ratio, wait difference / on-CPU) of the rank on the daemon's CPU against the
        other, or None where the ranks ran elsewhere (a core's other hardware thread)."""
        ranks = rank_cpus(out)
        if set(ranks) != set(cpus):
            return None
        shared, control = ranks[shared_cpu], ranks[control_cpu]
        return (ratio(shared["on_cpu_s"], control["on_cpu_s"]),
                ratio(shared["waiting_s"] - control["waiting_s"], control["on_cpu_s"]))

    before = by_cpu(first)
    on_cpu, wait, sampler_share, skipped = [], [], [], 0
    for _ in range(repeat):
        _, out = run_beside_daemon(erg, kernel, units, env, tmp, daemon_cpu=shared_cpu)
        accounted, after = by_cpu(out), by_cpu(bare())
        if accounted is None or before is None or after is None:
            skipped += 1
        else:
            on_cpu.append(accounted[0] / ((before[0] + after[0]) / 2) - 1)
            wait.append(accounted[1] - (before[1] + after[1]) / 2)
            with open(env["ERG_OUT"].replace(".h5", ".json")) as f:
                sampler_share.append(ratio(json.load(f)["measurement"]["sampler_cpu_s"], last_json(out)["rank_mean_s"]))
        before = after
    if not on_cpu:
        print(f"\n## What the sampler costs the rank on its core: skipped, the ranks left CPUs {cpus} in every run")
        return None

    print(f"\n## What the sampler costs the rank on its core ({interval:g} s, node daemon bound to CPU {shared_cpu}, "
          f"{units} work units, {len(on_cpu)} runs" + (f", {skipped} left out: the ranks ran elsewhere" if skipped else "") + ")\n")
    print(f"Rank on CPU {shared_cpu} against rank on CPU {control_cpu} in the same run, compared with the same ratio in the bare "
          "runs around it: medians [quartiles].\n")
    print("| interval | on-CPU time of the rank sharing the sampler's core, % | its extra wait for the CPU, % of on-CPU time "
          "| sampler CPU, % of one core |\n|---|---|---|---|")
    print(f"| {interval:g} s | {spread_text(on_cpu)} | {spread_text(wait)} | {spread_text(sampler_share)} |")
    return {"interval_s": interval, "on_cpu": on_cpu, "wait": wait, "sampler_share_of_core": sampler_share}


def bench_ledger(build, smoke, erg):
    """The site ledger: a year of jobs added in batches and one at a time, then the reports,
    in-process and as `erg ledger report`, in SQLite and in a PostgreSQL server started here
    (docs/ledger.md)."""
    jobs = 2000 if smoke else 100000
    results = {}
    with tempfile.TemporaryDirectory(prefix="erg-bench-ledger-") as tmp:
        results["sqlite"] = ledger_figures(build, erg, jobs, "sqlite:" + os.path.join(tmp, "ledger.sqlite"), "SQLite")
    sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "tests", "integration"))
    import postgres_server

    if postgres_server.server_programs() is None:
        print("\n(PostgreSQL's server is not installed: no PostgreSQL figures)")
        return results
    server = postgres_server.PostgresServer(durable=True)
    try:
        results["postgresql"] = ledger_figures(build, erg, jobs, server.url, "PostgreSQL, local Unix socket")
    finally:
        server.stop()
    return results


def ledger_figures(build, erg, jobs, url, name):
    out = last_json(sh([os.path.join(build, "bench", "erg_bench_ledger"), str(jobs), url]).stdout)
    for by in (["user"], ["month"], ["user", "month"]):
        args = [erg, "ledger", "report", "--ledger", url, "--format", "json"]
        for b in by:
            args += ["--by", b]
        wall, rss, _ = timed(args)
        out["erg_report_by_" + "_".join(by) + "_s"] = wall
        out["erg_report_by_" + "_".join(by) + "_rss_mb"] = rss
    print(f"\n## Ledger ({out['jobs']} jobs, {name}, 100 users over 12 months)\n")
    print(f"- add in batches of 1000: {out['batch_add_s']:.2f} s ({out['batch_add_us_per_job']:.0f} us per job); "
          f"one job per opening (the epilog): {out['single_add_ms']:.2f} ms; size {out['file_mb']:.1f} MB")
    print("\n| report | in-process (ms) | `erg ledger report --format json` (s) | its peak RSS (MB) |\n|---|---|---|---|")
    for title, key in (("by user", "user"), ("by month", "month"), ("by user and month", "user_month")):
        print(f"| {title} | {out['by_' + key + '_ms']:.1f} | {out['erg_report_by_' + key + '_s']:.3f} "
              f"| {out['erg_report_by_' + key + '_rss_mb']:.0f} |")
    print(f"| one user by month | {out['one_user_by_month_ms']:.1f} | | |")
    return out


def bench_exporter(erg, smoke):
    """erg exporter beside N running jobs' node daemons on one node (a simulated RAPL package):
    scrape latency, alone and with 16 scrapers at once, and the exporter's CPU and memory
    (docs/metrics.md)."""
    import http.client
    import re
    import select
    import signal
    import threading

    jobs = 4 if smoke else 64
    window_s = 2.0 if smoke else 30.0
    with tempfile.TemporaryDirectory(prefix="erg-bench-exporter-") as tmp:
        zone = os.path.join(tmp, "powercap", "intel-rapl:0")
        os.makedirs(zone)
        for name, text in (("name", "package-0\n"), ("max_energy_range_uj", "262143328850\n"), ("energy_uj", "0" * 20 + "\n")):
            with open(os.path.join(zone, name), "w") as f:
                f.write(text)
        stop = threading.Event()

        def power():  # 40 W, rewritten in place as sysfs does
            start = time.monotonic()
            fd = os.open(os.path.join(zone, "energy_uj"), os.O_WRONLY)
            while not stop.wait(0.05):
                os.pwrite(fd, f"{int(40e6 * (time.monotonic() - start)):020d}\n".encode(), 0)
            os.close(fd)

        driver = threading.Thread(target=power, daemon=True)
        driver.start()
        spool = os.path.join(tmp, "spool")
        os.mkdir(spool, 0o755)
        env = dict(os.environ, ERG_CONFIG="/dev/null", ERG_POWERCAP_ROOT=os.path.dirname(zone), ERG_NODE_NAME="n1")
        daemons = [subprocess.Popen([erg, "agent", "--job", str(1000 + j), "--spool", spool],
                                    env=dict(env, SLURM_JOB_USER=f"user{j % 8}"), stderr=subprocess.DEVNULL)
                   for j in range(jobs)]
        exporter = subprocess.Popen([erg, "exporter", "--listen", "127.0.0.1:0", "--spool", spool], env=env,
                                    stderr=subprocess.PIPE, text=True)
        try:
            port = None
            while port is None:  # warnings may come before the line that names the port
                ready, _, _ = select.select([exporter.stderr], [], [], 30)
                line = exporter.stderr.readline() if ready else ""
                if not line:
                    raise RuntimeError("erg exporter did not start")
                m = re.search(r":(\d+)/metrics", line)
                port = int(m.group(1)) if m else None

            def scrape(connection=None):
                own = connection is None
                connection = connection or http.client.HTTPConnection("127.0.0.1", port, timeout=10)
                start = time.perf_counter()
                connection.request("GET", "/metrics")
                body = connection.getresponse().read()
                elapsed = time.perf_counter() - start
                if own:
                    connection.close()
                return elapsed, body.decode()

            deadline = time.monotonic() + 60
            while time.monotonic() < deadline:
                page = scrape()[1]
                if len(set(re.findall(r'erg_job_co2e_grams_total\{job_id="(\d+)"', page))) == jobs:
                    break
                time.sleep(0.2)
            else:
                raise RuntimeError(f"erg exporter did not show {jobs} jobs")

            def cpu_s():
                with open(f"/proc/{exporter.pid}/stat") as f:
                    fields = f.read().rsplit(")", 1)[1].split()
                return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")

            def status_kb(key):
                with open(f"/proc/{exporter.pid}/status") as f:
                    return int(re.search(key + r":\s+(\d+)", f.read()).group(1))

            # Idle: the exporter alone, sampling and reading the spools, nobody scraping.
            c0, t0 = cpu_s(), time.monotonic()
            time.sleep(window_s)
            idle_cpu = (cpu_s() - c0) / (time.monotonic() - t0)
            # Scrapes one after the other, each on a new connection (as Prometheus without keep-alive).
            single = sorted(scrape()[0] for _ in range(50 if smoke else 500))
            # 16 scrapers at once, 50 scrapes each (they ask for keep-alive; the exporter closes each
            # connection after its answer, docs/metrics.md).
            latencies = []

            def scraper():
                connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
                for _ in range(10 if smoke else 50):
                    latencies.append(scrape(connection)[0])
                connection.close()

            c1, t1 = cpu_s(), time.monotonic()
            threads = [threading.Thread(target=scraper) for _ in range(16)]
            for t in threads:
                t.start()
            for t in threads:
                t.join()
            busy_s, busy_cpu_s = time.monotonic() - t1, cpu_s() - c1
            latencies.sort()
            page = scrape()[1]
            out = {"jobs": jobs, "page_bytes": len(page.encode()), "page_lines": page.count("\n"),
                   "scrape_ms_median": 1e3 * statistics.median(single),
                   "scrape_ms_p99": 1e3 * single[int(0.99 * (len(single) - 1))],
                   "concurrent_scrapes": len(latencies), "concurrent_ms_median": 1e3 * statistics.median(latencies),
                   "concurrent_ms_p99": 1e3 * latencies[int(0.99 * (len(latencies) - 1))],
                   "concurrent_scrapes_per_s": len(latencies) / busy_s,
                   "cpu_ms_per_scrape": 1e3 * max(busy_cpu_s - idle_cpu * busy_s, 0) / len(latencies),
                   "idle_cpu_percent": 100 * idle_cpu, "idle_window_s": window_s,
                   "rss_mb": status_kb("VmRSS") / 1024, "peak_rss_mb": status_kb("VmHWM") / 1024,
                   "threads": status_kb("Threads")}
        finally:
            exporter.send_signal(signal.SIGTERM)
            exporter.wait(timeout=20)
            exporter.stderr.close()
            for d in daemons:
                d.send_signal(signal.SIGTERM)
            for d in daemons:
                d.wait(timeout=20)
            stop.set()
            driver.join()
    print(f"\n## Live metrics: erg exporter ({jobs} running jobs, 1 s interval)\n")
    print(f"- page: {out['page_bytes']} bytes, {out['page_lines']} lines")
    print(f"- scrape, one at a time on a new connection: median {out['scrape_ms_median']:.2f} ms, "
          f"p99 {out['scrape_ms_p99']:.2f} ms")
    print(f"- 16 scrapers at once, {out['concurrent_scrapes'] // 16} scrapes each: median {out['concurrent_ms_median']:.2f} ms, "
          f"p99 {out['concurrent_ms_p99']:.2f} ms, {out['concurrent_scrapes_per_s']:.0f} scrapes/s, "
          f"{out['cpu_ms_per_scrape']:.3f} CPU-ms per scrape")
    print(f"- exporter CPU while nobody scrapes (sampling the node, reading {jobs} spools, "
          f"rebuilding the page every second): {out['idle_cpu_percent']:.2f} % of one core over {window_s:.0f} s")
    print(f"- exporter memory: {out['rss_mb']:.1f} MB resident ({out['peak_rss_mb']:.1f} MB peak), "
          f"{out['threads']} threads")
    return out


def bench_scale(build, smoke, erg, nodes, hours, out_dir):
    """Issue 19: a job of NODES x HOURS at 1 s. The leaders' part runs one node after another
    (a real job runs them at once, one per node); rank 0's part and erg report each in a process
    of their own, so that their peak memory is theirs. The trace stays in OUT/scale until the
    next run."""
    if smoke:
        nodes, hours = 4, 0.01
    folder = os.path.abspath(os.path.join(out_dir, "scale"))
    if os.path.isdir(folder):
        import shutil
        shutil.rmtree(folder)
    os.makedirs(folder)
    scale = os.path.join(build, "bench", "erg_bench_scale")
    leaders = last_json(sh([scale, "leaders", str(nodes), str(hours), folder], timeout=7200).stdout)
    rank0 = last_json(sh([scale, "rank0", folder]).stdout)
    trace = os.path.join(folder, "job.h5")
    report_s, report_rss_mb, report = timed([erg, "report", "--format", "json", trace])
    if json.loads(report)["job"]["n_nodes"] != nodes:
        raise RuntimeError("the report does not count every node")
    size = os.path.getsize(trace) + sum(os.path.getsize(os.path.join(folder, "job.nodes", f))
                                        for f in os.listdir(os.path.join(folder, "job.nodes")))
    for f in ("summaries", "power"):
        os.remove(os.path.join(folder, f))
    result = {"nodes": nodes, "hours": hours, "finalize_s": rank0["finalize_s"], "rank0_peak_rss_mb": rank0["rank0_peak_rss_mb"],
              "report_s": round(report_s, 3), "report_peak_rss_mb": round(report_rss_mb, 1), "trace_mb": round(size / 1e6, 1),
              "job_file_mb": round(os.path.getsize(trace) / 1e6, 2), "leader_s": leaders["leader_s"], "trace": trace}
    print(json.dumps(result))
    return result


def bench_collect(build, smoke, erg, nodes, hours, out_dir):
    """The spool path at scale: `erg collect` of NODES node spools of HOURS at 1 s, as Slurm's
    node daemons leave them. --erg runs another erg on the same spools (the figures before)."""
    if smoke:
        nodes, hours = 4, 0.01
    import shutil
    folder = os.path.abspath(os.path.join(out_dir, "collect"))
    if os.path.isdir(folder):
        shutil.rmtree(folder)
    spools = os.path.join(folder, "job.spool")
    os.makedirs(spools)
    sh([os.path.join(build, "bench", "erg_bench_scale"), "spools", str(nodes), str(hours), spools], timeout=7200)
    spool_mb = sum(os.path.getsize(os.path.join(spools, f)) for f in os.listdir(spools)) / 1e6
    trace = os.path.join(folder, "job.h5")
    collect_s, collect_rss_mb, _ = timed([erg, "collect", spools, "-o", trace, "-q"],
                                          {"ERG_MAX_TRACE_BYTES": "60000000000"})
    result = {"nodes": nodes, "hours": hours, "collect_s": round(collect_s, 3), "collect_peak_rss_mb": round(collect_rss_mb, 1),
              "spools_mb": round(spool_mb, 1), "erg": erg}
    shutil.rmtree(folder)
    print(json.dumps(result))
    return result


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--build", default="build")
    parser.add_argument("--out", default="bench-results")
    parser.add_argument("--only", nargs="*",
                        default=["sensors", "memory", "memory-growth", "aggregate", "gather", "overhead", "shared-core", "ledger",
                                 "exporter", "scale", "collect"])
    parser.add_argument("--smoke", action="store_true", help="tiny sizes: checks that every benchmark runs")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--seconds", type=float, default=10.0, help="bare duration of the overhead kernel")
    parser.add_argument("--intervals", type=float, nargs="*", help="overhead and shared-core at these sampling intervals only")
    parser.add_argument("--nodes", type=int, default=1024, help="scale: the job's nodes")
    parser.add_argument("--hours", type=float, default=1.0, help="scale, collect: the job's hours (samples at 1 s)")
    parser.add_argument("--erg", help="the erg to run (default BUILD/tools/erg): collect's figures before a change")
    parser.add_argument("--summarize", metavar="RESULTS_JSON", help="print the pooled overhead figures of a saved run")
    args = parser.parse_args()
    if args.summarize:
        with open(args.summarize) as f:
            pooled_overhead(json.load(f)["overhead"])
        return 0
    erg = args.erg or os.path.join(args.build, "tools", "erg")
    os.makedirs(args.out, exist_ok=True)
    print(f"# erg benchmarks: {os.uname().nodename}, {os.cpu_count()} CPUs, {time.strftime('%Y-%m-%d %H:%M')}")
    results = {}
    if "sensors" in args.only:
        results["sensors"] = bench_sensors(args.build, args.smoke)
    if "memory" in args.only:
        results["memory"] = bench_memory(args.build, args.smoke)
    if "memory-growth" in args.only:
        results["memory_growth"] = bench_memory_growth(erg, args.smoke)
    if "aggregate" in args.only:
        results["aggregate"] = bench_aggregate(args.build, args.smoke, erg)
    if "gather" in args.only:
        results["gather"] = bench_gather(args.build, args.smoke)
    if "overhead" in args.only:
        results["overhead"] = bench_overhead(args.build, args.smoke, erg, 1 if args.smoke else args.repeat,
                                             0.5 if args.smoke else args.seconds, args.intervals)
    if "shared-core" in args.only:
        results["shared_core"] = [bench_shared_core(args.build, args.smoke, erg, 1 if args.smoke else 3 * args.repeat,
                                                    0.5 if args.smoke else args.seconds, interval)
                                  for interval in (args.intervals or [0.1, 0.001])]
    if "ledger" in args.only:
        results["ledger"] = bench_ledger(args.build, args.smoke, erg)
    if "exporter" in args.only:
        results["exporter"] = bench_exporter(erg, args.smoke)
    if "collect" in args.only:
        results["collect"] = bench_collect(args.build, args.smoke, erg, args.nodes, args.hours, args.out)
    if "scale" in args.only:
        results["scale"] = bench_scale(args.build, args.smoke, erg, args.nodes, args.hours, args.out)
    with open(os.path.join(args.out, "results.json"), "w") as f:
        json.dump(results, f, indent=2)
    print("\nbenchmarks: 1 passed, 0 failed" if args.smoke else "")


if __name__ == "__main__":
    sys.exit(main())
