"""The agent's in-memory knowledge index, kept current by a Firestore listener.

A newly learned answer (written by the functions when a supervisor answers) reaches the index through
the listener, so the next question can use it without a restart.
"""
from __future__ import annotations

import threading
from typing import Iterable

from frontdesk_core import contract

from .matching import Entry, Match, Matcher


class KnowledgeIndex:
    def __init__(self, entries: Iterable[Entry] = ()):
        self._lock = threading.Lock()
        self._entries: dict[str, Entry] = {e.id: e for e in entries}
        self._matcher = Matcher(self._entries.values())
        self._ready = threading.Event()
        self._watch = None

    @classmethod
    def from_firestore(cls, db, timeout: float = 10.0) -> "KnowledgeIndex":
        """An index that follows the `knowledge_base` collection live."""
        index = cls()
        index._watch = db.collection(contract.KNOWLEDGE_BASE).on_snapshot(index._on_snapshot)
        if not index._ready.wait(timeout):
            index.close()
            raise TimeoutError(f"knowledge base did not load within {timeout:.0f} s")
        return index

    def _on_snapshot(self, snapshots, changes, read_time) -> None:
        entries = {}
        for snap in snapshots:
            data = snap.to_dict() or {}
            if isinstance(data.get("question"), str) and isinstance(data.get("answer"), str):
                entries[snap.id] = Entry(snap.id, data["question"], data["answer"])
        self.replace(entries.values())
        self._ready.set()

    def replace(self, entries: Iterable[Entry]) -> None:
        entries = {e.id: e for e in entries}
        matcher = Matcher(entries.values())
        with self._lock:
            self._entries, self._matcher = entries, matcher

    def lookup(self, question: str) -> Match | None:
        with self._lock:
            matcher = self._matcher
        return matcher.best(question)

    def __len__(self) -> int:
        return len(self._entries)

    def close(self) -> None:
        if self._watch is not None:
            self._watch.unsubscribe()
            self._watch = None
