"""Supervisor answer → follow-up recorded as sent, through the real Functions emulator (warm).

  tools/emulators-exec.sh --project demo-bench ".venv/bin/python -m bench.followup_latency [N]"

For each request: write it (as the agent does), wait for the supervisor notice (the created trigger
has run), then write the answer (as the dashboard does) and time until `followups/{id}` is `sent`,
seen by a Firestore listener. The first WARMUP answers start the function workers and are not counted.
demo-bench has no provider settings, so follow-ups go to the log channel.
"""
from __future__ import annotations

import statistics
import sys
import time

from bench.followups import SentWatch
from frontdesk_core import contract
from frontdesk_core.infra.firebase import db
from tests.emulator import clear_firestore, require_emulators, wait_for

WARMUP = 3


def main(count: int) -> None:
    require_emulators()
    client = db()
    clear_firestore()
    latencies = []
    with SentWatch(client) as followups:
        for i in range(WARMUP + count):
            ref = client.collection(contract.HELP_REQUESTS).document()
            ref.set(contract.new_help_request("+15550150", f"Benchmark question number {i}?"))
            wait_for(lambda: client.collection(contract.NOTIFICATIONS).document(f"{ref.id}-log").get().exists)
            start = time.perf_counter()
            ref.update(contract.resolution("Benchmark answer.", answered_by="bench"))
            if not followups.wait([ref.id], timeout=15):
                sys.exit(f"follow-up for {ref.id} not sent within 15 s")
            if i >= WARMUP:
                latencies.append((followups.sent_at[ref.id] - start) * 1000)
    q = statistics.quantiles(latencies, n=20)
    print(f"supervisor answer -> follow-up sent, warm functions, n={len(latencies)}: "
          f"p50 {statistics.median(latencies):.0f} ms, p95 {q[18]:.0f} ms, max {max(latencies):.0f} ms")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 40)
