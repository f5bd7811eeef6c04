"""A call's writes, one after another on the call's own loop, in the order they were made."""
from __future__ import annotations

import asyncio
from collections import deque
from typing import Any, Awaitable, Callable


class CallWriter:
    """Runs the call's writes one at a time, in the order given, on the loop. Document writes queued
    behind each other while one is in flight go out together in one commit (`commit(writes)`): the
    busier Firestore or the loop, the fewer round trips each write costs, and the order still holds."""

    def __init__(self, commit: Callable[[list[dict]], Awaitable[Any]]):
        self._commit = commit
        self._queue: deque = deque()      # (fn, args, future), or (None, writes, future), or None to stop
        self._wake = asyncio.Event()
        self._task = asyncio.get_running_loop().create_task(self._run())
        self.errors: list[BaseException] = []

    def submit(self, write, *args) -> asyncio.Future:
        """`await write(*args)` after every write submitted before it; the future has its result."""
        return self._enqueue(write, args)

    def put(self, writes: list[dict]) -> asyncio.Future:
        """Commit `writes` after everything submitted before them, maybe in one commit with neighbours."""
        return self._enqueue(None, writes)

    def _enqueue(self, fn, args) -> asyncio.Future:
        future = asyncio.get_running_loop().create_future()
        self._queue.append((fn, args, future))
        self._wake.set()
        return future

    async def _run(self) -> None:
        while True:
            if not self._queue:
                self._wake.clear()
                await self._wake.wait()
                continue
            item = self._queue.popleft()
            if item is None:
                return
            fn, args, future = item
            if fn is not None:
                await self._settle([future], fn(*args))
                continue
            futures, writes = [future], list(args)
            while self._queue and self._queue[0] is not None and self._queue[0][0] is None:
                _, more, later = self._queue.popleft()
                writes += more
                futures.append(later)
            await self._settle(futures, self._commit(writes))

    async def _settle(self, futures: list[asyncio.Future], work: Awaitable) -> None:
        try:
            result = await work
        except Exception as err:  # kept for close(); an awaiting caller hears it too
            self.errors.append(err)
            for future in futures:
                future.set_exception(err)
                future.exception()   # retrieved here: a fire-and-forget write is reported by close()
            return
        for future in futures:
            future.set_result(result)

    async def flush(self) -> None:
        """Wait for every write submitted so far."""
        async def nothing() -> None:
            return None
        await self.submit(nothing)

    async def close(self) -> None:
        self._queue.append(None)
        self._wake.set()
        await self._task
