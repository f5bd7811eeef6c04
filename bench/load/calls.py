"""The calls themselves, in one event loop: each a TextCall paced as its plan says, timed turn by turn."""
from __future__ import annotations

import asyncio
import cProfile
import random
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field

from agent.policy import OfflinePolicyLLM
from agent.receptionist import FILLER
from agent.session import TextCall

from .figures import Probes
from .questions import Plan, Question


@dataclass
class Turn:
    question: Question
    ms: float
    text: str
    escalated: bool


@dataclass
class CallResult:
    plan: Plan
    turns: list[Turn] = field(default_factory=list)
    conversation_id: str | None = None
    request_ids: list[str] = field(default_factory=list)
    fillers: int = 0
    open_ms: float = 0.0
    error: str | None = None


@dataclass
class Pace:
    """Burst (the default): every call opens and asks in the same loop turn, a load no phone line
    produces. Paced: calls open at random over `spread` s and each caller's turns are `gap` s apart
    (x0.5-1.5), as speech is."""
    spread: float = 0.0
    gap: float = 0.0
    greeting: str | None = None

    @property
    def name(self) -> str:
        return f"paced (calls over {self.spread:g} s, turns ~{self.gap:g} s apart)" if self.spread or self.gap \
            else "burst (all calls in one loop turn)"


@dataclass
class CallsRun:
    """What the calls of one process (or, merged, of all) measured."""
    results: list[CallResult]
    probes: Probes
    lags: list[float] = field(default_factory=list)      # event-loop lag samples, ms
    waits: list[float] = field(default_factory=list)     # asyncio.to_thread queue waits, ms
    seconds: float = 0.0                                 # wall time of the calls
    cpu_s: float = 0.0                                   # the process's CPU (every thread) during them
    loop_cpu_s: float = 0.0                              # the event loop thread's own CPU during them
    processes: int = 1


async def run_call(client, knowledge, instructions: str, plan: Plan, start: asyncio.Event,
                   pace: Pace) -> CallResult:
    result = CallResult(plan)
    rng = random.Random(plan.phone)

    def heard(text: str) -> None:
        result.fillers += text == FILLER

    await start.wait()
    await asyncio.sleep(rng.uniform(0, pace.spread))      # paced: calls come in over a few seconds
    try:
        t0 = time.perf_counter()
        async with TextCall(client, plan.phone, knowledge, instructions, model=OfflinePolicyLLM(),
                            on_agent_text=heard, greeting=pace.greeting) as call:
            result.open_ms = (time.perf_counter() - t0) * 1000
            result.conversation_id = call.record.conversation_id
            for q in plan.questions:
                if pace.gap:                              # paced: a caller speaks a few seconds apart
                    await asyncio.sleep(rng.uniform(0.5, 1.5) * pace.gap)
                t = time.perf_counter()
                reply = await call.ask(q.text)
                result.turns.append(Turn(q, (time.perf_counter() - t) * 1000, reply.text, reply.escalated))
            result.request_ids = call.record.help_request_ids
    except Exception as err:  # counted as a loss, not raised: the other calls go on
        result.error = f"{type(err).__name__}: {err}"
    return result


async def loop_lag(lags: list[float], period: float = 0.1) -> None:
    """How late the event loop wakes a 100 ms sleep: the time every call waits for the loop."""
    loop = asyncio.get_running_loop()
    while True:
        t = loop.time()
        await asyncio.sleep(period)
        lags.append((loop.time() - t - period) * 1000)


class TimedExecutor(ThreadPoolExecutor):
    """The loop's default executor (asyncio.to_thread), same size as asyncio's own, noting how long
    each job waits for a thread."""

    def __init__(self, waits: list[float]):
        super().__init__(thread_name_prefix="asyncio")
        self.waits = waits

    def submit(self, fn, /, *args, **kwargs):
        queued = time.perf_counter()

        def job():
            self.waits.append((time.perf_counter() - queued) * 1000)
            return fn(*args, **kwargs)
        return super().submit(job)


async def run_calls(client, knowledge, instructions, plans: list[Plan], timeout: float,
                    lags: list[float], waits: list[float], pace: Pace) -> list[CallResult]:
    asyncio.get_running_loop().set_default_executor(TimedExecutor(waits))
    start = asyncio.Event()
    tasks = [asyncio.create_task(run_call(client, knowledge, instructions, p, start, pace)) for p in plans]
    monitor = asyncio.create_task(loop_lag(lags))
    start.set()                                   # burst: every call starts in the same loop turn
    done, pending = await asyncio.wait(tasks, timeout=timeout)
    monitor.cancel()
    for task in pending:
        task.cancel()
    results = []
    for plan, task in zip(plans, tasks):
        if task in done:
            results.append(task.result())
        else:
            results.append(CallResult(plan, error=f"call not finished within {timeout:.0f} s"))
    if pending:
        await asyncio.wait(pending, timeout=10)
    return results


def run_here(client, knowledge, instructions: str, plans: list[Plan], timeout: float, pace: Pace,
             probes: Probes, profile_to: str | None = None) -> CallsRun:
    """Run `plans` in this process's own loop (on this thread), with its CPU measured."""
    lags: list[float] = []
    waits: list[float] = []
    t0, cpu0, loop_cpu0 = time.perf_counter(), time.process_time(), time.thread_time()
    profile = cProfile.Profile() if profile_to else None
    if profile:
        profile.enable()
    results = asyncio.run(run_calls(client, knowledge, instructions, plans, timeout, lags, waits, pace))
    if profile:
        profile.disable()
        profile.dump_stats(profile_to)
    return CallsRun(results, probes, lags, waits, seconds=time.perf_counter() - t0,
                    cpu_s=time.process_time() - cpu0, loop_cpu_s=time.thread_time() - loop_cpu0)
