"""A call's writes kept on disk while Firestore cannot be reached, written once it is back.

A call record hands each write here (`put`). While the spool is empty it goes straight to Firestore,
bounded by FRONTDESK_FIRESTORE_DEADLINE_S (a caller never waits minutes for a retrying client); when
Firestore is unreachable (unavailable, or no reply in time) the write, and every later one, is kept in
the spool folder (FRONTDESK_SPOOL_DIR, default `$XDG_STATE_HOME/frontdesk/spool`), one JSON file per
batch, in order. A task retries every RETRY_SECONDS with a fresh client (a new channel, not one in
gRPC's reconnect back-off) and writes them in the order kept. Each write is safe to repeat: a help
request is *created* with the id and time it was given when the caller asked (already there: done),
the rest are sets of whole documents or merges. A process that ends with a full spool leaves it for
the next one (`python -m agent spool` writes it at once).
"""
from __future__ import annotations

import asyncio
import itertools
import json
import logging
import os
import time
from datetime import datetime
from pathlib import Path
from typing import Any

from google.api_core import exceptions as gexc
from google.cloud import firestore

log = logging.getLogger("frontdesk.spool")
DEADLINE = float(os.environ.get("FRONTDESK_FIRESTORE_DEADLINE_S", "5"))
RETRY_SECONDS = float(os.environ.get("FRONTDESK_SPOOL_RETRY_S", "5"))
CREATE, SET, MERGE = "create", "set", "merge"
COMMIT_MAX = 500   # Firestore's limit of writes in one commit
_UNREACHABLE = (asyncio.TimeoutError, gexc.ServiceUnavailable, gexc.DeadlineExceeded, gexc.RetryError,
                gexc.InternalServerError, gexc.Unknown)


def unreachable(err: BaseException) -> bool:
    """Firestore did not answer (down, unreachable, too slow): worth keeping the write for later."""
    return isinstance(err, _UNREACHABLE)


def folder(project: str) -> Path:
    """The spool of one Firebase project (writes are only ever replayed into the project they were for)."""
    if os.environ.get("FRONTDESK_SPOOL_DIR"):
        base = Path(os.environ["FRONTDESK_SPOOL_DIR"])
    else:
        base = Path(os.environ.get("XDG_STATE_HOME") or Path.home() / ".local" / "state") / "frontdesk" / "spool"
    return base / project


def write(op: str, path: str, data: dict) -> dict:
    """One write: create (fails if it exists: done), set (the whole document) or merge (its fields)."""
    return {"op": op, "path": path, "data": data}


def encode(value: Any) -> Any:
    if isinstance(value, datetime):
        return {"$time": value.isoformat()}
    if isinstance(value, firestore.ArrayUnion):
        return {"$union": [encode(v) for v in value.values]}
    if isinstance(value, dict):
        return {k: encode(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [encode(v) for v in value]
    return value


def decode(value: Any) -> Any:
    if isinstance(value, dict):
        if set(value) == {"$time"}:
            return datetime.fromisoformat(value["$time"])
        if set(value) == {"$union"}:
            return firestore.ArrayUnion([decode(v) for v in value["$union"]])
        return {k: decode(v) for k, v in value.items()}
    if isinstance(value, list):
        return [decode(v) for v in value]
    return value


async def apply(client: firestore.AsyncClient, w: dict) -> None:
    ref, data = client.document(w["path"]), decode(w["data"])
    if w["op"] == CREATE:
        try:
            await ref.create(data)
        except gexc.AlreadyExists:   # written before: a retry after a partial success
            pass
    else:
        await ref.set(data, merge=w["op"] == MERGE)


async def commit(client: firestore.AsyncClient, writes: list[dict]) -> None:
    """The writes in one commit (one round trip, all or nothing). A create whose document is already
    there (a retry whose first commit landed but whose reply was lost) fails the whole commit: then
    they go one by one, the create skipped, the sets and merges (safe to repeat) applied again."""
    if len(writes) == 1:
        return await apply(client, writes[0])
    if len(writes) > COMMIT_MAX:
        for start in range(0, len(writes), COMMIT_MAX):   # in order, each part whole
            await commit(client, writes[start:start + COMMIT_MAX])
        return
    batch = client.batch()
    for w in writes:
        ref, data = client.document(w["path"]), decode(w["data"])
        if w["op"] == CREATE:
            batch.create(ref, data)
        else:
            batch.set(ref, data, merge=w["op"] == MERGE)
    try:
        await batch.commit()
    except gexc.AlreadyExists:
        for w in writes:
            await apply(client, w)


class Spool:
    """The process's spool folder; `kept` counts the files waiting (read from disk at start)."""

    def __init__(self, path: Path):
        self.path = path
        self.path.mkdir(parents=True, exist_ok=True)
        self._seq = itertools.count()
        self._flusher: asyncio.Task | None = None

    def files(self) -> list[Path]:
        return sorted(self.path.glob("*.json"))

    @property
    def kept(self) -> int:
        """Batches waiting on disk, counted afresh (another process may keep or write some). Asked
        before every write, so a plain listing: no sort, no paths (~0.2 ms less of the loop per write)."""
        try:
            with os.scandir(self.path) as found:
                return sum(1 for entry in found if entry.name.endswith(".json"))
        except FileNotFoundError:
            return 0

    def keep(self, writes: list[dict], source: str) -> Path:
        """Write the batch to disk (atomically: a crash leaves a whole file or none)."""
        name = f"{time.time_ns():020d}-{next(self._seq):06d}-{os.getpid()}"
        final = self.path / f"{name}.json"
        tmp = self.path / f"{name}.tmp"
        tmp.write_text(json.dumps({"source": source, "writes": [w | {"data": encode(w["data"])} for w in writes]}))
        os.replace(tmp, final)
        log.warning("Firestore unreachable: %d write(s) of %s kept in %s", len(writes), source, final)
        return final

    async def put(self, client: firestore.AsyncClient, writes: list[dict], source: str) -> bool:
        """Write now, or keep for later (True). Once anything is kept, later writes are kept behind
        it, so they reach Firestore in the order they were made."""
        if not self.kept:
            try:
                await asyncio.wait_for(commit(client, writes), DEADLINE)
                return False
            except Exception as err:
                if not unreachable(err):
                    raise
        self.keep(writes, source)   # a commit is all or nothing: a timed-out one is kept whole (safe to repeat)
        self.retry(client)
        return True

    def retry(self, client: firestore.AsyncClient) -> None:
        """Start the task that writes the spool once Firestore is back (one per process and loop)."""
        loop = asyncio.get_running_loop()
        if self._flusher is None or self._flusher.done() or self._flusher.get_loop() is not loop:
            self._flusher = loop.create_task(self._retry(client))

    async def _retry(self, like: firestore.AsyncClient) -> None:
        while self.kept:
            await asyncio.sleep(RETRY_SECONDS)
            await self.flush(like)

    async def flush(self, like: firestore.AsyncClient | firestore.Client) -> int:
        """Write every kept file, oldest first, through a fresh client; stop at the first that cannot
        be written. Returns how many files were written."""
        client = firestore.AsyncClient(project=like.project, credentials=like._credentials, database=like._database)
        done = 0
        try:
            for path in self.files():
                try:
                    batch = json.loads(path.read_text())
                except FileNotFoundError:   # written meanwhile by another loop of this process
                    continue
                await asyncio.wait_for(commit(client, batch["writes"]), DEADLINE)
                path.unlink(missing_ok=True)
                done += 1
                log.info("spooled writes of %s written to Firestore (%s)", batch.get("source"), path.name)
        except Exception as err:
            if not unreachable(err):
                log.exception("a spooled write failed; kept for the next try")
        finally:
            client.close()
        return done


_spools: dict[Path, Spool] = {}


def the_spool(project: str) -> Spool:
    """The process's spool for `project`."""
    path = folder(project)
    if path not in _spools:
        _spools[path] = Spool(path)
    return _spools[path]
