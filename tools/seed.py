"""Load the fictional salon into Firestore: its profile and the knowledge entries derived from it.

Idempotent: documents have fixed ids and are written whole, so running it again changes nothing.
  python -m tools.seed [--profile seed/salon.json]
"""
from __future__ import annotations

import argparse
import json
from pathlib import Path

from google.cloud.firestore import FieldFilter

from frontdesk_core import contract, embedding
from frontdesk_core.contract import salon
from frontdesk_core.understanding import vectors

ROOT = Path(__file__).resolve().parent.parent
PROFILE = ROOT / "seed" / "salon.json"


def load_profile(path: Path = PROFILE) -> dict:
    return json.loads(path.read_text())


def seed(db, profile: dict | None = None) -> int:
    """Write the salon profile and its knowledge entries; returns the number of entries."""
    profile = profile or load_profile()
    docs = salon.knowledge_documents(profile, contract.utcnow())
    batch = db.batch()
    batch.set(db.collection(contract.SALON).document(contract.SALON_PROFILE_ID), profile)
    kb, kv = db.collection(contract.KNOWLEDGE_BASE), db.collection(contract.KNOWLEDGE_VECTORS)
    existing = {snap.id: snap.to_dict() for snap in kb.where(filter=FieldFilter("source", "==", "seed")).stream()}
    stored = ({s.id: s.to_dict() for s in db.get_all([kv.document(i) for i in existing]) if s.exists}
              if existing else {})
    changed = {}
    for entry_id, doc in docs.items():
        old = existing.get(entry_id)
        texts = [p["text"] for p in doc[contract.PHRASINGS]]
        if (old and old["question"] == doc["question"] and old["answer"] == doc["answer"]
                and vectors.up_to_date(old, stored.get(entry_id)) and not vectors.has_inline(old)
                and [p.get("text") for p in old.get(contract.PHRASINGS) or () if p.get("source") == "seed"] == texts):
            continue  # unchanged: keep its original createdAt
        if old:   # keep what calls taught it (links, groups, merges) and the supervisors' review date
            learned = [p for p in vectors.bare(old)[contract.PHRASINGS] if p.get("source") != "seed"]
            doc = {**doc, contract.PHRASINGS: doc[contract.PHRASINGS] + learned,
                   contract.REVIEW_BY: old.get(contract.REVIEW_BY, doc[contract.REVIEW_BY])}
        changed[entry_id] = doc
    # Each entry's vectors (question, answer, phrasings) are stored beside it in knowledge_vectors, so
    # no process re-embeds the base at start; vectors it had already (a learned wording's) are kept.
    todo = sorted({t for i, d in changed.items() for t in vectors.missing(d, _merged(existing.get(i), stored.get(i)))})
    embedded = dict(zip(todo, embedding.cached_many(todo))) if todo else {}
    for entry_id, doc in changed.items():
        batch.set(kb.document(entry_id), doc)
        batch.set(kv.document(entry_id), vectors.document(doc, _merged(existing.get(entry_id), stored.get(entry_id)),
                                                          embedded))
    batch.commit()
    return len(docs)


def _merged(old: dict | None, stored: dict | None) -> dict | None:
    """The vectors an entry had, wherever they were (its vectors document, else inline), as a document."""
    if not old:
        return stored
    have = vectors.stored(old, stored)
    return {contract.EMBEDDING_MODEL: embedding.MODEL_ID,
            contract.PHRASING_VECTORS: {contract.phrasing_key(t): v for t, v in have.phrasings.items()}}


def main() -> None:
    from frontdesk_core.infra.firebase import db
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--profile", type=Path, default=PROFILE)
    args = parser.parse_args()
    profile = load_profile(args.profile)
    count = seed(db(), profile)
    print(f"Seeded {profile['name']}: profile and {count} knowledge entries.")


if __name__ == "__main__":
    main()
