"""The periodic sweep: time out overdue requests, end calls whose agent went silent, retry the outbox.

A plain function (scheduled in functions/main.py; the emulator never fires schedules, so `make demo`
and the tests call it directly or POST to the scheduled function's emulator route).
"""
from __future__ import annotations

from datetime import datetime, timedelta
from typing import Mapping

from google.cloud import firestore
from google.cloud.firestore import FieldFilter

from . import contract, outbox, resolution, timeouts
from .channels import Channel

SILENT_CALL = timedelta(minutes=2)   # an agent heartbeats every 30 s (lastActiveAt) while on a call


def end_silent_calls(db: firestore.Client, now: datetime, silent: timedelta = SILENT_CALL) -> list[str]:
    """Conversations left open by an agent that died: mark them ended so follow-ups go out as text."""
    ended = []
    open_calls = db.collection(contract.CONVERSATIONS).where(filter=FieldFilter("endedAt", "==", None))
    for snap in open_calls.stream():
        data = snap.to_dict()
        last = data.get("lastActiveAt") or data.get("startedAt")
        if last and last <= now - silent:
            snap.reference.update({"endedAt": now, "endedBy": "sweep: agent silent"})
            ended.append(snap.id)
    return ended


def run(db: firestore.Client, now: datetime, *, channels: Mapping[str, Channel], caller_channel: str,
        timeout: timedelta = timeouts.DEFAULT_TIMEOUT, salon_name: str = "the salon") -> dict:
    timed_out = [rid for rid in timeouts.overdue(db, now, timeout)
                 if timeouts.expire(db, rid, now=now, timeout=timeout, caller_channel=caller_channel,
                                    salon_name=salon_name)]
    ended = end_silent_calls(db, now)
    for conv_id in ended:
        resolution.reroute_ended_call(db, conv_id, channels=channels, caller_channel=caller_channel, now=now)
    results: dict[str, int] = {}
    for collection, on_sent in ((contract.FOLLOWUPS, resolution.mark_followup_sent(db, now)),
                                (contract.NOTIFICATIONS, None)):
        for ref in outbox.due(db, collection, now):
            result = outbox.send(db, ref, channels, now, on_sent=on_sent)
            results[result] = results.get(result, 0) + 1
    return {"timedOut": timed_out, "endedCalls": ended, "deliveries": results}
