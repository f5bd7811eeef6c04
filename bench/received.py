"""What a page receives from Firestore, read in Chromium as it arrives (the DevTools protocol).

The Firestore JS SDK's listeners stream over a WebChannel request that never finishes, so its body is
never "loaded": each chunk is taken from `Network.dataReceived` once `Network.streamResourceContent` has
switched the request to streaming. `bytes` is the body bytes received from the Firestore host (the
emulator does not compress, so it is what came over the wire less headers); `text` is those bodies.
Used by tests/e2e/test_learned_vectors.py (no vector reaches the browser) and bench/dashboard_bytes.py.
"""
from __future__ import annotations

import base64
import re
import threading

# How a vector, or a field that only ever holds or describes one, shows in Firestore's wire format.
_ESCAPE = re.compile(r"\\u([0-9a-fA-F]{4})")
VECTOR_MARKS = ('"__vector__"', '"embedding"', '"answerEmbedding"', '"embeddingModel"', '"embeddedFrom"')


class FirestoreTraffic:
    def __init__(self, page, firestore_host: str):
        self.host, self._page = firestore_host, page
        self.cdp = page.context.new_cdp_session(page)
        self._lock = threading.Lock()
        self._ids: set[str] = set()
        self.bytes = 0
        self.body = bytearray()
        self.cdp.on("Network.requestWillBeSent", self._sent)
        self.cdp.on("Network.responseReceived", self._response)
        self.cdp.on("Network.dataReceived", self._data)
        self.cdp.send("Network.enable", {"maxTotalBufferSize": 200_000_000, "maxResourceBufferSize": 100_000_000})

    @property
    def text(self) -> str:
        """The bodies so far. Sync Playwright delivers events only while one of its calls runs, so this
        lets it run briefly first (a plain sleep would see nothing arrive)."""
        self._page.wait_for_timeout(20)
        with self._lock:
            raw = self.body.decode("utf-8", "replace")
        return _ESCAPE.sub(lambda m: chr(int(m.group(1), 16)), raw)   # the emulator writes ' as \u0027

    def mark(self) -> int:
        """A position in `text`; `since(mark)` is what arrived after it."""
        return len(self.text)

    def since(self, position: int) -> str:
        return self.text[position:]

    def _sent(self, event: dict) -> None:
        if self.host in event["request"]["url"]:
            self._ids.add(event["requestId"])

    def _response(self, event: dict) -> None:
        if event["requestId"] not in self._ids:
            return
        try:   # what arrived before streaming was switched on comes back buffered
            buffered = self.cdp.send("Network.streamResourceContent", {"requestId": event["requestId"]})
        except Exception:  # noqa: BLE001 - a request already finished: its data events were counted
            return
        self._add(base64.b64decode(buffered.get("bufferedData") or ""))

    def _data(self, event: dict) -> None:
        if event["requestId"] in self._ids and event.get("data"):   # (before streaming: none, and
            self._add(base64.b64decode(event["data"]))                  # the buffered data has it)

    def _add(self, chunk: bytes) -> None:
        with self._lock:
            self.body += chunk
            self.bytes += len(chunk)


def vector_marks(text: str) -> list[str]:
    """The vector marks found in `text` (none: nothing of a vector arrived)."""
    return [m for m in VECTOR_MARKS if m in text]
