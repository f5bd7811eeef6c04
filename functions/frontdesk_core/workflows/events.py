"""What a document change means to the triggers in functions/main.py (pure: before/after as dicts).

Each trigger fires on every write of its document; these say which writes are the ones it acts on,
so a trigger is "if the change means X, run workflow X" and the decisions are unit-tested
(tests/unit/test_events.py) instead of living inside the triggers.
"""
from __future__ import annotations

from datetime import datetime, timedelta, timezone
from typing import Any, Mapping

from .. import contract

Doc = Mapping[str, Any]

# A Firestore trigger is retried until it succeeds; an event older than this is dropped (with an error
# log) and left to the sweep's repair pass, which finds the missing work from the data.
MAX_EVENT_AGE = timedelta(minutes=10)


def newly_answered(before: Doc, after: Doc) -> bool:
    """A supervisor's answer (or a group's) whose follow-up is not out yet: learn and follow up."""
    return (after.get("status") == contract.RESOLVED and before.get("status") != contract.RESOLVED
            and not after.get("followupSent"))


def status_changed(before: Doc, after: Doc) -> bool:
    return before.get("status") != after.get("status")


def call_ended(before: Doc, after: Doc) -> bool:
    """The call's hang-up (endedAt set once): what still waits for the call goes out as text."""
    return before.get("endedAt") is None and after.get("endedAt") is not None


def conflict_settled(before: Doc, after: Doc) -> bool:
    """A supervisor resolved a held conflict: apply what they chose."""
    return (before.get("status") != contract.CONFLICT_RESOLVED
            and after.get("status") == contract.CONFLICT_RESOLVED)


def event_time(raw: Any) -> datetime | None:
    """An event's time (a datetime, or RFC 3339 text with Z) in UTC; None when unreadable."""
    try:
        at = raw if isinstance(raw, datetime) else datetime.fromisoformat(str(raw).replace("Z", "+00:00"))
    except ValueError:
        return None
    return at if at.tzinfo else at.replace(tzinfo=timezone.utc)


def too_old(raw_time: Any, now: datetime) -> bool:
    """Retried for longer than MAX_EVENT_AGE: give up and leave it to the sweep's repair pass. An
    unreadable time is never too old (the work is done rather than lost)."""
    at = event_time(raw_time)
    return at is not None and now - at > MAX_EVENT_AGE
