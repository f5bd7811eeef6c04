"""A call's writer (agent/writer.py): writes queued behind one in flight go out in one commit, in
the order made; a submitted step (a help request's claim) is never merged and keeps its place; a
failed commit is heard by every write in it. Firestore itself: tests/integration/test_commits.py."""
from __future__ import annotations

import asyncio

import pytest

from agent.writer import CallWriter


class Commits:
    """Records each commit's writes; each takes a loop turn or two, as a round trip would."""

    def __init__(self, fail_on: str | None = None):
        self.made: list[list[str]] = []
        self.fail_on = fail_on

    async def __call__(self, writes: list[str]) -> bool:
        await asyncio.sleep(0.01)
        if self.fail_on in writes:
            raise RuntimeError(f"refused {self.fail_on}")
        self.made.append(list(writes))
        return False


@pytest.mark.asyncio
async def test_writes_queued_behind_one_in_flight_share_a_commit_in_order():
    commits = Commits()
    writer = CallWriter(commits)
    first = writer.put(["t1"])
    await asyncio.sleep(0)              # t1 is in flight; t2-t4 queue behind it
    later = [writer.put([f"t{i}"]) for i in (2, 3, 4)]
    await asyncio.gather(first, *later)
    await writer.close()
    assert commits.made == [["t1"], ["t2", "t3", "t4"]]


@pytest.mark.asyncio
async def test_a_submitted_step_is_not_merged_and_keeps_its_place():
    commits, steps = Commits(), []

    async def claim() -> str:
        steps.append(sum(len(c) for c in commits.made))   # how many writes had landed before it
        return "request-id"

    writer = CallWriter(commits)
    writer.put(["t1"])
    writer.put(["t2"])
    claimed = writer.submit(claim)
    writer.put(["t3"])
    writer.put(["t4"])
    assert await claimed == "request-id"
    await writer.close()
    assert commits.made == [["t1", "t2"], ["t3", "t4"]] and steps == [2]


@pytest.mark.asyncio
async def test_a_failed_commit_is_heard_by_each_of_its_writes_and_by_close():
    writer = CallWriter(Commits(fail_on="bad"))
    writer.put(["t1"])
    merged = [writer.put(["t2"]), writer.put(["bad"])]
    results = await asyncio.gather(*merged, return_exceptions=True)
    assert [str(r) for r in results] == ["refused bad", "refused bad"]
    await writer.close()
    assert [str(e) for e in writer.errors] == ["refused bad"]
