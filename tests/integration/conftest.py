"""Fixtures for tests that run inside `firebase emulators:exec` (see tools/emulators-exec.sh)."""
from __future__ import annotations

import os
import time
import urllib.request

import pytest

from frontdesk_core.firebase import db as firestore_db, project_id
from tools.seed import seed

FUNCTIONS = "http://127.0.0.1:5001"


def wait_for(check, timeout: float = 10.0, interval: float = 0.05):
    """Poll `check` until it returns something truthy; fail with what was last seen."""
    deadline, last = time.monotonic() + timeout, None
    while time.monotonic() < deadline:
        last = check()
        if last:
            return last
        time.sleep(interval)
    raise AssertionError(f"not true within {timeout} s (last: {last!r})")


def clear_firestore() -> None:
    host = os.environ["FIRESTORE_EMULATOR_HOST"]
    url = f"http://{host}/emulator/v1/projects/{project_id()}/databases/(default)/documents"
    urllib.request.urlopen(urllib.request.Request(url, method="DELETE"), timeout=10).read()


@pytest.fixture(scope="session")
def db():
    if not os.environ.get("FIRESTORE_EMULATOR_HOST"):
        pytest.fail("emulator tests run inside the Emulator Suite: use `make test`")
    return firestore_db()


@pytest.fixture
def salon_db(db):
    """An emptied Firestore with the salon seeded."""
    clear_firestore()
    seed(db)
    return db
