"""One value at a time: the contract's error, phone numbers, texts, statuses and their transitions,
and the key two wordings share when they differ only in case, spacing and punctuation."""
from __future__ import annotations

import re
from datetime import datetime, timezone
from typing import Any, Mapping

from .names import ANSWER_MAX, QUESTION_MAX, STATUSES, TRANSITIONS

_E164 = re.compile(r"^\+[1-9]\d{1,14}$")


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


def text_field(field: str, value: Any, limit: int) -> str:
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
    return text_field("question", value, QUESTION_MAX)


def answer(value: Any, field: str = "answer") -> str:
    """A supervisor's or knowledge entry's answer: trimmed, 1–2000 characters."""
    return text_field(field, value, ANSWER_MAX)


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


def optional_time(doc: Mapping[str, Any], field: str) -> None:
    if doc.get(field) is not None and not isinstance(doc[field], datetime):
        raise ContractError(field, "must be a timestamp")



_PUNCTUATION = re.compile(r"[^\w\s'$%.,-]|(?<!\d)[.,]|[.,](?!\d)")


def wording_key(text: str | None) -> str:
    """A wording without case, spacing and punctuation ("$4.50" keeps its point)."""
    return " ".join(_PUNCTUATION.sub(" ", text or "").split()).casefold()


def same_text(a: str | None, b: str | None) -> bool:
    """Two wordings or answers that differ only in case, spacing and punctuation."""
    return wording_key(a) == wording_key(b)
