"""Requests nobody answers in time become unresolved, and the caller is told the salon will call back.

Each request moves in its own transaction that re-reads it, so a supervisor's answer racing the sweep
ends in one state: whichever commits first wins. (A late answer to a timed-out request is still allowed
by the status machine and still reaches the caller.)
"""
from __future__ import annotations

from datetime import datetime, timedelta

from google.cloud import firestore
from google.cloud.firestore import FieldFilter

from .. import contract

DEFAULT_TIMEOUT = timedelta(minutes=30)


def expire(db: firestore.Client, request_id: str, *, now: datetime, timeout: timedelta,
           caller_channel: str, salon_name: str = "the salon") -> bool:
    """Time one request out if it is still pending past its deadline; True when this run did it."""
    request_ref = db.collection(contract.HELP_REQUESTS).document(request_id)
    notice_ref = db.collection(contract.FOLLOWUPS).document(f"{request_id}-timeout")

    @firestore.transactional
    def run(tx: firestore.Transaction) -> bool:
        snap = request_ref.get(transaction=tx)
        if not snap.exists:
            return False
        raw = snap.to_dict()
        if raw.get("status") != contract.PENDING:
            return False
        try:
            request = contract.validate_help_request(raw)
        except contract.ContractError as err:   # out of the queue, or it would stall every sweep
            tx.update(request_ref, contract.quarantine(str(err), now=now))
            return False
        if request["timestamp"] > now - timeout:
            return False
        if contract.kind_of(request) != contract.QUESTION_KIND:
            return False   # a call back or booking waits for the salon; "no answer yet" would be wrong
        conv_id = request.get("conversationId")
        conv = db.collection(contract.CONVERSATIONS).document(conv_id).get(transaction=tx) if conv_id else None
        live = bool(conv is not None and conv.exists and conv.get("endedAt") is None)
        minutes = int(timeout.total_seconds() // 60)
        tx.update(request_ref, {"status": contract.UNRESOLVED, "unresolvedAt": now, "timedOut": True,
                                "unresolvedReason": f"No supervisor answered within {minutes} minutes."})
        tx.set(notice_ref, contract.new_followup(
            request_id, request["customerPhone"], contract.timeout_body(salon_name),
            channel="call" if live else caller_channel, kind="timeout", conversation_id=conv_id, now=now))
        return True

    return run(db.transaction())


def overdue(db: firestore.Client, now: datetime, timeout: timedelta, limit: int = 200) -> list[str]:
    query = (db.collection(contract.HELP_REQUESTS)
             .where(filter=FieldFilter("status", "==", contract.PENDING))
             .where(filter=FieldFilter("timestamp", "<=", now - timeout))
             .order_by("timestamp"))
    ids = []
    for snap in query.stream():   # call backs and bookings never time out: skipped, not counted
        if (snap.get(contract.KIND) if contract.KIND in (snap.to_dict() or {}) else None) in (None, contract.QUESTION_KIND):
            ids.append(snap.id)
            if len(ids) == limit:
                break
    return ids
