"""Where the agent's event loop spends its time, from a py-spy raw profile of `bench.load` (issue 15 item 5).

  pip install py-spy   # in a scratch venv: not a project dependency
  firebase --config firebase.<you>.json emulators:exec --project demo-<you> --only firestore,auth \
      "py-spy record -r 100 --nonblocking --gil -t -f raw -o loop.spy -- .venv/bin/python -m bench.load --agent-only --spread 10 --gap 3"
  .venv/bin/python bench/loop_owners.py loop.spy 190      # 190: the turns the run printed

Counts the samples of the loop thread (MainThread, under asyncio's `_run_once`) holding the GIL and
charges each to the innermost frame that belongs to a known part (stdlib frames go to their caller).
With --gil a sample is wall time the loop held the GIL, CPU or not (a loaded machine deschedules it).
"""
from __future__ import annotations

import re
import sys
from collections import Counter

OWNERS = [
    ("own: dialogue/understanding/facts (frontdesk_core)", r"\(frontdesk_core/"),
    ("own: agent/", r"\(agent/"),
    ("bench (timing wrappers, run_call)", r"\(bench/"),
    ("Firestore client + gRPC (grpc, google.*, proto-plus)", r"\((grpc|google|api_core|firestore_v1|proto|_helpers)/"),
    ("LiveKit session pipeline (livekit.agents, its pydantic, opentelemetry, docstring_parser)",
     r"\((agents|rtc|pydantic|pydantic_core|opentelemetry|docstring_parser|trace|context)/"),
]
LOOP = "asyncio loop machinery (scheduling, selectors)"


def owner(frames: list[str]) -> str:
    first = max(i for i, f in enumerate(frames) if "_run_once" in f)
    for frame in reversed(frames[first:]):
        for name, pattern in OWNERS:
            if re.search(pattern, frame):
                return name
    return LOOP


def loop_samples(path: str) -> Counter:
    counts: Counter = Counter()
    with open(path) as lines:
        for line in lines:
            stack, _, n = line.rstrip().rpartition(" ")
            frames = stack.split(";")
            if "MainThread" in frames[0] and any("_run_once" in f for f in frames):
                counts[owner(frames)] += int(n)
    return counts


def main() -> int:
    if len(sys.argv) < 3:
        sys.exit(__doc__)
    path, turns = sys.argv[1], float(sys.argv[2])
    rate = float(sys.argv[3]) if len(sys.argv) > 3 else 100.0
    counts = loop_samples(path)
    total = sum(counts.values()) or 1
    print(f"loop thread holding the GIL: {total / rate:.2f} s = {total * 1000 / rate / turns:.1f} ms per turn")
    for name, n in counts.most_common():
        print(f"  {n * 1000 / rate / turns:5.1f} ms/turn {100 * n / total:4.0f} %  {name}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
