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
        if not claimable(msg, now, channels):
            return None
        attempts = int(msg.get("attempts") or 0) + 1
        tx.update(ref, {"status": SENDING, "attempts": attempts, "claimedAt": now})
        return {**msg, "attempts": attempts}

    return run(db.transaction())


def claimable(msg: Mapping[str, Any], now: datetime, channels: tuple[str, ...] | None = None) -> bool:
    """Queued, due, and for a channel this run can send on."""
    if msg.get("status") != QUEUED or (channels and msg.get("channel") not in channels):
        return False
    return not (msg.get("nextAttemptAt") and msg["nextAttemptAt"] > now)


def after_attempt(msg: Mapping[str, Any], error: str | None, now: datetime) -> tuple[Delivery, dict[str, Any]]:
    """What one attempt leaves on the message: sent; or queued again, backed off, with the error;
    or failed for good after MAX_ATTEMPTS."""
    if error is None:
        return "sent", {"status": SENT, "sentAt": now, "error": None}
    if msg["attempts"] >= MAX_ATTEMPTS:
        return "failed", {"status": FAILED, "error": error}
    return "retry", {"status": QUEUED, "error": error, "nextAttemptAt": now + backoff(msg["attempts"])}


def send(db: firestore.Client, ref: firestore.DocumentReference, channels: Mapping[str, Channel],
         now: datetime, on_sent: OnSent | None = None) -> Delivery:
    """Deliver one message if it is due and unclaimed."""
    msg = claim(db, ref, now, tuple(channels))
    if msg is None:
        return "skipped"
    if not isinstance(msg.get("to"), str) or not isinstance(msg.get("body"), str):
        ref.update({"status": FAILED, "error": "malformed message: no recipient or body"})
        return "failed"   # never retried: it cannot get better
    try:
        channels[msg["channel"]].send(msg["to"], msg["body"])
        error = None
    except DeliveryError as err:
        error = str(err)
    result, update = after_attempt(msg, error, now)
    if result != "sent":
        ref.update(update)
        return result
    batch = db.batch()
    batch.update(ref, update)
    if on_sent:
        on_sent(batch, msg)
    try:
        batch.commit()
    except NotFound:  # what the message was about was deleted meanwhile; it did go out
        try:
            ref.update(update)
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
