"""How the knowledge base grows and stays right: suggestions, phrasings, conflicts, revisions.

- Suggestions: a new help request gets the closest entries (`suggestions`), so a supervisor can answer
  with one of them; the dashboard asks "update it or add a new one?" when one is `near`.
- Phrasings: a request answered with an entry (`knowledgeAction` link/update), or a group member of an
  answered request, teaches that entry the caller's wording (`phrasings`; its vector in the entry's
  knowledge_vectors document, written in the same transaction).
- Conflicts: a new entry whose question is nearly an existing entry's but whose answer differs opens a
  `knowledge_conflicts` document and marks both entries `conflictWith` each other; the agent escalates
  what they would answer until a supervisor keeps one answer (the other entry's wordings merge into it)
  or says both are right (`distinctFrom`).
- Revisions: every change of an entry's question, answer or review date, and every wording removed
  from it, is kept in `knowledge_base/{id}/revisions` with who made it and when.
"""
from __future__ import annotations

from datetime import datetime
from typing import Any, Iterable, Mapping

from google.cloud import firestore

from .. import contract, embedding, understanding
from ..infra import faults
from ..understanding import kbcache, vectors
from . import writes
from .writes import Write


def load_index(db: firestore.Client, exclude: Iterable[str] = ()) -> understanding.Index:
    """The knowledge base as the agent sees it (held entries included), minus `exclude`: this
    instance's cache, brought up to date with what changed since it was last used (kbcache.py)."""
    return kbcache.CACHE.index(db, exclude)


def suggestions(index: understanding.Index, question: str, vec) -> list[dict[str, Any]]:
    """The request's `suggestions` field: up to three closest entries, best first."""
    return [{"knowledgeId": s.entry.id, "question": s.entry.question, "answer": s.entry.answer,
             "score": s.score, "near": s.near} for s in understanding.suggest(question, vec, index, k=contract.SUGGESTIONS_MAX)]


def suggest(db: firestore.Client, question: str) -> list[dict[str, Any]]:
    """A new request's `suggestions` against the live base (grouping has just embedded the question:
    the cache hands its vector back)."""
    return suggestions(load_index(db), question, embedding.cached_many([question])[0])


def phrasing_update(entry: Mapping[str, Any], text: str, *, source: str, request_id: str | None,
                    now: datetime) -> dict[str, Any] | None:
    """The update adding one wording to an entry, or None when it has it already or is full."""
    if any(contract.same_text(text, k) for k in contract.wordings(entry)):
        return None
    if len(entry.get(contract.PHRASINGS) or ()) >= contract.MAX_PHRASINGS:
        return None
    phrasing = contract.new_phrasing(text, source=source, now=now, request_id=request_id)
    return {contract.PHRASINGS: firestore.ArrayUnion([phrasing])}


def phrasing_vectors(pairs: Iterable[tuple[str, Any]]) -> dict[str, Any]:
    """The merge (`set(..., merge=True)`) adding wordings' vectors (Firestore Vectors) to an entry's
    vectors document: found by their text, the question's and answer's vectors left as they are."""
    return {contract.EMBEDDING_MODEL: embedding.MODEL_ID,
            contract.PHRASING_VECTORS: {contract.phrasing_key(t): v for t, v in pairs}}


# ---- conflicts ----------------------------------------------------------------------------------

def detect_conflicts(db: firestore.Client, entry_id: str, entry: Mapping[str, Any],
                     now: datetime, vector: Any = None) -> list[str]:
    """Open a conflict for each existing entry the new one contradicts; returns the conflict ids.
    `vector`: the new entry's question vector (read from its vectors document when not given)."""
    vec = vector
    if vec is None:
        stored = db.collection(contract.KNOWLEDGE_VECTORS).document(entry_id).get()
        vec = vectors.stored(entry, stored.to_dict() if stored.exists else None).question
    if vec is None or not isinstance(entry.get("answer"), str):
        return []
    index = load_index(db, exclude=[entry_id, *(entry.get(contract.DISTINCT_FROM) or ())])
    opened = []
    kb = db.collection(contract.KNOWLEDGE_BASE)
    for other in understanding.conflicts(entry["question"], vec, entry["answer"], index):
        conflict_ref = db.collection(contract.KNOWLEDGE_CONFLICTS).document(
            contract.conflict_id(entry_id, other.id))
        reason = (f"«{entry['question']}» is nearly «{other.question}», but the answers differ")

        @firestore.transactional
        def run(tx: firestore.Transaction) -> bool:
            existing = conflict_ref.get(transaction=tx)
            mine, theirs = kb.document(entry_id).get(transaction=tx), kb.document(other.id).get(transaction=tx)
            if existing.exists or not mine.exists or not theirs.exists:
                return False
            tx.create(conflict_ref, contract.new_conflict(entry_id, other.id, reason, now=now))
            tx.update(mine.reference, {contract.CONFLICT_WITH: firestore.ArrayUnion([other.id])})
            tx.update(theirs.reference, {contract.CONFLICT_WITH: firestore.ArrayUnion([entry_id])})
            return True

        if run(db.transaction()):
            opened.append(conflict_ref.id)
    return opened


def resolve_conflict(db: firestore.Client, conflict_id: str, conflict: Mapping[str, Any],
                     now: datetime) -> str:
    """Apply a supervisor's resolution: read both entries (and the dropped one's vectors), plan the
    writes (`conflict_writes`, pure), write them, in one transaction. Returns what was done ("" when
    nothing)."""
    if conflict.get("status") != contract.CONFLICT_RESOLVED:
        return ""
    pair = list(conflict.get("entries") or ())
    keep = conflict.get("keep")
    if len(pair) != 2 or (keep not in pair and keep != contract.KEEP_BOTH):
        return ""
    faults.check(db, faults.CONFLICT_BEFORE_APPLY)
    by = conflict.get("resolvedBy") if isinstance(conflict.get("resolvedBy"), str) else None
    by_email = email_of(by) if by and keep != contract.KEEP_BOTH else None

    @firestore.transactional
    def run(tx: firestore.Transaction) -> str:
        snaps = {i: db.collection(contract.KNOWLEDGE_BASE).document(i).get(transaction=tx) for i in pair}
        docs = {i: s.to_dict() for i, s in snaps.items() if s.exists}
        drop = dropped_of(pair, keep)
        held = (db.collection(contract.KNOWLEDGE_VECTORS).document(drop).get(transaction=tx)
                if keep in docs and drop in docs else None)
        done, planned = conflict_writes(pair, keep, docs, held.to_dict() if held and held.exists else None,
                                        by=by, by_email=by_email, now=now)
        writes.apply(db, tx, planned)
        return done

    return run(db.transaction())


def dropped_of(pair: list[str], keep: str) -> str:
    """Of two conflicting entries, the one a resolution keeping `keep` drops."""
    return pair[1] if keep == pair[0] else pair[0]


def conflict_writes(pair: list[str], keep: str, docs: Mapping[str, Mapping[str, Any]],
                    dropped_vectors: Mapping[str, Any] | None, *, by: str | None, by_email: str | None,
                    now: datetime) -> tuple[str, list[Write]]:
    """What a supervisor's resolution of two conflicting entries writes (pure; `docs`: the entries that
    still exist). keep = one entry's id: that answer stays, the other's question and phrasings become
    its phrasings (vectors kept), and the other is deleted with the audit record a supervisor's own
    delete leaves (firestore.rules). keep = "both": they ask different things, marked distinct."""
    kb = contract.KNOWLEDGE_BASE
    if keep == contract.KEEP_BOTH:
        return "kept both as different questions", [
            Write("update", kb, i, {contract.CONFLICT_WITH: firestore.ArrayRemove([j]),
                                    contract.DISTINCT_FROM: firestore.ArrayUnion([j])})
            for i, j in (pair, pair[::-1]) if i in docs]
    drop = dropped_of(pair, keep)
    if keep not in docs:   # the kept entry was deleted meanwhile: the other one is no longer held
        return f"{keep} no longer exists; {drop} released", (
            [Write("update", kb, drop, {contract.CONFLICT_WITH: firestore.ArrayRemove([keep])})] if drop in docs else [])
    update: dict[str, Any] = {contract.CONFLICT_WITH: firestore.ArrayRemove([drop])}
    planned: list[Write] = []
    dropped = docs.get(drop)
    if dropped:
        merged = _merged_wordings(docs[keep], dropped, drop, now, dropped_vectors)
        if merged:
            update[contract.PHRASINGS] = firestore.ArrayUnion([p for p, _ in merged])
            planned.append(Write("merge", contract.KNOWLEDGE_VECTORS, keep,
                                 phrasing_vectors((p["text"], v) for p, v in merged)))
        planned += [   # the entry and its vectors go in one transaction, with the deletion's record
            Write("delete", contract.KNOWLEDGE_VECTORS, drop, {}),
            Write("set", contract.KNOWLEDGE_DELETIONS, contract.deletion_id(drop, dropped),
                  contract.deletion_record(drop, dropped, by=by, by_email=by_email, now=now,
                                           reason=f"merged into {keep}")),
            Write("delete", kb, drop, {})]
    planned.append(Write("update", kb, keep, update))
    return f"kept {keep}, merged {drop} into it", planned


def conflict_unapplied(conflict: Mapping[str, Any], entries: Mapping[str, Mapping[str, Any] | None]) -> bool:
    """A resolved conflict whose resolution is not in the entries yet: one of its entries (still there)
    is still held by the other (`conflictWith`). `entries`: id -> document or None when deleted."""
    pair = list(conflict.get("entries") or ())
    if conflict.get("status") != contract.CONFLICT_RESOLVED or len(pair) != 2:
        return False
    for i, j in (pair, pair[::-1]):
        entry = entries.get(i)
        if entry and j in (entry.get(contract.CONFLICT_WITH) or ()):
            return True
    return False


def _merged_wordings(kept: Mapping[str, Any], dropped: Mapping[str, Any], dropped_id: str, now: datetime,
                     dropped_vectors: Mapping[str, Any] | None = None) -> list[tuple[dict[str, Any], Any]]:
    """The dropped entry's question and phrasings as phrasings of the kept one, each with its vector
    (the stored one kept: `dropped_vectors`, its vectors document, or inline in older entries)."""
    known = contract.wordings(kept)
    have = vectors.stored(dropped, dropped_vectors)
    wordings = [(dropped.get("question"), have.question)]
    wordings += [(t, have.phrasings.get(t)) for t in vectors.phrasing_texts(dropped)]
    out = []
    for text, vector in wordings:
        if not isinstance(text, str) or any(contract.same_text(text, k) for k in known):
            continue
        known.append(text)
        vec = vector if vector is not None else embedding.embed(text)
        out.append((contract.new_phrasing(text, source="merge", now=now, request_id=dropped_id),
                    embedding.to_firestore(vec)))
    room = contract.MAX_PHRASINGS - len(kept.get(contract.PHRASINGS) or ())
    return out[:max(room, 0)]


# ---- revisions ----------------------------------------------------------------------------------

def record_revision(db: firestore.Client, entry_id: str, before: Mapping[str, Any] | None,
                    after: Mapping[str, Any] | None, revision_id: str, now: datetime) -> bool:
    """Keep who changed the entry's question, answer or review date, and how; one document per event
    (`revision_id` = the event's id), so a redelivered event records nothing twice."""
    if not before or not after:
        return False
    if (all(before.get(f) == after.get(f) for f in ("question", "answer", contract.REVIEW_BY))
            and not contract.removed_phrasings(before, after)):
        return False
    ref = (db.collection(contract.KNOWLEDGE_BASE).document(entry_id)
           .collection(contract.REVISIONS).document(revision_id))
    doc = contract.revision(before, after, now=now)
    if doc["by"] and not doc["byEmail"]:
        doc["byEmail"] = email_of(doc["by"])
    ref.set(doc)
    return True


def email_of(uid: str) -> str | None:
    """The supervisor's sign-in email, for people reading the history (None when unknown)."""
    from firebase_admin import auth
    try:
        return auth.get_user(uid).email
    except Exception:  # a uid Auth does not know (deleted user, a server writer): keep the uid alone
        return None
