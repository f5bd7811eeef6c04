"""`--processes N`: the calls in N job processes, as a LiveKit worker runs each job in a process of its own.

Each process does what a job process does before its first call (LiveKit's prewarm: its own Firestore
client, knowledge index and embedding model), says it is ready, and then runs its share of the calls
(dealt round-robin) in its own event loop when every process is ready. The figures are merged.
"""
from __future__ import annotations

import asyncio
import multiprocessing
import os
import time
import traceback
from pathlib import Path

from .calls import CallsRun, Pace, run_here
from .figures import Probes
from .questions import Plan

READY_WAIT = 180      # s for every process to load its index and model (2 cores shared by many)


def _job(index: int, plans: list[Plan], instructions: str, pace: Pace, timeout: float, ready, go, out) -> None:
    try:
        from agent import cpu
        from agent.knowledge import KnowledgeIndex
        from frontdesk_core.infra.firebase import db
        client = db()
        knowledge = KnowledgeIndex.from_firestore(client)
        asyncio.run(cpu.warm())
        probes = Probes().install(knowledge)
        ready.put((index, os.getpid()))
        go.wait()
        run = run_here(client, knowledge, instructions, plans, timeout, pace, probes)
        knowledge.close()
        out.put((index, run))
    except BaseException:
        out.put((index, traceback.format_exc()))
        raise


def _rss_mb(pid: int) -> float:
    try:
        return int(Path(f"/proc/{pid}/statm").read_text().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 2**20
    except (OSError, ValueError, IndexError):
        return float("nan")


def run_in_processes(n: int, plans: list[Plan], instructions: str, pace: Pace, timeout: float) -> CallsRun:
    ctx = multiprocessing.get_context("spawn")     # no fork: the parent's gRPC channels and threads
    ready, out, go = ctx.Queue(), ctx.Queue(), ctx.Event()
    procs = [ctx.Process(target=_job, args=(i, plans[i::n], instructions, pace, timeout, ready, go, out),
                         name=f"job-{i}", daemon=True) for i in range(n)]
    for p in procs:
        p.start()
    try:
        pids = [ready.get(timeout=READY_WAIT)[1] for _ in procs]
        rss = sorted(_rss_mb(pid) for pid in pids)
        print(f"job processes: {n} ready, resident memory each p50 {rss[len(rss) // 2]:.0f} / max {rss[-1]:.0f} MB")
        t0 = time.perf_counter()
        go.set()
        runs: dict[int, CallsRun] = {}
        for _ in procs:
            index, run = out.get(timeout=timeout + 60)
            if isinstance(run, str):
                raise SystemExit(f"job process {index} failed:\n{run}")
            runs[index] = run
        seconds = time.perf_counter() - t0
    finally:
        for p in procs:
            p.join(timeout=30)
            if p.is_alive():
                p.kill()
    return merged([runs[i] for i in range(n)], plans, seconds)


def merged(runs: list[CallsRun], plans: list[Plan], seconds: float) -> CallsRun:
    by_phone = {r.plan.phone: r for run in runs for r in run.results}
    probes = Probes()
    for run in runs:
        probes.merge(run.probes)
    return CallsRun([by_phone[p.phone] for p in plans], probes,
                    lags=[x for run in runs for x in run.lags], waits=[x for run in runs for x in run.waits],
                    seconds=seconds, cpu_s=sum(run.cpu_s for run in runs),
                    loop_cpu_s=sum(run.loop_cpu_s for run in runs), processes=len(runs))
