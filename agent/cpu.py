"""The agent's CPU work (embedding a caller's words, the gate) on its own thread, batched.

Apart from I/O on purpose: asyncio's default executor is shared by every blocking call of the process,
and a turn that waits there behind others' work waits for nothing it needs. One thread because the
model runs one thread (`FRONTDESK_EMBED_THREADS`; two BLAS threads were slower on the 2-core machine
kind). Questions asked while an embedding runs are embedded together in the next run: one pass over the
weights for many texts (the forward pass is bound by reading its 42 MB of weights, see README
"Embeddings"), so a burst of calls costs a few runs rather than one per caller.
"""
from __future__ import annotations

import asyncio
import gc
from concurrent.futures import ThreadPoolExecutor
from typing import Callable, TypeVar

import numpy as np

from frontdesk_core import embedding

T = TypeVar("T")
BATCH = 64   # texts per run: a longer queue is split (each run pads to its longest text)

_pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="agent-cpu")
_warm = False
_settled = False


async def run(fn: Callable[..., T], *args) -> T:
    """`fn(*args)` on the CPU thread."""
    return await asyncio.get_running_loop().run_in_executor(_pool, fn, *args)


async def warm() -> None:
    """Load the model once per process (~0.4-2 s), before a call's first question, not during it;
    then settle the heap."""
    global _warm
    if not _warm:
        await run(embedding.embed, "warm up")
        settle_heap()
        _warm = True


def settle_heap() -> None:
    """Once per process, after its models and clients are loaded: what is in memory by now lives as long
    as the process, so it is taken out of the garbage collector's reach (`gc.freeze`). Left in, each
    full collection walked it all (~200 000 objects: modules, LiveKit, pydantic, protobuf) with the
    GIL held: 50-140 ms in which no call's turn moved (bench/load, 100 calls: the loop's worst lag went
    from 73-149 ms to 7 ms). Objects made later, a call's, are collected as before."""
    global _settled
    if not _settled:
        gc.collect()
        gc.freeze()
        _settled = True


class _Batcher:
    """Texts waiting for the one embedding run in flight; one batcher per event loop."""

    def __init__(self, loop: asyncio.AbstractEventLoop):
        self.loop = loop
        self.waiting: list[tuple[str, asyncio.Future]] = []
        self.running = False

    def embed(self, text: str) -> asyncio.Future:
        future = self.loop.create_future()
        self.waiting.append((text, future))
        if not self.running:
            self.running = True
            self.loop.create_task(self._drain())
        return future

    async def _drain(self) -> None:
        try:
            while self.waiting:
                batch, self.waiting = self.waiting[:BATCH], self.waiting[BATCH:]
                try:
                    # through the process's recent-texts cache: an escalation embeds its question
                    # once (request_help decides again on the words lookup_knowledge just embedded)
                    vectors = await run(embedding.cached_many, [t for t, _ in batch])
                except Exception as err:  # every waiter hears it, none hangs
                    for _, future in batch:
                        if not future.done():
                            future.set_exception(err)
                    continue
                for (_, future), vector in zip(batch, vectors):
                    if not future.done():
                        future.set_result(vector)
        finally:
            self.running = False


_batchers: dict[asyncio.AbstractEventLoop, _Batcher] = {}


async def embed(text: str) -> np.ndarray:
    """One text's unit vector, embedded together with whatever else is waiting."""
    loop = asyncio.get_running_loop()
    batcher = _batchers.get(loop)
    if batcher is None:
        for old in [l for l in _batchers if l.is_closed()]:
            del _batchers[old]
        batcher = _batchers[loop] = _Batcher(loop)
    return await batcher.embed(text)


async def decide(knowledge, text: str):
    """The knowledge decision for `text`: the embedding batched, the search and gate (~1 ms) on the CPU
    thread; with a judge (a network call for the uncertain middle) the decision goes to asyncio's
    I/O threads instead, so a slow judge never holds up another caller's embedding."""
    vector = await embed(text)
    if getattr(knowledge, "judge", None) is not None:
        return await asyncio.to_thread(knowledge.decide, text, vector)
    return await run(knowledge.decide, text, vector)
