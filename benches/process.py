#!/usr/bin/env python3
"""Whole-process figures for eca-wizard: start-up of `--version`, peak memory of `connect`
(client credentials against the emulator, every check; no browser process to blur the figure),
peak memory of the emulator serving it,
and the release binary's size. Run: `cargo build --release && python3 benches/process.py`.
`--update FILE...` also writes the binary's size into each file's `<!-- measured:binary-size -->`
marker (scripts/measure.sh does both). Talks to 127.0.0.1 only; every loop is bounded."""
import json
import os
import re
import resource
import statistics
import subprocess
import sys
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
BINARY = os.environ.get("ECA_BENCH_BINARY") or os.path.join(ROOT, "target", "release", "eca-wizard")


def startup():
    times = []
    for _ in range(50):
        started = time.perf_counter()
        subprocess.run([BINARY, "--version"], stdout=subprocess.DEVNULL, check=True)
        times.append(time.perf_counter() - started)
    return statistics.median(times) * 1000


def connect_memory():
    emulator = subprocess.Popen([BINARY, "emulator", "--print-json", "--auto-approve"], stdout=subprocess.PIPE, text=True)
    info = json.loads(emulator.stdout.readline())
    env = dict(os.environ, ECA_WIZARD_CLIENT_SECRET=info["client_secret"], ECA_WIZARD_HOME="/tmp/eca-bench-home")
    before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    started = time.perf_counter()
    run = subprocess.run(
        [BINARY, "connect", "--login-url", info["my_domain_url"], "--client-id", info["client_id"], "--flow", "client-credentials", "--json"],
        env=env, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, stdin=subprocess.DEVNULL, text=True, timeout=60,
    )
    elapsed = (time.perf_counter() - started) * 1000
    connect_kb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    outcome = json.loads(run.stdout)["outcome"]
    with open(f"/proc/{emulator.pid}/status") as status:
        emulator_kb = next(int(line.split()[1]) for line in status if line.startswith("VmHWM"))
    emulator.terminate()
    emulator.wait(timeout=10)
    return outcome, connect_kb if connect_kb > before else before, emulator_kb, elapsed


def main():
    if not os.path.exists(BINARY):
        sys.exit("build first: cargo build --release")
    print(f"--version start-up: median {startup():.1f} ms over 50 runs (target < 10 ms)")
    outcome, connect_kb, emulator_kb, elapsed = connect_memory()
    print(f"connect (client credentials, all checks, whole process): {outcome} in {elapsed:.0f} ms, peak memory {connect_kb / 1024:.1f} MB (target < 25 MB)")
    print(f"emulator serving it: peak memory {emulator_kb / 1024:.1f} MB")
    size = f"{os.path.getsize(BINARY) / 1024 / 1024:.1f} MB"
    print(f"release binary: {size} (target < 12 MB)")
    if sys.argv[1:2] == ["--update"]:
        update(sys.argv[2:], {"binary-size": size})


def update(paths, figures):
    """Rewrites each `<!-- measured:KEY -->...<!-- /measured -->` marker with the measured figure."""
    for path in paths:
        with open(path, encoding="utf-8") as f:
            text = f.read()
        for key, value in figures.items():
            marker = re.compile(rf"(<!-- measured:{key} -->).*?(<!-- /measured -->)", re.S)
            text, count = marker.subn(lambda m: m.group(1) + value + m.group(2), text)
            if count == 0:
                sys.exit(f"{path}: no <!-- measured:{key} --> marker")
        with open(path, "w", encoding="utf-8") as f:
            f.write(text)
        print(f"updated {path}")


if __name__ == "__main__":
    main()
