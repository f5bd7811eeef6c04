"""Knowledge entries edited or added outside the functions (the dashboard) get their embeddings.

The agent matches by these vectors, so an entry whose question or answer changed is re-embedded; the
write touches only the embedding fields, so the event it causes changes nothing. A deleted entry needs
nothing here: the agent's listener drops it from its index.
"""
from __future__ import annotations

from typing import Any, Callable, Mapping

from google.cloud import firestore

from . import contract

Embed = Callable[[str, str], Mapping[str, Any]]
EMBEDDING = contract.EMBEDDING


def needs_embedding(before: Mapping[str, Any] | None, after: Mapping[str, Any] | None) -> bool:
    if not after:
        return False
    if not isinstance(after.get("question"), str) or not isinstance(after.get("answer"), str):
        return False
    if after.get(EMBEDDING) is None:
        return True
    if not before:
        return False  # created with its embedding (seed, learned answers)
    return before.get("question") != after["question"] or before.get("answer") != after["answer"]


def newly_embedded(before: Mapping[str, Any] | None, after: Mapping[str, Any] | None) -> bool:
    """A new entry that now has its vector (created with it, or just embedded): the moment to check it
    against the rest of the base. Seed entries are the salon's own facts and are not checked."""
    if not after or after.get(EMBEDDING) is None or after.get("source") == "seed":
        return False
    return before is None or before.get(EMBEDDING) is None


def on_written(db: firestore.Client, entry_id: str, before: Mapping[str, Any] | None,
               after: Mapping[str, Any] | None, embed: Embed) -> bool:
    """Re-embed the entry if it needs it; True when it was written."""
    if not needs_embedding(before, after):
        return False
    try:
        question, answer = contract.question(after["question"]), contract.answer(after["answer"])
    except contract.ContractError:
        return False  # the rules refuse such an entry from browsers; nothing sensible to embed
    ref = db.collection(contract.KNOWLEDGE_BASE).document(entry_id)

    @firestore.transactional
    def run(tx: firestore.Transaction) -> bool:
        snap = ref.get(transaction=tx)
        current = snap.to_dict() if snap.exists else None
        if not current or current.get("question") != after["question"] or current.get("answer") != after["answer"]:
            return False  # changed again meanwhile: that newer event embeds it
        tx.update(ref, dict(embed(question, answer)))
        return True

    return run(db.transaction())
