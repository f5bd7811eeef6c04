"""A call's writes against the real emulator: queued ones share a commit and all land, in order; a
commit retried after its first landed (a create already there) still applies the rest."""
from __future__ import annotations

import asyncio

from agent import spool
from agent.calls import CallRecord, async_client
from frontdesk_core import contract

PHONE = "+15550422"


def test_a_burst_of_turns_lands_whole_and_in_order_in_fewer_commits(salon_db, monkeypatch):
    commits: list[int] = []
    commit = spool.commit

    async def counted(client, writes):
        commits.append(len(writes))
        return await commit(client, writes)

    monkeypatch.setattr(spool, "commit", counted)

    async def call() -> str:
        record = CallRecord(salon_db, PHONE, channel="text")
        for i in range(1, 31):
            record.add_turn(contract.CALLER if i % 2 else contract.AGENT, f"line {i}")
        await record.close()
        return record.conversation_id

    conversation_id = asyncio.run(call())
    turns = (salon_db.collection(contract.CONVERSATIONS).document(conversation_id)
             .collection(contract.TURNS).order_by("seq").get())
    assert [t.get("text") for t in turns] == [f"line {i}" for i in range(1, 31)]
    assert [t.get("seq") for t in turns] == list(range(1, 31))
    ended = salon_db.collection(contract.CONVERSATIONS).document(conversation_id).get()
    assert ended.get("endedAt") is not None
    assert sum(commits) == 32 and len(commits) < 32, commits   # the conversation, 30 turns, its end


def test_a_commit_whose_create_already_landed_applies_the_rest(salon_db):
    requests = salon_db.collection(contract.HELP_REQUESTS)
    existing = requests.document("already-there")
    existing.set({"question": "as first written", "status": contract.PENDING})
    writes = [spool.write(spool.CREATE, existing.path, {"question": "written again", "status": contract.PENDING}),
              spool.write(spool.SET, "conversations/c-retry", {"customerPhone": PHONE}),
              spool.write(spool.MERGE, existing.path, {"followupSent": False})]

    async def retry() -> None:
        await spool.commit(async_client(salon_db), writes)

    asyncio.run(retry())
    again = existing.get().to_dict()
    assert again["question"] == "as first written" and again["followupSent"] is False
    assert salon_db.collection(contract.CONVERSATIONS).document("c-retry").get().get("customerPhone") == PHONE
