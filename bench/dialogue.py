"""Issue 14's bench: turn classification on the labelled caller turns, and scripted multi-turn calls
through the real AgentSession, Receptionist and offline policy, each salon with its own knowledge base.

    .venv/bin/python -m bench.dialogue [--verbose]
    .venv/bin/python -m bench.dialogue --calls bench/data/fresh_calls.jsonl --kb bench/data/fresh_kb
        (batch 4: two salons written after everything else and judged once, never used to fix a rule)

Prints, per split (dev: the salons the rules were built on; held-out: the others), the calls handled
as expected, false escalations (a request raised for small talk, noise, an answered question, or a
callback/booking nobody asked for; those whose answer an entry near the question holds are counted apart
as the answer gate's, issue 13) and missed escalations (an unknown question, a person or a booking
that raised nothing), and the share of labelled turns whose every part is classified right.
Exit status 1 when the goal is missed: any false escalation, or under 95 % of held-out calls as expected.
"""
from __future__ import annotations

import argparse
import asyncio
import json
import sys
from dataclasses import dataclass, field
from pathlib import Path

from livekit.agents import AgentSession

from agent.calls import HelpRequest
from agent.knowledge import KnowledgeIndex
from agent.policy import OfflinePolicyLLM
from agent.receptionist import CallState, Receptionist
from frontdesk_core import contract, embedding
from frontdesk_core.understanding.decision import judged

from .turnset import load, score

DATA = Path(__file__).resolve().parent / "data"
CALLS = DATA / "calls.jsonl"
GOAL_CALLS = 0.95
GATE_SHORTLIST = 3


class MemoryCall:
    """A call record without Firestore: the requests a call raises, their kinds, and the hang-up."""

    def __init__(self):
        self.requests: list[dict] = []
        self.ended = False

    async def request_help(self, question: str, *, kind: str = contract.QUESTION_KIND, booking=None) -> HelpRequest:
        doc = contract.new_help_request("+15550100", question, kind=kind, booking=booking)
        if kind == contract.CALLBACK and any(r["kind"] == kind for r in self.requests):
            return HelpRequest("dup", created=False)
        self.requests.append(doc)
        return HelpRequest(f"r{len(self.requests)}", created=True)

    async def close(self) -> None:   # awaited by the Receptionist's end_call, as CallRecord.close is
        self.ended = True

    def prefetch(self) -> None:
        """Nothing to read ahead: the requests are in memory (CallRecord reads Firestore here)."""


@dataclass
class Outcome:
    call: dict
    said: list[str] = field(default_factory=list)
    requests: list[dict] = field(default_factory=list)
    ended: bool = False
    false: list[str] = field(default_factory=list)
    missed: list[str] = field(default_factory=list)
    other: list[str] = field(default_factory=list)
    gate_misses: int = 0      # false question requests the knowledge base could have answered (issue 13)

    @property
    def ok(self) -> bool:
        return not (self.false or self.missed or self.other)


def gate_miss(question: str, answers: list[str], knowledge: KnowledgeIndex) -> bool:
    """A falsely escalated question whose answer the base holds: one of the call's expected facts is in
    the answer of an entry among the few nearest by meaning. The turn was understood as a question; the
    answer gate (issue 13) did not answer it. Other false escalations are the turn rules' own."""
    candidates = judged(question, embedding.embed(question), knowledge.index, k=GATE_SHORTLIST)
    return any(a in (c.entry.answer or "") for c in candidates for a in answers)


def judge(o: Outcome, knowledge: KnowledgeIndex | None = None) -> None:
    c = o.call
    text = " ".join(o.said)
    questions = [r["question"] for r in o.requests if r["kind"] == contract.QUESTION_KIND]
    wanted = list(c.get("escalations", []))
    for q in questions:
        hit = next((w for w in wanted if w.lower() in q.lower()), None)
        if hit:
            wanted.remove(hit)
        else:
            o.false.append(f"question request {q!r}")
            o.gate_misses += knowledge is not None and gate_miss(q, c.get("answers", []), knowledge)
    o.missed += [f"no request for the {w!r} question" for w in wanted]
    for kind, expected in ((contract.CALLBACK, c.get("callback", 0)), (contract.BOOKING, 1 if c.get("booking") else 0)):
        n = sum(r["kind"] == kind for r in o.requests)
        if n > expected:
            o.false.append(f"{n - expected} {kind} request(s) not asked for")
        elif n < expected:
            o.missed.append(f"no {kind} request")
    if c.get("booking"):
        got = next((r["booking"] for r in o.requests if r["kind"] == contract.BOOKING), None)
        for key, value in c["booking"].items():
            if got is not None and value.lower() not in (got.get(key) or "").lower():
                o.other.append(f"booking {key}: expected {value!r}, got {got.get(key)!r}")
    for answer in c.get("answers", []):
        if answer not in text:
            o.other.append(f"answer with {answer!r} not said")
    if o.ended != c.get("ends", False):
        o.other.append(f"call ended: {o.ended}, expected {c.get('ends', False)}")


async def run_call(call: dict, knowledge: KnowledgeIndex) -> Outcome:
    record = MemoryCall()
    outcome = Outcome(call)
    async with OfflinePolicyLLM() as lm, AgentSession(llm=lm, userdata=CallState(knowledge, record)) as session:
        agent = Receptionist(instructions="bench",
                             greeting=f"Thanks for calling {call['salon']}, how can I help?")
        await session.start(agent)
        await agent.greeted.wait()
        for turn in call["turns"]:
            result = await session.run(user_input=turn)
            outcome.said += [e.item.text_content for e in result.events
                             if e.type == "message" and e.item.role == "assistant"]
            if agent.ended:
                break
    outcome.requests, outcome.ended = record.requests, record.ended
    judge(outcome, knowledge)
    return outcome


async def run_calls(calls: list[dict], kb: Path = DATA / "salons_kb") -> list[Outcome]:
    indexes: dict[str, KnowledgeIndex] = {}
    out = []
    for call in calls:
        if call["salon"] not in indexes:
            indexes[call["salon"]] = KnowledgeIndex.from_file(kb / f"{call['salon']}.json")
        out.append(await run_call(call, indexes[call["salon"]]))
    return out


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--verbose", action="store_true", help="print every miss")
    parser.add_argument("--calls", type=Path, default=CALLS, help="scripted calls (JSON lines)")
    parser.add_argument("--kb", type=Path, default=DATA / "salons_kb", help="their salons' knowledge bases")
    args = parser.parse_args(argv)
    turns = load()
    splits = {t.salon: t.split for t in turns}
    print("Turn classification (every part of the turn labelled right):")
    for split in sorted({t.split for t in turns}):
        ok, n, misses = score([t for t in turns if t.split == split])
        salons = sorted({t.salon for t in turns if t.split == split})
        print(f"  {split:10s} {ok}/{n} = {ok / n:.1%}  ({', '.join(salons)})")
        if args.verbose:
            for t, got in misses:
                print(f"      {t.salon}: {t.text!r} expected {' '.join(t.labels)}, got {' '.join(got)}")
    calls = [json.loads(line) for line in args.calls.read_text().splitlines() if line.strip()]
    outcomes = asyncio.run(run_calls(calls, args.kb))
    print("Scripted calls:")
    goal = True
    for name, members in (("dev", [o for o in outcomes if splits.get(o.call["salon"]) == "dev"]),
                          ("held-out", [o for o in outcomes if splits.get(o.call["salon"]) != "dev"])):
        if not members:
            continue
        ok = sum(o.ok for o in members)
        false = sum(len(o.false) for o in members)
        missed = sum(len(o.missed) for o in members)
        salons = len({o.call["salon"] for o in members})
        gate = sum(o.gate_misses for o in members)
        print(f"  {name:9s} {ok}/{len(members)} calls as expected = {ok / len(members):.1%} ({salons} salons); "
              f"false escalations {false} ({gate} the gate's: the base holds the answer); missed escalations {missed}")
        goal &= false == 0 and (name == "dev" or ok / len(members) >= GOAL_CALLS)
        for batch in sorted({o.call.get("batch", 1) for o in members}):
            part = [o for o in members if o.call.get("batch", 1) == batch]
            print(f"      batch {batch}: {sum(o.ok for o in part)}/{len(part)} as expected, false escalations "
                  f"{sum(len(o.false) for o in part)} ({sum(o.gate_misses for o in part)} the gate's), "
                  f"missed {sum(len(o.missed) for o in part)}")
        for o in members:
            if not o.ok and args.verbose:
                print(f"      {o.call['id']}: {'; '.join(o.false + o.missed + o.other)}")
                print(f"         said: {' / '.join(o.said)}")
    kinds = [r["kind"] for o in outcomes for r in o.requests]
    print(f"  requests raised in all: {len(kinds)} ("
          + ", ".join(f"{k} {kinds.count(k)}" for k in contract.KINDS) + ")")
    print("Goal (0 false escalations, >= 95 % of held-out calls as expected):", "met" if goal else "NOT met")
    return 0 if goal else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
