#!/usr/bin/env python3
"""A filter keystroke as the user sees it: the built kscope in a pseudo-terminal (160x50) against
`kscope sim` running as its own process, the time from a key written to the terminal to the
last byte of the frame that answers it (the output is quiet for 30 ms after it).

    python3 benches/pty_filter.py [--kscope target/release/kscope] [--pods 50000] [--runs 15]

Prints the median and the spread per filter form (regex, fuzzy). Not a test: timings are
never asserted. Needs `pip install pyte` (a VT100 screen, to see what the frames drew).
"""

import argparse
import fcntl
import os
import pty
import select
import signal
import statistics
import struct
import subprocess
import sys
import tempfile
import termios
import time

import pyte


class Terminal:
    """The pseudo-terminal's output, drawn on a VT100 screen as the user's terminal would."""

    def __init__(self, fd, columns, rows):
        self.fd = fd
        self.screen = pyte.Screen(columns, rows)
        self.stream = pyte.ByteStream(self.screen)

    def read_quiet(self, quiet=0.03, limit=30.0):
        """Reads until the output has been quiet for `quiet` seconds; returns (bytes read,
        time of the last byte). The bytes are drawn on the screen once they are all in, so
        the time is the program's, not this VT100's (a Python one is slower than a terminal)."""
        count = 0
        chunks = []
        last = time.monotonic()
        deadline = last + limit
        while time.monotonic() < deadline:
            ready, _, _ = select.select([self.fd], [], [], quiet)
            if not ready:
                if count:
                    break
                continue
            try:
                chunk = os.read(self.fd, 1 << 16)
            except OSError:
                break
            if not chunk:
                break
            chunks.append(chunk)
            count += len(chunk)
            last = time.monotonic()
        self.stream.feed(b"".join(chunks))
        return count, last

    def text(self):
        return "\n".join(self.screen.display)

    def wait_for(self, predicate, limit=600.0):
        deadline = time.monotonic() + limit
        while time.monotonic() < deadline:
            self.read_quiet(quiet=0.2, limit=1.0)
            if predicate(self.text()):
                return True
        return False

    def keystroke(self, key):
        """Writes `key`; returns the seconds until the answering frame's last byte."""
        self.read_quiet(quiet=0.05)
        start = time.monotonic()
        os.write(self.fd, key)
        count, last = self.read_quiet()
        return (last - start) if count else None


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--kscope", default="target/release/kscope")
    parser.add_argument("--pods", type=int, default=50000)
    parser.add_argument("--nodes", type=int, default=500)
    parser.add_argument("--runs", type=int, default=15)
    args = parser.parse_args()
    work = tempfile.mkdtemp(prefix="kscope-bench-")
    kubeconfig = os.path.join(work, "kubeconfig")
    sim = subprocess.Popen(
        [args.kscope, "sim", "--nodes", str(args.nodes), "--pods", str(args.pods),
         "--write-kubeconfig", kubeconfig],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )
    try:
        while not os.path.exists(kubeconfig):
            time.sleep(0.1)
        pid, fd = pty.fork()
        if pid == 0:
            os.environ["TERM"] = "xterm-256color"
            os.environ["KUBECONFIG"] = kubeconfig
            os.execv(args.kscope, [args.kscope, "-A"])
        fcntl.ioctl(fd, termios.TIOCSWINSZ, struct.pack("HHHH", 50, 160, 0, 0))
        os.kill(pid, signal.SIGWINCH)
        term = Terminal(fd, 160, 50)
        # Loaded: the pods pane's title counts them all (the generated and the seeded pods).
        loaded = lambda text: any(
            f"Pods [{n}]" in text for n in range(args.pods, args.pods + 2000)
        )
        if not term.wait_for(loaded):
            print("the pods did not load:\n" + term.text(), file=sys.stderr)
            return 1
        time.sleep(5)
        term.read_quiet(quiet=0.5)
        results = {}
        forms = {
            # A regex over the row: one keystroke narrows 50,000 rows.
            "regex": (b"/", b"7"),
            # Fuzzy on the name: scored and ranked on every keystroke.
            "fuzzy": (b"/-f ", b"k"),
        }
        opening = []
        for name, (prefix, key) in forms.items():
            times = []
            for _ in range(args.runs):
                # `/` opens the prompt: a keystroke of its own, timed too.
                elapsed = term.keystroke(prefix[:1])
                if elapsed is not None:
                    opening.append(elapsed * 1000)
                for byte in prefix[1:]:
                    os.write(fd, bytes([byte]))
                    term.read_quiet(quiet=0.1)
                before = term.text()
                elapsed = term.keystroke(key)
                if elapsed is not None and term.text() != before:
                    times.append(elapsed * 1000)
                # esc puts back the filter from before.
                os.write(fd, b"\x1b")
                term.read_quiet(quiet=0.3)
            times.sort()
            results[name] = times
            if not times:
                print(f"{name}: no keystroke redrew the screen")
                continue
            print(f"{name}: " + " ".join(f"{t:.0f}" for t in times))
            print(f"{name}: median {statistics.median(times):.1f} ms "
                  f"(min {times[0]:.1f}, max {times[-1]:.1f}, n={len(times)})")
        opening.sort()
        if opening:
            print(f"open the prompt: median {statistics.median(opening):.1f} ms "
                  f"(min {opening[0]:.1f}, max {opening[-1]:.1f}, n={len(opening)})")
        os.write(fd, b"q")
        time.sleep(0.5)
        return 0
    finally:
        sim.send_signal(signal.SIGTERM)
        sim.wait()


if __name__ == "__main__":
    sys.exit(main())
