"""What happens when a help request is created: check it and tell a supervisor.

Idempotent: the notification's id is the request's id, so a redelivered event records nothing new.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Mapping

from google.api_core.exceptions import AlreadyExists
from google.cloud import firestore

from . import contract


@dataclass
class Outcome:
    ok: bool
    message: str          # what to log
    recorded: bool = False


def on_created(db: firestore.Client, request_id: str, doc: Mapping[str, Any]) -> Outcome:
    try:
        request = contract.validate_help_request(doc)
    except contract.ContractError as err:
        # Kept, never crash-looped: the request is flagged so a person can see why it was ignored.
        db.collection(contract.HELP_REQUESTS).document(request_id).update({"invalidReason": str(err)})
        return Outcome(False, f"help request {request_id} is invalid: {err}")
    notification = contract.new_notification(request_id, request["question"], request["customerPhone"],
                                              channel="log")
    ref = db.collection(contract.NOTIFICATIONS).document(request_id)
    try:
        ref.create(notification)
    except AlreadyExists:  # this event was delivered before
        return Outcome(True, f"supervisor already notified for {request_id}")
    return Outcome(True, notification["message"], recorded=True)
