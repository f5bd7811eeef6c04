"""Helpers for tests that run inside `firebase emulators:exec` (tools/emulators-exec.sh)."""
from __future__ import annotations

import os
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

FUNCTIONS = os.environ.get("FRONTDESK_FUNCTIONS_URL", "http://127.0.0.1:5001")
REQUIRED = ("FIRESTORE_EMULATOR_HOST", "FIREBASE_AUTH_EMULATOR_HOST", "GCLOUD_PROJECT")


def salon_timezone() -> str:
    """The zone the functions count the salon's days in (their SALON_TIMEZONE, functions/.env): a count a
    test makes in another zone would see another "answered on" day between the two midnights."""
    env = Path(__file__).resolve().parents[1] / "functions" / ".env"
    return next(line.split("=", 1)[1].strip() for line in env.read_text().splitlines()
                if line.startswith("SALON_TIMEZONE="))


def require_emulators() -> None:
    missing = [name for name in REQUIRED if not os.environ.get(name)]
    if missing:
        pytest.fail(f"emulator tests run inside the Emulator Suite (`make test`); missing {', '.join(missing)}",
                    pytrace=False)


def firestore_admin(method: str, path: str, body: bytes | None = None) -> None:
    """Call the Firestore emulator's own REST API (clear data, load rules)."""
    url = f"http://{os.environ['FIRESTORE_EMULATOR_HOST']}/emulator/v1/projects/{os.environ['GCLOUD_PROJECT']}{path}"
    request = urllib.request.Request(url, data=body, method=method,
                                     headers={"Content-Type": "application/json"})
    with urllib.request.urlopen(request, timeout=10) as response:
        assert response.status == 200, f"{method} {url} -> {response.status}"


def turns_of(db, conversation_id: str) -> list[dict]:
    """A conversation's turns (documents of its `turns` subcollection), in the order said."""
    from frontdesk_core import contract
    conversation = db.collection(contract.CONVERSATIONS).document(conversation_id)
    return [s.to_dict() for s in conversation.collection(contract.TURNS).order_by("at").stream()]


def clear_firestore(timeout: float = 30.0) -> None:
    """Delete every document. The emulator answers 409 while a transaction still holds locks (one a
    test left behind is released when the emulator times it out): wait for that, within `timeout`."""
    deadline = time.monotonic() + timeout
    while True:
        try:
            return firestore_admin("DELETE", "/databases/(default)/documents")
        except urllib.error.HTTPError as err:
            if err.code != 409 or time.monotonic() > deadline:
                raise
            time.sleep(0.5)


def wait_for(check, timeout: float = 10.0, interval: float = 0.05):
    """Poll `check` until it returns something truthy; fail with what was last seen."""
    deadline, last = time.monotonic() + timeout, None
    while time.monotonic() < deadline:
        last = check()
        if last:
            return last
        time.sleep(interval)
    raise AssertionError(f"not true within {timeout} s (last: {last!r})")


def vectors_of(db, entry_id: str) -> dict | None:
    """A knowledge entry's vectors document (knowledge_vectors/{id}), or None: where its vectors live."""
    from frontdesk_core import contract
    snap = db.collection(contract.KNOWLEDGE_VECTORS).document(entry_id).get()
    return snap.to_dict() if snap.exists else None


def phrasing_vector(db, entry_id: str, text: str):
    """The stored vector of one wording of an entry (None when it has none)."""
    from frontdesk_core import contract
    return ((vectors_of(db, entry_id) or {}).get(contract.PHRASING_VECTORS) or {}).get(contract.phrasing_key(text))
