"""The supervisor (answers every group's head once announced) and the audit: nothing lost, nothing doubled."""
from __future__ import annotations

import json
import time
import urllib.request
from collections import Counter, defaultdict
from dataclasses import dataclass, field

from google.cloud.firestore import FieldFilter

from bench.followups import SentWatch
from frontdesk_core import contract
from tests.emulator import FUNCTIONS

from .calls import CallResult
from .questions import Plan

ANSWERED_BY = "load-bench"
TRIGGERS = ("on_help_request_created", "on_help_request_updated", "on_conversation_updated")


def read_all(client, collection: str) -> dict[str, dict]:
    return {s.id: s.to_dict() or {} for s in client.collection(collection).stream()}


def wait_until(check, deadline: float, interval: float = 0.5):
    """Poll `check` (no busy loop) until it returns something truthy or the deadline passes."""
    while True:
        last = check()
        if last or time.monotonic() >= deadline:
            return last
        time.sleep(interval)


def functions_loaded() -> list[str]:
    with urllib.request.urlopen(f"{FUNCTIONS}/backends", timeout=10) as response:
        body = json.loads(response.read())
    names = {t.get("entryPoint") or t.get("name") for b in body.get("backends", [])
             for t in b.get("functionTriggers", [])}
    return [t for t in TRIGGERS if t not in names]


@dataclass
class Outcome:
    """What the calls did, as the audit reads it."""
    failed_calls: list[str]
    surprises: list[str]          # replies other than the planned one
    escalations: set[tuple[str, str]]   # (caller, question) the agent escalated
    planned: set[tuple[str, str]]       # (caller, question) planned to escalate
    losses: list[str] = field(default_factory=list)
    doubles: list[str] = field(default_factory=list)

    @classmethod
    def of(cls, results: list[CallResult], plans: list[Plan]) -> "Outcome":
        surprises = [f"{r.plan.phone} {t.question.text!r}: " + (
            "escalated" if t.escalated else f"said {t.text!r}") for r in results for t in r.turns
            if t.escalated != t.question.escalates or (
                not t.text.startswith(contract.ESCALATION_MESSAGE if t.question.escalates else t.question.answer))]
        # an escalation: a caller, a question the agent escalated (the same question asked twice by
        # one caller is one escalation, by design of CallRecord.request_help)
        escalations = {(r.plan.phone, contract.question(t.question.text)) for r in results for t in r.turns
                       if t.escalated}
        planned = {(p.phone, contract.question(q.text)) for p in plans for q in p.questions if q.escalates}
        return cls([f"{r.plan.phone}: {r.error}" for r in results if r.error], surprises, escalations, planned)

    @property
    def failed(self) -> bool:
        return bool(self.losses or self.doubles or self.surprises)

    def print_problems(self) -> None:
        for line in self.losses + self.doubles + self.surprises:
            print(f"    {line}")


def requests_by_key(requests: dict[str, dict]) -> dict[tuple, list[str]]:
    by_key = defaultdict(list)
    for rid, d in requests.items():
        by_key[(d.get("customerPhone"), d.get("question"))].append(rid)
    return by_key


def audit_agent_only(client, outcome: Outcome) -> int:
    """--agent-only: one request per escalation (nothing answers them). Returns how many were written."""
    by_key = requests_by_key(read_all(client, contract.HELP_REQUESTS))
    outcome.losses = list(outcome.failed_calls) + [f"escalation without a request: {k}" for k in
                                                   sorted(outcome.escalations | outcome.planned) if not by_key.get(k)]
    outcome.doubles = [f"{len(ids)} requests for {k}" for k, ids in sorted(by_key.items()) if len(ids) > 1]
    return sum(map(len, by_key.values()))


@dataclass
class Answered:
    """The supervisor's part: every request announced or grouped, each group's head answered."""
    requests: dict[str, dict]
    answered_at: dict[str, float]
    sent_at: dict[str, float]
    notified_s: float
    answers_s: float


def answer_all(client, wait: float, sampler) -> Answered:
    """The functions announce or group every request (bounded by `wait`); then the supervisor answers
    each group once, and every follow-up goes out (bounded by `wait` again)."""
    t_answer = time.perf_counter()

    def settled():
        reqs = read_all(client, contract.HELP_REQUESTS)
        notes = {n.get("helpRequestId") for n in read_all(client, contract.NOTIFICATIONS).values()}
        open_ = [i for i, d in reqs.items() if not (i in notes or d.get("groupId") or d.get("invalidReason"))]
        return None if open_ else reqs

    requests = wait_until(settled, time.monotonic() + wait, interval=1.0) or read_all(client, contract.HELP_REQUESTS)
    notified_s = time.perf_counter() - t_answer
    followups = SentWatch(client)
    answered_at: dict[str, float] = {}
    try:
        for rid, doc in sorted(requests.items(), key=lambda kv: kv[1].get("timestamp")):
            if doc.get("status") == contract.PENDING and doc.get("groupId") in (None, rid):
                client.collection(contract.HELP_REQUESTS).document(rid).update(contract.resolution(
                    f"Load-test answer for {doc['customerPhone']}: yes, we can help with that.",
                    answered_by=ANSWERED_BY))
                answered_at[rid] = time.perf_counter()
        followups.wait(requests, timeout=wait)
        time.sleep(3)       # a late second delivery or trigger would show up here
    finally:
        followups.close()
        sampler.stop.set()
    return Answered(requests, answered_at, followups.sent_at, notified_s, time.perf_counter() - t_answer)


@dataclass
class Stored:
    """Every collection the audit reads, after the follow-ups."""
    requests: dict[str, dict]
    followups: dict[str, dict]
    notifications: dict[str, dict]
    conversations: dict[str, dict]
    learned: dict[str, dict]           # knowledge entries learned from a request

    @classmethod
    def read(cls, client) -> "Stored":
        return cls(read_all(client, contract.HELP_REQUESTS), read_all(client, contract.FOLLOWUPS),
                   read_all(client, contract.NOTIFICATIONS), read_all(client, contract.CONVERSATIONS),
                   {i: d for i, d in read_all(client, contract.KNOWLEDGE_BASE).items()
                    if d.get("originatingRequestId")})

    @property
    def members(self) -> list[str]:
        return [i for i, d in self.requests.items() if d.get("groupId") not in (None, i)]

    @property
    def primaries(self) -> list[str]:
        members = set(self.members)
        return [i for i in self.requests if i not in members]


def audit_full(client, stored: Stored, outcome: Outcome, results: list[CallResult]) -> None:
    """One request per escalation, in one conversation and one call; each resolved, its follow-up
    sent once (and once in its conversation), announced once; each group's answer learned once."""
    losses, doubles = outcome.losses, outcome.doubles
    losses.extend(outcome.failed_calls)
    by_key = requests_by_key(stored.requests)
    for key in sorted(outcome.escalations | outcome.planned):
        if not by_key.get(key):
            losses.append(f"escalation without a request: {key}")
    for key, ids in sorted(by_key.items()):
        if len(ids) > 1:
            doubles.append(f"{len(ids)} requests for one escalation {key}: {ids}")
        if key not in outcome.escalations:
            doubles.append(f"request(s) {ids} for no escalation the agent made: {key}")
    fu_turns = Counter(t.get("helpRequestId") for t in (s.to_dict() for s in client.collection_group(
        contract.TURNS).where(filter=FieldFilter("kind", "==", "followup")).stream()))
    for rid, d in sorted(stored.requests.items()):
        _audit_request(rid, d, stored, results, fu_turns, losses, doubles)
    for rid in stored.members:
        if rid in stored.learned:
            doubles.append(f"group member {rid} was learned as its own entry")
    for rid in stored.primaries:
        if stored.requests[rid].get("status") == contract.RESOLVED and rid not in stored.learned:
            losses.append(f"answer to {rid} was not learned")


def _audit_request(rid: str, d: dict, stored: Stored, results: list[CallResult], fu_turns: Counter,
                   losses: list[str], doubles: list[str]) -> None:
    in_conv = sum(c.get("helpRequestIds", []).count(rid) for c in stored.conversations.values())
    in_calls = sum(r.request_ids.count(rid) for r in results)
    if in_conv != 1 or in_calls != 1:
        (doubles if max(in_conv, in_calls) > 1 else losses).append(
            f"request {rid} is in {in_conv} conversations, {in_calls} calls")
    if d.get("status") != contract.RESOLVED:
        losses.append(f"request {rid} is {d.get('status')} ({d.get('customerPhone')} {d.get('question')!r})")
    fus = [(fid, f) for fid, f in stored.followups.items() if f.get("helpRequestId") == rid]
    sent = [f for _, f in fus if f.get("status") == "sent"]
    if not sent or not d.get("followupSent"):
        losses.append(f"request {rid}: follow-up {[(i, f.get('status'), f.get('error')) for i, f in fus]}, "
                      f"followupSent={d.get('followupSent')}")
    if len(fus) > 1:
        doubles.append(f"request {rid} has {len(fus)} follow-ups: {[(i, f.get('kind')) for i, f in fus]}")
    if fu_turns[rid] > 1:
        doubles.append(f"request {rid}'s follow-up is {fu_turns[rid]} times in its conversation")
    elif sent and fu_turns[rid] == 0:
        losses.append(f"request {rid}'s follow-up is not in its conversation")
    notes = sum(n.get("helpRequestId") == rid for n in stored.notifications.values())
    if notes > 1:
        doubles.append(f"request {rid} announced {notes} times")
