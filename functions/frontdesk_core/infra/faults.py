"""Faults injected on purpose, for the tests that prove a trigger cut short loses nothing.

Off everywhere except where `FRONTDESK_FAULTS=on` is set: only the test projects' settings
(functions/.env.demo-test) set it; a deployed project never reads the collection. When on, a
trigger passing a named point reads `_faults/{point}` and, while its `remaining` count is above 0,
takes one (in a transaction) and raises `InjectedFault` there, the way a crash or a timeout would
end the run half way. A test arms a point with `arm(db, point, times)`.
"""
from __future__ import annotations

import os

from google.cloud import firestore

ENV = "FRONTDESK_FAULTS"
COLLECTION = "_faults"

# The points, each in the middle of a trigger:
CREATED_BEFORE_NOTICE = "created.before_notice"        # on_help_request_created: before any notice
CREATED_BEFORE_GROUPING = "created.before_grouping"    # on_help_request_created: notices queued, not sent
RESOLVED_BEFORE_RECORD = "resolved.before_record"      # on_help_request_updated: nothing learned or queued
RESOLVED_BEFORE_MEMBERS = "resolved.before_members"    # on_help_request_updated: the group's members left open
KNOWLEDGE_BEFORE_EMBED = "knowledge.before_embed"      # on_knowledge_written: the entry left without vectors
CALL_ENDED_BEFORE_REROUTE = "call_ended.before_reroute"  # on_conversation_updated: follow-ups left for the call
CONFLICT_BEFORE_APPLY = "conflict.before_apply"          # on_conflict_updated: both entries left held
KNOWLEDGE_BEFORE_UNVECTOR = "knowledge.before_unvector"  # on_knowledge_written: a deleted entry's vectors left
POINTS = (CREATED_BEFORE_NOTICE, CREATED_BEFORE_GROUPING, RESOLVED_BEFORE_RECORD, RESOLVED_BEFORE_MEMBERS, KNOWLEDGE_BEFORE_EMBED,
          CALL_ENDED_BEFORE_REROUTE, CONFLICT_BEFORE_APPLY, KNOWLEDGE_BEFORE_UNVECTOR)


class InjectedFault(RuntimeError):
    """Raised at an armed point; never caught by the code under test (it must behave as a crash)."""


def enabled() -> bool:
    return os.environ.get(ENV, "").strip().lower() == "on"


def check(db: firestore.Client, point: str) -> None:
    """Raise InjectedFault if `point` is armed (and disarm it once); a no-op unless enabled."""
    if not enabled():
        return
    ref = db.collection(COLLECTION).document(point)

    @firestore.transactional
    def take(tx: firestore.Transaction) -> bool:
        snap = ref.get(transaction=tx)
        remaining = int((snap.to_dict() or {}).get("remaining") or 0) if snap.exists else 0
        if remaining <= 0:
            return False
        tx.update(ref, {"remaining": remaining - 1, "hits": firestore.Increment(1)})
        return True

    if take(db.transaction()):
        raise InjectedFault(f"fault injected at {point}")


def arm(db: firestore.Client, point: str, times: int = 1) -> None:
    """Make the next `times` passes through `point` fail (tests only)."""
    if point not in POINTS:
        raise ValueError(f"{point!r} is not one of {', '.join(POINTS)}")
    db.collection(COLLECTION).document(point).set({"remaining": times, "hits": 0})


def hits(db: firestore.Client, point: str) -> int:
    snap = db.collection(COLLECTION).document(point).get()
    return int((snap.to_dict() or {}).get("hits") or 0) if snap.exists else 0
