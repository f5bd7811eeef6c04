"""The dashboard's live figures (`stats/summary`), recomputed from the data (pure over what it reads).

Recomputed whole on each change rather than incremented, so a redelivered event cannot skew it.
Windows: "today" is the salon's local day; medians and rates cover the last 30 days.
"""
from __future__ import annotations

import statistics
from collections import Counter
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from google.cloud import firestore
from google.cloud.firestore import FieldFilter

from . import contract, dialogue

STATS, SUMMARY = "stats", "summary"
WINDOW = timedelta(days=30)


def _where(col, field, op, value):
    return col.where(filter=FieldFilter(field, op, value))


def _asks(text) -> bool:
    return isinstance(text, str) and any(p.label != dialogue.NOT_CAUGHT and p.label not in dialogue.labels.SOCIAL
                                         for p in dialogue.understand(text))


def compute(db: firestore.Client, now: datetime, tz: str = "UTC") -> dict:
    requests = db.collection(contract.HELP_REQUESTS)
    pending = list(_where(requests, "status", "==", contract.PENDING).order_by("timestamp").stream())
    since = now - WINDOW
    resolved = [s.to_dict() for s in _where(requests, "respondedAt", ">=", since).stream()]
    # a malformed request (a text timestamp, say) is left out, never allowed to stop the figures
    resolved = [r for r in resolved if r.get("status") == contract.RESOLVED and isinstance(r.get("timestamp"), datetime)
                and isinstance(r.get("respondedAt"), datetime)]
    local_midnight = now.astimezone(ZoneInfo(tz)).replace(hour=0, minute=0, second=0, microsecond=0)
    waits = [(r["respondedAt"] - r["timestamp"]).total_seconds() for r in resolved]

    asked = escalated = 0
    for conv in _where(db.collection(contract.CONVERSATIONS), "startedAt", ">=", since).stream():
        data = conv.to_dict() or {}
        turns = data.get("turns") if isinstance(data.get("turns"), list) else []   # recorded before the subcollection
        turns += [t.to_dict() for t in _where(conv.reference.collection(contract.TURNS), "role", "==",
                                              contract.CALLER).stream()]
        # a caller turn counts when it asks something; greetings, thanks and goodbyes are not questions
        asked += sum(1 for t in turns if isinstance(t, dict) and t.get("role") == contract.CALLER and _asks(t.get("text")))
        ids = data.get("helpRequestIds")
        escalated += len(ids) if isinstance(ids, list) else 0
    answered_by_ai = max(asked - escalated, 0)

    open_questions = Counter()
    for snap in _where(requests, "timestamp", ">=", since).stream():
        data = snap.to_dict()
        if data.get("status") in (contract.PENDING, contract.UNRESOLVED) and isinstance(data.get("question"), str) \
                and data.get(contract.KIND, contract.QUESTION_KIND) == contract.QUESTION_KIND:
            open_questions[data["question"].strip().rstrip("?").casefold()] += 1

    return {
        "openCount": len(pending),
        "oldestPendingAt": next((t for t in (p.get("timestamp") for p in pending) if isinstance(t, datetime)), None),
        "answeredToday": sum(1 for r in resolved if r["respondedAt"] >= local_midnight),
        "medianSecondsToAnswer": statistics.median(waits) if waits else None,
        "questionsAsked": asked,
        "answeredByAI": answered_by_ai,
        "deflectionRate": (answered_by_ai / asked) if asked else None,
        "topUnanswered": [{"question": q, "count": c} for q, c in open_questions.most_common(5)],
        "updatedAt": now,
    }


def refresh(db: firestore.Client, now: datetime, tz: str = "UTC") -> dict:
    summary = compute(db, now, tz)
    db.collection(STATS).document(SUMMARY).set(summary)
    return summary
