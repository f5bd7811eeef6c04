"""The agent's in-memory knowledge index, kept current by Firestore listeners.

Each knowledge entry's MiniLM vectors (question, answer, phrasings) are stored beside it in
`knowledge_vectors` (Firestore Vectors, written by tools/seed.py and the functions), so starting the
agent embeds nothing. Two listeners follow the entries and their vectors; an entry uses stored vectors
only when they are of its current text (frontdesk_core/understanding/vectors.py), and whatever lacks usable ones (a
new entry whose vectors are not written yet, an edit not yet re-embedded, another model, a
hand-written entry) is embedded here, once, in memory. A newly learned answer reaches the index
through the listener (a write shows up in ~10-20 ms on the emulator), so the next question uses it
without a restart. The listeners are checked and subscribed again when they drop
(`agent/listening.py`); until the first snapshot of both has been applied the index is not `loaded`,
and the worker takes no calls.
"""
from __future__ import annotations

import json
import logging
import threading
from pathlib import Path
from typing import Iterable

import numpy as np

from frontdesk_core import contract, embedding
from frontdesk_core.understanding import Decision, Index, Judge, KnowledgeEntry, decide
from frontdesk_core.understanding.entries import entries as _entries

from .judge import make_judge
from .listening import PROBE_TIMEOUT, Listener

log = logging.getLogger("frontdesk.knowledge")


def _built(index: Index) -> Index:
    """The index with its installed-base view built too (decide asks both when wordings were taught):
    built here, on the listener's thread, not on a caller's turn."""
    index.untaught
    return index


class KnowledgeIndex:
    """Thread-safe: the listener swaps in a new immutable `Index`; lookups read the current one."""

    def __init__(self, entries: Iterable[KnowledgeEntry] = (), judge: "Judge | None | str" = "auto"):
        self._lock = threading.Lock()
        # The uncertain middle goes to the Together model when TOGETHER_API_KEY is set ("auto"); a
        # judge given here (or None: no judge) overrides that.
        self.judge = make_judge() if judge == "auto" else judge
        self._index = _built(Index(list(entries)))
        self._ready = threading.Event()
        self._listener: Listener | None = None
        self._vector_listener: Listener | None = None
        self._docs: dict | None = None      # the latest snapshot of each collection (None: none yet)
        self._vectors: dict | None = None

    # -- sources ------------------------------------------------------------------------------
    @classmethod
    def from_firestore(cls, db, timeout: float | None = 30.0, judge: "Judge | None | str" = "auto",
                       check_every: float = 10.0) -> "KnowledgeIndex":
        """An index that follows `knowledge_base` and `knowledge_vectors` live. Waits up to `timeout` for the
        base to load (retrying meanwhile) and raises TimeoutError if it did not; `timeout=None`
        returns at once, the listener retrying in the background until `loaded`."""
        index = cls(judge=judge)
        index._vector_listener = Listener("knowledge vectors", db, _subscribe_vectors, _probe, index._on_vectors,
                                          check_every=check_every).start()
        index._listener = Listener("knowledge", db, _subscribe, _probe, index._on_snapshot,
                                   check_every=check_every).start()
        if timeout is not None and not index.wait_loaded(timeout):
            index.close()
            raise TimeoutError(f"knowledge base did not load within {timeout:.0f} s")
        return index

    @classmethod
    def from_file(cls, path: str | Path, judge: "Judge | None | str" = "auto") -> "KnowledgeIndex":
        """A fixed index from a JSON array of {"id", "question", "answer", "phrasings"?: [text, ...]}
        (no Firestore); phrasings are matched exactly as the live base's are."""
        rows = json.loads(Path(path).read_text())
        if not isinstance(rows, list):
            raise ValueError(f"{path}: expected a JSON array of {{id, question, answer, phrasings?}}")
        index = cls(_entries((str(r["id"]), r) for r in rows), judge=judge)
        index._ready.set()
        return index

    def _on_snapshot(self, snapshots, changes, read_time) -> None:
        self._apply(docs={s.id: s.to_dict() or {} for s in snapshots})

    def _on_vectors(self, snapshots, changes, read_time) -> None:
        self._apply(vectors={s.id: s.to_dict() or {} for s in snapshots})

    def _apply(self, docs: dict | None = None, vectors: dict | None = None) -> None:
        """A new snapshot of the entries or of their vectors: the index rebuilt from the latest of both
        (unchanged entries keep their parsed vectors), once both have arrived."""
        try:
            with self._lock:
                self._docs = docs if docs is not None else self._docs
                self._vectors = vectors if vectors is not None else self._vectors
                if self._docs is None or self._vectors is None:
                    return
                rows, stored = self._docs, self._vectors
                previous = {e.id: e for e in self._index.entries}
            entries = _entries(rows.items(), previous, stored)
            with self._lock:
                if rows is self._docs and stored is self._vectors:   # else a newer snapshot rebuilds it
                    self._index = _built(Index(entries))
        except Exception:  # a bad document must not kill the listener thread
            log.exception("knowledge snapshot could not be applied")
            return
        if not self._ready.is_set():
            log.info("knowledge base loaded: %d entries", len(entries))
            self._ready.set()

    # -- state ----------------------------------------------------------------------------------
    @property
    def loaded(self) -> bool:
        """Whether the base has been loaded once (it is then served, kept current when reachable)."""
        return self._ready.is_set()

    def wait_loaded(self, timeout: float | None = None) -> bool:
        return self._ready.wait(timeout)

    @property
    def listener(self) -> Listener | None:
        return self._listener

    # -- reading ------------------------------------------------------------------------------
    @property
    def index(self) -> Index:
        with self._lock:
            return self._index

    def decide(self, question: str, vector: np.ndarray | None = None) -> Decision:
        """The knowledge decision for a caller's question (embeds it unless given)."""
        vec = embedding.embed(question) if vector is None else vector
        return decide(question, vec, self.index, judge=self.judge)

    def lookup(self, question: str) -> Decision | None:
        """The confident answer's decision, or None."""
        decision = self.decide(question)
        return decision if decision.answered else None

    def __len__(self) -> int:
        return len(self.index)

    def close(self) -> None:
        for listener in (self._listener, self._vector_listener):
            if listener is not None:
                listener.close()
        self._listener = self._vector_listener = None


def _subscribe(client, callback):
    return client.collection(contract.KNOWLEDGE_BASE).on_snapshot(callback)


def _subscribe_vectors(client, callback):
    return client.collection(contract.KNOWLEDGE_VECTORS).on_snapshot(callback)


def _probe(client) -> None:
    client.collection(contract.KNOWLEDGE_BASE).limit(1).get(retry=None, timeout=PROBE_TIMEOUT)
