"""What a call leaves in Firestore: its conversation (turns) and the help requests it raised.

All writes go through one worker thread, so turns land in the order they were said and the event
loop never blocks on Firestore.
"""
from __future__ import annotations

import asyncio
import logging
import threading
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass
from datetime import timedelta

from google.cloud import firestore
from google.cloud.firestore import FieldFilter

from frontdesk_core import contract, embedding
from frontdesk_core.channels import masked
from frontdesk_core.understanding import KnowledgeEntry, duplicate_of

log = logging.getLogger("frontdesk.calls")
HEARTBEAT_SECONDS = 30   # the functions' sweep ends a call silent for 2 minutes (an agent that died)


@dataclass(frozen=True)
class HelpRequest:
    id: str
    created: bool          # False: the caller had already asked this open question (this or an earlier call)


class CallRecord:
    def __init__(self, db: firestore.Client, customer_phone: str, *, channel: str,
                 room: str | None = None):
        self.db = db
        self.customer_phone = contract.phone(customer_phone)  # refuse a bad number before anything is written
        self.conversation = db.collection(contract.CONVERSATIONS).document()
        self._writer = ThreadPoolExecutor(max_workers=1, thread_name_prefix="call-record")
        self._pending: list[Future] = []
        self._requests: dict[str, str] = {}   # request id -> question, raised or joined in this call
        self._kinds: dict[str, tuple[str, str]] = {}   # request id -> (kind, question), raised in this call
        self._closed = False
        self._submit(self.conversation.set,
                     contract.new_conversation(self.customer_phone, channel=channel, room=room))
        self._stop = threading.Event()
        threading.Thread(target=self._heartbeat, name="call-heartbeat", daemon=True).start()

    def _heartbeat(self) -> None:
        """While the call lasts, `lastActiveAt` says so: answers then wait to be said in the call."""
        while not self._stop.wait(HEARTBEAT_SECONDS):
            try:
                self._submit(self.conversation.update, {"lastActiveAt": contract.utcnow()})
            except RuntimeError:  # closed meanwhile: the writer takes no more work
                return

    @property
    def conversation_id(self) -> str:
        return self.conversation.id

    def _submit(self, fn, *args) -> Future:
        future = self._writer.submit(fn, *args)
        self._pending.append(future)
        return future

    def add_turn(self, role: str, text: str, **extra) -> None:
        """Append one turn (fire and forget; `close` waits for it)."""
        if text and text.strip() and not self._closed:
            self._submit(self.conversation.update,
                         {"turns": firestore.ArrayUnion([contract.turn(role, text.strip(), **extra)])})

    def _open_request_for(self, text: str) -> str | None:
        """The id of this caller's pending request asking the same thing, if any (any call)."""
        query = (self.db.collection(contract.HELP_REQUESTS)
                 .where(filter=FieldFilter("customerPhone", "==", self.customer_phone))
                 .where(filter=FieldFilter("status", "==", contract.PENDING)))
        pending = [(s.id, s.get("question")) for s in query.stream()
                   if contract.kind_of(s.to_dict() or {}) == contract.QUESTION_KIND]
        pending = [(i, q) for i, q in pending if isinstance(q, str) and q.strip()]
        if not pending:
            return None
        for request_id, question in pending:          # the same words: no need to embed
            if contract.same_text(question, text):
                return request_id
        vecs = embedding.embed_many([text] + [q for _, q in pending])
        candidates = [KnowledgeEntry(i, q, None, v) for (i, q), v in zip(pending, vecs[1:])]
        return duplicate_of(text, vecs[0], candidates)

    def _limit_reason(self) -> str | None:
        """Why this number (or this call) may not raise one more request now (contract.request_limit)."""
        now = contract.utcnow()
        mine = self.db.collection(contract.HELP_REQUESTS).where(
            filter=FieldFilter("customerPhone", "==", self.customer_phone))
        others = {s.id: s.to_dict() or {} for s in
                  mine.where(filter=FieldFilter("status", "==", contract.PENDING)).stream()}
        hour = mine.where(filter=FieldFilter(
            "timestamp", ">=", now - timedelta(seconds=contract.LIMIT_WINDOW_SECONDS)))
        others.update({s.id: s.to_dict() or {} for s in hour.stream()})
        for request_id in self._kinds:   # raised in this call, written or not yet
            others.setdefault(request_id, {"conversationId": self.conversation_id, "timestamp": now})
        return contract.request_limit(list(others.values()), now=now, conversation_id=self.conversation_id)

    async def _create_within_limits(self, doc: dict, text: str, kind: str) -> HelpRequest:
        reason = await asyncio.to_thread(self._limit_reason)
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
        existing = await asyncio.to_thread(self._open_request_for, text)
        if existing is not None:
            if existing not in self._requests:
                self._requests[existing] = text
                self._submit(self.conversation.update,
                             {"helpRequestIds": firestore.ArrayUnion([existing])})
            return HelpRequest(existing, created=False)
        return await self._create_within_limits(doc, text, kind)

    async def _create(self, doc: dict, text: str, kind: str) -> HelpRequest:
        ref = self.db.collection(contract.HELP_REQUESTS).document()
        self._requests[ref.id] = text
        self._kinds[ref.id] = (kind, text)

        def write() -> None:
            batch = self.db.batch()
            batch.create(ref, doc)
            batch.update(self.conversation, {"helpRequestIds": firestore.ArrayUnion([ref.id])})
            batch.commit()

        await asyncio.wrap_future(self._submit(write))
        return HelpRequest(ref.id, created=True)

    @property
    def help_request_ids(self) -> list[str]:
        return list(self._requests)

    @property
    def ended(self) -> bool:
        return self._closed

    def close(self) -> None:
        """Mark the call ended and wait for every write. After this the functions send any answer
        still to come as a text message."""
        if self._closed:
            return
        self._closed = True
        self._stop.set()
        self._submit(self.conversation.update, {"endedAt": contract.utcnow()})
        self._writer.shutdown(wait=True)
        for future in self._pending:
            future.result()  # surface a failed write instead of losing it silently
