"""A call longer than a Firestore document can hold (issue 16 item 10): its turns are documents of
the conversation's `turns` subcollection, so every one is recorded, in order, and the hang-up lands
on a conversation document that stays small. With the turns in an array the writes past 1 MiB fail."""
from __future__ import annotations

import asyncio

from agent.calls import CallRecord
from frontdesk_core import contract
from tests.emulator import turns_of

TURNS, CHARS = 2000, 600
MIB = 1 << 20


def line(i: int) -> str:
    head = f"turn {i:04d} "
    return head + "la" * ((CHARS - len(head)) // 2)


def test_a_call_beyond_one_mib_records_every_turn_in_order_and_ends(salon_db):
    assert TURNS * CHARS > MIB      # more text than one document may hold

    async def call() -> str:
        record = CallRecord(salon_db, "+15550321", channel="text")
        for i in range(TURNS):
            record.add_turn(contract.CALLER if i % 2 else contract.AGENT, line(i))
        await record.close()        # waits for every write; raises the first that failed
        return record.conversation_id

    conversation_id = asyncio.run(call())
    turns = turns_of(salon_db, conversation_id)
    assert [t["text"] for t in turns] == [line(i) for i in range(TURNS)]
    assert [t["seq"] for t in turns] == list(range(1, TURNS + 1))
    assert [t["role"] for t in turns[:2]] == [contract.AGENT, contract.CALLER]
    conversation = salon_db.collection(contract.CONVERSATIONS).document(conversation_id).get().to_dict()
    assert conversation["endedAt"] is not None and "turns" not in conversation
