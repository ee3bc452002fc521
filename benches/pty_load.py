#!/usr/bin/env python3
"""What a user waits for on a big cluster, measured on what the user runs: the built binaries in a
pseudo-terminal (160x50) against `kscope sim` running as its own process, a fresh sim per run.

    python3 benches/pty_load.py [--kscope target/release/kscope] [--peer /path/to/kdash]
        [--peer /path/to/kubetui] [--pods 50000] [--nodes 500] [--runs 3] [--churn 0,200]
        [--hold 60]

Per run and tool: launch → first pod rows on screen; launch → all pods on screen (the pane's count
reaches the server's); the sim's CPU and the tool's meanwhile (the sim's split out for its control
loops' thread, which under churn takes what CPU it gets); the tool's RSS then and `--hold` seconds
later; the tool's CPU over those seconds (idle CPU on a quiet cluster, CPU under churn
otherwise); for kscope, `/` until the filter prompt shows, then a filter typed a key at a time (each key → its frame). The floor is one
GET of every pod, the best of three (the first is printed too), and one as a Table, timed
against each tool's own sim just before the tool starts. Times on screen are taken as the bytes
arrive, by a thread reading them while the VT100 here draws what came before.
Prints each run (with where kscope's log and the sim's request log of that run were kept), then
medians with their spreads and kscope's ratios to the floor and the peers.
Tools run in rotated order. Not a test: timings are never asserted. Needs `pip install pyte
pyyaml`.
"""

import argparse
import base64
import os
import pty
import queue
import re
import signal
import ssl
import statistics
import struct
import subprocess
import sys
import tempfile
import termios
import threading
import fcntl
import json
import time
import urllib.request

import pyte
import yaml

CLOCK_TICKS = os.sysconf("SC_CLK_TCK")

# The thread reading a tool's writes takes the interpreter within half a millisecond of their
# arrival, even while this VT100 draws an earlier write (see `Screen`).
sys.setswitchinterval(0.0005)

# How each tool says how many pods its pane holds.
COUNTS = {
    "kscope": re.compile(r"Pods \[(\d+)\]"),
    "kdash": re.compile(r"Pods \(ns: all\) \[(\d+)\]"),
    "kubetui": re.compile(r"Pod \[\d+/(\d+)\]"),
}
ARGS = {"kscope": ["-A"], "kdash": [], "kubetui": ["-A"]}


def cpu_seconds(pid):
    with open(f"/proc/{pid}/stat") as stat:
        fields = stat.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / CLOCK_TICKS


def thread_cpu_seconds(pid, name):
    """CPU seconds of a process's threads of that name (the sim's `sim-controllers`)."""
    total = 0.0
    for task in os.listdir(f"/proc/{pid}/task"):
        try:
            with open(f"/proc/{pid}/task/{task}/stat") as stat:
                text = stat.read()
        except FileNotFoundError:
            continue
        if text[text.index("(") + 1:text.rindex(")")] == name:
            fields = text.rsplit(")", 1)[1].split()
            total += (int(fields[11]) + int(fields[12])) / CLOCK_TICKS
    return total


def rss_mb(pid):
    with open(f"/proc/{pid}/status") as status:
        for line in status:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return 0.0


class Sim:
    """`kscope sim` as its own process, with what a client needs to reach it."""

    def __init__(self, kscope, nodes, pods, churn, work, extra=()):
        stamp = time.monotonic_ns()
        self.kubeconfig = os.path.join(work, f"kubeconfig-{stamp}")
        # The requests it answered, a line each (verb, path, status, bytes, times), to read
        # what a slow run waited on.
        self.log = os.path.join(work, f"sim-{stamp}.log")
        with open(self.log, "wb") as log:
            self.process = subprocess.Popen(
                [kscope, "sim", "--nodes", str(nodes), "--pods", str(pods), "--churn", str(churn),
                 "--write-kubeconfig", self.kubeconfig, "--log-requests", *extra],
                stdout=subprocess.DEVNULL, stderr=log,
            )
        deadline = time.monotonic() + 300
        while not os.path.exists(self.kubeconfig):
            if time.monotonic() > deadline or self.process.poll() is not None:
                raise RuntimeError("the sim did not start")
            time.sleep(0.1)
        time.sleep(0.2)
        with open(self.kubeconfig) as file:
            config = yaml.safe_load(file)
        cluster = config["clusters"][0]["cluster"]
        self.server = cluster["server"]
        self.token = config["users"][0]["user"]["token"]
        ca = base64.b64decode(cluster["certificate-authority-data"]).decode()
        self.tls = ssl.create_default_context(cadata=ca)

    def get(self, path, accept="application/json"):
        """Seconds to read the whole answer, and its bytes."""
        request = urllib.request.Request(
            self.server + path,
            headers={"Authorization": f"Bearer {self.token}", "Accept": accept},
        )
        start = time.monotonic()
        with urllib.request.urlopen(request, context=self.tls, timeout=600) as answer:
            body = answer.read()
        return time.monotonic() - start, body

    def pod_count(self):
        _, body = self.get("/api/v1/pods?limit=1")
        listed = json.loads(body)
        return 1 + int(listed["metadata"].get("remainingItemCount", 0))

    def stop(self):
        self.process.send_signal(signal.SIGTERM)
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()


class Screen:
    """A tool in a pseudo-terminal, its output drawn on a VT100 screen."""

    def __init__(self, binary, args, kubeconfig, columns=160, rows=50, log=None):
        self.pid, self.fd = pty.fork()
        if self.pid == 0:
            os.environ["TERM"] = "xterm-256color"
            os.environ["KUBECONFIG"] = kubeconfig
            if log:
                os.environ["KSCOPE_LOG_FILE"] = log
            os.execv(binary, [binary, *args])
        fcntl.ioctl(self.fd, termios.TIOCSWINSZ, struct.pack("HHHH", rows, columns, 0, 0))
        os.kill(self.pid, signal.SIGWINCH)
        self.screen = pyte.Screen(columns, rows)
        # When the last bytes drawn arrived (see `until`).
        self.arrived = None
        # Answers what a tool asks of its terminal (kdash reads the cursor's position at start
        # and gives up when no answer comes).
        self.screen.write_process_input = lambda data: os.write(self.fd, data.encode())
        self.stream = pyte.ByteStream(self.screen)
        # What the tool writes, read by a thread of its own as it comes and timed then: while
        # this VT100 draws one write (a whole table takes Python tens of milliseconds), the
        # next is read and timed all the same, and the tool is never held writing into a full
        # terminal. A key's time was otherwise the drawing of a frame the tool wrote before it.
        self.writes = queue.Queue()
        # A piece read from `writes` that begins the next write.
        self.held = None
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self):
        while True:
            try:
                chunk = os.read(self.fd, 1 << 16)
            except OSError:
                chunk = b""
            self.writes.put((time.monotonic(), chunk))
            if not chunk:
                return

    def _next(self, timeout):
        """The next piece the tool wrote (when it arrived, its bytes), or None after `timeout`
        seconds; b"" once the terminal is closed."""
        if self.held is not None:
            piece, self.held = self.held, None
            return piece
        try:
            return self.writes.get(timeout=max(0.0, timeout))
        except queue.Empty:
            return None

    def pump(self, seconds):
        """Reads what the tool writes for up to `seconds`."""
        deadline = time.monotonic() + seconds
        chunks = []
        while True:
            left = deadline - time.monotonic()
            if left <= 0:
                break
            piece = self._next(left)
            if piece is None:
                break
            _, chunk = piece
            if not chunk:
                self.held = piece
                break
            chunks.append(chunk)
            if sum(map(len, chunks)) > 1 << 18:
                break
        if chunks:
            self.stream.feed(b"".join(chunks))

    def text(self):
        return "\n".join(self.screen.display)

    def until(self, holds, limit):
        """Feeds what the tool writes until `holds(screen lines)`: the seconds until the last
        byte of the write that made it hold, or None after `limit` seconds. A write is read whole
        (until the output pauses for 3 ms) and timed as its bytes arrive, before this VT100 draws
        it: drawing a whole new table in Python takes longer than the tool took to write it, and
        a user's terminal is not that slow."""
        start = time.monotonic()
        return self.until_from(start, holds, limit)

    def typed_until(self, text, holds, limit):
        """`until`, timed from `text` typed once what the tool wrote before has been drawn."""
        self.pump(0.003)
        start = time.monotonic()
        self.type(text)
        return self.until_from(start, holds, limit)

    def until_from(self, start, holds, limit):
        while time.monotonic() - start < limit:
            piece = self._next(0.05)
            if piece is None:
                if holds(self.screen.display):
                    return time.monotonic() - start
                continue
            began, chunk = piece
            if not chunk:
                return None
            # A write is the pieces that came less than 3 ms apart; a tool that never pauses
            # (one redrawing all the time) is read 50 ms at a time.
            chunks, arrived = [chunk], began
            while arrived - began < 0.05:
                piece = self._next(arrived + 0.003 - time.monotonic())
                if piece is None:
                    break
                at, chunk = piece
                if not chunk or at - arrived >= 0.003:
                    self.held = piece
                    break
                chunks.append(chunk)
                arrived = at
            self.arrived = arrived
            self.stream.feed(b"".join(chunks))
            if holds(self.screen.display):
                return arrived - start
        return None

    def type(self, text):
        os.write(self.fd, text.encode())

    def stop(self):
        try:
            os.kill(self.pid, signal.SIGTERM)
            time.sleep(0.5)
            os.kill(self.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
        try:
            os.waitpid(self.pid, 0)
        except ChildProcessError:
            pass
        os.close(self.fd)


def one_run(tool, binary, sim, expected, hold, limit, log=None):
    count_of = COUNTS[tool]
    sim_cpu0 = cpu_seconds(sim.process.pid)
    loops_cpu0 = thread_cpu_seconds(sim.process.pid, "sim-controllers")
    start = time.monotonic()
    screen = Screen(binary, ARGS[tool], sim.kubeconfig, log=log)
    first = count = None

    def all_in(lines):
        # Timed as the bytes arrive (see `Screen.until`), the first rows as well as all of them.
        nonlocal first, count
        found = count_of.search("\n".join(lines))
        count = int(found.group(1)) if found else 0
        if count > 0 and first is None:
            first = screen.arrived - start
        return count >= expected

    try:
        loaded = screen.until_from(start, all_in, limit)
        result = {"first": first, "loaded": loaded}
        if loaded is None:
            result["note"] = f"showed {count} of {expected} after {limit:.0f} s"
            return result
        result["sim_cpu"] = cpu_seconds(sim.process.pid) - sim_cpu0
        # The part of it the sim's control loops took (under churn they take what they get).
        result["sim_loops_cpu"] = thread_cpu_seconds(sim.process.pid, "sim-controllers") - loops_cpu0
        result["cpu"] = cpu_seconds(screen.pid)
        result["rss"] = rss_mb(screen.pid)
        cpu0, held = cpu_seconds(screen.pid), time.monotonic()
        while time.monotonic() - held < hold:
            screen.pump(0.5)
        result["held_cpu"] = 100 * (cpu_seconds(screen.pid) - cpu0) / (time.monotonic() - held)
        result["rss_later"] = rss_mb(screen.pid)
        if tool == "kscope":
            result.update(filter_keystrokes(screen, sim))
            result["rss_filtered"] = rss_mb(screen.pid)
        return result
    finally:
        screen.stop()


def filter_keystrokes(screen, sim):
    """kscope's filter: one pod's name typed a key at a time after `/`; each key's time until the
    prompt shows it, drawn in the same frame as the rows it leaves (the filter runs on the key).
    The median and the slowest key, in milliseconds."""
    _, body = sim.get("/api/v1/pods?limit=1")
    name = json.loads(body)["items"][0]["metadata"]["name"]
    opened = screen.typed_until("/", lambda lines: lines[-1].startswith("/"), 5)
    if opened is None:
        return {"filter_note": "no filter prompt"}
    times = []
    for typed in range(1, len(name) + 1):
        prompt = "/" + name[:typed] + " "
        took = screen.typed_until(name[typed - 1], lambda lines: lines[-1].startswith(prompt), 10)
        if took is None:
            return {"filter_note": f"the prompt never showed {prompt!r}"}
        times.append(1000 * took)
    found = screen.until(lambda lines: any("Pods [1]" in line for line in lines), 10)
    screen.type("\x1b")
    screen.pump(0.5)
    return {
        "filter_open_ms": 1000 * opened,
        "filter_ms": statistics.median(times),
        "filter_max_ms": max(times),
        **({} if found is not None else {"filter_note": "the pod's row was not alone"}),
    }


def spread(values, unit, digits=2):
    values = [v for v in values if v is not None]
    if not values:
        return "–"
    text = f"{statistics.median(values):.{digits}f}{unit}"
    if len(values) > 1:
        text += " (" + ", ".join(f"{v:.{digits}f}" for v in values) + ")"
    return text


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--kscope", default="target/release/kscope")
    parser.add_argument("--peer", action="append", default=[])
    parser.add_argument("--pods", type=int, default=50000)
    parser.add_argument("--nodes", type=int, default=500)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--churn", default="0,200")
    parser.add_argument("--hold", type=float, default=60)
    parser.add_argument("--limit", type=float, default=180)
    parser.add_argument("--sim-arg", action="append", default=[],
                        help="an argument for the sim, e.g. --sim-arg=--feature-gates=WatchList=false")
    args = parser.parse_args()
    tools = [("kscope", os.path.abspath(args.kscope))]
    for peer in args.peer:
        name = os.path.basename(peer)
        if name not in COUNTS:
            parser.error(f"--peer {peer}: unknown tool {name!r} (known: kdash, kubetui)")
        tools.append((name, os.path.abspath(peer)))
    work = tempfile.mkdtemp(prefix="kscope-load-")
    for churn in [int(c) for c in args.churn.split(",")]:
        results = {tool: [] for tool, _ in tools}
        floors = []
        for run in range(args.runs):
            order = tools[run % len(tools):] + tools[:run % len(tools)]
            for tool, binary in order:
                sim = Sim(args.kscope, args.nodes, args.pods, churn, work, args.sim_arg)
                try:
                    expected = sim.pod_count()
                    # The floor on every tool's own sim, just before the tool starts: each
                    # tool meets a sim that has answered the same lists, and kscope's ratio in
                    # a run is to its own sim's GET.
                    # The best of three GETs: a fresh sim's first answer also pays for
                    # faulting in its body's memory (0.6 s to 2.5 s more on this kind of
                    # machine), which would flatter every tool measured against it.
                    gets = []
                    for _ in range(3):
                        sim_cpu0 = cpu_seconds(sim.process.pid)
                        json_time, body = sim.get("/api/v1/pods")
                        gets.append((json_time, cpu_seconds(sim.process.pid) - sim_cpu0))
                    first_get = gets[0][0]
                    json_time, json_cpu = min(gets)
                    table_time, _ = sim.get(
                        "/api/v1/pods",
                        "application/json;as=Table;v=v1;g=meta.k8s.io,application/json",
                    )
                    floors.append((json_time, table_time, len(body), json_cpu))
                    del body
                    # Under churn the count moves a little around the server's.
                    wanted = expected if churn == 0 else int(expected * 0.995)
                    # kscope's own log of the run (what its watches did), kept beside the sim's.
                    log = os.path.join(work, f"kscope-churn{churn}-run{run + 1}.log")
                    result = one_run(tool, binary, sim, wanted, args.hold, args.limit,
                                     log if tool == "kscope" else None)
                    result["floor"] = json_time
                    result["first_get"] = first_get
                    if tool == "kscope":
                        result["log"] = log
                    result["sim_log"] = sim.log
                finally:
                    sim.stop()
                results[tool].append(result)
                print(f"churn {churn} run {run + 1} {tool}: " + ", ".join(
                    f"{k} {v:.2f}" if isinstance(v, float) else f"{k} {v}"
                    for k, v in result.items()), flush=True)
        floor = statistics.median(f[0] for f in floors)
        print(f"\n## churn {churn}: {args.pods} generated pods, {args.nodes} nodes\n")
        print(f"floor: one GET of all pods, the best of three {spread([f[0] for f in floors], ' s')}, "
              f"{floors[0][2] / 1e6:.0f} MB, the sim's CPU for it {spread([f[3] for f in floors], ' s')}; "
              f"as a Table {spread([f[1] for f in floors], ' s')}\n")
        print("| figure | " + " | ".join(t for t, _ in tools) + " |")
        print("|---|" + "---|" * len(tools))
        rows = [
            ("first rows", "first", " s", 2),
            ("all pods shown", "loaded", " s", 2),
            ("sim CPU meanwhile", "sim_cpu", " s", 1),
            ("  of which its control loops", "sim_loops_cpu", " s", 2),
            ("tool CPU meanwhile", "cpu", " s", 1),
            ("RSS when loaded", "rss", " MB", 0),
            (f"RSS {args.hold:.0f} s later", "rss_later", " MB", 0),
            ("CPU over those seconds" + (" (idle)" if churn == 0 else f" (churn {churn})"),
             "held_cpu", " %", 1),
            ("`/` → filter prompt shown (the rows' texts made)", "filter_open_ms", " ms", 1),
            ("filter keystroke → rows shown, median key", "filter_ms", " ms", 1),
            ("filter keystroke → rows shown, slowest key", "filter_max_ms", " ms", 1),
            ("RSS after the filter (its texts kept)", "rss_filtered", " MB", 0),
        ]
        for label, key, unit, digits in rows:
            print(f"| {label} | " + " | ".join(
                spread([r.get(key) for r in results[tool]], unit, digits) for tool, _ in tools
            ) + " |")
        mine = [r["loaded"] for r in results["kscope"] if r.get("loaded")]
        if mine:
            runs = ", ".join(f"{r['loaded'] / r['floor']:.2f}" for r in results["kscope"]
                             if r.get("loaded"))
            print(f"\nkscope all pods shown / floor: {statistics.median(mine) / floor:.2f} × "
                  f"(run by run, each to its own sim's GET: {runs})")
            for tool, _ in tools[1:]:
                theirs = [r["loaded"] for r in results[tool] if r.get("loaded")]
                if theirs:
                    print(f"kscope / {tool}: {statistics.median(mine) / statistics.median(theirs):.2f} ×")
                rss = [r["rss_later"] for r in results[tool] if r.get("rss_later")]
                my_rss = [r["rss_later"] for r in results["kscope"] if r.get("rss_later")]
                if rss and my_rss:
                    print(f"kscope RSS / {tool}: {statistics.median(my_rss) / statistics.median(rss):.2f} ×")
    return 0


if __name__ == "__main__":
    sys.exit(main())
