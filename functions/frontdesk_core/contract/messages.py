"""Conversations and their turns, and the outbox's messages: follow-ups to callers, notices to
supervisors."""
from __future__ import annotations

from datetime import datetime
from typing import Any, Mapping

from .fields import ContractError, phone, utcnow
from .names import BOOKING, CALLBACK, QUESTION_KIND
from .requests import booking_details

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
