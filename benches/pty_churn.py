#!/usr/bin/env python3
"""kscope's CPU under churn, with the rate the sim sends changes at, on what the user runs: the
built binary in a pseudo-terminal (160x50) against `kscope sim --nodes 500 --pods 50000 --churn N`
as its own process, a fresh sim per run. Per run, the pods pane of every namespace and the triage
view (`--triage`, whose findings are worked out again on each tick that saw changes), each once
loaded: its CPU over 30 s, and the pod events a watch of the harness's own receives meanwhile.

    python3 benches/pty_churn.py [--kscope target/release/kscope] [--churn 300] [--runs 3]

The default churn is the one at which the pods' watch carries over 1,000 events a second (about
1,080 at 300; about 750 at 200).

Not a test: timings are never asserted. Needs `pip install pyte pyyaml` (see pty_load.py).
"""

import argparse
import json
import os
import statistics
import sys
import tempfile
import threading
import time
import urllib.request

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import pty_load as P  # noqa: E402

MODES = {"pods": ["-A"], "triage": ["-A", "--triage"]}


def count_pod_events(sim, seconds, counted):
    """Counts the pod events a watch from now receives for `seconds`."""
    _, body = sim.get("/api/v1/pods?limit=1")
    revision = json.loads(body)["metadata"]["resourceVersion"]
    request = urllib.request.Request(
        sim.server + f"/api/v1/pods?watch=1&resourceVersion={revision}",
        headers={"Authorization": f"Bearer {sim.token}"},
    )
    began = time.monotonic()
    with urllib.request.urlopen(request, context=sim.tls, timeout=seconds + 30) as answer:
        while time.monotonic() - began < seconds:
            if not answer.readline():
                break
            counted[0] += 1


def one_mode(binary, sim, mode, expected):
    start = time.monotonic()
    screen = P.Screen(binary, MODES[mode], sim.kubeconfig)
    try:
        if mode == "pods":
            def loaded(lines):
                found = P.COUNTS["kscope"].search("\n".join(lines))
                return found is not None and int(found.group(1)) >= expected
        else:
            def loaded(lines):
                return "Triage" in lines[0] and "problems" in lines[0]
        if screen.until_from(start, loaded, 120) is None:
            return None
        screen.pump(15)
        counted = [0]
        watcher = threading.Thread(target=count_pod_events, args=(sim, 30, counted), daemon=True)
        watcher.start()
        cpu0, began = P.cpu_seconds(screen.pid), time.monotonic()
        while time.monotonic() - began < 30:
            screen.pump(0.5)
        took = time.monotonic() - began
        return {
            "cpu": 100 * (P.cpu_seconds(screen.pid) - cpu0) / took,
            "rate": counted[0] / took,
            "rss": P.rss_mb(screen.pid),
        }
    finally:
        screen.stop()


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--kscope", default="target/release/kscope")
    parser.add_argument("--churn", type=int, default=300)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    binary = os.path.abspath(args.kscope)
    work = tempfile.mkdtemp(prefix="kscope-churn-")
    results = {mode: [] for mode in MODES}
    for run in range(args.runs):
        order = list(MODES) if run % 2 == 0 else list(reversed(MODES))
        sim = P.Sim(binary, 500, 50000, args.churn, work, [])
        try:
            expected = int(sim.pod_count() * 0.995)
            for mode in order:
                result = one_mode(binary, sim, mode, expected)
                if result is None:
                    print(f"run {run + 1} {mode}: not loaded", flush=True)
                    continue
                results[mode].append(result)
                print(f"run {run + 1} {mode}: {result['cpu']:.1f} % of a core over 30 s at "
                      f"{result['rate']:.0f} pod events/s, RSS {result['rss']:.0f} MB", flush=True)
        finally:
            sim.stop()
    print(f"\n## --churn {args.churn}, 50,000 generated pods, 500 nodes\n")
    for mode, values in results.items():
        if values:
            print(f"{mode}: {P.spread([v['cpu'] for v in values], ' %', 1)} of a core at "
                  f"{P.spread([v['rate'] for v in values], ' pod events/s', 0)}; "
                  f"RSS {P.spread([v['rss'] for v in values], ' MB', 0)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
