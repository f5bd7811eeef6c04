"""What happens when a supervisor answers a help request.

1. One transaction records, each only if not there yet: what the answer teaches and the follow-up in
   the outbox (id = the request's id); `record` reads, `teaching.plan` decides (pure), `record` writes.
   What it teaches (`knowledgeAction`, set by the dashboard):
   - none or "new": a learned knowledge entry, id = the request's id (a repeated event cannot make a
     second one); "new" next to a near entry marks the two `distinctFrom` each other;
   - "link": the caller's question becomes a phrasing of the chosen entry, no new entry;
   - "update": the same, and the entry's answer becomes the supervisor's (revision recorded);
   - a group member (resolvedViaGroup) adds its caller's wording to what its primary taught.
2. The follow-up's channel: if the caller is still on the call, "call" — the agent says it in the call
   (`claim_in_call`); when that call ends first, `reroute_ended_call` hands it to text. Otherwise SMS
   when a provider is configured, else the log.
3. Delivery through the outbox (claimed in a transaction, so sent once); when it is out,
   `followupSent` becomes true and the conversation gets the follow-up as a turn.
Running it twice for the same event changes nothing the second time.

A call back or a booking (`kind`) is closed with the supervisor's note: it teaches nothing and sends
the caller nothing (the salon calls them, or confirms the booking, itself).
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Callable, Mapping

from google.cloud import firestore

from .. import contract
from ..delivery import outbox
from ..delivery.channels import Channel
from ..infra import faults
from . import grouping, learning, teaching, writes

# (question, answer) -> the entry's embedding fields (frontdesk_core.embedding.knowledge_fields)
Embed = Callable[[str, str], Mapping[str, Any]]


@dataclass
class Outcome:
    resolved: bool
    learned: bool = False
    followup_channel: str | None = None
    delivery: str | None = None
    log: list[str] = field(default_factory=list)


def _read(db: firestore.Client, tx: firestore.Transaction, request_id: str) -> teaching.AnswerState:
    """Everything `teaching.plan` decides on, read in the transaction (each document at most once)."""
    def get(collection: str, doc_id: str):
        return db.collection(collection).document(doc_id).get(transaction=tx)

    snap = get(contract.HELP_REQUESTS, request_id)
    if not snap.exists:
        return teaching.AnswerState(request_id)
    try:
        request = contract.validate_help_request(snap.to_dict())
    except contract.ContractError as err:
        return teaching.AnswerState(request_id, invalid=str(err))
    if request["status"] != contract.RESOLVED:
        return teaching.AnswerState(request_id, request)
    via = request.get(contract.RESOLVED_VIA_GROUP)
    primary = (get(contract.HELP_REQUESTS, via).to_dict() or {}) if via else None
    chosen = teaching.target(request_id, request, primary)
    teach = get(contract.KNOWLEDGE_BASE, chosen.teach_id) if chosen.teach_id else None
    chosen = teaching.after_reading(chosen, request_id, request, teach is not None and teach.exists)
    conv_id = request.get("conversationId")
    conv = get(contract.CONVERSATIONS, conv_id) if conv_id else None
    return teaching.AnswerState(
        request_id, request, target=chosen,
        teach=teach.to_dict() if teach is not None and teach.exists and chosen.teach_id else None,
        create_exists=bool(chosen.create_id) and get(contract.KNOWLEDGE_BASE, chosen.create_id).exists,
        followup_exists=get(contract.FOLLOWUPS, request_id).exists,
        call_live=bool(conv is not None and conv.exists and conv.get("endedAt") is None))


def record(db: firestore.Client, request_id: str, *, caller_channel: str, now: datetime,
           embedding: Mapping[str, Any] | None = None, answerer_email: str | None = None) -> Outcome:
    """Read → plan (workflows/teaching.py) → write, in one transaction: what the answer teaches and
    its follow-up, each only if not there yet."""
    @firestore.transactional
    def run(tx: firestore.Transaction) -> Outcome:
        plan = teaching.plan(_read(db, tx, request_id), caller_channel=caller_channel, now=now,
                             embedding=embedding, answerer_email=answerer_email)
        writes.apply(db, tx, plan.writes)
        return Outcome(resolved=plan.resolved, learned=plan.learned, followup_channel=plan.followup_channel,
                       log=plan.log)

    return run(db.transaction())


def mark_followup_sent(db: firestore.Client, now: datetime) -> outbox.OnSent:
    """What a delivered follow-up changes beside its outbox entry: the request and the conversation."""
    def on_sent(batch: firestore.WriteBatch, msg: Mapping[str, Any]) -> None:
        request_id = msg["helpRequestId"]
        if msg.get("kind", "answer") == "answer":
            batch.update(db.collection(contract.HELP_REQUESTS).document(request_id), {"followupSent": True})
        conv_id = msg.get("conversationId")
        if conv_id:   # a turn of the call's own (the conversation document, and its trigger, stay still)
            turn = (db.collection(contract.CONVERSATIONS).document(conv_id)
                    .collection(contract.TURNS).document(contract.followup_turn_id(request_id)))
            batch.set(turn, contract.turn(contract.AGENT, msg["body"], now=now, kind="followup",
                                          channel=msg["channel"], helpRequestId=request_id))
    return on_sent


def on_resolved(db: firestore.Client, request_id: str, *, channels: Mapping[str, Channel],
                caller_channel: str, now: datetime | None = None, embed: Embed | None = None) -> Outcome:
    now = now or contract.utcnow()
    fields = None
    request = db.collection(contract.HELP_REQUESTS).document(request_id).get().to_dict() or {}
    try:
        kind = contract.kind_of(request)
    except contract.ContractError as err:
        return Outcome(resolved=False, log=[f"not learned: {err}"])
    if kind != contract.QUESTION_KIND:
        closed = request.get("status") == contract.RESOLVED
        return Outcome(resolved=closed, log=[f"{kind} request {request_id} closed with a note; nothing learned"]
                       if closed else [])
    embed_error = None
    if embed:  # computed outside the transaction, which may run more than once
        if isinstance(request.get("question"), str) and isinstance(request.get("responseText"), str):
            try:
                fields = embed(contract.question(request["question"]), contract.answer(request["responseText"]))
            except contract.ContractError:
                fields = None   # record() says why nothing is learned
            except Exception as err:  # noqa: BLE001 - the caller's answer must not wait for a vector
                embed_error = f"learned without vectors (the sweep embeds it): {err!r}"
    answerer_email = None
    if request.get(contract.KNOWLEDGE_ACTION) == contract.UPDATE and isinstance(request.get(contract.ANSWERED_BY), str):
        answerer_email = learning.email_of(request[contract.ANSWERED_BY])   # Auth, outside the transaction
    faults.check(db, faults.RESOLVED_BEFORE_RECORD)
    outcome = record(db, request_id, caller_channel=caller_channel, now=now, embedding=fields,
                     answerer_email=answerer_email)
    if embed_error and outcome.learned:
        outcome.log.append(embed_error)
    if not outcome.resolved:
        return outcome
    if outcome.learned:
        outcome.log.append(f"learned knowledge entry {request_id}")
    ref = db.collection(contract.FOLLOWUPS).document(request_id)
    outcome.delivery = outbox.send(db, ref, channels, now, on_sent=mark_followup_sent(db, now))
    if outcome.followup_channel == "call":
        outcome.log.append(f"follow-up {request_id} left to the live call")
    elif outcome.delivery != "skipped":
        outcome.log.append(f"follow-up {request_id}: {outcome.delivery}")
    return outcome


def on_answered(db: firestore.Client, request_id: str, request: Mapping[str, Any], *,
                channels: Mapping[str, Channel], caller_channel: str, now: datetime | None = None,
                embed: Embed | None = None) -> Outcome:
    """Everything a supervisor's answer sets off (the update trigger, and the sweep's repair pass for
    one it left undone): learn and follow up, then answer the group's open members. Each step finds
    what is done already, so running it again for the same answer changes nothing."""
    now = now or contract.utcnow()
    outcome = on_resolved(db, request_id, channels=channels, caller_channel=caller_channel, now=now,
                          embed=embed)
    faults.check(db, faults.RESOLVED_BEFORE_MEMBERS)
    if outcome.resolved and not request.get(contract.RESOLVED_VIA_GROUP) and request.get("responseText"):
        for member in grouping.resolve_members(db, request_id, request, now):
            outcome.log.append(f"group member {member} resolved with the same answer")
    return outcome


def claim_in_call(db: firestore.Client, request_id: str, now: datetime | None = None) -> dict[str, Any] | None:
    """Called by the agent when its caller's request is answered during the call. Returns the
    follow-up to say now (it is then recorded as delivered in the call and `followupSent` set), or
    None when it was already delivered some other way."""
    now = now or contract.utcnow()
    request_ref = db.collection(contract.HELP_REQUESTS).document(request_id)
    followup_ref = db.collection(contract.FOLLOWUPS).document(request_id)

    @firestore.transactional
    def run(tx: firestore.Transaction) -> dict[str, Any] | None:
        snap = request_ref.get(transaction=tx)
        followup = followup_ref.get(transaction=tx)
        if not snap.exists or snap.get("status") != contract.RESOLVED:
            return None
        request = snap.to_dict()
        delivered = {"channel": "call", "status": outbox.SENT, "sentAt": now, "deliveredInCall": True}
        if not followup.exists:
            msg = contract.new_followup(request_id, request["customerPhone"],
                                        contract.followup_body(request["responseText"]),
                                        channel="call", conversation_id=request.get("conversationId"), now=now)
            tx.create(followup_ref, {**msg, **delivered, "attempts": 1})
        elif followup.get("status") == outbox.QUEUED:
            msg = followup.to_dict()
            tx.update(followup_ref, {**delivered, "attempts": int(msg.get("attempts") or 0) + 1})
        else:
            return None
        tx.update(request_ref, {"followupSent": True})
        return {**msg, **delivered, "question": request["question"],
                "responseText": request["responseText"]}

    return run(db.transaction())


def reroute_ended_call(db: firestore.Client, conversation_id: str, *, channels: Mapping[str, Channel],
                       caller_channel: str, now: datetime | None = None) -> list[str]:
    """The call is over: follow-ups still waiting for it go out as text. Returns their delivery results."""
    now = now or contract.utcnow()
    faults.check(db, faults.CALL_ENDED_BEFORE_REROUTE)
    conv = db.collection(contract.CONVERSATIONS).document(conversation_id).get()
    results = []
    for request_id in (conv.to_dict() or {}).get("helpRequestIds", []):
        for ref in (db.collection(contract.FOLLOWUPS).document(request_id),
                    db.collection(contract.FOLLOWUPS).document(f"{request_id}-timeout")):
            if _switch_from_call(db, ref, caller_channel, now):
                results.append(outbox.send(db, ref, channels, now, on_sent=mark_followup_sent(db, now)))
    return results


def _switch_from_call(db: firestore.Client, ref: firestore.DocumentReference, channel: str,
                      now: datetime) -> bool:
    @firestore.transactional
    def run(tx: firestore.Transaction) -> bool:
        snap = ref.get(transaction=tx)
        if not snap.exists or snap.get("channel") != "call" or snap.get("status") != outbox.QUEUED:
            return False
        tx.update(ref, {"channel": channel, "nextAttemptAt": now})
        return True

    return run(db.transaction())
