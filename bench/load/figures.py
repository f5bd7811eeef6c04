"""Percentiles, and the probes that time the agent's parts during the calls (in whichever process runs them)."""
from __future__ import annotations

import gc
import statistics
import time
from dataclasses import dataclass, field

from agent import cpu
from agent.calls import CallRecord
from frontdesk_core import embedding


def pct(values: list[float], p: float) -> float:
    xs = sorted(values)
    return xs[min(len(xs) - 1, max(0, round(p / 100 * (len(xs) - 1))))] if xs else float("nan")


def figures(values: list[float]) -> str:
    if not values:
        return "n=0"
    return (f"p50 {statistics.median(values):.0f} / p95 {pct(values, 95):.0f} / max {max(values):.0f} ms "
            f"(n={len(values)})")


def timed(owner, name: str) -> list[float]:
    """Wrap the coroutine function `owner.name` to note each call's wall time (ms) in the list returned."""
    inner, spent = getattr(owner, name), []

    async def wrapper(*args, **kwargs):
        t = time.perf_counter()
        try:
            return await inner(*args, **kwargs)
        finally:
            spent.append((time.perf_counter() - t) * 1000)
    setattr(owner, name, wrapper)
    return spent


@dataclass
class Probes:
    """Wall times (ms) of the agent's parts, noted while the calls run (plain lists: they travel
    between processes)."""
    gate_ms: list[float] = field(default_factory=list)        # search + gate on the CPU thread
    embed_runs: list[tuple[int, float]] = field(default_factory=list)   # batched runs: (texts, ms)
    lookup_ms: list[float] = field(default_factory=list)      # a lookup as a turn waits for it
    request_ms: list[float] = field(default_factory=list)     # a help request as a turn waits for it
    gc_full_ms: list[float] = field(default_factory=list)     # full (generation 2) collections: the loop stalls

    def install(self, knowledge) -> "Probes":
        decide, embed_many = knowledge.decide, embedding.embed_many

        def timed_decide(question, vector=None):    # the gate's own work (embed + decide) inside a turn
            t = time.perf_counter()
            try:
                return decide(question, vector)
            finally:
                self.gate_ms.append((time.perf_counter() - t) * 1000)

        def timed_embed_many(texts, *a, **kw):
            t = time.perf_counter()
            try:
                return embed_many(texts, *a, **kw)
            finally:
                self.embed_runs.append((len(texts), (time.perf_counter() - t) * 1000))

        knowledge.decide, embedding.embed_many = timed_decide, timed_embed_many
        started: list[float] = []

        def full_collections(phase: str, info: dict) -> None:
            if info["generation"] == 2:
                if phase == "start":
                    started[:] = [time.perf_counter()]
                elif started:
                    self.gc_full_ms.append((time.perf_counter() - started[0]) * 1000)
        gc.callbacks.append(full_collections)
        self.lookup_ms, self.request_ms = timed(cpu, "decide"), timed(CallRecord, "request_help")
        return self

    def merge(self, other: "Probes") -> None:
        for name in ("gate_ms", "embed_runs", "lookup_ms", "request_ms", "gc_full_ms"):
            getattr(self, name).extend(getattr(other, name))
