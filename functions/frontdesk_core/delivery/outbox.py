"""Outbox delivery shared by follow-ups to callers (`followups`) and notices to supervisors
(`notifications`).

A message is queued → (claimed in a transaction) sending → sent, or back to queued with the error and a
backed-off `nextAttemptAt`, or failed after MAX_ATTEMPTS. Only the run that wins the claim sends, so a
trigger delivered twice, or a retry sweep racing a trigger, sends a message once. A run that dies after
claiming leaves the message `sending`; the sweep re-queues it after STUCK_AFTER.
"""
from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any, Callable, Literal, Mapping

from google.api_core.exceptions import NotFound
from google.cloud import firestore
from google.cloud.firestore import FieldFilter

from .channels import Channel, DeliveryError

QUEUED, SENDING, SENT, FAILED = "queued", "sending", "sent", "failed"
CANCELLED = "cancelled"   # never sent: what it announced needs no message (a request that joined a group)
MAX_ATTEMPTS = 5
STUCK_AFTER = timedelta(minutes=5)

OnSent = Callable[[firestore.WriteBatch, Mapping[str, Any]], None]
# What one `send` did: delivered; failed and queued again (backed off); failed for good; not this run's.
Delivery = Literal["sent", "retry", "failed", "skipped"]


def backoff(attempts: int) -> timedelta:
    """30 s, 1 min, 2 min, 4 min … capped at 15 min."""
    return timedelta(seconds=min(30 * 2 ** max(attempts - 1, 0), 900))


def claim(db: firestore.Client, ref: firestore.DocumentReference, now: datetime,
          channels: tuple[str, ...] | None = None) -> dict[str, Any] | None:
    """queued and due → sending (attempts + 1); None when it is not this run's to send."""

    @firestore.transactional
    def run(tx: firestore.Transaction) -> dict[str, Any] | None:
        snap = ref.get(transaction=tx)
        if not snap.exists:
            return None
        msg = snap.to_dict()
        if msg.get("status") != QUEUED or (channels and msg.get("channel") not in channels):
            return None
        if msg.get("nextAttemptAt") and msg["nextAttemptAt"] > now:
            return None
        attempts = int(msg.get("attempts") or 0) + 1
        tx.update(ref, {"status": SENDING, "attempts": attempts, "claimedAt": now})
        return {**msg, "attempts": attempts}

    return run(db.transaction())


def send(db: firestore.Client, ref: firestore.DocumentReference, channels: Mapping[str, Channel],
         now: datetime, on_sent: OnSent | None = None) -> Delivery:
    """Deliver one message if it is due and unclaimed."""
    msg = claim(db, ref, now, tuple(channels))
    if msg is None:
        return "skipped"
    channel = channels[msg["channel"]]
    if not isinstance(msg.get("to"), str) or not isinstance(msg.get("body"), str):
        ref.update({"status": FAILED, "error": "malformed message: no recipient or body"})
        return "failed"   # never retried: it cannot get better
    try:
        channel.send(msg["to"], msg["body"])
    except DeliveryError as err:
        if msg["attempts"] >= MAX_ATTEMPTS:
            ref.update({"status": FAILED, "error": str(err)})
            return "failed"
        ref.update({"status": QUEUED, "error": str(err), "nextAttemptAt": now + backoff(msg["attempts"])})
        return "retry"
    sent = {"status": SENT, "sentAt": now, "error": None}
    batch = db.batch()
    batch.update(ref, sent)
    if on_sent:
        on_sent(batch, msg)
    try:
        batch.commit()
    except NotFound:  # what the message was about was deleted meanwhile; it did go out
        try:
            ref.update(sent)
        except NotFound:
            pass
    return "sent"


def due(db: firestore.Client, collection: str, now: datetime, limit: int = 100) -> list[firestore.DocumentReference]:
    """Messages to (re)try now; stuck `sending` ones are re-queued first."""
    col = db.collection(collection)
    stuck = (col.where(filter=FieldFilter("status", "==", SENDING))
             .where(filter=FieldFilter("claimedAt", "<=", now - STUCK_AFTER)).limit(limit).stream())
    for snap in stuck:
        snap.reference.update({"status": QUEUED, "error": "delivery run died; retrying"})
    ready = (col.where(filter=FieldFilter("status", "==", QUEUED))
             .where(filter=FieldFilter("nextAttemptAt", "<=", now)).limit(limit).stream())
    return [snap.reference for snap in ready]
