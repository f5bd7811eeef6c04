"""Knowledge documents -> the gate's entries, for the agent's index and the functions alike.

A document carries the MiniLM vectors of its question, answer and phrasings (Firestore Vectors written
by tools/seed.py and the functions), so building an index embeds nothing. Whatever lacks a usable
vector (older data, another model, a hand-written file entry, an edit not yet re-embedded) is embedded
here, once, in memory, in one batch.
"""
from __future__ import annotations

import logging
from typing import Any, Iterable, Mapping

import numpy as np

from .. import contract, embedding
from . import KnowledgeEntry, Phrasing

log = logging.getLogger("frontdesk.knowledge")


def phrasing_rows(data: Mapping[str, Any]) -> list[tuple[str, str, Any]]:
    """(text, source, stored vector or None) for each usable phrasing of a document. A file's entries
    may list plain strings; Firestore's carry maps with their embedding."""
    rows = []
    for p in data.get(contract.PHRASINGS) or ():
        if isinstance(p, str):
            p = {"text": p}
        if isinstance(p, Mapping) and isinstance(p.get("text"), str) and p["text"].strip():
            rows.append((p["text"], str(p.get("source") or "seed"), p.get(embedding.EMBEDDING)))
    return rows


def entries(rows: Iterable[tuple[str, Mapping[str, Any]]],
             previous: Mapping[str, KnowledgeEntry] | None = None) -> list[KnowledgeEntry]:
    """Knowledge entries from (id, document) rows, embedding locally only what lacks usable vectors."""
    previous = previous or {}
    texts: list[str] = []            # texts to embed here, once, in one batch
    pending: list[tuple] = []

    def vector(stored: Any, text: str, same_model: bool):
        vec = embedding.from_firestore(stored) if same_model else None
        if vec is None:
            texts.append(text)
            return len(texts) - 1     # an index into the batch, resolved below
        return vec

    for doc_id, data in rows:
        q, a = data.get("question"), data.get("answer")
        if not isinstance(q, str) or not isinstance(a, str) or not q.strip() or not a.strip():
            continue
        phrasings = phrasing_rows(data)
        held = bool(data.get(contract.CONFLICT_WITH))
        old = previous.get(doc_id)
        if (old is not None and old.question == q and old.answer == a and old.held == held
                and [p.text for p in old.phrasings] == [t for t, _, _ in phrasings]):
            pending.append(old)       # unchanged: keep the vectors we have
            continue
        same_model = data.get(embedding.EMBEDDING_MODEL) == embedding.MODEL_ID
        qv = embedding.from_firestore(data.get(embedding.EMBEDDING)) if same_model else None
        if old is not None and qv is not None and np.array_equal(qv, old.vector) and old.question != q:
            qv = None                 # the text was edited but the stored vector was not (yet)
        qv = vector(None, q, False) if qv is None else qv
        av = vector(data.get(embedding.ANSWER_EMBEDDING), a, same_model)
        pvs = [(t, src, vector(stored, t, same_model)) for t, src, stored in phrasings]
        pending.append((doc_id, q, a, qv, av, pvs, held))
    vecs = embedding.embed_many(texts) if texts else None
    if texts:
        log.info("embedded %d knowledge texts locally (no stored vectors)", len(texts))

    def resolve(v):
        return vecs[v] if isinstance(v, int) else v

    return [item if isinstance(item, KnowledgeEntry) else KnowledgeEntry(
        item[0], item[1], item[2], resolve(item[3]), resolve(item[4]),
        tuple(Phrasing(t, resolve(v), src) for t, src, v in item[5]), item[6]) for item in pending]
