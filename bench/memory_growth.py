#!/usr/bin/python3
"""How the process that samples grows with the job's length (issue 13's target): runs
`erg run --interval INTERVAL -- sleep SECONDS` and reads erg's resident memory (VmRSS) from
/proc at --from seconds and one second before the end; prints the growth and its rate per hour.

    bench/memory_growth.py --erg build/tools/erg [--seconds 65] [--from 5] [--interval 0.001]
"""
import argparse
import json
import os
import subprocess
import tempfile
import time


def rss_kb(pid):
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    raise RuntimeError("no VmRSS")


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--erg", required=True)
    parser.add_argument("--seconds", type=float, default=65)
    parser.add_argument("--from", dest="from_s", type=float, default=5)
    parser.add_argument("--interval", type=float, default=0.001)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        env = dict(os.environ, ERG_CONFIG="/dev/null")
        command = [args.erg, "run", "--interval", str(args.interval), "--out", os.path.join(tmp, "t.h5"),
                   "--", "sleep", str(args.seconds)]
        start = time.monotonic()
        process = subprocess.Popen(command, env=env, stderr=subprocess.DEVNULL)
        readings = []
        for at_s in (args.from_s, args.seconds - 1):
            time.sleep(max(0.0, start + at_s - time.monotonic()))
            readings.append((time.monotonic() - start, rss_kb(process.pid)))
        process.wait()
    (t0, kb0), (t1, kb1) = readings
    growth_kb = kb1 - kb0
    result = {"interval_s": args.interval, "rss_kb_at": {f"{t0:.0f}s": kb0, f"{t1:.0f}s": kb1},
              "growth_kb": growth_kb, "growth_mb_per_hour": growth_kb / 1024 * 3600 / (t1 - t0)}
    print(json.dumps(result))


if __name__ == "__main__":
    main()
