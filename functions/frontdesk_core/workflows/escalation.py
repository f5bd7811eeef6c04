"""What happens when a help request is created: check it, group it, find the closest entries a
supervisor may answer with (`suggestions`), tell the supervisors.

A call back or a booking (`kind`) is not a question for the knowledge base: it is never grouped with
questions nor given suggestions; the supervisors are told who to call and what was asked for.

A malformed document (written by anything) is kept, flagged with `invalidReason` and, if it was
pending, taken out of the queue (`unresolved`): it is never retried in a loop, timed out or grouped;
one over the limits per number and per call (contract.request_limit) likewise. A valid one is
announced on every configured supervisor channel through the outbox; each notice's id is
`<request id>-<channel>`, so a redelivered event announces nothing twice.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any, Callable, Mapping

from google.api_core.exceptions import AlreadyExists
from google.cloud import firestore
from google.cloud.firestore import FieldFilter

from .. import contract
from ..delivery import outbox
from ..delivery.channels import Channel
from ..infra import faults
from . import grouping

# Finds the open request this one duplicates (returns its group id) or None; see grouping.py.
FindGroup = Callable[[firestore.Client, str, Mapping[str, Any]], str | None]
# The closest knowledge entries to a question, as the request's `suggestions` (learning.suggestions).
Suggest = Callable[[firestore.Client, str], list[dict[str, Any]]]


@dataclass
class Outcome:
    ok: bool
    log: list[str] = field(default_factory=list)
    group_id: str | None = None


def on_created(db: firestore.Client, request_id: str, doc: Mapping[str, Any], *,
               targets: list[tuple[str, str]], channels: Mapping[str, Channel],
               now: datetime | None = None, find_group: FindGroup | None = None,
               suggest: Suggest | None = None) -> Outcome:
    """Check, queue the supervisors' notices, group (a member's notices are withdrawn), send the
    notices, suggest. Safe to run again for the same request (a retried event, the sweep's repair
    pass): each notice is created once and claimed once, grouping re-finds the same group, suggestions
    are overwritten with the same. Grouping and suggestions are conveniences: a failure in either is
    logged and never keeps the supervisors from being told."""
    now = now or contract.utcnow()
    try:
        request = contract.validate_help_request(doc)
    except contract.ContractError as err:
        quarantine(db, request_id, str(err), now)
        return Outcome(False, [f"help request {request_id} is invalid: {err}"])

    limit = over_limit(db, request_id, request)
    if limit:   # the agent refuses these itself; this holds any other writer to the same limits
        quarantine(db, request_id, f"limit: {limit}", now)
        return Outcome(False, [f"help request {request_id} refused: {limit}"])

    outcome = Outcome(True)
    question = contract.kind_of(request) == contract.QUESTION_KIND
    faults.check(db, faults.CREATED_BEFORE_NOTICE)
    # The notices go into the outbox before the optional work: from here on, a crash anywhere still
    # gets the supervisors told (the sweep sends what is queued). Grouping can only withdraw them.
    notices = queue_notices(db, request_id, request, targets=targets, now=now)
    faults.check(db, faults.CREATED_BEFORE_GROUPING)
    if question and find_group and _join_group(db, request_id, request, notices, find_group, now, outcome):
        return outcome
    for notice in notices:
        result = outbox.send(db, notice, channels, now)
        if result != "skipped":
            outcome.log.append(f"supervisor notice via {notice.id.removeprefix(request_id + '-')}: {result}")
    if question and suggest and request["status"] == contract.PENDING:
        _suggest(db, request_id, request, suggest, outcome)
    return outcome


def _join_group(db: firestore.Client, request_id: str, request: Mapping[str, Any],
                notices: list[firestore.DocumentReference], find_group: FindGroup, now: datetime,
                outcome: Outcome) -> bool:
    """Join an open request asking the same thing; True when joined (its supervisors were told already
    and one answer covers the group: this request's notices are withdrawn). A failure is logged and
    the request is announced on its own: a duplicate announced twice beats one never announced."""
    if request["status"] != contract.PENDING or request.get(contract.GROUP_ID):
        return False
    try:
        group_id = find_group(db, request_id, request)
        if group_id and not _is_question(db, group_id):
            group_id = None   # a question never joins a call back or a booking
        if not group_id:
            return False
        how = grouping.join(db, request_id, group_id, withdraw=notices, now=now)
        if how == "kept":
            outcome.log.append(f"help request {request_id} was answered or closed meanwhile; not grouped")
            return False
        outcome.group_id = group_id
        outcome.log.append(f"help request {request_id} {how} group {group_id}")
        return True
    except Exception as err:  # noqa: BLE001 - see above
        outcome.log.append(f"grouping failed for {request_id}, announced on its own: {err!r}")
        return False


def _suggest(db: firestore.Client, request_id: str, request: Mapping[str, Any], suggest: Suggest,
             outcome: Outcome) -> None:
    """The closest entries, for the supervisor: a convenience that never keeps them from being told."""
    try:
        found = suggest(db, request["question"])
        db.collection(contract.HELP_REQUESTS).document(request_id).update({contract.SUGGESTIONS: found})
        if found:
            outcome.log.append(f"closest entries: {', '.join(s['knowledgeId'] for s in found)}")
    except Exception as err:  # noqa: BLE001 - logged; the notices are out already
        outcome.log.append(f"no suggestions for {request_id}: {err!r}")


def quarantine(db: firestore.Client, request_id: str, reason: str, now: datetime) -> None:
    """Flag a request with `invalidReason`; if it is still pending, take it out of the queue
    (contract.quarantine). In a transaction: an answer that came meanwhile is never overwritten."""
    ref = db.collection(contract.HELP_REQUESTS).document(request_id)

    @firestore.transactional
    def run(tx: firestore.Transaction) -> None:
        snap = ref.get(transaction=tx)
        if not snap.exists:
            return
        tx.update(ref, contract.quarantine(reason, now=now) if (snap.to_dict() or {}).get("status") == contract.PENDING
                  else {"invalidReason": reason})

    run(db.transaction())


def over_limit(db: firestore.Client, request_id: str, request: Mapping[str, Any]) -> str | None:
    """Whether this request was one too many for its number or its call, counting only the number's
    requests made before it (so a late trigger never refuses an early request)."""
    at = request["timestamp"]
    mine = db.collection(contract.HELP_REQUESTS).where(
        filter=FieldFilter("customerPhone", "==", request["customerPhone"]))
    others: dict[str, dict[str, Any]] = {}
    for query in (mine.where(filter=FieldFilter("status", "==", contract.PENDING)),
                  mine.where(filter=FieldFilter("timestamp", ">=",
                                                at - timedelta(seconds=contract.LIMIT_WINDOW_SECONDS)))):
        for snap in query.stream():
            other = snap.to_dict() or {}
            stamp = other.get("timestamp")
            if snap.id != request_id and isinstance(stamp, datetime) and (stamp, snap.id) < (at, request_id):
                others[snap.id] = other
    return contract.request_limit(list(others.values()), now=at, conversation_id=request.get("conversationId"))


def notice_id(request_id: str, channel: str) -> str:
    return f"{request_id}-{channel}"


def queue_notices(db: firestore.Client, request_id: str, request: Mapping[str, Any], *,
                  targets: list[tuple[str, str]], now: datetime) -> list[firestore.DocumentReference]:
    """One outbox notice per supervisor channel for a valid request, each created once."""
    notices = db.collection(contract.NOTIFICATIONS)
    refs = []
    for channel, to in targets:
        notice_ref = notices.document(notice_id(request_id, channel))
        try:
            notice_ref.create(contract.new_notification(request_id, request["question"], to,
                                                        channel=channel, now=now, kind=contract.kind_of(request),
                                                        customer_phone=request["customerPhone"]))
        except AlreadyExists:  # this event was delivered before
            pass
        refs.append(notice_ref)
    return refs


def _is_question(db: firestore.Client, request_id: str) -> bool:
    snap = db.collection(contract.HELP_REQUESTS).document(request_id).get()
    return snap.exists and contract.kind_of(snap.to_dict() or {}) == contract.QUESTION_KIND
