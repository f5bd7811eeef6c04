"""Frontdesk Cloud Functions: thin triggers over frontdesk_core."""
from firebase_functions import firestore_fn, logger

from frontdesk_core import contract, escalation, resolution
from frontdesk_core.firebase import app, db

# Before any event: firestore_fn initialises a default app with Application Default Credentials when
# none exists, which fails on the emulator; ours picks the right credential.
app()

REQUEST_DOC = contract.HELP_REQUESTS + "/{requestId}"


def _log_sink(followup) -> None:
    """Default follow-up channel when no SMS provider is configured: the log is the record."""
    logger.info("follow-up message", to=followup["to"], body=followup["body"],
                helpRequestId=followup["helpRequestId"])


@firestore_fn.on_document_created(document=REQUEST_DOC)
def on_help_request_created(event: firestore_fn.Event[firestore_fn.DocumentSnapshot | None]) -> None:
    if event.data is None:
        return
    request_id = event.params["requestId"]
    outcome = escalation.on_created(db(), request_id, event.data.to_dict() or {})
    (logger.info if outcome.ok else logger.warn)(outcome.message, helpRequestId=request_id)


@firestore_fn.on_document_updated(document=REQUEST_DOC)
def on_help_request_updated(event: firestore_fn.Event[firestore_fn.Change[firestore_fn.DocumentSnapshot]]) -> None:
    after = event.data.after.to_dict() or {}
    if after.get("status") != contract.RESOLVED or after.get("followupSent"):
        return
    request_id = event.params["requestId"]
    outcome = resolution.on_resolved(db(), request_id, deliver=_log_sink, channel="log")
    for line in outcome.log:
        logger.info(line, helpRequestId=request_id)
