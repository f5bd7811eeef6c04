"""A planned write: what a workflow's pure plan returns and its transaction applies.

A plan is a list of these, so a rule's outcome is checked as data in a unit test, and the I/O is one
loop (`apply`) in the transaction that read what the plan was decided on.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Literal, Mapping

from google.cloud import firestore


@dataclass(frozen=True)
class Write:
    op: Literal["create", "set", "merge", "update", "delete"]   # merge: set only the fields named
    collection: str
    doc_id: str
    data: Mapping[str, Any]


def apply(db: firestore.Client, tx: firestore.Transaction, writes: list[Write]) -> None:
    for write in writes:
        ref = db.collection(write.collection).document(write.doc_id)
        if write.op == "merge":
            tx.set(ref, dict(write.data), merge=True)
        elif write.op == "delete":
            tx.delete(ref)
        else:
            getattr(tx, write.op)(ref, dict(write.data))
