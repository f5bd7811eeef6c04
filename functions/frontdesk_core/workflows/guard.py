"""The status machine, enforced on the server: a change it does not allow is reverted with a reason.

Browsers are held to it by firestore.rules; this catches everything else (Admin SDK writers, a rules
mistake). The revert itself carries a new `rejectedChange`, which is how the next event knows to leave
it alone.
"""
from __future__ import annotations

from datetime import datetime
from typing import Any, Mapping

from google.cloud import firestore

from .. import contract

RESTORED_FIELDS = ("status", "responseText", "respondedAt", "knowledgeAction", "knowledgeId", "kind")


def rejection(before: Mapping[str, Any], after: Mapping[str, Any]) -> str | None:
    """Why this update breaks the status machine, or None when it is allowed."""
    if after.get("rejectedChange") != before.get("rejectedChange"):
        return None  # our own revert
    old, new = before.get("status"), after.get("status")
    if after.get(contract.KIND) != before.get(contract.KIND):
        return "a request's kind is the agent's; it cannot change"
    if old == new:
        if new == contract.RESOLVED and after.get("responseText") != before.get("responseText"):
            return "a resolved answer is final; add or edit a knowledge entry instead"
        return None
    if new not in contract.STATUSES:
        return f"{new!r} is not a status ({', '.join(contract.STATUSES)})"
    if old in contract.STATUSES and not contract.can_transition(old, new):
        return f"cannot go from {old} to {new}"
    if new == contract.RESOLVED:
        try:
            contract.answer(after.get("responseText"), "responseText")
            contract.knowledge_choice(after)
            if contract.kind_of(after) != contract.QUESTION_KIND and after.get(contract.KNOWLEDGE_ACTION) is not None:
                raise contract.ContractError(contract.KNOWLEDGE_ACTION, "a call back or booking teaches nothing")
        except contract.ContractError as err:
            return f"resolved without a valid answer ({err})"
    return None


def revert(db: firestore.Client, request_id: str, before: Mapping[str, Any], after: Mapping[str, Any],
           reason: str, now: datetime) -> None:
    restore = {f: before.get(f) for f in RESTORED_FIELDS}
    restore["rejectedChange"] = {"from": before.get("status"), "to": after.get("status"),
                                 "reason": reason, "at": now}
    db.collection(contract.HELP_REQUESTS).document(request_id).update(restore)
