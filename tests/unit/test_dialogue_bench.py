"""bench/dialogue.py's scripted calls held to issue 14's goal: no false escalation anywhere, and at
least 95 % of the held-out salons' calls handled as expected."""
from __future__ import annotations

import asyncio
import json

from bench.dialogue import CALLS, GOAL_CALLS, MemoryCall, Outcome, judge, run_calls
from bench.turnset import load
from frontdesk_core import contract


def test_the_scripted_calls_meet_the_goal():
    calls = [json.loads(line) for line in CALLS.read_text().splitlines() if line.strip()]
    splits = {t.salon: t.split for t in load()}
    assert len(calls) >= 40 and len({c["salon"] for c in calls}) >= 6
    outcomes = asyncio.run(run_calls(calls))
    assert [(o.call["id"], o.false) for o in outcomes if o.false] == []
    held_out = [o for o in outcomes if splits.get(o.call["salon"]) != "dev"]   # salons with no labelled turns too
    ok = [o for o in held_out if o.ok]
    assert len(ok) / len(held_out) >= GOAL_CALLS, [(o.call["id"], o.missed + o.other) for o in held_out if not o.ok]


def test_the_judge_counts_false_and_missed_escalations():
    """The bench must be able to fail: a request for small talk is false, an unraised unknown missed."""
    call = {"id": "x", "salon": "s", "turns": [], "answers": ["$40"], "escalations": ["beard"], "ends": True}
    o = Outcome(call, said=["A cut is $40."], ended=True,
                requests=[contract.new_help_request("+15550100", "Thanks, bye")])
    judge(o)
    assert o.false == ["question request 'Thanks, bye'"] and o.missed == ["no request for the 'beard' question"]
    o = Outcome({**call, "callback": 1, "escalations": []}, said=[], ended=False,
                requests=[contract.new_help_request("+15550100", "Book: cut", kind="booking",
                                                    booking={"action": "book"})])
    judge(o)
    assert o.false == ["1 booking request(s) not asked for"] and o.missed == ["no callback request"]
    assert "answer with '$40' not said" in o.other and not o.ok


def test_the_memory_call_checks_the_contract():
    import pytest
    with pytest.raises(contract.ContractError):
        asyncio.run(MemoryCall().request_help("x" * 600))
