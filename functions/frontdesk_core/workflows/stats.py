"""The dashboard's live figures (`stats/summary`), kept as counters updated with the events.

Per event (`count_request`, `count_conversation`): one transaction reads the item, its marker
(`stats_marks/<r|c>-<id>`: the contribution it last made, statcount.py) and `stats/counters`; when the
contribution changed it writes the marker, the counters and the summary (plus one indexed read before
it, outside the transaction so that no request is locked by it: the oldest pending request). A handful of reads whatever the history, and an event delivered twice, or
late, changes nothing it should not: the contribution is computed from the item as it is now.

The sweep calls `maintain`: the summary is re-read off the counters every run (the day changes at
midnight), and every RECOUNT_EVERY the figures are recounted from the data (`refresh`): each item in
the window is checked against its marker through the same transaction (a dropped event, a part that
has left the 30-day window, a deleted item), then the counters are rebuilt from the markers, which
corrects drift of the counters themselves.
"""
from __future__ import annotations

from datetime import datetime, timedelta, timezone
from typing import Any, Callable, Iterable

from google.cloud import firestore
from google.cloud.firestore import FieldFilter

from .. import contract
from . import statcount

STATS, SUMMARY, COUNTERS = "stats", "summary", "counters"
MARKS = "stats_marks"
REQUEST, CONVERSATION = "r", "c"
RECOUNT_EVERY = timedelta(hours=6)
_asks = statcount.asks   # whether a caller turn asks something (tests/unit/test_dialogue.py holds it)
BATCH = 100   # items per recount transaction (each writes its marker: under Firestore's 500 writes)
EPOCH = datetime(1970, 1, 1, tzinfo=timezone.utc)


def _where(col, field, op, value):
    return col.where(filter=FieldFilter(field, op, value))


def _oldest_pending_query(db: firestore.Client):
    # the range on timestamp keeps out a malformed (null or text) one; same index as the dashboard's
    return (_where(_where(db.collection(contract.HELP_REQUESTS), "status", "==", contract.PENDING),
                   "timestamp", ">", EPOCH).order_by("timestamp").limit(1))


def _oldest(snaps) -> datetime | None:
    for snap in snaps:
        stamp = (snap.to_dict() or {}).get("timestamp")
        return stamp if isinstance(stamp, datetime) else None
    return None


def conversation_turns(db: firestore.Client, conversation_id: str, data: dict, tx=None) -> Any:
    """A call's caller turns: the documents of conversations/{id}/turns, and an array recorded before
    the subcollection. Read once per conversation event (start, heartbeat, request, hang-up), not per turn."""
    turns = list(data["turns"]) if isinstance(data.get("turns"), list) else []
    query = _where(db.collection(contract.CONVERSATIONS).document(conversation_id).collection(contract.TURNS),
                   "role", "==", contract.CALLER)
    turns += [snap.to_dict() for snap in (tx.get(query) if tx is not None else query.stream())]
    return turns


def _item(db: firestore.Client, kind: str, item_id: str):
    return db.collection(contract.HELP_REQUESTS if kind == REQUEST else contract.CONVERSATIONS).document(item_id)


def _part(db: firestore.Client, kind: str, item_id: str, data: dict | None, now: datetime, tz: str, tx=None):
    if kind == REQUEST:
        return statcount.request_part(data, now, tz)
    if data is None:
        return {}, None
    return statcount.conversation_part(data, conversation_turns(db, item_id, data, tx), now)


def count(db: firestore.Client, kind: str, item_id: str, now: datetime, tz: str,
          bootstrap: bool = False) -> bool:
    """Bring the counters in line with one item as it is now; True when anything changed. With no
    counters yet, everything is counted from the data first (`refresh`), this item included."""
    done = count_many(db, [(kind, item_id)], now, tz, bootstrap)
    if done is None:
        refresh(db, now, tz)
        return True
    return bool(done)


def count_many(db: firestore.Client, keys: list[tuple[str, str]], now: datetime, tz: str,
               bootstrap: bool = True) -> int | None:
    """`count` for several items in one transaction (the recount's batches); how many changed, or
    None when there are no counters and `bootstrap` is off."""
    counters_ref = db.collection(STATS).document(COUNTERS)
    marks = {key: db.collection(MARKS).document(f"{key[0]}-{key[1]}") for key in keys}
    # outside the transaction: a query in it would lock every pending request against the answers
    oldest = _oldest(_oldest_pending_query(db).stream())

    @firestore.transactional
    def run(tx: firestore.Transaction) -> int | None:
        items = {s.reference.path: s for s in tx.get_all([_item(db, k, i) for k, i in keys])} if keys else {}
        marked = {s.reference.path: s for s in tx.get_all(list(marks.values()))} if keys else {}
        counters = counters_ref.get(transaction=tx)
        if not counters.exists and not bootstrap:
            return None   # never counted (a new deployment, the data wiped): counted whole first
        current = counters.to_dict() or {} if counters.exists else {}
        updated, writes = dict(current), []
        for key in keys:
            item, mark = items.get(_item(db, *key).path), marked.get(marks[key].path)
            new, expires = _part(db, key[0], key[1], item.to_dict() if item and item.exists else None, now, tz, tx)
            old = (mark.to_dict() or {}).get("part") or {} if mark and mark.exists else {}
            if not statcount.same(old, new):
                updated = {**updated, **statcount.replace(updated, old, new)}
                writes.append((marks[key], new, expires))
        if not writes:
            return 0
        updated.update(version=int(current.get("version") or 0) + 1, recountedAt=current.get("recountedAt"))
        tx.set(counters_ref, updated)
        for ref, new, expires in writes:
            tx.set(ref, {"part": new, "expiresAt": expires}) if new else tx.delete(ref)
        tx.set(db.collection(STATS).document(SUMMARY), statcount.summary(updated, oldest_pending=oldest, now=now, tz=tz))
        return len(writes)

    return run(db.transaction())


def count_request(db: firestore.Client, request_id: str, now: datetime, tz: str) -> bool:
    return count(db, REQUEST, request_id, now, tz)


def count_conversation(db: firestore.Client, conversation_id: str, now: datetime, tz: str) -> bool:
    return count(db, CONVERSATION, conversation_id, now, tz)


def write_summary(db: firestore.Client, now: datetime, tz: str) -> dict:
    """The summary re-read off the counters (2 reads), in a transaction so it never undoes a newer one."""
    counters_ref = db.collection(STATS).document(COUNTERS)
    oldest = _oldest(_oldest_pending_query(db).stream())

    @firestore.transactional
    def run(tx: firestore.Transaction) -> dict:
        counters = counters_ref.get(transaction=tx)
        summary = statcount.summary(counters.to_dict() or {} if counters.exists else {},
                                    oldest_pending=oldest, now=now, tz=tz)
        tx.set(db.collection(STATS).document(SUMMARY), summary)
        return summary

    return run(db.transaction())


def maintain(db: firestore.Client, now: datetime, tz: str, every: timedelta = RECOUNT_EVERY) -> dict:
    """The sweep's share: a recount when one is due, else the summary for the current day."""
    counters = db.collection(STATS).document(COUNTERS).get()
    last = (counters.to_dict() or {}).get("recountedAt") if counters.exists else None
    if not isinstance(last, datetime) or last <= now - every:
        return refresh(db, now, tz)
    return write_summary(db, now, tz)


def _window_items(db: firestore.Client, now: datetime) -> dict[tuple[str, str], dict]:
    """Every item that may count now: open requests, requests asked or answered in the window, calls
    started in it (each once)."""
    since = now - statcount.WINDOW
    requests, items = db.collection(contract.HELP_REQUESTS), {}
    for query in (_where(requests, "status", "==", contract.PENDING), _where(requests, "timestamp", ">=", since),
                  _where(requests, "respondedAt", ">=", since)):
        for snap in query.stream():
            items[(REQUEST, snap.id)] = snap.to_dict() or {}
    for snap in _where(db.collection(contract.CONVERSATIONS), "startedAt", ">=", since).stream():
        items[(CONVERSATION, snap.id)] = snap.to_dict() or {}
    return items


def _marks(db: firestore.Client) -> Iterable[tuple[tuple[str, str], dict]]:
    for snap in db.collection(MARKS).stream():
        kind, _, item_id = snap.id.partition("-")
        yield (kind, item_id), (snap.to_dict() or {}).get("part") or {}


def refresh(db: firestore.Client, now: datetime, tz: str,
            on_error: Callable[[str, Exception], None] | None = None) -> dict:
    """Recount from the data (the periodic correction; the old per-event cost, now rare). Returns the
    summary. One item that cannot be counted is reported to `on_error` and left for the next run."""
    items = _window_items(db, now)
    marks = dict(_marks(db))
    todo = [key for key in set(items) | set(marks)
            if key not in items or not statcount.same(_part(db, *key, items[key], now, tz)[0], marks.get(key, {}))]
    for start in range(0, len(todo), BATCH):
        batch = sorted(todo[start:start + BATCH])
        try:   # the event's transaction, for a batch (it re-reads each item: it may have changed meanwhile)
            count_many(db, batch, now, tz)
        except Exception as err:  # noqa: BLE001 - figures: never worth stopping the sweep
            if on_error:
                on_error(f"{batch[0][0]}-{batch[0][1]}…", err)
    _rebuild(db, now)
    return write_summary(db, now, tz)


def _rebuild(db: firestore.Client, now: datetime) -> bool:
    """Counters = the sum of the markers, unless an event moved them while the markers were read
    (then the next recount does it). True when rebuilt."""
    counters_ref = db.collection(STATS).document(COUNTERS)
    snap = counters_ref.get()
    version = int((snap.to_dict() or {}).get("version") or 0) if snap.exists else 0
    rebuilt = statcount.total(part for _, part in _marks(db))

    @firestore.transactional
    def run(tx: firestore.Transaction) -> bool:
        current = counters_ref.get(transaction=tx)
        data = current.to_dict() or {} if current.exists else {}
        if int(data.get("version") or 0) != version:
            tx.set(counters_ref, {"recountedAt": now}, merge=True)
            return False
        tx.set(counters_ref, {**rebuilt, "version": version + 1, "recountedAt": now})
        return True

    return run(db.transaction())
