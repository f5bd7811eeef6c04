"""What a call leaves in Firestore: its conversation (turns) and the help requests it raised.

All writes go through one worker thread, so turns land in the order they were said and the event
loop never blocks on Firestore.
"""
from __future__ import annotations

import asyncio
from concurrent.futures import Future, ThreadPoolExecutor

from google.cloud import firestore

from frontdesk_core import contract


class CallRecord:
    def __init__(self, db: firestore.Client, customer_phone: str, *, channel: str,
                 room: str | None = None):
        self.db = db
        self.customer_phone = contract.phone(customer_phone)  # refuse a bad number before anything is written
        self.conversation = db.collection(contract.CONVERSATIONS).document()
        self._writer = ThreadPoolExecutor(max_workers=1, thread_name_prefix="call-record")
        self._pending: list[Future] = []
        self._requests: dict[str, str] = {}   # normalised question -> help request id, this call
        self._submit(self.conversation.set,
                     contract.new_conversation(self.customer_phone, channel=channel, room=room))

    @property
    def conversation_id(self) -> str:
        return self.conversation.id

    def _submit(self, fn, *args) -> Future:
        future = self._writer.submit(fn, *args)
        self._pending.append(future)
        return future

    def add_turn(self, role: str, text: str) -> None:
        """Append one turn (fire and forget; `close` waits for it)."""
        if text and text.strip():
            self._submit(self.conversation.update,
                         {"turns": firestore.ArrayUnion([contract.turn(role, text.strip())])})

    async def request_help(self, question: str) -> str:
        """Write a pending help request for `question` (once per call) and return its id."""
        text = contract.question(question)
        key = text.casefold()
        if key in self._requests:
            return self._requests[key]
        doc = contract.new_help_request(self.customer_phone, text,
                                        conversation_id=self.conversation_id)
        ref = self.db.collection(contract.HELP_REQUESTS).document()
        self._requests[key] = ref.id

        def write() -> None:
            batch = self.db.batch()
            batch.create(ref, doc)
            batch.update(self.conversation, {"helpRequestIds": firestore.ArrayUnion([ref.id])})
            batch.commit()

        await asyncio.wrap_future(self._submit(write))
        return ref.id

    @property
    def help_request_ids(self) -> list[str]:
        return list(self._requests.values())

    def close(self) -> None:
        """Mark the call ended and wait for every write."""
        self._submit(self.conversation.update, {"endedAt": contract.utcnow()})
        self._writer.shutdown(wait=True)
        for future in self._pending:
            future.result()  # surface a failed write instead of losing it silently
