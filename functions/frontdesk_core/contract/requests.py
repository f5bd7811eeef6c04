"""Help requests: validation, what the agent writes, a supervisor's answer, the caller's claim on an
open question and the limits on one number."""
from __future__ import annotations

import hashlib
from datetime import datetime, timedelta
from typing import Any, Mapping

from .fields import (ContractError, answer, optional_time, phone, question, status, text_field, utcnow,
                     wording_key)
from .names import (ANSWERED_BY, BOOKING, BOOKING_ACTIONS, BOOKING_DETAILS, BOOKING_FIELDS, DETAIL_MAX, KIND,
                    KINDS, KNOWLEDGE_ACTION, KNOWLEDGE_ACTIONS, KNOWLEDGE_ID, PENDING, QUESTION_KIND, RESOLVED,
                    UNRESOLVED)

# ---- help requests ----------------------------------------------------------------------------

def validate_help_request(doc: Mapping[str, Any]) -> dict[str, Any]:
    """Check a stored help request; returns it with normalised phone and question."""
    if not isinstance(doc, Mapping):
        raise ContractError("help_request", "must be a document")
    for field in ("customerPhone", "question", "timestamp", "status"):
        if doc.get(field) is None:
            raise ContractError(field, "is required")
    clean = dict(doc)
    clean["customerPhone"] = phone(doc["customerPhone"])
    clean["question"] = question(doc["question"])
    clean["status"] = status(doc["status"])
    if not isinstance(doc["timestamp"], datetime):
        raise ContractError("timestamp", "must be a timestamp")
    optional_time(doc, "respondedAt")
    conv_id = doc.get("conversationId")
    if conv_id is not None and (not isinstance(conv_id, str) or not conv_id or "/" in conv_id):
        raise ContractError("conversationId", "must name a conversation")
    if doc.get("followupSent") is not None and not isinstance(doc["followupSent"], bool):
        raise ContractError("followupSent", "must be true or false")
    knowledge_choice(doc)
    kind = kind_of(doc)   # kept absent when absent: the seed's documents stay as they are
    if kind != QUESTION_KIND and doc.get(KNOWLEDGE_ACTION) is not None:
        raise ContractError(KNOWLEDGE_ACTION, f"a {kind} request is closed with a note and teaches nothing")
    if kind == BOOKING:
        clean[BOOKING_DETAILS] = booking_details(doc.get(BOOKING_DETAILS))
    if clean["status"] == RESOLVED:
        clean["responseText"] = answer(doc.get("responseText"), "responseText")
    elif doc.get("responseText") is not None and not isinstance(doc["responseText"], str):
        raise ContractError("responseText", "must be text")
    return clean


def quarantine(reason: str, *, now: datetime | None = None) -> dict[str, Any]:
    """The update that takes a malformed request out of the pending queue: unresolved, with why. It
    is never timed out, grouped, retried or texted; the dashboard lists it with the unresolved."""
    return {"status": UNRESOLVED, "invalidReason": reason, "unresolvedAt": now or utcnow(),
            "unresolvedReason": f"Invalid request: {reason}"}


def knowledge_choice(doc: Mapping[str, Any]) -> tuple[str | None, str | None]:
    """(knowledgeAction, knowledgeId) of an answer: both or neither; the action one of link, update,
    new; the id a knowledge entry's."""
    action, target = doc.get(KNOWLEDGE_ACTION), doc.get(KNOWLEDGE_ID)
    if action is None and target is None:
        return None, None
    if action not in KNOWLEDGE_ACTIONS:
        raise ContractError(KNOWLEDGE_ACTION, f"must be one of {', '.join(KNOWLEDGE_ACTIONS)}")
    if not isinstance(target, str) or not target or "/" in target:
        raise ContractError(KNOWLEDGE_ID, "must name a knowledge entry")
    return action, target


def kind_of(doc: Mapping[str, Any]) -> str:
    """A help request's kind; one written before kinds existed is a question."""
    value = doc.get(KIND)
    if value is None:
        return QUESTION_KIND
    if value not in KINDS:
        raise ContractError(KIND, f"{value!r} is not one of {', '.join(KINDS)}")
    return value


def booking_details(value: Any) -> dict[str, Any]:
    """A booking request's details, as a calendar will want them: the action (book | reschedule |
    cancel) and, each optional, the service, the day and time as the caller said them, their name."""
    if not isinstance(value, Mapping):
        raise ContractError(BOOKING_DETAILS, "must be {action, service, when, name}")
    if set(value) - {"action", *BOOKING_FIELDS}:
        raise ContractError(BOOKING_DETAILS, f"unknown fields {sorted(set(value) - {'action', *BOOKING_FIELDS})}")
    if value.get("action") not in BOOKING_ACTIONS:
        raise ContractError(f"{BOOKING_DETAILS}.action", f"must be one of {', '.join(BOOKING_ACTIONS)}")
    clean: dict[str, Any] = {"action": value["action"]}
    for field in BOOKING_FIELDS:
        clean[field] = None if value.get(field) is None else text_field(f"{BOOKING_DETAILS}.{field}", value[field],
                                                                   DETAIL_MAX)
    return clean


def new_help_request(customer_phone: str, question_text: str, *, now: datetime | None = None,
                     conversation_id: str | None = None, kind: str = QUESTION_KIND,
                     booking: Mapping[str, Any] | None = None) -> dict[str, Any]:
    """A pending help request as the agent writes it. `question` is the caller's words (for a call
    back or a booking: what they asked for); a booking carries its details."""
    doc: dict[str, Any] = {
        "customerPhone": phone(customer_phone),
        "question": question(question_text),
        "timestamp": now or utcnow(),
        "status": PENDING,
        "responseText": None,
        "respondedAt": None,
        "followupSent": False,
    }
    if conversation_id:
        doc["conversationId"] = conversation_id
    doc[KIND] = kind_of({KIND: kind})
    if kind == BOOKING:
        doc[BOOKING_DETAILS] = booking_details(booking)
    elif booking is not None:
        raise ContractError(BOOKING_DETAILS, f"only a booking request has booking details, not a {kind}")
    return doc


def resolution(response_text: str, *, now: datetime | None = None,
               answered_by: str | None = None) -> dict[str, Any]:
    """The update a supervisor's answer makes to a help request."""
    update: dict[str, Any] = {
        "status": RESOLVED,
        "responseText": answer(response_text, "responseText"),
        "respondedAt": now or utcnow(),
    }
    if answered_by:
        update[ANSWERED_BY] = answered_by
    return update

# A caller's open question is claimed before its request is written (request_claims/{claim_id}, in one
# transaction with the request): two calls from one number asking it at once raise one request. The
# claim names its request; once that request is no longer pending the claim is stale and the next
# escalation takes it over, so nothing has to release it. A claim holds a caller's number and words, so
# it is not kept for ever: Firestore's TTL policy on `expiresAt` (firestore.indexes.json) deletes it a
# week on, long after its request has been answered or timed out.
CLAIM_KEPT = timedelta(days=7)
EXPIRES_AT = "expiresAt"


def claim_id(customer_phone: str, question_text: str) -> str:
    key = f"{phone(customer_phone)}\n{wording_key(question_text)}"
    return hashlib.sha256(key.encode()).hexdigest()[:40]


def new_claim(customer_phone: str, question_text: str, request_id: str, *,
              now: datetime | None = None) -> dict[str, Any]:
    now = now or utcnow()
    return {"customerPhone": phone(customer_phone), "question": question(question_text),
            "requestId": request_id, "claimedAt": now, EXPIRES_AT: now + CLAIM_KEPT}

# ---- limits on help requests (a caller ID can be spoofed: one number must not flood the salon) ----

MAX_OPEN_PER_NUMBER = 5        # pending requests of one number at once
MAX_PER_NUMBER_PER_HOUR = 10   # requests of one number in the last hour
MAX_PER_CALL = 5               # requests raised in one call
LIMIT_WINDOW_SECONDS = 3600
LIMIT_MESSAGE = ("I've already passed several requests on for you, so I can't add more right now; "
                 "someone from the salon will get back to you about them.")


class LimitReached(Exception):
    """A help request over one of the limits above; the text says which."""


def request_limit(others: list[Mapping[str, Any]], *, now: datetime,
                  conversation_id: str | None = None) -> str | None:
    """Why one more request from this number (in this call) is one too many, or None. `others` are
    the number's other requests: at least those still pending and those of the last hour."""
    def recent(r: Mapping[str, Any]) -> bool:
        at = r.get("timestamp")
        return isinstance(at, datetime) and (now - at).total_seconds() <= LIMIT_WINDOW_SECONDS
    if sum(1 for r in others if r.get("status") == PENDING) >= MAX_OPEN_PER_NUMBER:
        return f"{MAX_OPEN_PER_NUMBER} requests from this number are open already"
    if sum(1 for r in others if recent(r)) >= MAX_PER_NUMBER_PER_HOUR:
        return f"{MAX_PER_NUMBER_PER_HOUR} requests from this number in the last hour"
    if conversation_id and sum(1 for r in others if r.get("conversationId") == conversation_id) >= MAX_PER_CALL:
        return f"{MAX_PER_CALL} requests in this call"
    return None
