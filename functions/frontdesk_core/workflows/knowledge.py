"""Knowledge entries edited or added outside the functions (the dashboard) get their embeddings.

The agent matches by these vectors, so an entry whose question or answer changed is re-embedded; the
write touches only the embedding fields, so the event it causes changes nothing. A deleted entry needs
nothing here: the agent's listener drops it from its index.
"""
from __future__ import annotations

import hashlib
from typing import Any, Callable, Mapping

from google.cloud import firestore

from .. import contract
from ..infra import faults

Embed = Callable[[str, str], Mapping[str, Any]]
EMBEDDING = contract.EMBEDDING
EMBEDDED_FROM = "embeddedFrom"   # digest of the question and answer the vectors were computed from


def digest(question: Any, answer: Any) -> str:
    return hashlib.sha256(f"{question}\n{answer}".encode()).hexdigest()[:16]


def stamped(embed: Embed) -> Embed:
    """`embed` whose fields also say what text they are of (`embeddedFrom`), so stale vectors can be
    found later without re-embedding anything (an edit whose re-embedding was cut short)."""
    def fields(question: str, answer: str) -> dict[str, Any]:
        return {**embed(question, answer), EMBEDDED_FROM: digest(question, answer)}
    return fields


def needs_vectors(entry: Mapping[str, Any]) -> bool:
    """An entry with no vectors, or with vectors stamped for another question or answer (entries
    written before the stamp, like the seed's, are only checked for missing vectors)."""
    if not isinstance(entry.get("question"), str) or not isinstance(entry.get("answer"), str):
        return False
    if entry.get(EMBEDDING) is None:
        return True
    stamp = entry.get(EMBEDDED_FROM)
    if stamp is None:
        return False
    try:
        return stamp != digest(contract.question(entry["question"]), contract.answer(entry["answer"]))
    except contract.ContractError:
        return False


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
    faults.check(db, faults.KNOWLEDGE_BEFORE_EMBED)
    return _write_vectors(db, entry_id, after, embed(question, answer))


def repair(db: firestore.Client, entry_id: str, entry: Mapping[str, Any], embed: Embed) -> bool:
    """The sweep's repair pass: give an entry the vectors its trigger did not write; True when written."""
    if not needs_vectors(entry):
        return False
    try:
        question, answer = contract.question(entry["question"]), contract.answer(entry["answer"])
    except contract.ContractError:
        return False
    return _write_vectors(db, entry_id, entry, embed(question, answer))


def _write_vectors(db: firestore.Client, entry_id: str, after: Mapping[str, Any],
                   fields: Mapping[str, Any]) -> bool:
    ref = db.collection(contract.KNOWLEDGE_BASE).document(entry_id)

    @firestore.transactional
    def run(tx: firestore.Transaction) -> bool:
        snap = ref.get(transaction=tx)
        current = snap.to_dict() if snap.exists else None
        if not current or current.get("question") != after["question"] or current.get("answer") != after["answer"]:
            return False  # changed again meanwhile: that newer event embeds it
        tx.update(ref, dict(fields))
        return True

    return run(db.transaction())
