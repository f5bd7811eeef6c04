"""An entry's vectors, kept beside it in `knowledge_vectors/{entry id}` (the contract), never in it.

Pure (no Firestore): which stored vectors of an entry are usable, which of its texts lack one, and the
vectors document it should have. Every reader (entries.py: the agent's index, the functions' cache)
and writer (knowledge.py, resolution.py, learning.py, tools/seed.py) goes through here.

A question/answer pair counts only when its document's stamp (`embeddedFrom`) is of the entry's
current question and answer; a phrasing's vector is found by its text (`phrasing_key`), so it can only
be that text's. Entries written before the vectors moved kept them inline; those are used (as they
were: model checked, stamp when present) until the sweep's repair pass moves them out.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Mapping

import numpy as np

from .. import contract, embedding


@dataclass(frozen=True)
class Stored:
    question: np.ndarray | None = None
    answer: np.ndarray | None = None
    phrasings: dict[str, np.ndarray] = field(default_factory=dict)   # phrasing text -> vector


def stamp(entry: Mapping[str, Any]) -> str | None:
    """The stamp an entry's current question and answer give their vectors (None: not valid text)."""
    try:
        return contract.vectors_stamp(contract.question(entry.get("question")), contract.answer(entry.get("answer")))
    except contract.ContractError:
        return None


def phrasing_texts(entry: Mapping[str, Any]) -> list[str]:
    """An entry's usable phrasing texts (a file's entries may list plain strings)."""
    out = []
    for p in entry.get(contract.PHRASINGS) or ():
        text = p if isinstance(p, str) else p.get("text") if isinstance(p, Mapping) else None
        if isinstance(text, str) and text.strip():
            out.append(text)
    return out


def has_inline(entry: Mapping[str, Any]) -> bool:
    """Vectors (or their explicit absence) still kept in the entry itself, as before they moved."""
    return (any(f in entry for f in contract.INLINE_VECTOR_FIELDS)
            or any(isinstance(p, Mapping) and contract.EMBEDDING in p for p in entry.get(contract.PHRASINGS) or ()))


def stored(entry: Mapping[str, Any], doc: Mapping[str, Any] | None) -> Stored:
    """The usable vectors of `entry`, from its vectors document `doc`, else inline (older entries)."""
    now = stamp(entry)
    texts = phrasing_texts(entry)
    qv = av = None
    phrasings: dict[str, np.ndarray] = {}
    if doc and doc.get(contract.EMBEDDING_MODEL) == embedding.MODEL_ID:
        if now is not None and doc.get(contract.EMBEDDED_FROM) == now:
            qv = embedding.from_firestore(doc.get(contract.EMBEDDING))
            av = embedding.from_firestore(doc.get(contract.ANSWER_EMBEDDING))
        kept = doc.get(contract.PHRASING_VECTORS)
        for t in texts if isinstance(kept, Mapping) else ():
            v = embedding.from_firestore(kept.get(contract.phrasing_key(t)))
            if v is not None:
                phrasings[t] = v
    if entry.get(contract.EMBEDDING_MODEL) == embedding.MODEL_ID:   # inline, written before the move
        if entry.get(contract.EMBEDDED_FROM) in (None, now):
            qv = qv if qv is not None else embedding.from_firestore(entry.get(contract.EMBEDDING))
            av = av if av is not None else embedding.from_firestore(entry.get(contract.ANSWER_EMBEDDING))
        for p in entry.get(contract.PHRASINGS) or ():
            if isinstance(p, Mapping) and isinstance(p.get("text"), str) and p["text"] not in phrasings:
                v = embedding.from_firestore(p.get(contract.EMBEDDING))
                if v is not None:
                    phrasings[p["text"]] = v
    return Stored(qv, av, phrasings)


def missing(entry: Mapping[str, Any], doc: Mapping[str, Any] | None) -> list[str]:
    """The entry's texts without a usable stored vector: question and answer, then phrasings."""
    have = stored(entry, doc)
    out = [t for t, v in ((entry.get("question"), have.question), (entry.get("answer"), have.answer))
           if v is None and isinstance(t, str)]
    return out + [t for t in phrasing_texts(entry) if t not in have.phrasings and t not in out]


def document(entry: Mapping[str, Any], doc: Mapping[str, Any] | None,
             embedded: Mapping[str, np.ndarray]) -> dict[str, Any] | None:
    """The vectors document `entry` should have: its usable stored vectors, `embedded` (text -> vector)
    for the rest, nothing for wordings it no longer has. None while a vector is still missing."""
    now = stamp(entry)
    have = stored(entry, doc)
    qv = have.question if have.question is not None else embedded.get(entry.get("question"))
    av = have.answer if have.answer is not None else embedded.get(entry.get("answer"))
    if now is None or qv is None or av is None:
        return None
    phrasings = {}
    for t in phrasing_texts(entry):
        v = have.phrasings.get(t)
        v = v if v is not None else embedded.get(t)
        if v is None:
            return None
        phrasings[contract.phrasing_key(t)] = embedding.to_firestore(v)
    return {contract.EMBEDDING: embedding.to_firestore(qv), contract.ANSWER_EMBEDDING: embedding.to_firestore(av),
            contract.EMBEDDING_MODEL: embedding.MODEL_ID, contract.EMBEDDED_FROM: now,
            contract.PHRASING_VECTORS: phrasings}


def up_to_date(entry: Mapping[str, Any], doc: Mapping[str, Any] | None) -> bool:
    """The vectors document holds a usable vector for each of the entry's current texts and nothing
    for wordings it no longer has (inline vectors left in the entry are the repair pass's concern)."""
    if not doc or doc.get(contract.EMBEDDING_MODEL) != embedding.MODEL_ID:
        return False
    if doc.get(contract.EMBEDDED_FROM) != stamp(entry):
        return False
    kept = doc.get(contract.PHRASING_VECTORS) or {}
    if not isinstance(kept, Mapping) or set(kept) != {contract.phrasing_key(t) for t in phrasing_texts(entry)}:
        return False
    return not missing(bare(entry), doc)


def bare(entry: Mapping[str, Any]) -> dict[str, Any]:
    """The entry without inline vectors: what it is once the repair pass has moved them out."""
    out = {k: v for k, v in entry.items() if k not in contract.INLINE_VECTOR_FIELDS}
    if isinstance(entry.get(contract.PHRASINGS), list):
        out[contract.PHRASINGS] = [{k: v for k, v in p.items() if k != contract.EMBEDDING} if isinstance(p, Mapping)
                                   else p for p in entry[contract.PHRASINGS]]
    return out
