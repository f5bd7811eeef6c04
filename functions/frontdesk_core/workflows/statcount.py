"""The dashboard's figures as counters (pure): what one request or conversation contributes, how
counters change when a contribution does, and the summary read off the counters.

Each counted item keeps the contribution it last made (a marker, see stats.py); an event replaces
the old contribution with the new one in the same transaction as the counters, so an event delivered
twice, or two events out of order, count once: the contribution is computed from the item as it is
now, never from the event. Windows: "today" is the salon's local day; medians, rates and the
unanswered list cover the last 30 days (an item's windowed part lapses at `expires`).
"""
from __future__ import annotations

import math
from datetime import datetime, timedelta
from typing import Any, Mapping
from zoneinfo import ZoneInfo

from .. import contract, dialogue

WINDOW = timedelta(days=30)
INTS = ("open", "asked", "escalated")
MAPS = ("waits", "answeredOn", "unanswered")
# Waits are kept as a histogram: bucket k holds waits w with floor(log(1 + w) / log(RATIO)) == k, so
# the median read off it is within ~2.5 % of the exact one, in ~300 buckets up to 30 days.
RATIO = 1.05
QUESTION_KEY_MAX = 300
TOP = 5


def empty() -> dict[str, Any]:
    return {**{k: 0 for k in INTS}, **{k: {} for k in MAPS}}


def wait_bucket(seconds: float) -> str:
    return str(int(math.log1p(max(seconds, 0.0)) / math.log(RATIO)))


def bucket_seconds(key: str) -> float:
    """A bucket's representative wait: its geometric middle."""
    return RATIO ** (int(key) + 0.5) - 1


def question_key(text: str) -> str:
    return text.strip().rstrip("?").casefold()[:QUESTION_KEY_MAX]


def local_day(at: datetime, tz: str) -> str:
    return at.astimezone(ZoneInfo(tz)).date().isoformat()


def request_part(data: Mapping[str, Any] | None, now: datetime, tz: str) -> tuple[dict[str, Any], datetime | None]:
    """(what a help request counts for now, when its windowed part lapses). A malformed request
    (a text timestamp, say) counts only for what can be read from it, never stops the figures."""
    if not data:
        return {}, None
    part: dict[str, Any] = {}
    expires = []
    status, stamp, responded = data.get("status"), data.get("timestamp"), data.get("respondedAt")
    since = now - WINDOW
    if status == contract.PENDING:
        part["open"] = 1
    if status == contract.RESOLVED and isinstance(stamp, datetime) and isinstance(responded, datetime) \
            and responded >= since:
        part["waits"] = {wait_bucket((responded - stamp).total_seconds()): 1}
        part["answeredOn"] = {local_day(responded, tz): 1}
        expires.append(responded + WINDOW)
    question = data.get("question")
    if status in (contract.PENDING, contract.UNRESOLVED) and isinstance(question, str) and question.strip() \
            and data.get(contract.KIND, contract.QUESTION_KIND) == contract.QUESTION_KIND \
            and isinstance(stamp, datetime) and stamp >= since:
        part["unanswered"] = {question_key(question): 1}
        expires.append(stamp + WINDOW)
    return part, min(expires) if expires else None


def asks(text: Any) -> bool:
    """A caller turn counts when it asks something; greetings, thanks and goodbyes are not questions."""
    return isinstance(text, str) and any(p.label != dialogue.NOT_CAUGHT and p.label not in dialogue.labels.SOCIAL
                                         for p in dialogue.understand(text))


def conversation_part(data: Mapping[str, Any] | None, turns: Any, now: datetime) -> tuple[dict[str, Any], datetime | None]:
    """(questions asked and escalated in a call started in the window, when that lapses)."""
    started = (data or {}).get("startedAt")
    if not isinstance(started, datetime) or started < now - WINDOW:
        return {}, None
    turns = turns if isinstance(turns, list) else []
    ids = data.get("helpRequestIds")
    part = {"asked": sum(1 for t in turns if isinstance(t, dict) and t.get("role") == contract.CALLER
                         and asks(t.get("text"))),
            "escalated": len(ids) if isinstance(ids, list) else 0}
    return {k: v for k, v in part.items() if v}, started + WINDOW


def add(counters: Mapping[str, Any], part: Mapping[str, Any], sign: int = 1) -> dict[str, Any]:
    """Counters with a contribution added (sign 1) or taken back (-1); empty map entries dropped."""
    out = {**empty(), **{k: counters.get(k, 0) for k in INTS},
           **{k: dict(counters.get(k) or {}) for k in MAPS}}
    for k in INTS:
        out[k] = int(out[k] or 0) + sign * int(part.get(k, 0))
    for k in MAPS:
        for key, n in (part.get(k) or {}).items():
            value = int(out[k].get(key, 0)) + sign * int(n)
            if value:
                out[k][key] = value
            else:
                out[k].pop(key, None)
    return out


def replace(counters: Mapping[str, Any], old: Mapping[str, Any], new: Mapping[str, Any]) -> dict[str, Any]:
    return add(add(counters, old, -1), new, 1)


def total(parts) -> dict[str, Any]:
    out = empty()
    for part in parts:
        out = add(out, part)
    return out


def median_seconds(waits: Mapping[str, int]) -> float | None:
    """The median of the histogram (statistics.median's rule for an even count), to within ~2.5 %."""
    counts = sorted((int(k), int(n)) for k, n in waits.items() if int(n) > 0)
    size = sum(n for _, n in counts)
    if not size:
        return None
    wanted = sorted({(size - 1) // 2, size // 2})
    values, seen = [], 0
    for key, n in counts:
        while wanted and wanted[0] < seen + n:
            values.append(bucket_seconds(str(key)))
            wanted.pop(0)
        seen += n
    return sum(values) / len(values)


def summary(counters: Mapping[str, Any], *, oldest_pending: datetime | None, now: datetime, tz: str) -> dict:
    """`stats/summary` as the dashboard reads it (the same fields as ever)."""
    asked, escalated = max(int(counters.get("asked", 0)), 0), max(int(counters.get("escalated", 0)), 0)
    answered_by_ai = max(asked - escalated, 0)
    top = sorted(((q, n) for q, n in (counters.get("unanswered") or {}).items() if n > 0),
                 key=lambda item: (-item[1], item[0]))[:TOP]
    return {
        "openCount": max(int(counters.get("open", 0)), 0),
        "oldestPendingAt": oldest_pending,
        "answeredToday": int((counters.get("answeredOn") or {}).get(local_day(now, tz), 0)),
        "medianSecondsToAnswer": median_seconds(counters.get("waits") or {}),
        "questionsAsked": asked,
        "answeredByAI": answered_by_ai,
        "deflectionRate": (answered_by_ai / asked) if asked else None,
        "topUnanswered": [{"question": q, "count": n} for q, n in top],
        "updatedAt": now,
    }


def same(a: Mapping[str, Any], b: Mapping[str, Any]) -> bool:
    """Whether two contributions count the same (absent and zero are the same)."""
    return add(empty(), a) == add(empty(), b)

