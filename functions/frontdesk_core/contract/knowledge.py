"""Knowledge entries: what a new or learned entry holds, other wordings, conflicts, deletions and
revisions."""
from __future__ import annotations

import hashlib
from datetime import datetime, timedelta, timezone
from typing import Any, Mapping

from .fields import ContractError, answer, optional_time, question, utcnow
from .names import CONFLICT_OPEN, PHRASING_SOURCES, PHRASINGS, REVIEW_BY

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
    optional_time(doc, "createdAt")
    optional_time(doc, REVIEW_BY)
    for p in doc.get(PHRASINGS) or ():
        if not isinstance(p, Mapping) or p.get("source") not in PHRASING_SOURCES:
            raise ContractError(PHRASINGS, "each must be {text, source, requestId, addedAt}")
        question(p.get("text"))
    return clean


def new_phrasing(text: str, *, source: str, now: datetime | None = None,
                 request_id: str | None = None) -> dict[str, Any]:
    """Another wording of an entry's question; the writer puts its vector in knowledge_vectors."""
    if source not in PHRASING_SOURCES:
        raise ContractError("source", f"{source!r} is not one of {', '.join(PHRASING_SOURCES)}")
    return {"text": question(text), "source": source, "requestId": request_id, "addedAt": now or utcnow()}


def vectors_stamp(question_text: Any, answer_text: Any) -> str:
    """What an entry's question and answer vectors were computed from (`embeddedFrom`)."""
    return hashlib.sha256(f"{question_text}\n{answer_text}".encode()).hexdigest()[:16]


def phrasing_key(text: str) -> str:
    """A phrasing's key in its entry's vectors document: found from the phrasing's own text, and a
    plain field name whatever the text holds (dots, quotes)."""
    return "p" + hashlib.sha256(text.encode()).hexdigest()[:24]


def phrasing_texts(doc: Mapping[str, Any]) -> list[str]:
    """The texts of a stored entry's phrasings."""
    return [p.get("text") for p in doc.get(PHRASINGS) or () if isinstance(p, Mapping)
            and isinstance(p.get("text"), str)]


def wordings(doc: Mapping[str, Any]) -> list[str]:
    """A stored entry's question and the texts of its phrasings."""
    return [t for t in (doc.get("question"),) if isinstance(t, str)] + phrasing_texts(doc)

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
