"""Requests nobody answers in time become unresolved, and the caller is told the salon will call back.

Each request moves in its own transaction that re-reads it, so a supervisor's answer racing the sweep
ends in one state: whichever commits first wins. (A late answer to a timed-out request is still allowed
by the status machine and still reaches the caller.)
"""
from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any, Mapping

from google.cloud import firestore
from google.cloud.firestore import FieldFilter

from .. import contract
from . import writes
from .writes import Write

DEFAULT_TIMEOUT = timedelta(minutes=30)


def expire(db: firestore.Client, request_id: str, *, now: datetime, timeout: timedelta,
           caller_channel: str, salon_name: str = "the salon") -> bool:
    """Time one request out if it is still pending past its deadline; True when this run did it.
    Read, `plan`, write in one transaction: an answer committed first leaves it alone."""
    request_ref = db.collection(contract.HELP_REQUESTS).document(request_id)

    @firestore.transactional
    def run(tx: firestore.Transaction) -> bool:
        snap = request_ref.get(transaction=tx)
        raw = snap.to_dict() if snap.exists else None
        conv_id = (raw or {}).get("conversationId")
        conv = (db.collection(contract.CONVERSATIONS).document(conv_id).get(transaction=tx)
                if isinstance(conv_id, str) and conv_id and "/" not in conv_id else None)
        live = bool(conv is not None and conv.exists and conv.get("endedAt") is None)
        planned = plan(request_id, raw, now=now, timeout=timeout, call_live=live, caller_channel=caller_channel,
                       salon_name=salon_name)
        writes.apply(db, tx, planned)
        return any(w.collection == contract.FOLLOWUPS for w in planned)

    return run(db.transaction())


def plan(request_id: str, raw: Mapping[str, Any] | None, *, now: datetime, timeout: timedelta, call_live: bool,
         caller_channel: str, salon_name: str) -> list[Write]:
    """What timing a request out writes (pure): nothing unless it is a pending question past its
    deadline; a malformed pending request leaves the queue instead (or it would stall every sweep). The
    caller is told in the call if still on it, else by text; a call back or booking waits for the
    salon ("no answer yet" would be wrong)."""
    if raw is None or raw.get("status") != contract.PENDING:
        return []
    try:
        request = contract.validate_help_request(raw)
    except contract.ContractError as err:
        return [Write("update", contract.HELP_REQUESTS, request_id, contract.quarantine(str(err), now=now))]
    if request["timestamp"] > now - timeout or contract.kind_of(request) != contract.QUESTION_KIND:
        return []
    minutes = int(timeout.total_seconds() // 60)
    return [
        Write("update", contract.HELP_REQUESTS, request_id, {
            "status": contract.UNRESOLVED, "unresolvedAt": now, "timedOut": True,
            "unresolvedReason": f"No supervisor answered within {minutes} minutes."}),
        Write("set", contract.FOLLOWUPS, f"{request_id}-timeout", contract.new_followup(
            request_id, request["customerPhone"], contract.timeout_body(salon_name),
            channel="call" if call_live else caller_channel, kind="timeout",
            conversation_id=request.get("conversationId"), now=now)),
    ]


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
