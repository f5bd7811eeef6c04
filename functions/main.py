"""Frontdesk Cloud Functions: thin triggers over frontdesk_core."""
import dataclasses
import os
from datetime import timedelta

from firebase_functions import firestore_fn, logger, options, scheduler_fn
from firebase_functions.params import IntParam, SecretParam, StringParam

from frontdesk_core import contract, embedding
from frontdesk_core.delivery import channels
from frontdesk_core.workflows import (escalation, events, grouping, guard, knowledge, learning, repair,
                                      resolution, stats, sweep)
from frontdesk_core.infra.firebase import app, db
from frontdesk_core.understanding import kbcache

# Before any event: firestore_fn initialises a default app with Application Default Credentials when
# none exists, which fails on the emulator; ours picks the right credential.
app()

# Settings (functions/.env.<project> or the deploy prompt); the SMS token is a Secret Manager secret.
SUPERVISOR_WEBHOOK_URL = StringParam("SUPERVISOR_WEBHOOK_URL", default="",
                                     description="Slack-compatible webhook for new help requests")
SUPERVISOR_PHONE = StringParam("SUPERVISOR_PHONE", default="", description="Supervisor's phone for SMS")
TWILIO_ACCOUNT_SID = StringParam("TWILIO_ACCOUNT_SID", default="")
TWILIO_FROM = StringParam("TWILIO_FROM", default="", description="The salon's SMS sender number")
TWILIO_BASE_URL = StringParam("TWILIO_BASE_URL", default="https://api.twilio.com")
TWILIO_AUTH_TOKEN = SecretParam("TWILIO_AUTH_TOKEN")
TIMEOUT_MINUTES = IntParam("HELP_REQUEST_TIMEOUT_MINUTES", default=30)
DELIVERY_TIMEOUT_SECONDS = IntParam("DELIVERY_TIMEOUT_SECONDS", default=5)
SALON_TIMEZONE = StringParam("SALON_TIMEZONE", default="America/Los_Angeles")

REQUEST_DOC = contract.HELP_REQUESTS + "/{requestId}"
CONVERSATION_DOC = contract.CONVERSATIONS + "/{conversationId}"
SECRETS = [TWILIO_AUTH_TOKEN]
KNOWLEDGE_DOC = contract.KNOWLEDGE_BASE + "/{entryId}"
CONFLICT_DOC = contract.KNOWLEDGE_CONFLICTS + "/{conflictId}"
# Triggers that embed text load all-MiniLM-L6-v2 (~90 MB of weights) once per instance.
WITH_MODEL = options.MemoryOption.MB_512


# Every Firestore trigger is retried when it raises (a crash, a timeout, Firestore unavailable): each
# is safe to run again (see the workflows). Deterministic failures are caught and recorded where they
# happen (`invalidReason`, a log line), so they never loop; an event retried past
# events.MAX_EVENT_AGE is dropped with an error and left to the sweep's repair pass.


def _retried(fn):
    """Deploy `fn` with retry on failure (this firebase-functions writes retry=False for Firestore
    triggers and has no option for it; the manifest is what the deploy reads)."""
    endpoint = fn.__firebase_endpoint__
    fn.__firebase_endpoint__ = dataclasses.replace(endpoint, eventTrigger={**endpoint.eventTrigger, "retry": True})
    return fn


def _too_old(event, **labels) -> bool:
    if not events.too_old(event.time, contract.utcnow()):
        return False
    logger.error(f"event {event.id} from {event.time} dropped after retries; the sweep repairs it", **labels)
    return True


def _config() -> channels.Config:
    return channels.Config.from_env({
        "SUPERVISOR_WEBHOOK_URL": SUPERVISOR_WEBHOOK_URL.value, "SUPERVISOR_PHONE": SUPERVISOR_PHONE.value,
        "TWILIO_ACCOUNT_SID": TWILIO_ACCOUNT_SID.value, "TWILIO_FROM": TWILIO_FROM.value,
        "TWILIO_BASE_URL": TWILIO_BASE_URL.value, "TWILIO_AUTH_TOKEN": os.environ.get("TWILIO_AUTH_TOKEN", ""),
        "DELIVERY_TIMEOUT_SECONDS": str(DELIVERY_TIMEOUT_SECONDS.value),
    })


def _delivery():
    config = _config()
    return config, channels.registry(config, lambda line: logger.info(line)), channels.caller_channel_name(config)


def _embed():
    return knowledge.stamped(embedding.knowledge_fields)


def _count(counter, item_id: str) -> None:
    """This item's share of the dashboard's figures (stats.py: idempotent, a few reads)."""
    try:   # figures for the dashboard: never worth retrying a trigger whose work is done
        counter(db(), item_id, contract.utcnow(), SALON_TIMEZONE.value)
    except Exception as err:  # noqa: BLE001 - the sweep's periodic recount corrects it
        logger.error(f"stats not counted for {item_id}: {err!r}")


def _repairer() -> repair.Repairer:
    config, registry, caller_channel = _delivery()
    return repair.Repairer(targets=channels.supervisor_targets(config), channels=registry,
                           caller_channel=caller_channel, find_group=grouping.finder(), suggest=learning.suggest,
                           embed=_embed())


@_retried
@firestore_fn.on_document_created(document=REQUEST_DOC, secrets=SECRETS, memory=WITH_MODEL)
def on_help_request_created(event: firestore_fn.Event[firestore_fn.DocumentSnapshot | None]) -> None:
    if event.data is None:
        return
    request_id = event.params["requestId"]
    if _too_old(event, helpRequestId=request_id):
        return
    config, registry, _ = _delivery()
    outcome = escalation.on_created(db(), request_id, event.data.to_dict() or {},
                                    targets=channels.supervisor_targets(config), channels=registry,
                                    find_group=grouping.finder(), suggest=learning.suggest)
    for line in outcome.log:
        (logger.info if outcome.ok else logger.warn)(line, helpRequestId=request_id)
    _count(stats.count_request, request_id)


@_retried
@firestore_fn.on_document_updated(document=REQUEST_DOC, secrets=SECRETS, memory=WITH_MODEL)
def on_help_request_updated(event: firestore_fn.Event[firestore_fn.Change[firestore_fn.DocumentSnapshot]]) -> None:
    request_id = event.params["requestId"]
    if _too_old(event, helpRequestId=request_id):
        return
    before, after = event.data.before.to_dict() or {}, event.data.after.to_dict() or {}
    now = contract.utcnow()
    reason = guard.rejection(before, after)
    if reason:
        guard.revert(db(), request_id, before, after, reason, now)
        logger.warn(f"status change refused: {reason}", helpRequestId=request_id)
        return
    if events.newly_answered(before, after):
        _, registry, caller_channel = _delivery()
        outcome = resolution.on_answered(db(), request_id, after, channels=registry, caller_channel=caller_channel,
                                         now=now, embed=_embed())
        for line in outcome.log:
            logger.info(line, helpRequestId=request_id)
    if events.status_changed(before, after):
        _count(stats.count_request, request_id)


@_retried
@firestore_fn.on_document_updated(document=CONVERSATION_DOC, secrets=SECRETS)
def on_conversation_updated(event: firestore_fn.Event[firestore_fn.Change[firestore_fn.DocumentSnapshot]]) -> None:
    if _too_old(event, conversationId=event.params["conversationId"]):
        return   # a follow-up left waiting for an ended call: the sweep reroutes ended calls' follow-ups
    before, after = event.data.before.to_dict() or {}, event.data.after.to_dict() or {}
    if events.call_ended(before, after):
        _, registry, caller_channel = _delivery()
        resolution.reroute_ended_call(db(), event.params["conversationId"], channels=registry,
                                      caller_channel=caller_channel)
        _count(stats.count_conversation, event.params["conversationId"])


@_retried
@firestore_fn.on_document_written(document=KNOWLEDGE_DOC, memory=WITH_MODEL)
def on_knowledge_written(event: firestore_fn.Event[firestore_fn.Change[firestore_fn.DocumentSnapshot | None]]) -> None:
    entry_id = event.params["entryId"]
    if _too_old(event, entryId=entry_id):
        return
    before = event.data.before.to_dict() if event.data.before else None
    after = event.data.after.to_dict() if event.data.after else None
    now = contract.utcnow()
    kbcache.record_change(db(), entry_id, deleted=after is None)   # every instance's cache picks it up
    # The revision first: it is kept by the event's id (a retry records it once), and only this event
    # knows the entry's text before the change, so nothing later could recover it.
    if learning.record_revision(db(), entry_id, before, after, event.id, now):
        logger.info("knowledge entry revision recorded", entryId=entry_id)
    if after is None:   # a browser cannot reach knowledge_vectors: the deleted entry's vectors go here
        if knowledge.on_deleted(db(), entry_id):
            logger.info("knowledge entry's vectors deleted", entryId=entry_id)
        return
    synced = knowledge.on_written(db(), entry_id, before, after, _embed())
    if synced.written:
        kbcache.record_change(db(), entry_id, deleted=False)   # caches re-read it with its vectors
        logger.info("knowledge entry embedded", entryId=entry_id)
    if knowledge.newly_embedded(before, after):
        try:
            for conflict_id in learning.detect_conflicts(db(), entry_id, after, now, vector=synced.question):
                logger.warn(f"conflicting answers held for review: {conflict_id}", entryId=entry_id)
        except Exception as err:  # the entry is stored and embedded; say the check failed, loudly
            logger.error(f"conflict check failed: {err!r}", entryId=entry_id)


@_retried
@firestore_fn.on_document_updated(document=CONFLICT_DOC, memory=WITH_MODEL)
def on_conflict_updated(event: firestore_fn.Event[firestore_fn.Change[firestore_fn.DocumentSnapshot]]) -> None:
    if _too_old(event, conflictId=event.params["conflictId"]):
        return
    before, after = event.data.before.to_dict() or {}, event.data.after.to_dict() or {}
    if events.conflict_settled(before, after):
        done = learning.resolve_conflict(db(), event.params["conflictId"], after, contract.utcnow())
        if done:
            logger.info(f"conflict resolved: {done}", conflictId=event.params["conflictId"])


@scheduler_fn.on_schedule(schedule="every 1 minutes", secrets=SECRETS)
def sweep_requests(event: scheduler_fn.ScheduledEvent) -> None:
    _, registry, caller_channel = _delivery()
    salon = db().collection(contract.SALON).document(contract.SALON_PROFILE_ID).get()
    summary = sweep.run(db(), contract.utcnow(), channels=registry, caller_channel=caller_channel,
                        timeout=timedelta(minutes=TIMEOUT_MINUTES.value),
                        salon_name=(salon.to_dict() or {}).get("name", "the salon"), repairer=_repairer())
    (logger.warn if summary["errors"] else logger.info)("sweep", **summary)
    try:   # the summary for the current day; every few hours a recount that corrects any drift
        stats.maintain(db(), contract.utcnow(), SALON_TIMEZONE.value)
    except Exception as err:  # noqa: BLE001 - the next sweep tries again
        logger.error(f"stats not maintained: {err!r}")
