"""Knowledge documents -> the gate's entries, for the agent's index and the functions alike.

An entry's MiniLM vectors (question, answer, phrasings) are stored beside it in knowledge_vectors
(written by tools/seed.py and the functions; vectors.py says which are usable), so building an index
embeds nothing. Whatever lacks a usable vector (no vectors document yet, vectors of an older text or
another model, a hand-written file entry) is embedded here, once, in memory, in one batch.
"""
from __future__ import annotations

import logging
from typing import Any, Iterable, Mapping

import numpy as np

from .. import contract, embedding
from . import KnowledgeEntry, Phrasing
from . import vectors as stored_vectors

log = logging.getLogger("frontdesk.knowledge")


def phrasing_rows(data: Mapping[str, Any]) -> list[tuple[str, str]]:
    """(text, source) for each usable phrasing of a document. A file's entries may list plain strings."""
    rows = []
    for p in data.get(contract.PHRASINGS) or ():
        if isinstance(p, str):
            p = {"text": p}
        if isinstance(p, Mapping) and isinstance(p.get("text"), str) and p["text"].strip():
            rows.append((p["text"], str(p.get("source") or "seed")))
    return rows


def entries(rows: Iterable[tuple[str, Mapping[str, Any]]],
            previous: Mapping[str, KnowledgeEntry] | None = None,
            vectors: Mapping[str, Mapping[str, Any]] | None = None) -> list[KnowledgeEntry]:
    """Knowledge entries from (id, document) rows and their vectors documents (id -> knowledge_vectors
    document), embedding locally only what lacks usable vectors."""
    previous, vectors = previous or {}, vectors or {}
    texts: list[str] = []            # texts to embed here, once, in one batch
    pending: list[tuple] = []

    def vector(stored: Any, text: str):
        if stored is None:
            texts.append(text)
            return len(texts) - 1     # an index into the batch, resolved below
        return stored

    for doc_id, data in rows:
        q, a = data.get("question"), data.get("answer")
        if not isinstance(q, str) or not isinstance(a, str) or not q.strip() or not a.strip():
            continue
        phrasings = phrasing_rows(data)
        held = bool(data.get(contract.CONFLICT_WITH))
        old = previous.get(doc_id)
        if (old is not None and old.question == q and old.answer == a and old.held == held
                and [p.text for p in old.phrasings] == [t for t, _ in phrasings]):
            pending.append(old)       # unchanged: keep the vectors we have
            continue
        have = stored_vectors.stored(data, vectors.get(doc_id))
        qv = have.question
        if old is not None and qv is not None and np.array_equal(qv, old.vector) and old.question != q:
            qv = None                 # the text was edited but an unstamped stored vector was not (yet)
        qv = vector(qv, q)
        av = vector(have.answer, a)
        pvs = [(t, src, vector(have.phrasings.get(t), t)) for t, src in phrasings]
        pending.append((doc_id, q, a, qv, av, pvs, held))
    vecs = embedding.embed_many(texts) if texts else None
    if texts:
        log.info("embedded %d knowledge texts locally (no stored vectors)", len(texts))

    def resolve(v):
        return vecs[v] if isinstance(v, int) else v

    return [item if isinstance(item, KnowledgeEntry) else KnowledgeEntry(
        item[0], item[1], item[2], resolve(item[3]), resolve(item[4]),
        tuple(Phrasing(t, resolve(v), src) for t, src, v in item[5]), item[6]) for item in pending]
