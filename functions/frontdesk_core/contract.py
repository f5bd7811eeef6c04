"""The Frontdesk data contract: collections, field names, validation and document builders.

One module for the agent and the Cloud Functions (the dashboard and firestore.rules mirror it).
The seed schema's field names are kept exactly; fields added here are optional to writers, so a
help request carrying only the seed's fields is valid.
"""
from __future__ import annotations

import hashlib
import re
from datetime import datetime, timedelta, timezone
from typing import Any, Mapping

# Collections
HELP_REQUESTS = "help_requests"
KNOWLEDGE_BASE = "knowledge_base"
CONVERSATIONS = "conversations"
FOLLOWUPS = "followups"          # outbox of messages to callers
NOTIFICATIONS = "notifications"  # messages to supervisors
SALON = "salon"
SALON_PROFILE_ID = "profile"
KNOWLEDGE_CONFLICTS = "knowledge_conflicts"   # learned answers that contradict an entry, for review
REVISIONS = "revisions"                       # knowledge_base/{id}/revisions: who changed what, when
KNOWLEDGE_DELETIONS = "knowledge_deletions"   # one record per deleted entry: what, who, when
REQUEST_CLAIMS = "request_claims"             # a caller's open question -> its one request (agent only)

# Help request status machine: resolved is final; a late answer may still resolve an unresolved one.
PENDING, RESOLVED, UNRESOLVED = "pending", "resolved", "unresolved"
STATUSES = (PENDING, RESOLVED, UNRESOLVED)
TRANSITIONS: dict[str, frozenset[str]] = {
    PENDING: frozenset({RESOLVED, UNRESOLVED}),
    UNRESOLVED: frozenset({RESOLVED}),
    RESOLVED: frozenset(),
}

QUESTION_MAX = 500
ANSWER_MAX = 2000
REASON_MAX = 500                 # a supervisor's "cannot answer" reason
DOC_ID_MAX = 1500                # Firestore's limit on a document id (bytes): a knowledge choice's id
ESCALATION_MESSAGE = "Let me check with my supervisor and get back to you."
# Said instead when the request could not reach the salon's system yet (the agent keeps it and writes it
# once it can): true either way, and it does not claim a supervisor has it.
NOTED_MESSAGE = "I've noted your question, and someone from the salon will get back to you about it."

_E164 = re.compile(r"^\+[1-9]\d{1,14}$")

HELP_REQUEST_FIELDS = ("customerPhone", "question", "timestamp", "status",
                       "responseText", "respondedAt", "followupSent")
KNOWLEDGE_FIELDS = ("question", "answer", "createdAt", "originatingRequestId")

# Knowledge that grows with every call (fields added to the seed schema):
PHRASINGS = "phrasings"           # knowledge entry: [{text, source, requestId, addedAt, embedding}]
PHRASING_SOURCES = ("seed", "link", "group", "merge")
MAX_PHRASINGS = 100               # ~3.5 kB each with its vector: far below Firestore's 1 MiB document
EMBEDDING, ANSWER_EMBEDDING, EMBEDDING_MODEL = "embedding", "answerEmbedding", "embeddingModel"  # vectors
REVIEW_BY = "reviewBy"            # knowledge entry: when to re-check it (prices, seasonal hours)
CONFLICT_WITH = "conflictWith"    # knowledge entry: ids it contradicts; non-empty = held for review
DISTINCT_FROM = "distinctFrom"    # knowledge entry: ids a supervisor said ask something else
SUGGESTIONS = "suggestions"       # help request: closest entries [{knowledgeId, question, answer, score, near}]
SUGGESTIONS_MAX = 3                # how many; firestore.rules reads that many (isSuggested)
KNOWLEDGE_ID, KNOWLEDGE_ACTION = "knowledgeId", "knowledgeAction"   # help request: how an answer teaches
LINK, UPDATE, NEW = "link", "update", "new"
KNOWLEDGE_ACTIONS = (LINK, UPDATE, NEW)
CONFLICT_OPEN, CONFLICT_RESOLVED = "open", "resolved"   # knowledge conflict status
KEEP_BOTH = "both"                # knowledge conflict resolution: both entries stay, as different questions


# What a help request asks of the salon (field `kind`; absent = "question", as the seed's requests):
# a question for the knowledge base, a call back from a person, or a booking to confirm. Only a
# question's answer teaches a knowledge entry; the others are closed with a supervisor's note.
KIND = "kind"
QUESTION_KIND, CALLBACK, BOOKING = "question", "callback", "booking"
KINDS = (QUESTION_KIND, CALLBACK, BOOKING)
BOOKING_DETAILS = "booking"       # help request of kind booking: {action, service, when, name}
BOOKING_ACTIONS = ("book", "reschedule", "cancel")
BOOKING_FIELDS = ("service", "when", "name")
DETAIL_MAX = 120


class ContractError(ValueError):
    """A document or value that breaks the contract; `field` names the culprit."""

    def __init__(self, field: str, message: str):
        super().__init__(f"{field}: {message}")
        self.field = field


def utcnow() -> datetime:
    return datetime.now(timezone.utc)


# ---- field validators -------------------------------------------------------------------------

def phone(value: Any) -> str:
    """An E.164 phone number (+ then 2–15 digits), spaces, dashes, dots and brackets tolerated."""
    if not isinstance(value, str):
        raise ContractError("customerPhone", "must be a string in E.164 form, e.g. +15550100")
    compact = re.sub(r"[\s\-().]", "", value)
    if not _E164.match(compact):
        raise ContractError("customerPhone", f"{value!r} is not an E.164 number, e.g. +15550100")
    return compact


def _text(field: str, value: Any, limit: int) -> str:
    if not isinstance(value, str):
        raise ContractError(field, "must be text")
    text = " ".join(value.split())
    if not text:
        raise ContractError(field, "must not be empty")
    if len(text) > limit:
        raise ContractError(field, f"is {len(text)} characters; the limit is {limit}")
    return text


def question(value: Any) -> str:
    """A caller's question: whitespace collapsed and trimmed, 1–500 characters."""
    return _text("question", value, QUESTION_MAX)


def answer(value: Any, field: str = "answer") -> str:
    """A supervisor's or knowledge entry's answer: trimmed, 1–2000 characters."""
    return _text(field, value, ANSWER_MAX)


def status(value: Any) -> str:
    if value not in STATUSES:
        raise ContractError("status", f"{value!r} is not one of {', '.join(STATUSES)}")
    return value


def can_transition(old: str, new: str) -> bool:
    return new in TRANSITIONS.get(old, frozenset())


def check_transition(old: Any, new: Any) -> None:
    status(old)
    status(new)
    if old != new and not can_transition(old, new):
        raise ContractError("status", f"cannot go from {old} to {new}")


def _optional_time(doc: Mapping[str, Any], field: str) -> None:
    if doc.get(field) is not None and not isinstance(doc[field], datetime):
        raise ContractError(field, "must be a timestamp")


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
    _optional_time(doc, "respondedAt")
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
        clean[field] = None if value.get(field) is None else _text(f"{BOOKING_DETAILS}.{field}", value[field],
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
        update["answeredBy"] = answered_by
    return update


# ---- knowledge base ---------------------------------------------------------------------------

def new_knowledge_entry(question_text: str, answer_text: str, *, now: datetime | None = None,
                        originating_request_id: str | None = None,
                        source: str = "seed") -> dict[str, Any]:
    """A knowledge entry; `originatingRequestId` is set when it was learned from a help request."""
    return {
        "question": question(question_text),
        "answer": answer(answer_text),
        "createdAt": now or utcnow(),
        "originatingRequestId": originating_request_id,
        "source": source,
    }


def validate_knowledge_entry(doc: Mapping[str, Any]) -> dict[str, Any]:
    clean = dict(doc)
    clean["question"] = question(doc.get("question"))
    clean["answer"] = answer(doc.get("answer"))
    _optional_time(doc, "createdAt")
    _optional_time(doc, REVIEW_BY)
    for p in doc.get(PHRASINGS) or ():
        if not isinstance(p, Mapping) or p.get("source") not in PHRASING_SOURCES:
            raise ContractError(PHRASINGS, "each must be {text, source, requestId, addedAt, embedding}")
        question(p.get("text"))
    return clean


def new_phrasing(text: str, *, source: str, now: datetime | None = None,
                 request_id: str | None = None) -> dict[str, Any]:
    """Another wording of an entry's question; the writer adds its `embedding`."""
    if source not in PHRASING_SOURCES:
        raise ContractError("source", f"{source!r} is not one of {', '.join(PHRASING_SOURCES)}")
    return {"text": question(text), "source": source, "requestId": request_id, "addedAt": now or utcnow()}


_PUNCTUATION = re.compile(r"[^\w\s'$%.,-]|(?<!\d)[.,]|[.,](?!\d)")


def phrasing_texts(doc: Mapping[str, Any]) -> list[str]:
    """The texts of a stored entry's phrasings."""
    return [p.get("text") for p in doc.get(PHRASINGS) or () if isinstance(p, Mapping)
            and isinstance(p.get("text"), str)]


def wordings(doc: Mapping[str, Any]) -> list[str]:
    """A stored entry's question and the texts of its phrasings."""
    return [t for t in (doc.get("question"),) if isinstance(t, str)] + phrasing_texts(doc)


def wording_key(text: str | None) -> str:
    """A wording without case, spacing and punctuation ("$4.50" keeps its point)."""
    return " ".join(_PUNCTUATION.sub(" ", text or "").split()).casefold()


def same_text(a: str | None, b: str | None) -> bool:
    """Two wordings or answers that differ only in case, spacing and punctuation."""
    return wording_key(a) == wording_key(b)


# A caller's open question is claimed before its request is written (request_claims/{claim_id}, in one
# transaction with the request): two calls from one number asking it at once raise one request. The
# claim names its request; once that request is no longer pending the claim is stale and the next
# escalation takes it over, so nothing has to release it.
def claim_id(customer_phone: str, question_text: str) -> str:
    key = f"{phone(customer_phone)}\n{wording_key(question_text)}"
    return hashlib.sha256(key.encode()).hexdigest()[:40]


def new_claim(customer_phone: str, question_text: str, request_id: str, *,
              now: datetime | None = None) -> dict[str, Any]:
    return {"customerPhone": phone(customer_phone), "question": question(question_text),
            "requestId": request_id, "claimedAt": now or utcnow()}


def conflict_id(a: str, b: str) -> str:
    """One conflict document per pair of entries, whichever was learned first."""
    return "__".join(sorted((a, b)))


def deletion_id(entry_id: str, entry: Mapping[str, Any]) -> str:
    """A deleted entry's record id: `<entry id>@<its createdAt in ms>` (an entry re-created under the
    same id gets its own record). firestore.rules computes the same (deletionPath)."""
    created = entry.get("createdAt")
    if not isinstance(created, datetime):
        return entry_id
    if created.tzinfo is None:
        created = created.replace(tzinfo=timezone.utc)
    epoch = datetime(1970, 1, 1, tzinfo=timezone.utc)
    return f"{entry_id}@{(created - epoch) // timedelta(milliseconds=1)}"   # exact, as the rules' toMillis()


def deletion_record(entry_id: str, entry: Mapping[str, Any], *, by: str | None, by_email: str | None,
                    now: datetime, reason: str | None = None) -> dict[str, Any]:
    """What a deletion leaves behind (the dashboard writes the same fields, minus `reason`)."""
    doc = {"entryId": entry_id, "question": entry.get("question"), "answer": entry.get("answer"),
           "deletedAt": now, "deletedBy": by, "deletedByEmail": by_email}
    if reason:
        doc["reason"] = reason
    return doc


def new_conflict(a: str, b: str, reason: str, *, now: datetime | None = None) -> dict[str, Any]:
    return {"entries": sorted((a, b)), "status": CONFLICT_OPEN, "detectedAt": now or utcnow(), "reason": reason,
            "keep": None, "resolvedBy": None, "resolvedAt": None}


def revision(before: Mapping[str, Any], after: Mapping[str, Any], *, now: datetime) -> dict[str, Any]:
    """One change of an entry's question, answer or review date, or wordings removed from it: who (the
    edit's stamp), what, when."""
    fields = ("question", "answer", REVIEW_BY)
    doc = {"at": after.get("updatedAt") or now, "by": after.get("updatedBy"),
           "byEmail": after.get("updatedByEmail"),
           "before": {f: before.get(f) for f in fields}, "after": {f: after.get(f) for f in fields}}
    removed = removed_phrasings(before, after)
    if removed:
        doc["removedPhrasings"] = removed
    return doc


def removed_phrasings(before: Mapping[str, Any], after: Mapping[str, Any]) -> list[str]:
    """Wordings the entry had before and no longer has (a supervisor undoing a wrong link)."""
    kept = set(phrasing_texts(after))
    return [t for t in phrasing_texts(before) if t not in kept]


# ---- conversations, follow-ups, notifications -------------------------------------------------

CALLER, AGENT, SUPERVISOR = "caller", "agent", "supervisor"


def new_conversation(customer_phone: str, *, channel: str, now: datetime | None = None,
                     room: str | None = None) -> dict[str, Any]:
    now = now or utcnow()
    return {
        "customerPhone": phone(customer_phone),
        "channel": channel,
        "room": room,
        "startedAt": now,
        "lastActiveAt": now,   # heartbeat while the call lasts (see sweep.end_silent_calls)
        "endedAt": None,
        "helpRequestIds": [],
    }


# A conversation's turns are documents of its subcollection `turns`, read in the order of `at` (then
# id), never an array in the conversation: a long call stays far below Firestore's 1 MiB document,
# and the conversation document (so its trigger) changes only for the call's start, heartbeat, help
# requests and hang-up. (Conversations recorded before kept a `turns` array; readers show both.)
TURNS = "turns"


def turn_id(seq: int) -> str:
    """The agent's turns, numbered in the order said: a rewrite of the same turn is the same document."""
    return f"{seq:06d}"


def followup_turn_id(request_id: str) -> str:
    """One follow-up turn per request, however often its delivery is retried."""
    return f"followup-{request_id}"


def turn(role: str, text: str, *, now: datetime | None = None, **extra: Any) -> dict[str, Any]:
    if role not in (CALLER, AGENT, SUPERVISOR):
        raise ContractError("role", f"{role!r} is not caller, agent or supervisor")
    return {"role": role, "text": text, "at": now or utcnow(), **extra}


# What the salon's number texts a caller holds only words someone at the salon wrote or reviewed: the
# supervisor's answer, the salon's name. Never the caller's own words: a caller ID can be spoofed, and
# quoting them would let anyone make the salon text a stranger a message of their choosing.
def followup_body(response_text: str) -> str:
    return f"Following up on your call: {response_text}"


def timeout_body(salon_name: str = "the salon") -> str:
    return (f"Following up on your call: we could not get you an answer yet. "
            f"Someone from {salon_name} will call you back.")


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


# Outbox messages (followups to callers, notifications to supervisors) share one shape; see outbox.py.
CHANNELS = ("call", "sms", "log", "webhook")


def new_message(to: str, body: str, *, channel: str, now: datetime | None = None,
                **extra: Any) -> dict[str, Any]:
    if channel not in CHANNELS:
        raise ContractError("channel", f"{channel!r} is not one of {', '.join(CHANNELS)}")
    now = now or utcnow()
    return {"to": to, "body": body, "channel": channel, "status": "queued", "attempts": 0,
            "error": None, "createdAt": now, "nextAttemptAt": now, "sentAt": None, **extra}


def new_followup(request_id: str, to: str, body: str, *, channel: str, kind: str = "answer",
                 conversation_id: str | None = None, now: datetime | None = None) -> dict[str, Any]:
    """A message to the caller about their help request (kind: answer | timeout)."""
    return new_message(phone(to), body, channel=channel, now=now, helpRequestId=request_id, kind=kind,
                       conversationId=conversation_id)


def supervisor_message(question_text: str, kind: str = QUESTION_KIND, customer_phone: str | None = None) -> str:
    if kind == CALLBACK:
        return f"Hey, a caller asked for a call back: {customer_phone or 'unknown number'} ({question_text})"
    if kind == BOOKING:
        return f"Hey, a booking request to confirm: {question_text} ({customer_phone or 'unknown number'})"
    return f"Hey, I need help answering: {question_text}"


def booking_summary(details: Mapping[str, Any]) -> str:
    """A booking request's `question`: what the caller asked for, in one line."""
    d = booking_details(details)
    what = {"book": "Book", "reschedule": "Reschedule", "cancel": "Cancel"}[d["action"]]
    parts = [f"{what}: {d['service'] or 'an appointment'}"]
    if d["when"]:
        parts.append(d["when"])
    if d["name"]:
        parts.append(f"for {d['name']}")
    return ", ".join(parts)


def new_notification(request_id: str, question_text: str, to: str, *, channel: str,
                     now: datetime | None = None, kind: str = QUESTION_KIND,
                     customer_phone: str | None = None) -> dict[str, Any]:
    """A message to a supervisor about a new help request."""
    return new_message(to, supervisor_message(question_text, kind, customer_phone), channel=channel, now=now,
                       helpRequestId=request_id, kind="new_request")
