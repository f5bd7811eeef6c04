"""Wall times of the two README commands.

  .venv/bin/python bench/walltimes.py demo          # `make demo` to "Frontdesk is up" (warm: set-up done)
  .venv/bin/python bench/walltimes.py demo --cold   # the same after `make clean` (npm, venvs, JDK, build)
  .venv/bin/python bench/walltimes.py test          # `make test`

Only the standard library, so it runs with any Python 3.11 (the cold run deletes .venv).
"""
from __future__ import annotations

import argparse
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def demo(cold: bool) -> None:
    if cold:
        subprocess.run(["make", "clean"], cwd=ROOT, check=True, stdout=subprocess.DEVNULL)
    started = time.monotonic()
    proc = subprocess.Popen(["make", "demo"], cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                            text=True, start_new_session=True)
    ready = None
    for line in proc.stdout:
        if line.startswith("Frontdesk is up"):
            ready = time.monotonic() - started
            break
    if ready is None:
        sys.exit(f"make demo exited ({proc.wait()}) before it was up")
    os.killpg(proc.pid, signal.SIGINT)   # what Ctrl-C in a terminal does
    stop_started = time.monotonic()
    proc.communicate(timeout=60)
    stopped = time.monotonic() - stop_started
    leftovers = subprocess.run(["pgrep", "-f", "functions-framework|cloud-firestore-emulator|firestore-emulator-launcher"],
                               capture_output=True, text=True).stdout.split()
    print(f"make demo ({'cold' if cold else 'warm'}): up in {ready:.1f} s; Ctrl-C stopped it in "
          f"{stopped:.1f} s; processes left behind: {len(leftovers)}")


def test() -> None:
    started = time.monotonic()
    done = subprocess.run(["make", "test"], cwd=ROOT, capture_output=True, text=True)
    summary = [line for line in done.stdout.splitlines() if " passed" in line or " failed" in line]
    print(f"make test: {time.monotonic() - started:.1f} s, exit {done.returncode}, "
          f"{summary[-1].strip('= ') if summary else 'no summary'}")


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("what", choices=["demo", "test"])
    parser.add_argument("--cold", action="store_true", help="demo only: from `make clean`")
    args = parser.parse_args()
    demo(args.cold) if args.what == "demo" else test()
