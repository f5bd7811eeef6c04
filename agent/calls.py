"""What a call leaves in Firestore: its conversation (and its turns) and the help requests it raised.

Through Firestore's async client on the call's own event loop: no thread per call, no job waiting in
asyncio's shared executor. The call's writes go one after another through one writer task, so turns
land in the order they were said; `close()` waits for every one of them. A write Firestore does not take
in time is kept on disk and written once it answers again (agent/spool.py); a question asked meanwhile
is kept as its request, with its id and time.
"""
from __future__ import annotations

import asyncio
import logging
import weakref
from dataclasses import dataclass
from datetime import timedelta

from google.api_core.exceptions import AlreadyExists
from google.cloud import firestore
from google.cloud.firestore import FieldFilter

from frontdesk_core import contract, embedding
from frontdesk_core.delivery.channels import masked
from frontdesk_core.understanding import KnowledgeEntry, duplicate_of

from . import cpu, spool
from .spool import CREATE, MERGE, SET, unreachable, write
from .writer import CallWriter

log = logging.getLogger("frontdesk.calls")
HEARTBEAT_SECONDS = 30   # the functions' sweep ends a call silent for 2 minutes (an agent that died)
PREFETCH_FRESH_S = 2.0   # a read of the caller's requests this recent serves an escalation (see prefetch)

_clients: "weakref.WeakKeyDictionary[asyncio.AbstractEventLoop, firestore.AsyncClient]" = weakref.WeakKeyDictionary()


def async_client(db: firestore.Client) -> firestore.AsyncClient:
    """The async twin of `db` (same project, database and credentials) for the running loop: one per
    loop, shared by the loop's calls (a gRPC channel belongs to the loop that opened it)."""
    loop = asyncio.get_running_loop()
    client = _clients.get(loop)
    if client is None:
        client = _clients[loop] = firestore.AsyncClient(project=db.project, credentials=db._credentials,
                                                        database=db._database)
    return client


@dataclass(frozen=True)
class HelpRequest:
    id: str
    created: bool          # False: the caller had already asked this open question (this or an earlier call)
    spooled: bool = False  # Firestore was unreachable: kept on disk, written with this id once it is back


class CallRecord:
    """Create it inside the call's event loop (it starts the call's writer there)."""

    def __init__(self, db: firestore.Client, customer_phone: str, *, channel: str,
                 room: str | None = None):
        self.db = async_client(db)
        self.customer_phone = contract.phone(customer_phone)  # refuse a bad number before anything is written
        self.conversation = self.db.collection(contract.CONVERSATIONS).document()
        self._writer = CallWriter(lambda writes: self.spool.put(self.db, writes, f"call {self.conversation_id}"))
        self._requests: dict[str, str] = {}   # request id -> question, raised or joined in this call
        self._kinds: dict[str, tuple[str, str]] = {}   # request id -> (kind, question), raised in this call
        self._closed = False
        self._turns = 0
        self._closing: asyncio.Task | None = None
        self._prefetched: tuple[float, asyncio.Task] | None = None   # (when, this number's requests)
        self.spool = spool.the_spool(self.db.project)
        self._put(write(SET, self.conversation.path,
                        contract.new_conversation(self.customer_phone, channel=channel, room=room)))
        if self.spool.kept:          # left by an earlier call or process: written once Firestore answers
            self.spool.retry(self.db)
        self._heartbeat_task = asyncio.get_running_loop().create_task(self._heartbeat())

    async def _heartbeat(self) -> None:
        """While the call lasts, `lastActiveAt` says so: answers then wait to be said in the call."""
        while not self._closed:
            await asyncio.sleep(HEARTBEAT_SECONDS)
            if not self._closed:
                self._put(write(MERGE, self.conversation.path, {"lastActiveAt": contract.utcnow()}))

    def _put(self, *writes: dict) -> asyncio.Future:
        """Write in the call's order, now or, while Firestore is unreachable, from the spool later."""
        return self._writer.put(list(writes))

    @property
    def conversation_id(self) -> str:
        return self.conversation.id

    def add_turn(self, role: str, text: str, **extra) -> None:
        """Record one turn as its own document, numbered in order (fire and forget; `close` waits)."""
        if text and text.strip() and not self._closed:
            self._turns += 1
            path = f"{self.conversation.path}/{contract.TURNS}/{contract.turn_id(self._turns)}"
            self._put(write(SET, path, contract.turn(role, text.strip(), seq=self._turns, **extra)))

    def _mine(self):
        return self.db.collection(contract.HELP_REQUESTS).where(
            filter=FieldFilter("customerPhone", "==", self.customer_phone))

    async def _others(self) -> tuple[dict[str, dict], dict[str, dict]]:
        """This number's pending requests and those of the last hour: two queries, at once."""
        since = contract.utcnow() - timedelta(seconds=contract.LIMIT_WINDOW_SECONDS)
        pending, hour = await asyncio.gather(
            self._mine().where(filter=FieldFilter("status", "==", contract.PENDING)).get(),
            self._mine().where(filter=FieldFilter("timestamp", ">=", since)).get())
        return ({s.id: s.to_dict() or {} for s in pending}, {s.id: s.to_dict() or {} for s in hour})

    def prefetch(self) -> None:
        """A lookup found no answer, so a help request is likely next: read this number's requests now,
        while the model takes its next step, instead of after it (a round trip off the escalation)."""
        if not self._closed and not self.spool.kept:
            self._take_prefetch(usable=False)
            self._prefetched = (asyncio.get_running_loop().time(), asyncio.ensure_future(self._others()))

    def _take_prefetch(self, *, usable: bool = True) -> asyncio.Task | None:
        """The prefetched read if it is `usable` and fresh (PREFETCH_FRESH_S); any other is cancelled."""
        prefetched, self._prefetched = self._prefetched, None
        if prefetched is None:
            return None
        when, task = prefetched
        if usable and asyncio.get_running_loop().time() - when <= PREFETCH_FRESH_S:
            return task
        task.cancel()
        task.add_done_callback(lambda t: t.cancelled() or t.exception())   # a failure is not news now
        return None

    async def _others_if_reachable(self) -> tuple[dict[str, dict], dict[str, dict]]:
        """`_others` (prefetched or read now), or nothing when Firestore does not answer in time or the
        spool holds writes (it did not answer just now): no duplicate is found and no limit known, and
        the request is kept."""
        kept = self.spool.kept
        prefetched = self._take_prefetch(usable=not kept)
        if kept:
            return {}, {}
        try:
            return await asyncio.wait_for(prefetched or self._others(), spool.DEADLINE)
        except Exception as err:
            if not unreachable(err):
                raise
            return {}, {}

    async def _open_request_for(self, text: str, pending: dict[str, dict]) -> str | None:
        """The id of this caller's pending request asking the same thing, if any (any call)."""
        asked = [(i, d.get("question")) for i, d in pending.items()
                 if contract.kind_of(d) == contract.QUESTION_KIND]
        asked = [(i, q) for i, q in asked if isinstance(q, str) and q.strip()]
        if not asked:
            return None
        for request_id, question in asked:          # the same words: no need to embed
            if contract.same_text(question, text):
                return request_id
        vecs = await cpu.run(embedding.cached_many, [text] + [q for _, q in asked])
        candidates = [KnowledgeEntry(i, q, None, v) for (i, q), v in zip(asked, vecs[1:])]
        return duplicate_of(text, vecs[0], candidates)

    def _limit_reason(self, pending: dict[str, dict], hour: dict[str, dict]) -> str | None:
        """Why this number (or this call) may not raise one more request now (contract.request_limit)."""
        now = contract.utcnow()
        others = {**pending, **hour}
        for request_id in self._kinds:   # raised in this call, written or not yet
            others.setdefault(request_id, {"conversationId": self.conversation_id, "timestamp": now})
        return contract.request_limit(list(others.values()), now=now, conversation_id=self.conversation_id)

    async def _create_within_limits(self, doc: dict, text: str, kind: str,
                                    others: tuple[dict, dict] | None = None) -> HelpRequest:
        reason = self._limit_reason(*(others or await self._others_if_reachable()))
        if reason:
            log.warning("help request refused for %s: %s", masked(self.customer_phone), reason)
            raise contract.LimitReached(reason)
        return await self._create(doc, text, kind)

    async def request_help(self, question: str, *, kind: str = contract.QUESTION_KIND,
                           booking: dict | None = None) -> HelpRequest:
        """Write a pending help request for `question`, unless this caller already has one open for the
        same question (asked in this call or an earlier one): then that one is linked to this call.
        A call back or a booking is raised once per call for the same words. A new request over the
        limits per number and per call (contract.request_limit) raises contract.LimitReached."""
        text = contract.question(question)
        doc = contract.new_help_request(self.customer_phone, text, conversation_id=self.conversation_id,
                                        kind=kind, booking=booking)   # checked before anything is written
        if kind != contract.QUESTION_KIND:
            same = next((i for i, (k, q) in self._kinds.items()   # one call back per call; a booking per request
                         if k == kind and (kind == contract.CALLBACK or contract.same_text(q, text))), None)
            if same is not None:
                return HelpRequest(same, created=False)
            return await self._create_within_limits(doc, text, kind)
        pending, hour = await self._others_if_reachable()
        existing = await self._open_request_for(text, pending)
        if existing is not None:
            return self._join(existing, text)
        return await self._create_within_limits(doc, text, kind, (pending, hour))

    def _join(self, request_id: str, text: str, *, written: bool = False) -> HelpRequest:
        """Link this caller's open request (raised by another call) to this call."""
        if request_id not in self._requests:
            self._requests[request_id] = text
            if not written:
                self._put(write(MERGE, self.conversation.path, {"helpRequestIds": firestore.ArrayUnion([request_id])}))
        return HelpRequest(request_id, created=False)

    async def _create(self, doc: dict, text: str, kind: str) -> HelpRequest:
        """Write the request and link it to the conversation, atomically. A question is claimed with it
        (contract.claim_id): if another call of this number holds the claim for a request still pending,
        that request is linked instead, and nothing new is written."""
        ref = self.db.collection(contract.HELP_REQUESTS).document()
        claim = (self.db.collection(contract.REQUEST_CLAIMS).document(contract.claim_id(self.customer_phone, text))
                 if kind == contract.QUESTION_KIND else None)

        @firestore.async_transactional
        async def claimed(tx) -> str:
            held = await self._held(tx, claim) if claim is not None else None
            request_id = held or ref.id
            if held is None:
                tx.create(ref, doc)
                if claim is not None:
                    tx.set(claim, contract.new_claim(self.customer_phone, text, ref.id))
            tx.update(self.conversation, {"helpRequestIds": firestore.ArrayUnion([request_id])})
            return request_id

        async def first_or_held() -> str:
            return await self._first_claim(ref, claim, doc, text) or await claimed(self.db.transaction())

        async def now_or_kept() -> tuple[str, bool]:
            if not self.spool.kept:
                try:
                    return await asyncio.wait_for(first_or_held(), spool.DEADLINE), False
                except Exception as err:
                    if not unreachable(err):
                        raise
            # Kept with its id and time: created once Firestore is back (a retry after a commit whose
            # reply was lost finds it there), linked to the call; no claim (nothing could be read).
            self.spool.keep([write(CREATE, ref.path, doc), write(MERGE, self.conversation.path, {
                "helpRequestIds": firestore.ArrayUnion([ref.id])})], f"help request {ref.id}")
            self.spool.retry(self.db)
            return ref.id, True

        self._kinds[ref.id] = (kind, text)     # counted by the limits while it is being written
        try:
            request_id, kept = await self._writer.submit(now_or_kept)
        finally:
            self._kinds.pop(ref.id)
        if request_id != ref.id:
            return self._join(request_id, text, written=True)
        self._requests[ref.id] = text
        self._kinds[ref.id] = (kind, text)
        return HelpRequest(ref.id, created=True, spooled=kept)

    async def _first_claim(self, ref, claim, doc: dict, text: str) -> str | None:
        """The usual case, one commit: the claim is *created* with the request (no claim of these
        words yet). A claim already there (held, or stale) fails the whole commit, nothing written,
        and `_create`'s transaction reads it — three round trips saved on most escalations."""
        batch = self.db.batch()
        batch.create(ref, doc)
        if claim is not None:
            batch.create(claim, contract.new_claim(self.customer_phone, text, ref.id))
        batch.update(self.conversation, {"helpRequestIds": firestore.ArrayUnion([ref.id])})
        try:
            await batch.commit()
        except AlreadyExists:
            return None
        return ref.id

    async def _held(self, tx, claim) -> str | None:
        """The request a live claim names: still pending. A stale claim (its request answered, timed
        out or gone) is None, and is taken over."""
        snap = await claim.get(transaction=tx)
        request_id = (snap.to_dict() or {}).get("requestId") if snap.exists else None
        if not isinstance(request_id, str) or not request_id:
            return None
        request = await self.db.collection(contract.HELP_REQUESTS).document(request_id).get(transaction=tx)
        return request_id if request.exists and (request.to_dict() or {}).get("status") == contract.PENDING else None

    async def flush(self) -> None:
        """Wait until everything recorded so far is written (the call goes on)."""
        await self._writer.flush()

    @property
    def help_request_ids(self) -> list[str]:
        return list(self._requests)

    @property
    def ended(self) -> bool:
        return self._closed

    async def close(self) -> None:
        """Mark the call ended and wait for every write (a second close waits for the first). After
        this the functions send any answer still to come as a text message."""
        if self._closing is None:
            self._closing = asyncio.get_running_loop().create_task(self._close())
        await self._closing

    async def _close(self) -> None:
        self._closed = True
        self._heartbeat_task.cancel()
        self._take_prefetch(usable=False)
        self._put(write(MERGE, self.conversation.path, {"endedAt": contract.utcnow()}))
        await self._writer.close()
        if self._writer.errors:
            raise self._writer.errors[0]  # surface a failed write instead of losing it silently
