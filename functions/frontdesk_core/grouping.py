"""Duplicate questions: a new pending request that asks what an open request already asks joins that
request's group (groupId = the group's first request). One answer resolves the whole group."""
from __future__ import annotations

from datetime import datetime
from typing import Any, Callable, Mapping

from google.cloud import firestore
from google.cloud.firestore import FieldFilter

from . import contract

# Whether two questions ask the same thing; the default is the agent's matcher (a calibrated model over meaning and
# content words), see understanding.same_question. Takes (question, other_question).
SameQuestion = Callable[[str, str], bool]


def same_by_meaning(a: str, b: str) -> bool:
    from . import embedding, understanding   # numpy and the model load only where grouping runs
    vec_a, vec_b = embedding.cached_many([a, b])   # the new question is compared with each open one
    return understanding.same_question(a, vec_a, b, vec_b)


def candidate(other_id: str, other: Mapping[str, Any], before: datetime) -> bool:
    """Whether an open request can be a group's primary for a request made at `before`: a well-formed
    question (a malformed one, e.g. with a text or missing timestamp, is skipped, never compared),
    asked no later, not itself a member (members join through their primary)."""
    stamp = other.get("timestamp")
    return (isinstance(stamp, datetime) and stamp <= before and isinstance(other.get("question"), str)
            and other.get("groupId") in (None, other_id)
            and other.get(contract.KIND) in (None, contract.QUESTION_KIND))


def finder(same_question: SameQuestion = same_by_meaning):
    """A `find_group` for escalation.on_created: the oldest open primary asking the same thing."""
    def find_group(db: firestore.Client, request_id: str, request: Mapping[str, Any]) -> str | None:
        open_requests = (db.collection(contract.HELP_REQUESTS)
                         .where(filter=FieldFilter("status", "==", contract.PENDING))
                         .order_by("timestamp").limit(200).stream())
        for snap in open_requests:
            other = snap.to_dict() or {}
            if snap.id == request_id or not candidate(snap.id, other, request["timestamp"]):
                continue
            try:
                if same_question(other["question"], request["question"]):
                    return snap.id
            except Exception:  # noqa: BLE001 - one odd open request must not keep the others from matching
                continue
        return None
    return find_group


def join(db: firestore.Client, request_id: str, primary_id: str,
         withdraw: list[firestore.DocumentReference] = ()) -> str:
    """Make the request a member of the primary's group, in a transaction that reads the primary: if
    the primary was answered meanwhile, the member is resolved with that answer at once (otherwise it
    would wait in a group nobody will answer again). The member's own supervisor notices still queued
    (`withdraw`) are cancelled in the same transaction: the group's were sent. Returns "joined" or
    "answered"."""
    from . import outbox
    requests = db.collection(contract.HELP_REQUESTS)

    @firestore.transactional
    def run(tx: firestore.Transaction) -> str:
        primary = requests.document(primary_id).get(transaction=tx).to_dict() or {}
        queued = [n for n in withdraw if (lambda s: s.exists and s.get("status") == outbox.QUEUED)(
            n.get(transaction=tx))]
        for notice in queued:
            tx.update(notice, {"status": outbox.CANCELLED, "error": None,
                               "cancelledReason": f"joined the group of {primary_id}"})
        update: dict[str, Any] = {"groupId": primary_id}
        if primary.get("status") == contract.RESOLVED:
            update.update({"status": contract.RESOLVED, "responseText": primary["responseText"],
                           "respondedAt": primary.get("respondedAt"), "answeredBy": primary.get("answeredBy"),
                           "resolvedViaGroup": primary_id})
        tx.update(requests.document(request_id), update)
        return "answered" if "resolvedViaGroup" in update else "joined"

    return run(db.transaction())


def resolve_members(db: firestore.Client, primary_id: str, primary: Mapping[str, Any],
                    now: datetime) -> list[str]:
    """Resolve every open member of the primary's group with the primary's answer."""
    members = (db.collection(contract.HELP_REQUESTS)
               .where(filter=FieldFilter("groupId", "==", primary_id)).stream())
    resolved = []
    for snap in members:
        if snap.id == primary_id or snap.get("status") not in (contract.PENDING, contract.UNRESOLVED):
            continue
        snap.reference.update({
            "status": contract.RESOLVED, "responseText": primary["responseText"],
            "respondedAt": primary.get("respondedAt") or now, "answeredBy": primary.get("answeredBy"),
            "resolvedViaGroup": primary_id})
        resolved.append(snap.id)
    return resolved
