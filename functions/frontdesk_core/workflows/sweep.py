"""The periodic sweep: time out overdue requests, end calls whose agent went silent, retry the outbox.

A plain function (scheduled in functions/main.py; the emulator never fires schedules, so `make demo`
and the tests call it directly or POST to the scheduled function's emulator route).
"""
from __future__ import annotations

from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Mapping

from google.cloud import firestore
from google.cloud.firestore import FieldFilter

from .. import contract
from ..delivery import outbox
from ..delivery.channels import Channel
from . import resolution, timeouts
from .isolation import isolated

if TYPE_CHECKING:
    from . import repair

SILENT_CALL = timedelta(minutes=2)   # an agent heartbeats every 30 s (lastActiveAt) while on a call


def end_silent_calls(db: firestore.Client, now: datetime, silent: timedelta = SILENT_CALL,
                     errors: list[dict] | None = None) -> list[str]:
    """Conversations left open by an agent that died: mark them ended so follow-ups go out as text."""
    errors = [] if errors is None else errors
    ended = []
    open_calls = db.collection(contract.CONVERSATIONS).where(filter=FieldFilter("endedAt", "==", None))
    for snap in open_calls.stream():
        def end(snap=snap) -> bool:
            data = snap.to_dict() or {}
            last = data.get("lastActiveAt") or data.get("startedAt")
            if not isinstance(last, datetime):
                last = now - silent   # no usable heartbeat: nothing says the agent is still there
            if last <= now - silent:
                snap.reference.update({"endedAt": now, "endedBy": "sweep: agent silent"})
                return True
            return False
        if isolated(errors, "end call", snap.id, end):
            ended.append(snap.id)
    return ended


def run(db: firestore.Client, now: datetime, *, channels: Mapping[str, Channel], caller_channel: str,
        timeout: timedelta = timeouts.DEFAULT_TIMEOUT, salon_name: str = "the salon",
        repairer: "repair.Repairer | None" = None) -> dict:
    """One sweep. Every item is handled on its own: a failure is listed in `errors` and the rest goes
    on. With a `repairer`, the work a cut-short trigger left undone is redone first (repair.py)."""
    errors: list[dict] = []
    repaired = repairer.run(db, now, errors) if repairer else {}
    timed_out = [rid for rid in timeouts.overdue(db, now, timeout)
                 if isolated(errors, "timeout", rid, lambda rid=rid: timeouts.expire(
                     db, rid, now=now, timeout=timeout, caller_channel=caller_channel, salon_name=salon_name))]
    ended = end_silent_calls(db, now, errors=errors)
    for conv_id in ended:
        isolated(errors, "reroute", conv_id, lambda conv_id=conv_id: resolution.reroute_ended_call(
            db, conv_id, channels=channels, caller_channel=caller_channel, now=now))
    results: dict[str, int] = {}
    for collection, on_sent in ((contract.FOLLOWUPS, resolution.mark_followup_sent(db, now)),
                                (contract.NOTIFICATIONS, None)):
        for ref in outbox.due(db, collection, now):
            result = isolated(errors, f"send {collection}", ref.id,
                               lambda ref=ref, on_sent=on_sent: outbox.send(db, ref, channels, now, on_sent=on_sent))
            key = result or "error"
            results[key] = results.get(key, 0) + 1
    summary = {"timedOut": timed_out, "endedCalls": ended, "deliveries": results, "errors": errors}
    if repairer:
        summary["repaired"] = repaired
    return summary
