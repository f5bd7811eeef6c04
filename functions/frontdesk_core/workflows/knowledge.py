"""Knowledge entries get their vectors, in `knowledge_vectors/{entry id}` beside them (vectors.py).

The agent matches by these vectors, so an entry added or edited outside the functions (the dashboard)
is embedded, and one whose wordings changed gets exactly their vectors (a wording a supervisor removed
loses its vector). Only the vectors document is written: the entry, which every supervisor's browser
reads live, never carries a vector, and the write causes no second knowledge event. A deleted entry's
vectors are deleted by its trigger (a browser cannot reach knowledge_vectors; the functions delete both
in one transaction where they delete an entry themselves).

Entries written before the vectors moved kept them inline: the sweep's repair pass moves them out
(`repair`, `move_inline=True`), a few hundred per sweep; until then every reader uses them as before.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Callable, Mapping

import numpy as np
from google.cloud import firestore

from .. import contract, embedding
from ..infra import faults
from ..understanding import vectors

Embed = Callable[[str, str], Mapping[str, Any]]
EMBEDDING = contract.EMBEDDING
EMBEDDED_FROM = contract.EMBEDDED_FROM   # digest of the question and answer the vectors were computed from


def digest(question: Any, answer: Any) -> str:
    return contract.vectors_stamp(question, answer)


def stamped(embed: Embed) -> Embed:
    """`embed` whose fields also say what text they are of (`embeddedFrom`), so stale vectors can be
    found later without re-embedding anything (an edit whose re-embedding was cut short)."""
    def fields(question: str, answer: str) -> dict[str, Any]:
        return {**embed(question, answer), EMBEDDED_FROM: digest(question, answer)}
    return fields


def vectors_ref(db: firestore.Client, entry_id: str) -> firestore.DocumentReference:
    return db.collection(contract.KNOWLEDGE_VECTORS).document(entry_id)


def needs_vectors(entry: Mapping[str, Any], stored: Mapping[str, Any] | None = None) -> bool:
    """An entry whose question/answer vectors (in `stored`, its vectors document; inline in the entry
    when None, as older entries kept them) are missing or stamped for another question or answer
    (vectors written before the stamp, like the seed's once were, are only checked for presence)."""
    if not isinstance(entry.get("question"), str) or not isinstance(entry.get("answer"), str):
        return False
    source = entry if stored is None else stored
    if source.get(EMBEDDING) is None:
        return True
    stamp = source.get(EMBEDDED_FROM)
    if stamp is None:
        return False
    try:
        return stamp != digest(contract.question(entry["question"]), contract.answer(entry["answer"]))
    except contract.ContractError:
        return False


def needs_embedding(before: Mapping[str, Any] | None, after: Mapping[str, Any] | None) -> bool:
    """Whether a write may have changed which vectors the entry needs: created, its question or answer
    edited, or its wordings changed. Anything else (conflict marks, review dates) reads nothing."""
    if not after:
        return False
    if not isinstance(after.get("question"), str) or not isinstance(after.get("answer"), str):
        return False
    if not before:
        return True
    return (before.get("question") != after["question"] or before.get("answer") != after["answer"]
            or vectors.phrasing_texts(before) != vectors.phrasing_texts(after))


def newly_embedded(before: Mapping[str, Any] | None, after: Mapping[str, Any] | None) -> bool:
    """A new entry (its vectors are made in the same event, or were written with it): the moment to check
    it against the rest of the base. Seed entries are the salon's own facts and are not checked."""
    return bool(after) and before is None and after.get("source") != "seed"


@dataclass
class Synced:
    written: bool = False
    embedded: bool = False                 # some text was embedded (not only moved or dropped)
    question: np.ndarray | None = None     # the entry's question vector, once stored


def on_written(db: firestore.Client, entry_id: str, before: Mapping[str, Any] | None,
               after: Mapping[str, Any] | None, embed: Embed) -> Synced:
    """Give the entry the vectors its new text needs; `.written` when the vectors document changed."""
    if not needs_embedding(before, after):
        return Synced()
    return sync(db, entry_id, embed, entry=after, fault=faults.KNOWLEDGE_BEFORE_EMBED)


def on_deleted(db: firestore.Client, entry_id: str) -> bool:
    """The deleted entry's vectors go too (unless an entry was created again under its id meanwhile).
    The fault point is passed only when there are vectors to delete: a late event for an entry whose
    vectors went with it (a merge) or that is back must not take a fault a test armed for another."""
    entry_ref, ref = db.collection(contract.KNOWLEDGE_BASE).document(entry_id), vectors_ref(db, entry_id)
    if entry_ref.get().exists or not ref.get().exists:
        return False
    faults.check(db, faults.KNOWLEDGE_BEFORE_UNVECTOR)

    @firestore.transactional
    def run(tx: firestore.Transaction) -> bool:
        if entry_ref.get(transaction=tx).exists or not ref.get(transaction=tx).exists:
            return False
        tx.delete(ref)
        return True

    return run(db.transaction())


def repair(db: firestore.Client, entry_id: str, entry: Mapping[str, Any], embed: Embed,
           stored: Mapping[str, Any] | None) -> Synced:
    """The sweep's repair pass: vectors its trigger did not write, stale ones, or inline ones to move
    out of the entry (`stored`: the entry's vectors document as read, None when there is none)."""
    if vectors.up_to_date(entry, stored) and not vectors.has_inline(entry):
        return Synced()
    return sync(db, entry_id, embed, entry=entry, move_inline=True)


def sync(db: firestore.Client, entry_id: str, embed: Embed, *, entry: Mapping[str, Any] | None = None,
         move_inline: bool = False, fault: str | None = None) -> Synced:
    """Bring the entry's vectors document in line with its text (`entry`: as the caller read it, else
    read here), embedding only what no stored vector covers (outside the transaction, which may run
    twice); `move_inline` also takes any vectors out of the entry itself. Text changed meanwhile is
    left to its own event."""
    entry_ref, ref = db.collection(contract.KNOWLEDGE_BASE).document(entry_id), vectors_ref(db, entry_id)
    if entry is None:
        snap = entry_ref.get()
        if not snap.exists:
            return Synced()
        entry = snap.to_dict() or {}
    vsnap = ref.get()
    doc = vsnap.to_dict() if vsnap.exists else None
    if vectors.up_to_date(entry, doc) and not (move_inline and vectors.has_inline(entry)):
        return Synced(question=vectors.stored(entry, doc).question)
    if fault:   # tests inject a crash here: the entry is left without (current) vectors
        faults.check(db, fault)
    embedded = _embed_missing(entry, doc, embed)

    @firestore.transactional
    def run(tx: firestore.Transaction) -> Synced:
        e, v = entry_ref.get(transaction=tx), ref.get(transaction=tx)
        if not e.exists:
            return Synced()
        now_entry, now_doc = e.to_dict() or {}, v.to_dict() if v.exists else None
        new = vectors.document(now_entry, now_doc, embedded)
        if new is None:
            return Synced()   # its text changed meanwhile: that newer event embeds it
        tx.set(ref, new)
        if move_inline and vectors.has_inline(now_entry):
            tx.update(entry_ref, inline_removal(now_entry))
        return Synced(True, bool(embedded), embedding.from_firestore(new[EMBEDDING]))

    return run(db.transaction())


def _embed_missing(entry: Mapping[str, Any], doc: Mapping[str, Any] | None, embed: Embed) -> dict[str, np.ndarray]:
    """text -> vector for each of the entry's texts without a usable stored one."""
    todo = vectors.missing(entry, doc)
    if not todo:
        return {}
    out: dict[str, np.ndarray] = {}
    q, a = entry["question"], entry["answer"]
    if q in todo or a in todo:
        try:
            fields = embed(contract.question(q), contract.answer(a))
        except contract.ContractError:
            return {}   # the rules refuse such an entry from browsers; nothing sensible to embed
        out[q] = embedding.from_firestore(fields[contract.EMBEDDING])
        out[a] = embedding.from_firestore(fields[contract.ANSWER_EMBEDDING])
    rest = [t for t in todo if t not in out]
    if rest:
        out.update(zip(rest, embedding.cached_many(rest)))
    return out


def inline_removal(entry: Mapping[str, Any]) -> dict[str, Any]:
    """The entry update that takes its inline vectors out (once they are in its vectors document)."""
    update: dict[str, Any] = {f: firestore.DELETE_FIELD for f in contract.INLINE_VECTOR_FIELDS if f in entry}
    if any(isinstance(p, Mapping) and EMBEDDING in p for p in entry.get(contract.PHRASINGS) or ()):
        update[contract.PHRASINGS] = vectors.bare(entry)[contract.PHRASINGS]
    return update
