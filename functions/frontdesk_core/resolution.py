"""What happens when a supervisor answers a help request.

1. In one transaction: the learned knowledge entry (id = the request's id, so a repeated event cannot
   make a second one), the follow-up in the outbox (id = the request's id) and the supervisor's answer in
   the call's conversation, each written only if not there yet.
2. Delivery: the outbox entry is claimed in a transaction (queued -> sending) so only one run sends it,
   then marked sent, and the request's `followupSent` becomes true.
Running the whole thing twice for the same event changes nothing the second time.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Callable, Mapping

from google.api_core.exceptions import NotFound
from google.cloud import firestore

from . import contract

# A delivery channel sends one follow-up; it raises on failure. "log" is the default sink when no
# SMS provider is configured: the message is recorded in the outbox and the log, for staff to relay.
Deliver = Callable[[Mapping[str, Any]], None]


@dataclass
class Outcome:
    resolved: bool
    learned: bool = False
    followup_queued: bool = False
    delivered: bool = False
    log: list[str] = field(default_factory=list)


def _record(db: firestore.Client, request_id: str, channel: str) -> Outcome | None:
    requests = db.collection(contract.HELP_REQUESTS)
    kb_ref = db.collection(contract.KNOWLEDGE_BASE).document(request_id)
    followup_ref = db.collection(contract.FOLLOWUPS).document(request_id)

    @firestore.transactional
    def run(tx: firestore.Transaction) -> Outcome | None:
        snap = requests.document(request_id).get(transaction=tx)
        if not snap.exists:
            return None
        request = contract.validate_help_request(snap.to_dict())
        if request["status"] != contract.RESOLVED:
            return None
        kb_snap = kb_ref.get(transaction=tx)
        followup_snap = followup_ref.get(transaction=tx)
        conversation_id = request.get("conversationId")
        conv_ref = (db.collection(contract.CONVERSATIONS).document(conversation_id)
                    if conversation_id else None)
        conv_snap = conv_ref.get(transaction=tx) if conv_ref else None

        outcome = Outcome(resolved=True)
        now = contract.utcnow()
        if not kb_snap.exists:
            tx.create(kb_ref, contract.new_knowledge_entry(
                request["question"], request["responseText"], now=now,
                originating_request_id=request_id, source="supervisor"))
            outcome.learned = True
        if not followup_snap.exists:
            body = contract.followup_body(request["question"], request["responseText"])
            tx.create(followup_ref, contract.new_followup(
                request_id, request["customerPhone"], body, channel=channel, now=now))
            outcome.followup_queued = True
            if conv_snap is not None and conv_snap.exists:
                tx.update(conv_ref, {"turns": firestore.ArrayUnion([contract.turn(
                    contract.AGENT, body, now=now, kind="followup", helpRequestId=request_id,
                    channel=channel)])})
        return outcome

    return run(db.transaction())


def _claim(db: firestore.Client, request_id: str) -> dict[str, Any] | None:
    """Move the follow-up from queued to sending; None when another run has it or it is sent."""
    ref = db.collection(contract.FOLLOWUPS).document(request_id)

    @firestore.transactional
    def run(tx: firestore.Transaction) -> dict[str, Any] | None:
        snap = ref.get(transaction=tx)
        if not snap.exists or snap.get("status") != "queued":
            return None
        attempts = (snap.get("attempts") or 0) + 1
        tx.update(ref, {"status": "sending", "attempts": attempts})
        return {**snap.to_dict(), "attempts": attempts}

    return run(db.transaction())


def on_resolved(db: firestore.Client, request_id: str, deliver: Deliver,
                channel: str = "log") -> Outcome:
    outcome = _record(db, request_id, channel)
    if outcome is None:
        return Outcome(resolved=False)
    if outcome.learned:
        outcome.log.append(f"learned knowledge entry {request_id}")
    followup = _claim(db, request_id)
    if followup is None:
        return outcome
    followups = db.collection(contract.FOLLOWUPS).document(request_id)
    try:
        deliver(followup)
    except Exception as err:  # leave it queued with the error, for a retry
        followups.update({"status": "queued", "error": str(err)})
        outcome.log.append(f"follow-up {request_id} failed: {err}")
        return outcome
    now = contract.utcnow()
    batch = db.batch()
    batch.update(followups, {"status": "sent", "sentAt": now, "error": None})
    batch.update(db.collection(contract.HELP_REQUESTS).document(request_id), {"followupSent": True})
    try:
        batch.commit()
    except NotFound:  # the request (or its outbox entry) was deleted while the message went out
        outcome.log.append(f"follow-up {request_id} sent, but its request is gone")
        return outcome
    outcome.delivered = True
    outcome.log.append(f"follow-up to {followup['to']} via {followup['channel']}: {followup['body']}")
    return outcome
