"""The knowledge base as the functions see it, cached per instance and refreshed cheaply.

Suggestions (every new request) and conflict checks (every new entry) used to stream the whole base,
vectors included, per event. Now each function instance keeps the parsed entries and, before use,
reads only what changed: `knowledge_changes/{entry id}` {changedAt: the server's time, deleted} is
written by the knowledge trigger for every write and delete of an entry (and again once it has written
the entry's vectors), so a refresh is one read of the generation document, one query for changes since
the last one (one read when there are none) and two reads per changed entry (it and its vectors). A
wiped database (the generation document gone, or another one), an instance that has not refreshed for
MAX_AGE, or a first use reads the base whole (entries and vectors).
"""
from __future__ import annotations

import threading
import uuid
from datetime import datetime, timedelta, timezone
from typing import Any, Iterable

from google.api_core.exceptions import AlreadyExists
from google.cloud import firestore
from google.cloud.firestore import FieldFilter

from .. import contract, understanding
from .entries import entries

CHANGES = "knowledge_changes"
GENERATION = "_generation"       # a document of CHANGES without `changedAt`: never a change
MAX_AGE = timedelta(hours=6)     # a change record lost with its trigger is picked up by this reload


def record_change(db: firestore.Client, entry_id: str, *, deleted: bool) -> None:
    """Called by the knowledge trigger first, for every write or delete of an entry."""
    db.collection(CHANGES).document(entry_id).set({"changedAt": firestore.SERVER_TIMESTAMP, "deleted": deleted})


class KnowledgeCache:
    def __init__(self, max_age: timedelta = MAX_AGE) -> None:
        self.max_age = max_age
        self._lock = threading.Lock()
        self._reset()

    def _reset(self) -> None:
        self.generation: str | None = None
        self.loaded_at: datetime | None = None
        self.cursor: datetime | None = None
        self.parsed: dict[str, understanding.KnowledgeEntry] = {}
        self.seen: dict[str, Any] = {}       # entry id -> changedAt applied
        self._index: understanding.Index | None = None

    def index(self, db: firestore.Client, exclude: Iterable[str] = ()) -> understanding.Index:
        """The base as the agent sees it (held entries included), minus `exclude`."""
        with self._lock:
            self._refresh(db)
            skip = set(exclude)
            if not skip:
                if self._index is None:
                    self._index = understanding.Index(list(self.parsed.values()))
                return self._index
            return understanding.Index([e for i, e in self.parsed.items() if i not in skip])

    def _refresh(self, db: firestore.Client) -> None:
        now = contract.utcnow()
        generation = db.collection(CHANGES).document(GENERATION).get()
        current = (generation.to_dict() or {}).get("id") if generation.exists else None
        if current is None or current != self.generation or self.loaded_at is None \
                or now - self.loaded_at > self.max_age:
            self._load(db, current)
            return
        changes = (db.collection(CHANGES).where(filter=FieldFilter("changedAt", ">=", self.cursor))
                   .order_by("changedAt").stream())
        changed = []
        for snap in changes:
            at = snap.get("changedAt")
            self.cursor = max(self.cursor, at)
            if self.seen.get(snap.id) != at:
                self.seen[snap.id] = at
                changed.append(snap.id)
        if changed:
            refs = [db.collection(contract.KNOWLEDGE_BASE).document(i) for i in changed]
            rows = [(s.id, s.to_dict() or {}) for s in db.get_all(refs) if s.exists]
            previous = {i: self.parsed.pop(i) for i in changed if i in self.parsed}
            self._add(rows, previous, _vectors(db, [i for i, _ in rows]))

    def _load(self, db: firestore.Client, generation: str | None) -> None:
        self._reset()
        self.generation = generation or _new_generation(db)
        # the cursor before the entries: whatever changes after is found by the next refresh
        latest = list(db.collection(CHANGES).order_by("changedAt", direction=firestore.Query.DESCENDING)
                      .limit(1).stream())
        self.cursor = latest[0].get("changedAt") if latest else datetime(1970, 1, 1, tzinfo=timezone.utc)
        self.seen = {s.id: s.get("changedAt") for s in latest}
        rows = [(s.id, s.to_dict() or {}) for s in db.collection(contract.KNOWLEDGE_BASE).stream()]
        stored = {s.id: s.to_dict() or {} for s in db.collection(contract.KNOWLEDGE_VECTORS).stream()}
        self._add(rows, {}, stored)
        self.loaded_at = contract.utcnow()

    def _add(self, rows, previous: dict[str, understanding.KnowledgeEntry], stored: dict[str, dict]) -> None:
        """Parse documents into entries (vectors as arrays; the documents are not kept)."""
        for entry in entries(rows, previous=previous, vectors=stored):
            self.parsed[entry.id] = entry
        self._index = None


def _vectors(db: firestore.Client, ids: list[str]) -> dict[str, dict]:
    """The vectors documents of these entries (knowledge_vectors), by entry id."""
    refs = [db.collection(contract.KNOWLEDGE_VECTORS).document(i) for i in ids]
    return {s.id: s.to_dict() or {} for s in db.get_all(refs) if s.exists} if refs else {}


def _new_generation(db: firestore.Client) -> str:
    ref = db.collection(CHANGES).document(GENERATION)
    try:
        ref.create({"id": uuid.uuid4().hex, "createdAt": firestore.SERVER_TIMESTAMP})
    except AlreadyExists:
        pass
    return ref.get().get("id")


# One per function instance (the module is imported once per process).
CACHE = KnowledgeCache()
