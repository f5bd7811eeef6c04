"""Duplicate questions: a new pending request that asks what an open request already asks joins that
request's group (groupId = the group's first request). One answer resolves the whole group."""
from __future__ import annotations

from datetime import datetime
from typing import Any, Callable, Literal, Mapping

from google.cloud import firestore
from google.cloud.firestore import FieldFilter

from .. import contract

# A member's transaction contends with a supervisor answering that member from the dashboard: it keeps
# trying (the client's default gives up after 5 aborted attempts, seen under load on the emulator).
TX_ATTEMPTS = 20

# Whether two questions ask the same thing; the default is the agent's matcher (a calibrated model over meaning and
# content words), see understanding.same_question. Takes (question, other_question).
SameQuestion = Callable[[str, str], bool]


def same_by_meaning(a: str, b: str) -> bool:
    from .. import embedding, understanding
    vec_a, vec_b = embedding.cached_many([a, b])   # the new question is compared with each open one
    return understanding.same_question(a, vec_a, b, vec_b)


def candidate(other_id: str, other: Mapping[str, Any], before: datetime) -> bool:
    """Whether an open request can be a group's primary for a request made at `before`: a well-formed
    question (a malformed one, e.g. with a text or missing timestamp, is skipped, never compared),
    asked no later, not itself a member (members join through their primary)."""
    stamp = other.get("timestamp")
    return (isinstance(stamp, datetime) and stamp <= before and isinstance(other.get("question"), str)
            and other.get(contract.GROUP_ID) in (None, other_id)
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


# ---- what a member's write is (pure: decided from what the transaction has just read) -------------

def group_answer(primary_id: str, primary: Mapping[str, Any], now: datetime) -> dict[str, Any]:
    """The fields a member takes from its group's answered primary."""
    return {"status": contract.RESOLVED, "responseText": primary["responseText"],
            "respondedAt": primary.get("respondedAt") or now, contract.ANSWERED_BY: primary.get(contract.ANSWERED_BY),
            contract.RESOLVED_VIA_GROUP: primary_id}


def join_update(member: Mapping[str, Any] | None, primary_id: str, primary: Mapping[str, Any],
                now: datetime) -> dict[str, Any] | None:
    """What joining the primary's group writes to the member as it is now, or None to leave it: gone,
    no longer pending (a supervisor answered or closed it meanwhile: that answer stands), or a member
    of another group. If the primary was answered meanwhile, the member takes that answer at once
    (otherwise it would wait in a group nobody will answer again)."""
    if not member or member.get("status") != contract.PENDING:
        return None
    if member.get(contract.GROUP_ID) not in (None, primary_id):
        return None
    update: dict[str, Any] = {contract.GROUP_ID: primary_id}
    if primary.get("status") == contract.RESOLVED and isinstance(primary.get("responseText"), str):
        update.update(group_answer(primary_id, primary, now))
    return update


def member_answer(member_id: str, member: Mapping[str, Any] | None, primary_id: str,
                  primary: Mapping[str, Any], now: datetime) -> dict[str, Any] | None:
    """What the primary's answer writes to one member as it is now, or None: only a member still in
    this group and still open (pending, or unresolved after a timeout) takes it; one a supervisor
    answered on its own keeps its own answer."""
    if not member or member_id == primary_id or member.get(contract.GROUP_ID) != primary_id:
        return None
    if member.get("status") not in (contract.PENDING, contract.UNRESOLVED):
        return None
    return group_answer(primary_id, primary, now)


# ---- the writes: one transaction per member (read, decide, write) ---------------------------------

# What `join` did: a member now; a member that took the group's answer at once; left as it was.
Joined = Literal["joined", "answered", "kept"]

def join(db: firestore.Client, request_id: str, primary_id: str,
         withdraw: list[firestore.DocumentReference] = (), now: datetime | None = None) -> Joined:
    """Make the request a member of the primary's group, in a transaction that reads both (see
    `join_update`). The member's own supervisor notices still queued (`withdraw`) are cancelled in the
    same transaction: the group's were sent. Returns "joined", "answered", or "kept" when the request
    was left as it is (its notices too)."""
    from ..delivery import outbox
    requests = db.collection(contract.HELP_REQUESTS)
    now = now or contract.utcnow()

    @firestore.transactional
    def run(tx: firestore.Transaction) -> Joined:
        primary = requests.document(primary_id).get(transaction=tx).to_dict() or {}
        member = requests.document(request_id).get(transaction=tx)
        queued = [n for n in withdraw if (lambda s: s.exists and s.get("status") == outbox.QUEUED)(
            n.get(transaction=tx))]
        update = join_update(member.to_dict() if member.exists else None, primary_id, primary, now)
        if update is None:
            return "kept"
        for notice in queued:
            tx.update(notice, {"status": outbox.CANCELLED, "error": None,
                               "cancelledReason": f"joined the group of {primary_id}"})
        tx.update(member.reference, update)
        return "answered" if contract.RESOLVED_VIA_GROUP in update else "joined"

    return run(db.transaction(max_attempts=TX_ATTEMPTS))


def resolve_member(db: firestore.Client, member_id: str, primary_id: str, primary: Mapping[str, Any],
                   now: datetime) -> bool:
    """Give one member the primary's answer if it still takes it (`member_answer`), reading it in the
    transaction that writes it. True when this call wrote it."""
    ref = db.collection(contract.HELP_REQUESTS).document(member_id)

    @firestore.transactional
    def run(tx: firestore.Transaction) -> bool:
        snap = ref.get(transaction=tx)
        update = member_answer(member_id, snap.to_dict() if snap.exists else None, primary_id, primary, now)
        if update is None:
            return False
        tx.update(ref, update)
        return True

    return run(db.transaction(max_attempts=TX_ATTEMPTS))


def resolve_members(db: firestore.Client, primary_id: str, primary: Mapping[str, Any],
                    now: datetime) -> list[str]:
    """Resolve every open member of the primary's group with the primary's answer. The query only
    finds who may be a member; each is decided on what its own transaction reads (a supervisor may
    have answered it since)."""
    members = (db.collection(contract.HELP_REQUESTS)
               .where(filter=FieldFilter(contract.GROUP_ID, "==", primary_id)).stream())
    return [snap.id for snap in members
            if snap.id != primary_id and resolve_member(db, snap.id, primary_id, primary, now)]
