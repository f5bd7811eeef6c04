"""What a supervisor's answer writes, decided over plain dicts: the plan step of `resolution.record`.

`resolution.record` reads the documents in one transaction (the request, a group member's primary, the
entry the answer teaches, whether the entry to create, the follow-up and a live call exist), hands
them here as an `AnswerState`, and applies the `Plan`'s writes in the same transaction. Nothing here
touches Firestore, so every rule of teaching is unit-tested without an emulator
(tests/unit/test_teaching.py):
- no knowledge choice, or "new": a learned entry whose id is the request's (a repeated event cannot
  make a second); "new" next to near entries marks the new one `distinctFrom` them;
- "link": the caller's question becomes another wording of the chosen entry;
- "update": the same, and the entry's answer becomes the supervisor's, stamped with who answered;
- a group member teaches its caller's wording to what its primary taught ("group");
- a linked entry deleted meanwhile: the answer is learned as a new entry instead;
- the follow-up (id = the request's) goes to the live call, else to the caller's text channel.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Literal, Mapping

from .. import contract
from . import learning
from .writes import Write

WordingSource = Literal["link", "group"]


@dataclass(frozen=True)
class Target:
    teach_id: str | None    # the entry that gets the caller's wording
    create_id: str | None   # the entry to create
    source: WordingSource   # how the wording came


def target(request_id: str, request: Mapping[str, Any], primary: Mapping[str, Any] | None) -> Target:
    """Which entries the answer touches. A group member (`primary` = its primary request as stored,
    {} when gone) teaches what its primary taught."""
    via = request.get(contract.RESOLVED_VIA_GROUP)
    owner = (primary or {}) if via else request
    action, chosen = owner.get(contract.KNOWLEDGE_ACTION), owner.get(contract.KNOWLEDGE_ID)
    source: WordingSource = "group" if via else "link"
    if action in (contract.LINK, contract.UPDATE):
        return Target(chosen, None, source)
    if via:
        return Target(via, None, source)   # the entry its primary's answer created
    return Target(None, request_id, source)


def after_reading(chosen: Target, request_id: str, request: Mapping[str, Any], teach_exists: bool) -> Target:
    """A linked entry deleted before the answer was recorded: learn the answer as a new entry."""
    if chosen.teach_id and not teach_exists and not request.get(contract.RESOLVED_VIA_GROUP):
        return Target(None, request_id, chosen.source)
    return chosen


@dataclass(frozen=True)
class AnswerState:
    """What the transaction read. `request` is validated; `invalid` says why it is not."""
    request_id: str
    request: Mapping[str, Any] | None = None
    invalid: str | None = None
    target: Target | None = None
    teach: Mapping[str, Any] | None = None   # the entry to teach, as stored (None: none, or gone)
    create_exists: bool = False
    followup_exists: bool = False
    call_live: bool = False


@dataclass
class Plan:
    resolved: bool
    writes: list[Write] = field(default_factory=list)
    learned: bool = False
    followup_channel: str | None = None
    log: list[str] = field(default_factory=list)


def plan(state: AnswerState, *, caller_channel: str, now: datetime, embedding: Mapping[str, Any] | None = None,
         answerer_email: str | None = None) -> Plan:
    """The writes recording one answer: only what is not there yet, so a repeat plans nothing."""
    if state.invalid:
        return Plan(resolved=False, log=[f"not learned: {state.invalid}"])
    request = state.request
    if request is None or request["status"] != contract.RESOLVED or state.target is None:
        return Plan(resolved=False)
    out = Plan(resolved=True)
    if state.target.create_id and not state.create_exists:
        out.writes += learned_entry(state.target.create_id, state.request_id, request, now, embedding)
        out.learned = True
    if state.target.teach_id and state.teach is not None:
        update = taught_update(state, now, answerer_email)
        if update:
            out.writes.append(Write("update", contract.KNOWLEDGE_BASE, state.target.teach_id, update))
            out.log.append(f"taught knowledge entry {state.target.teach_id}: {', '.join(sorted(update))}")
        vector = (embedding or {}).get(contract.EMBEDDING)
        if contract.PHRASINGS in update and vector is not None:   # without one, the agent and the repair embed it
            out.writes.append(Write("merge", contract.KNOWLEDGE_VECTORS, state.target.teach_id,
                                    learning.phrasing_vectors([(request["question"], vector)])))
    if not state.followup_exists:
        channel = "call" if state.call_live else caller_channel
        out.writes.append(Write("create", contract.FOLLOWUPS, state.request_id, contract.new_followup(
            state.request_id, request["customerPhone"], contract.followup_body(request["responseText"]),
            channel=channel, conversation_id=request.get("conversationId"), now=now)))
        out.followup_channel = channel
    return out


def learned_entry(entry_id: str, request_id: str, request: Mapping[str, Any], now: datetime,
                  embedding: Mapping[str, Any] | None) -> list[Write]:
    """The entry an answer creates, and its vectors beside it (knowledge_vectors, never in the entry the
    browser reads); without vectors (the embedding failed) explicit nulls, which the sweep's repair pass
    looks for."""
    entry = contract.new_knowledge_entry(request["question"], request["responseText"], now=now,
                                         originating_request_id=request_id, source="supervisor")
    if request.get(contract.KNOWLEDGE_ACTION) == contract.NEW:
        # The supervisor saw the near entries and said this asks something else.
        near = [s.get("knowledgeId") for s in request.get(contract.SUGGESTIONS) or ()
                if isinstance(s, Mapping) and s.get("near")]
        entry[contract.DISTINCT_FROM] = sorted({request[contract.KNOWLEDGE_ID], *filter(None, near)})
    vectors = {**(embedding or {contract.EMBEDDING: None, contract.EMBEDDING_MODEL: None}),
               contract.PHRASING_VECTORS: {}}
    return [Write("create", contract.KNOWLEDGE_BASE, entry_id, {**entry, contract.PHRASINGS: []}),
            Write("set", contract.KNOWLEDGE_VECTORS, entry_id, vectors)]


def taught_update(state: AnswerState, now: datetime, answerer_email: str | None) -> dict[str, Any]:
    """The caller's wording added to the taught entry; for "update", also the supervisor's answer,
    stamped with the supervisor who answered (the revision names them), never the last editor."""
    request, entry = state.request, state.teach
    update = learning.phrasing_update(entry, request["question"], source=state.target.source,
                                      request_id=state.request_id, now=now) or {}
    if (request.get(contract.KNOWLEDGE_ACTION) == contract.UPDATE and not request.get(contract.RESOLVED_VIA_GROUP)
            and entry.get("answer") != request["responseText"]):
        update.update({"answer": request["responseText"], "updatedAt": now,
                       "updatedBy": request.get(contract.ANSWERED_BY), "updatedByEmail": answerer_email})
    return update
