"""A Firestore listener that notices when it has dropped and subscribes again, with backoff.

google-cloud-firestore's `on_snapshot` watch has no error callback. A stream the server ends, or an
error it cannot recover from, closes the watch silently (`Watch.close(reason)` raises in a thread of its
own, nobody is told); a recoverable one (Firestore unreachable) reopens the stream in a tight loop with
no backoff while the gRPC channel's own reconnect backoff grows (measured on the emulator: ~half a core
spent while it was down, and 20 s before a 30 s outage's listener saw anything again). An idle listener
receives nothing (the emulator sends no heartbeat), so silence proves nothing either.

So a `Listener` is checked every `check_every` seconds: its watch must still be open and one small read
(`probe`) must answer. If not, the watch is closed and, with backoff, a fresh client (a new channel, no
inherited reconnect backoff) probes and subscribes again. A new watch's first snapshot is the whole
result, so whatever changed while it was down arrives with it.

Every watch runs on a client of the listener's own, closed with it: `unsubscribe()` alone does not stop a
watch whose Firestore is gone (the library's reopen-on-error callback ignores that it was closed and
reopens in a tight loop, a new thread each time, for as long as the process lives); closing the
channel makes the next reopen fail, which ends it.
"""
from __future__ import annotations

import logging
import threading
import time
from typing import Any, Callable

log = logging.getLogger("frontdesk.listening")

Subscribe = Callable[[Any, Callable], Any]   # (client, callback(snapshots, changes, read_time)) -> watch
Probe = Callable[[Any], None]                 # (client) -> None; raises when Firestore does not answer
PROBE_TIMEOUT = 3.0


class Backoff:
    """Delays between attempts: doubling from `first` up to `cap`; `reset` after a success."""

    def __init__(self, first: float = 0.5, cap: float = 15.0):
        self.first, self.cap = first, cap
        self._next = first

    def next(self) -> float:
        delay, self._next = self._next, min(self._next * 2, self.cap)
        return delay

    def reset(self) -> None:
        self._next = self.first


def watch_open(watch) -> bool:
    """Whether an `on_snapshot` watch is still streaming (a closed one never reopens)."""
    return watch is not None and not getattr(watch, "_closed", False) and bool(getattr(watch, "is_active", True))


def fresh_client(client):
    """A new client like `client` (same project, database and credentials) on a channel of its own."""
    return type(client)(project=client.project, credentials=client._credentials, database=client._database)


class Listener:
    """One `on_snapshot` subscription kept alive; `on_snapshot` gets every snapshot of the current watch."""

    def __init__(self, name: str, client, subscribe: Subscribe, probe: Probe, on_snapshot: Callable,
                 *, check_every: float = 10.0, backoff: Backoff | None = None,
                 new_client: Callable[[Any], Any] = fresh_client):
        self.name, self.client = name, client
        self._given = client           # the caller's client: never closed here
        self._subscribe, self._probe, self._on_snapshot = subscribe, probe, on_snapshot
        self.check_every = check_every
        self._backoff = backoff or Backoff()
        self._new_client = new_client
        self._lock = threading.Lock()
        self._watch = None
        self._generation = 0
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self.resubscribed = 0          # how many times a dropped watch was replaced
        self.down_since: float | None = None

    def start(self, *, wait: bool = True) -> "Listener":
        """Subscribe (or keep trying in the background when Firestore does not answer yet). With
        `wait=False` even the first subscription (a new client, its channel, a watch and its threads:
        milliseconds of CPU) is made on the listener's own thread, not the caller's event loop; a
        watch's first snapshot is the whole document, so nothing written meanwhile is missed."""
        if wait:
            self._subscribe_first()
        self._thread = threading.Thread(target=self._supervise, args=(not wait,), name=f"listener:{self.name}",
                                        daemon=True)
        self._thread.start()
        return self

    def _subscribe_first(self) -> None:
        client = self._new_client(self._given)
        try:
            self._open(client)
        except Exception as err:
            _close_client(client)
            self._dropped(f"first subscription failed: {err}")

    @property
    def live(self) -> bool:
        return self.down_since is None

    # -- the watch ----------------------------------------------------------------------------
    def _open(self, client) -> None:
        with self._lock:
            self._generation += 1
            generation = self._generation
        watch = self._subscribe(client, lambda snaps, changes, read_time:
                                self._deliver(generation, snaps, changes, read_time))
        with self._lock:
            if self._stop.is_set() or generation != self._generation:
                _close_watch(watch, client)
                return
            self._watch, self.client = watch, client

    def _deliver(self, generation: int, snaps, changes, read_time) -> None:
        if generation == self._generation and not self._stop.is_set():
            self._on_snapshot(snaps, changes, read_time)

    # -- supervision --------------------------------------------------------------------------
    def _supervise(self, subscribe_first: bool = False) -> None:
        if subscribe_first and not self._stop.is_set():
            self._subscribe_first()
        delay = self.check_every if self.live else self._backoff.next()
        while not self._stop.wait(delay):
            if self.live:
                problem = self._problem()
                if problem is None:
                    delay = self.check_every
                    continue
                self._dropped(problem)
            delay = self.check_every if self._resubscribe() else self._backoff.next()

    def _problem(self) -> str | None:
        if not watch_open(self._watch):
            return "the watch closed"
        try:
            self._probe(self.client)
        except Exception as err:
            return f"Firestore did not answer ({type(err).__name__})"
        return None

    def _dropped(self, reason: str) -> None:
        with self._lock:
            self._generation += 1            # the old watch's callbacks are ignored from now on
            watch, self._watch = self._watch, None
            client, self.client = self.client, self._given   # reads meanwhile go through the caller's
        if self.down_since is None:
            self.down_since = time.monotonic()
        log.warning("listener %s dropped: %s; subscribing again with backoff", self.name, reason)
        if client is not self._given:   # closing joins its threads, which may be mid-reconnect: not on ours
            threading.Thread(target=_close_watch, args=(watch, client), daemon=True).start()

    def _resubscribe(self) -> bool:
        if self._stop.is_set():
            return False
        client = self._new_client(self.client)
        try:
            self._probe(client)
            self._open(client)
        except Exception as err:
            log.info("listener %s: Firestore still unreachable (%s)", self.name, type(err).__name__)
            _close_client(client)
            return False
        down = time.monotonic() - (self.down_since or time.monotonic())
        self.down_since = None
        self.resubscribed += 1
        self._backoff.reset()
        log.warning("listener %s subscribed again after %.1f s", self.name, down)
        return True

    def close(self, *, wait: bool = True) -> None:
        """Stop for good. Closing a watch joins its threads; `wait=False` leaves that to a thread of
        its own (an event loop with calls on it does not wait for it)."""
        self._stop.set()
        with self._lock:
            self._generation += 1
            watch, self._watch = self._watch, None
            client, self.client = self.client, self._given
        if client is not self._given:
            if wait:
                _close_watch(watch, client)
            else:
                threading.Thread(target=_close_watch, args=(watch, client), daemon=True).start()


def _close_client(client) -> None:
    api = getattr(client, "_firestore_api_internal", None)   # None until the client made a call
    try:
        if api is not None:
            api._transport.close()   # its channel, not left reconnecting in the background
    except Exception:
        log.debug("closing an unused client", exc_info=True)


def _close_watch(watch, client) -> None:
    """Stop a watch for good: unsubscribe, then close its client's channel (see the module's note)."""
    _close_quietly(watch)
    _close_client(client)


def _close_quietly(watch) -> None:
    if watch is None:
        return
    try:
        watch.unsubscribe()
    except Exception:   # a watch that failed closes itself by raising its reason: already closed
        log.debug("closing a failed watch", exc_info=True)
