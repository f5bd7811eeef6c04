"""In-call delivery: the agent watches the help requests it raised while the caller is on the line.

When one turns `resolved`, the agent claims its follow-up (`frontdesk_core.workflows.resolution.claim_in_call`, a
transaction shared with the functions): a claim means "say it now" (the follow-up is then recorded as
delivered in the call and `followupSent` is true); None means it went out some other way, so nothing is
said. When the call ends (`CallRecord.close` sets `endedAt`), the functions send what is still queued as a
text message. Each watched request's listener is checked and subscribed again if it drops
(`agent/listening.py`), so an answer given while Firestore was unreachable is still said once it is
back; a claim that meets an unreachable Firestore is tried again with backoff.
"""
from __future__ import annotations

import asyncio
import logging
from typing import Awaitable, Callable

from google.api_core import exceptions as api_errors

from frontdesk_core import contract
from frontdesk_core.workflows import resolution

from .listening import PROBE_TIMEOUT, Backoff, Listener

log = logging.getLogger("frontdesk.delivery")
TRANSIENT = (api_errors.ServiceUnavailable, api_errors.DeadlineExceeded, api_errors.InternalServerError,
             api_errors.Unknown)
CLAIM_ATTEMPTS = 8    # ~30 s of backoff before the answer is left to the functions (sent as text)

Speak = Callable[[str], Awaitable[None]]


def spoken(followup: dict) -> str:
    """What the agent says when a supervisor's answer arrives during the call."""
    return (f'I have an answer from my supervisor about "{followup.get("question", "your question")}": '
            f'{followup.get("responseText") or followup.get("body", "")}')


class LiveDelivery:
    check_every = 5.0     # seconds between checks of a waiting request's listener

    def __init__(self, db, speak: Speak, loop: asyncio.AbstractEventLoop | None = None):
        self.db = db
        self.speak = speak
        self.loop = loop or asyncio.get_running_loop()
        self._watches: dict[str, Listener] = {}
        self._claimed: set[str] = set()     # ids whose claim was tried (at most once each)
        self.delivered: dict[str, str] = {}  # id -> what was said
        self._tasks: set[asyncio.Task] = set()
        self._closed = False
        self.changed = asyncio.Event()       # set whenever a watched request is delivered or settled

    def watch(self, request_id: str) -> None:
        if self._closed or request_id in self._watches:
            return
        def subscribe(client, callback):
            return client.collection(contract.HELP_REQUESTS).document(request_id).on_snapshot(callback)

        def probe(client) -> None:
            client.collection(contract.HELP_REQUESTS).document(request_id).get(
                retry=None, timeout=PROBE_TIMEOUT)

        self._watches[request_id] = Listener(
            f"answer:{request_id}", self.db, subscribe, probe,
            lambda snaps, changes, read_time: self._on_snapshot(request_id, snaps),
            check_every=self.check_every).start(wait=False)   # subscribed off the call's loop

    def _on_snapshot(self, request_id: str, snaps) -> None:   # listener thread
        data = (snaps[0].to_dict() or {}) if snaps and snaps[0].exists else {}
        if data.get("status") == contract.RESOLVED and request_id not in self._claimed:
            self._claimed.add(request_id)
            self.loop.call_soon_threadsafe(self._start, request_id)

    def _start(self, request_id: str) -> None:
        if self._closed:
            return
        task = self.loop.create_task(self._deliver(request_id))
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    async def _deliver(self, request_id: str) -> None:
        try:
            followup = await self._claim(request_id)
            if followup is not None and not self._closed:
                text = spoken(followup)
                self.delivered[request_id] = text
                await self.speak(text)
            else:
                log.info("answer to %s went out another way; not repeated in the call", request_id)
        except Exception:
            log.exception("in-call delivery of %s failed; the functions will send it as text", request_id)
        finally:
            self._unwatch(request_id)
            self.changed.set()

    async def _claim(self, request_id: str) -> dict | None:
        """The claim, through the listener's client (the one that has just heard from Firestore)."""
        backoff = Backoff(0.5, 8.0)
        for attempt in range(1, CLAIM_ATTEMPTS + 1):
            listener = self._watches.get(request_id)
            client = listener.client if listener is not None else self.db
            try:
                return await asyncio.to_thread(resolution.claim_in_call, client, request_id)
            except TRANSIENT as err:
                if attempt == CLAIM_ATTEMPTS or self._closed:
                    raise
                log.warning("claiming the answer to %s: Firestore unreachable (%s), trying again",
                            request_id, type(err).__name__)
                await asyncio.sleep(backoff.next())
        return None

    def _unwatch(self, request_id: str) -> None:
        listener = self._watches.pop(request_id, None)
        if listener is not None:
            listener.close(wait=False)

    @property
    def waiting(self) -> list[str]:
        """Requests still watched (not yet answered and delivered)."""
        return list(self._watches)

    async def close(self) -> None:
        """Stop watching (before the call record closes, so the functions take over cleanly)."""
        if self._tasks:
            await asyncio.gather(*self._tasks, return_exceptions=True)
        self._closed = True
        for request_id in list(self._watches):
            self._unwatch(request_id)
