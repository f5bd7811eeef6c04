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
    kb = db.collection(contract.KNOWLEDGE_BASE)
    existing = {snap.id: snap.to_dict() for snap in kb.where(filter=FieldFilter("source", "==", "seed")).stream()}
    changed = {}
    for entry_id, doc in docs.items():
        old = existing.get(entry_id)
        texts = [p["text"] for p in doc[contract.PHRASINGS]]
        if (old and old["question"] == doc["question"] and old["answer"] == doc["answer"]
                and old.get(embedding.EMBEDDING_MODEL) == embedding.MODEL_ID
                and [p.get("text") for p in old.get(contract.PHRASINGS) or () if p.get("source") == "seed"] == texts):
            continue  # unchanged: keep its original createdAt
        if old:   # keep what calls taught it (links, groups, merges) and the supervisors' review date
            learned = [p for p in old.get(contract.PHRASINGS) or () if p.get("source") != "seed"]
            doc = {**doc, contract.PHRASINGS: doc[contract.PHRASINGS] + learned,
                   contract.REVIEW_BY: old.get(contract.REVIEW_BY, doc[contract.REVIEW_BY])}
        changed[entry_id] = doc
    # Each entry carries the vectors of its question, answer and phrasings, so no process re-embeds
    # the base at start.
    vectors = embedding.knowledge_fields_many([(d["question"], d["answer"]) for d in changed.values()])
    for (entry_id, doc), fields in zip(changed.items(), vectors):
        batch.set(kb.document(entry_id), {**doc, **fields,
                                          contract.PHRASINGS: embedding.with_vectors(doc[contract.PHRASINGS])})
    batch.commit()
    return len(docs)


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
