"""The sweep's repair pass: the work a trigger was cut short of, found from the data and redone.

A trigger can die half way (a crash, a timeout, a deploy, an outage) after its event was consumed; a
retried event covers a few minutes, not an hour-long outage or a bug fixed next week. So every sweep
looks for the three states a finished trigger never leaves, and runs the same code again for each:

- a valid pending request never announced (a notice missing on one of the supervisor channels) and
  not a member of a group → `escalation.on_created` (groups it, or announces it, then suggestions);
  a member whose primary was answered meanwhile → `grouping.join` (answered with the group's answer);
- a resolved question with no follow-up in the outbox and `followupSent` not set →
  `resolution.on_answered` (learns, queues and sends the follow-up, answers the group's members);
- a follow-up still queued for a call that has ended → `resolution.reroute_ended_call` (by text);
- a conflict a supervisor resolved whose entries still hold each other → `learning.resolve_conflict`;
- a knowledge entry without vectors, with vectors of another question, answer or wordings, or with
  vectors still inline (written before they moved to knowledge_vectors) → `knowledge.repair`; a new
  entry given its first vectors here is checked for conflicts as its trigger would have;
- the vectors of an entry deleted in the last `window` (its `knowledge_deletions` record) still there →
  `knowledge.on_deleted`.

Every one of those steps is idempotent (documents keyed by the request, created once, claimed once),
so racing a slow trigger, or repairing twice, changes nothing. Work younger than `grace` is left to
its trigger. Reads stay bounded by what is open or recent, never by history: pending requests (the
open queue, plus a notice read per channel for each), requests answered in the last `window` and not
yet followed up, follow-ups queued for a call, conflicts resolved in the last `window`, entries
created or edited in the last `entry_window` or stored without vectors (the explicit null), entries
still holding inline vectors (emptied as they are moved, `LIMIT` per sweep).
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any, Iterable, Mapping

from google.cloud import firestore
from google.cloud.firestore import FieldFilter

from .. import contract
from ..delivery import outbox
from ..delivery.channels import Channel
from . import escalation, grouping, knowledge, learning, resolution
from .isolation import isolated

GRACE = timedelta(minutes=2)
WINDOW = timedelta(days=1)          # answered requests and resolved conflicts looked at
ENTRY_WINDOW = timedelta(hours=1)   # entries created or edited looked at (each is read every sweep)
LIMIT = 200

ANNOUNCE, JOIN = "announce", "join"


# ---- what is missing (pure) -----------------------------------------------------------------------

def pending_work(request_id: str, request: Mapping[str, Any], *, announced: bool,
                 primary: Mapping[str, Any] | None) -> str | None:
    """For a valid pending request: ANNOUNCE when no supervisor was told and it is in no group, JOIN
    when it is a member of a group whose primary was answered (it must get that answer), else None."""
    group_id = request.get(contract.GROUP_ID)
    if group_id and group_id != request_id:
        return JOIN if primary is not None and primary.get("status") == contract.RESOLVED else None
    return None if announced else ANNOUNCE


def owes_followup(request: Mapping[str, Any], *, followup_exists: bool) -> bool:
    """A resolved question whose answer never reached the outbox."""
    try:
        question = contract.kind_of(contract.validate_help_request(request)) == contract.QUESTION_KIND
    except contract.ContractError:
        return False   # nothing could be sent to it (record() refuses it too)
    return (question and request.get("status") == contract.RESOLVED and not request.get("followupSent")
            and not followup_exists and isinstance(request.get("responseText"), str))


# ---- the pass -------------------------------------------------------------------------------------

@dataclass
class Repairer:
    """What the triggers are given, given to the sweep: the same channels, grouping, suggestions and
    embedding, so a repair does exactly what the trigger would have done."""
    targets: list[tuple[str, str]]
    channels: Mapping[str, Channel]
    caller_channel: str
    find_group: escalation.FindGroup | None = None
    suggest: escalation.Suggest | None = None
    embed: knowledge.Embed | None = None
    grace: timedelta = GRACE
    window: timedelta = WINDOW
    entry_window: timedelta = ENTRY_WINDOW

    def run(self, db: firestore.Client, now: datetime, errors: list[dict]) -> dict[str, list[str]]:
        done: dict[str, list[str]] = {"announced": [], "joined": [], "answered": [], "rerouted": [],
                                      "settled": [], "embedded": [], "moved": [], "unvectored": []}
        requests = db.collection(contract.HELP_REQUESTS)
        pending = (requests.where(filter=FieldFilter("status", "==", contract.PENDING))
                   .where(filter=FieldFilter("timestamp", "<=", now - self.grace))
                   .order_by("timestamp").limit(LIMIT).stream())
        for snap in pending:
            isolated(errors, "repair pending", snap.id, lambda snap=snap: self._pending(db, snap, now, done))
        answered = (requests.where(filter=FieldFilter("status", "==", contract.RESOLVED))
                    .where(filter=FieldFilter("followupSent", "==", False))
                    .where(filter=FieldFilter("respondedAt", ">=", now - self.window))
                    .where(filter=FieldFilter("respondedAt", "<=", now - self.grace))
                    .limit(LIMIT).stream())
        for snap in answered:
            if snap.id in done["joined"]:
                continue   # answered by this very pass: its own trigger is following it up right now
            isolated(errors, "repair answered", snap.id, lambda snap=snap: self._answered(db, snap, now, done))
        waiting = (db.collection(contract.FOLLOWUPS).where(filter=FieldFilter("channel", "==", "call"))
                   .where(filter=FieldFilter("status", "==", outbox.QUEUED)).limit(LIMIT).stream())
        calls = {(s.to_dict() or {}).get("conversationId") for s in waiting
                 if _older(s.to_dict() or {}, now - self.grace)}
        for conv_id in sorted(c for c in calls if isinstance(c, str) and c):
            if isolated(errors, "repair call", conv_id, lambda conv_id=conv_id: self._ended_call(db, conv_id, now)):
                done["rerouted"].append(conv_id)
        conflicts = (db.collection(contract.KNOWLEDGE_CONFLICTS)
                     .where(filter=FieldFilter("status", "==", contract.CONFLICT_RESOLVED))
                     .where(filter=FieldFilter("resolvedAt", ">=", now - self.window)).limit(LIMIT).stream())
        for snap in conflicts:
            if isolated(errors, "repair conflict", snap.id, lambda snap=snap: self._conflict(db, snap, now)):
                done["settled"].append(snap.id)
        if self.embed:
            for entry_id, entry, stored in _entries_to_check(db, now - self.entry_window):
                synced = isolated(errors, "repair vectors", entry_id, lambda entry_id=entry_id, entry=entry, stored=stored:
                               self._vectors(db, entry_id, entry, stored, now))
                if synced and synced.written:
                    done["embedded" if synced.embedded else "moved"].append(entry_id)
        deleted = (db.collection(contract.KNOWLEDGE_DELETIONS)
                   .where(filter=FieldFilter("deletedAt", ">=", now - self.window)).limit(LIMIT).stream())
        for entry_id in sorted({s.get("entryId") for s in deleted if isinstance(s.get("entryId"), str)}):
            if isolated(errors, "repair deleted", entry_id, lambda entry_id=entry_id: knowledge.on_deleted(db, entry_id)):
                done["unvectored"].append(entry_id)
        return done

    def _vectors(self, db: firestore.Client, entry_id: str, entry: Mapping[str, Any],
                 stored: Mapping[str, Any] | None, now: datetime) -> knowledge.Synced:
        """An entry's vectors repaired; a new entry given its first ones is checked as its trigger would."""
        first = (stored or {}).get(contract.EMBEDDING) is None and entry.get(contract.EMBEDDING) is None
        synced = knowledge.repair(db, entry_id, entry, self.embed, stored)
        if first and synced.question is not None and entry.get("source") != "seed":
            learning.detect_conflicts(db, entry_id, entry, now, vector=synced.question)
        return synced

    def _pending(self, db: firestore.Client, snap, now: datetime, done: dict[str, list[str]]) -> None:
        raw = snap.to_dict() or {}
        try:
            request = contract.validate_help_request(raw)
        except contract.ContractError as err:   # out of the queue (see escalation.on_created)
            escalation.quarantine(db, snap.id, str(err), now)
            return
        group_id = request.get(contract.GROUP_ID)
        primary = None
        if group_id and group_id != snap.id:
            primary = db.collection(contract.HELP_REQUESTS).document(group_id).get().to_dict()
        announced = all(db.collection(contract.NOTIFICATIONS).document(escalation.notice_id(snap.id, c)).get().exists
                        for c, _ in self.targets)
        work = pending_work(snap.id, request, announced=announced, primary=primary)
        if work == JOIN:
            if grouping.join(db, snap.id, group_id, now=now) == "answered":
                done["joined"].append(snap.id)
        elif work == ANNOUNCE:
            escalation.on_created(db, snap.id, raw, targets=self.targets, channels=self.channels, now=now,
                                  find_group=self.find_group, suggest=self.suggest)
            done["announced"].append(snap.id)

    def _answered(self, db: firestore.Client, snap, now: datetime, done: dict[str, list[str]]) -> None:
        request = snap.to_dict() or {}
        if request.get("followupSent") or not owes_followup(request, followup_exists=False):
            return
        if db.collection(contract.FOLLOWUPS).document(snap.id).get().exists:
            return
        resolution.on_answered(db, snap.id, request, channels=self.channels, caller_channel=self.caller_channel,
                               now=now, embed=self.embed)
        done["answered"].append(snap.id)

    def _ended_call(self, db: firestore.Client, conv_id: str, now: datetime) -> bool:
        """Follow-ups left waiting for a call that is over (or gone) go out as text."""
        conv = db.collection(contract.CONVERSATIONS).document(conv_id).get()
        if conv.exists and (conv.to_dict() or {}).get("endedAt") is None:
            return False   # still on the line: the agent says it (a dead agent's call is ended by the sweep)
        if not conv.exists:
            return False   # nothing names its follow-ups; left to the outbox's own failure handling
        return bool(resolution.reroute_ended_call(db, conv_id, channels=self.channels,
                                                  caller_channel=self.caller_channel, now=now))


    def _conflict(self, db: firestore.Client, snap, now: datetime) -> bool:
        """A supervisor's resolution of a conflict its trigger never applied: apply it."""
        conflict = snap.to_dict() or {}
        resolved_at = conflict.get("resolvedAt")
        if isinstance(resolved_at, datetime) and resolved_at > now - self.grace:
            return False
        kb = db.collection(contract.KNOWLEDGE_BASE)
        entries = {i: kb.document(i).get().to_dict() for i in conflict.get("entries") or () if isinstance(i, str)}
        if not learning.conflict_unapplied(conflict, entries):
            return False
        return bool(learning.resolve_conflict(db, snap.id, conflict, now))


def _older(msg: Mapping[str, Any], than: datetime) -> bool:
    at = msg.get("createdAt")
    return isinstance(at, datetime) and at <= than


def _entries_to_check(db: firestore.Client, since: datetime) -> Iterable[tuple[str, dict[str, Any], dict | None]]:
    """(id, entry, its vectors document or None), each once: entries whose vectors are the explicit null,
    created or edited since `since`, or still holding inline vectors (null or a model's name)."""
    kb, kv = db.collection(contract.KNOWLEDGE_BASE), db.collection(contract.KNOWLEDGE_VECTORS)
    model = contract.EMBEDDING_MODEL
    nulls = [s.id for s in kv.where(filter=FieldFilter(model, "==", None)).limit(LIMIT).stream()]
    seen: set[str] = set()
    found: list[tuple[str, dict[str, Any]]] = []
    for snaps in ((s for s in db.get_all([kb.document(i) for i in nulls]) if s.exists),
                  *(q.limit(LIMIT).stream() for q in (
                      kb.where(filter=FieldFilter("createdAt", ">=", since)),
                      kb.where(filter=FieldFilter("updatedAt", ">=", since)),
                      kb.where(filter=FieldFilter(model, "==", None)),       # inline, before the move
                      kb.where(filter=FieldFilter(model, ">=", ""))))):
        for snap in snaps:
            if snap.id not in seen:
                seen.add(snap.id)
                found.append((snap.id, snap.to_dict() or {}))
    docs = {s.id: s.to_dict() for s in db.get_all([kv.document(i) for i, _ in found]) if s.exists} if found else {}
    for entry_id, entry in found:
        yield entry_id, entry, docs.get(entry_id)
