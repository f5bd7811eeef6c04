"""Watching the `followups` outbox from a benchmark: when each request's follow-up was seen sent."""
from __future__ import annotations

import threading
import time
from typing import Callable, Iterable

from frontdesk_core import contract


class SentWatch:
    """A Firestore listener recording, per help request id, the perf_counter time its follow-up was
    first seen `sent`. Use as a context manager."""

    def __init__(self, client):
        self.sent_at: dict[str, float] = {}
        self._seen = threading.Condition()
        self._watch = client.collection(contract.FOLLOWUPS).on_snapshot(self._on_snapshot)

    def _on_snapshot(self, snapshots, changes, read_time) -> None:
        now = time.perf_counter()
        with self._seen:
            for change in changes:
                data = change.document.to_dict() or {}
                request_id = data.get("helpRequestId")
                if data.get("status") == "sent" and request_id not in self.sent_at:
                    self.sent_at[request_id] = now
            self._seen.notify_all()

    def wait(self, request_ids: Iterable[str], timeout: float) -> bool:
        """Until every request's follow-up was seen sent, or the timeout; True if all were."""
        wanted = set(request_ids)
        done: Callable[[], bool] = lambda: wanted <= set(self.sent_at)
        with self._seen:
            return self._seen.wait_for(done, timeout=max(0.0, timeout))

    def close(self) -> None:
        self._watch.unsubscribe()

    def __enter__(self) -> "SentWatch":
        return self

    def __exit__(self, *exc) -> None:
        self.close()
