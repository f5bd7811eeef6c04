"""The agent's in-memory knowledge index, kept current by a Firestore listener.

Each knowledge document carries its question's and answer's MiniLM vectors (`embedding`,
`answerEmbedding`, Firestore Vectors, written by tools/seed.py and the functions), so starting the agent
embeds nothing. A document without usable vectors (older data, another model, a hand-written entry) is
embedded here, once, in memory. A newly learned answer reaches the index through the listener (a write
shows up in ~10-20 ms on the emulator), so the next question uses it without a restart.
"""
from __future__ import annotations

import json
import logging
import threading
from pathlib import Path
from typing import Any, Iterable, Mapping

import numpy as np

from frontdesk_core import contract, embedding
from frontdesk_core.matching import Decision, Index, KnowledgeEntry, Phrasing, decide

log = logging.getLogger("frontdesk.knowledge")


def _phrasing_rows(data: Mapping[str, Any]) -> list[tuple[str, str, Any]]:
    """(text, source, stored vector or None) for each usable phrasing of a document. A file's entries
    may list plain strings; Firestore's carry maps with their embedding."""
    rows = []
    for p in data.get(contract.PHRASINGS) or ():
        if isinstance(p, str):
            p = {"text": p}
        if isinstance(p, Mapping) and isinstance(p.get("text"), str) and p["text"].strip():
            rows.append((p["text"], str(p.get("source") or "seed"), p.get(embedding.EMBEDDING)))
    return rows


def _entries(rows: Iterable[tuple[str, Mapping[str, Any]]],
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
        phrasings = _phrasing_rows(data)
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


class KnowledgeIndex:
    """Thread-safe: the listener swaps in a new immutable `Index`; lookups read the current one."""

    def __init__(self, entries: Iterable[KnowledgeEntry] = ()):
        self._lock = threading.Lock()
        self._index = Index(list(entries))
        self._ready = threading.Event()
        self._watch = None

    # -- sources ------------------------------------------------------------------------------
    @classmethod
    def from_firestore(cls, db, timeout: float = 30.0) -> "KnowledgeIndex":
        """An index that follows the `knowledge_base` collection live."""
        index = cls()
        index._watch = db.collection(contract.KNOWLEDGE_BASE).on_snapshot(index._on_snapshot)
        if not index._ready.wait(timeout):
            index.close()
            raise TimeoutError(f"knowledge base did not load within {timeout:.0f} s")
        return index

    @classmethod
    def from_file(cls, path: str | Path) -> "KnowledgeIndex":
        """A fixed index from a JSON array of {"id", "question", "answer", "phrasings"?: [text, ...]}
        (no Firestore); phrasings are matched exactly as the live base's are."""
        rows = json.loads(Path(path).read_text())
        if not isinstance(rows, list):
            raise ValueError(f"{path}: expected a JSON array of {{id, question, answer, phrasings?}}")
        index = cls(_entries((str(r["id"]), r) for r in rows))
        index._ready.set()
        return index

    def _on_snapshot(self, snapshots, changes, read_time) -> None:
        try:
            with self._lock:
                previous = {e.id: e for e in self._index.entries}
            entries = _entries(((s.id, s.to_dict() or {}) for s in snapshots), previous)
            with self._lock:
                self._index = Index(entries)
        except Exception:  # a bad document must not kill the listener thread
            log.exception("knowledge snapshot could not be applied")
        finally:
            self._ready.set()

    # -- reading ------------------------------------------------------------------------------
    @property
    def index(self) -> Index:
        with self._lock:
            return self._index

    def decide(self, question: str, vector: np.ndarray | None = None) -> Decision:
        """The confidence gate's decision for a caller's question (embeds it unless given)."""
        vec = embedding.embed(question) if vector is None else vector
        return decide(question, vec, self.index)

    def lookup(self, question: str) -> Decision | None:
        """The confident answer's decision, or None."""
        decision = self.decide(question)
        return decision if decision.answered else None

    def __len__(self) -> int:
        return len(self.index)

    def close(self) -> None:
        if self._watch is not None:
            self._watch.unsubscribe()
            self._watch = None
