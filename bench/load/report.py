"""What the bench prints: the calls' figures, and (with the functions) the supervisor's and the audit's."""
from __future__ import annotations

import os
import statistics
from collections import Counter

from agent import spool

from .audit import Answered, Outcome, Stored
from .calls import CallsRun, Pace
from .figures import figures
from .questions import Plan


def print_calls(run: CallsRun, pace: Pace, plans: list[Plan], outcome: Outcome, kept: tuple[int, int]) -> None:
    turns = [t for r in run.results for t in r.turns]
    answered = [t.ms for t in turns if not t.escalated]
    escalated = [t.ms for t in turns if t.escalated]
    embed_runs = run.probes.embed_runs
    where = "in this process" if run.processes == 1 else f"in {run.processes} processes (round-robin)"
    print(f"mode: {pace.name}, calls {where}")
    print(f"calls {len(run.results)} at once ({sum(1 for p in plans if any(q.escalates for q in p.questions))} "
          f"planned to escalate), {len(turns)} turns: {len(answered)} answered, {len(escalated)} escalated; "
          f"{sum(r.fillers for r in run.results)} fillers; {len(outcome.failed_calls)} calls failed")
    print(f"turn latency (caller text in -> reply out, offline policy): {figures([t.ms for t in turns])}")
    print(f"    answered {figures(answered)}")
    print(f"    escalated {figures(escalated)}")
    print(f"    call set-up {figures([r.open_ms for r in run.results if not r.error])}")
    print(f"    embedding runs (batched, agent's CPU thread) {figures([ms for _, ms in embed_runs])}, "
          f"texts per run p50 {statistics.median([n for n, _ in embed_runs] or [0]):.0f} "
          f"max {max([n for n, _ in embed_runs] or [0])}")
    print(f"    lookup as a turn waits for it (queue + embed + search + gate) {figures(run.probes.lookup_ms)}")
    print(f"    help request as a turn waits for it (queries, claim, write) {figures(run.probes.request_ms)}")
    print(f"    search + gate (agent's CPU thread) {figures(run.probes.gate_ms)}; "
          f"event-loop lag {figures(run.lags)}")
    print(f"    full garbage collections (the loop stalls) {figures(run.probes.gc_full_ms)}")
    print(f"    asyncio.to_thread queue wait {figures(run.waits)}; the calls' process(es) used "
          f"{run.cpu_s:.1f} s CPU in {run.seconds:.1f} s of calls")
    print(f"    event loop's own CPU {run.loop_cpu_s:.2f} s: {run.loop_cpu_s / max(1, len(turns)) * 1000:.1f} ms "
          f"per turn, set-ups and hang-ups included ({len(run.results)} calls, {len(turns)} turns)")
    print(f"    write batches kept on disk (Firestore slower than {spool.DEADLINE:g} s): {kept[0]}, "
          f"left after writing them: {kept[1]}")


def print_agent_only(outcome: Outcome, written: int) -> None:
    print(f"requests written {written} for {len(outcome.escalations)} escalations; "
          f"losses {len(outcome.losses)}, duplicates {len(outcome.doubles)}, unplanned replies "
          f"{len(outcome.surprises)}; load average {os.getloadavg()[0]:.1f} (2 cores, shared)")
    outcome.print_problems()


def print_full(stored: Stored, answered: Answered, outcome: Outcome, sampler) -> None:
    to_sent = [(answered.sent_at[r] - answered.answered_at[r]) * 1000 for r in answered.answered_at
               if r in answered.sent_at]
    notified = []
    for n in stored.notifications.values():
        req = stored.requests.get(n.get("helpRequestId"))
        if req and req.get("timestamp") and n.get("createdAt"):
            notified.append((n["createdAt"] - req["timestamp"]).total_seconds() * 1000)
    channels = Counter(f.get("channel") for f in stored.followups.values() if f.get("status") == "sent")
    print(f"requests written {len(stored.requests)}, escalations expected {len(outcome.planned)} (agent escalated "
          f"{len(outcome.escalations)}), groups: {len(stored.primaries)} primaries, {len(stored.members)} members")
    print(f"supervisor notices {len(stored.notifications)}, request -> notice {figures(notified)}")
    print(f"answers written {len(answered.answered_at)}; follow-ups sent {sum(channels.values())} "
          f"({', '.join(f'{c} {k}' for c, k in channels.items()) or 'none'}), "
          f"answer -> sent {figures(to_sent)}; learned entries {len(stored.learned)}")
    print(f"function workers (functions-framework processes) at peak {sampler.peak_procs}, "
          f"{sampler.peak_rss_mb:.0f} MB RSS")
    print(f"losses {len(outcome.losses)}, duplicates {len(outcome.doubles)}, unplanned replies {len(outcome.surprises)}")
    outcome.print_problems()
