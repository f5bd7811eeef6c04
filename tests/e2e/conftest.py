"""Fixtures for the dashboard's browser tests.

They run inside `firebase emulators:exec` (FIRESTORE_EMULATOR_HOST, FIREBASE_AUTH_EMULATOR_HOST and
GCLOUD_PROJECT set) against hosting/dist served by the Hosting emulator, driving Debian's Chromium
through Playwright (no browser download). Server-side writes use the Admin SDK, which bypasses rules.
"""
from __future__ import annotations

import os
import time
import urllib.request
from pathlib import Path
from typing import Callable

import pytest
from firebase_admin import auth
from frontdesk_core import contract
from frontdesk_core.firebase import app, db
from playwright.sync_api import Browser, Page, expect, sync_playwright

ROOT = Path(__file__).resolve().parents[2]
SCREENSHOTS = ROOT / "artifacts" / "screenshots"
CHROMIUM = os.environ.get("FRONTDESK_CHROMIUM", "/usr/bin/chromium")
PASSWORD = "correct-horse-battery"

expect.set_options(timeout=10_000)


def _require_emulators() -> None:
    missing = [v for v in ("FIRESTORE_EMULATOR_HOST", "FIREBASE_AUTH_EMULATOR_HOST", "GCLOUD_PROJECT")
               if not os.environ.get(v)]
    if missing:
        pytest.exit("tests/e2e must run inside `firebase emulators:exec` "
                    f"(tools/emulators-exec.sh); missing {', '.join(missing)}", returncode=2)


@pytest.fixture(scope="session")
def hosting_url() -> str:
    _require_emulators()
    return os.environ.get("FRONTDESK_HOSTING_URL", "http://127.0.0.1:5000").rstrip("/")


@pytest.fixture(scope="session")
def firestore():
    _require_emulators()
    return db()


def _emulator_request(method: str, path: str, body: bytes | None = None) -> None:
    url = f"http://{os.environ['FIRESTORE_EMULATOR_HOST']}{path}"
    req = urllib.request.Request(url, data=body, method=method,
                                 headers={"Content-Type": "application/json"})
    with urllib.request.urlopen(req, timeout=10) as res:
        assert res.status == 200, f"{method} {url} → {res.status}"


@pytest.fixture(autouse=True)
def clear_firestore():
    """Every test starts with an empty database (the emulator slows down as collections grow)."""
    _require_emulators()
    project = os.environ["GCLOUD_PROJECT"]
    _emulator_request("DELETE", f"/emulator/v1/projects/{project}/databases/(default)/documents")
    yield


@pytest.fixture
def set_rules():
    """Replace the project's security rules for one test; firestore.rules is restored afterwards."""
    import json

    project = os.environ["GCLOUD_PROJECT"]

    def put(text: str) -> None:
        body = json.dumps({"rules": {"files": [{"name": "firestore.rules", "content": text}]}}).encode()
        _emulator_request("PUT", f"/emulator/v1/projects/{project}:securityRules", body)

    yield put
    put((ROOT / "firestore.rules").read_text())


def _user(email: str, claims: dict | None) -> auth.UserRecord:
    app()
    try:
        auth.delete_user(auth.get_user_by_email(email).uid)
    except auth.UserNotFoundError:
        pass
    user = auth.create_user(email=email, password=PASSWORD, email_verified=True)
    if claims:
        auth.set_custom_user_claims(user.uid, claims)
    return user


@pytest.fixture(scope="session")
def supervisor() -> auth.UserRecord:
    _require_emulators()
    return _user("supervisor@frontdesk.test", {"supervisor": True})


@pytest.fixture(scope="session")
def plain_user() -> auth.UserRecord:
    _require_emulators()
    return _user("stylist@frontdesk.test", None)


@pytest.fixture(scope="session")
def browser() -> Browser:
    with sync_playwright() as pw:
        browser = pw.chromium.launch(
            executable_path=CHROMIUM,
            headless=True,
            # Chromium's own background calls (accounts, updates) fail fast instead of hitting DNS.
            args=["--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1, EXCLUDE localhost"],
        )
        yield browser
        browser.close()


@pytest.fixture
def page_errors() -> list[str]:
    return []


@pytest.fixture
def new_page(browser: Browser, page_errors: list[str]) -> Callable[..., Page]:
    """Open a fresh context (no signed-in user) with the given viewport; collects page errors."""
    contexts = []

    def open_page(width: int = 1100, height: int = 800) -> Page:
        context = browser.new_context(viewport={"width": width, "height": height})
        contexts.append(context)
        page = context.new_page()
        page.on("pageerror", lambda err: page_errors.append(str(err)))
        page.on("dialog", lambda dialog: (page_errors.append(f"dialog: {dialog.message}"),
                                          dialog.dismiss()))
        return page

    yield open_page
    for context in contexts:
        context.close()


@pytest.fixture
def page(new_page) -> Page:
    return new_page()


# Helpers are fixtures (not importable functions) so the tests work under any pytest import mode.

@pytest.fixture
def sign_in(hosting_url: str) -> Callable[..., None]:
    def sign_in(page: Page, email: str, password: str = PASSWORD, *, goto: bool = True) -> None:
        if goto:
            page.goto(hosting_url + "/")
        page.get_by_label("Email").fill(email)
        page.get_by_label("Password").fill(password)
        page.get_by_role("button", name="Sign in", exact=True).click()
    return sign_in


@pytest.fixture
def add_request(firestore) -> Callable[..., str]:
    def add_request(phone: str, question: str, **kwargs) -> str:
        """Write a pending help request the way the agent does; returns its id."""
        ref = firestore.collection(contract.HELP_REQUESTS).document()
        ref.set(contract.new_help_request(phone, question, **kwargs))
        return ref.id
    return add_request


@pytest.fixture
def wait_for_doc(firestore) -> Callable[..., dict]:
    def wait_for_doc(doc_id: str, predicate: Callable[[dict], bool], timeout: float = 10.0) -> dict:
        """Poll the help request until predicate(data) holds; returns the data."""
        deadline = time.monotonic() + timeout
        data: dict = {}
        while time.monotonic() < deadline:
            data = firestore.collection(contract.HELP_REQUESTS).document(doc_id).get().to_dict() or {}
            if predicate(data):
                return data
            time.sleep(0.1)
        raise AssertionError(f"help_requests/{doc_id} never matched; last seen {data!r}")
    return wait_for_doc


@pytest.fixture
def screenshot() -> Callable[[Page, str], None]:
    def screenshot(page: Page, name: str) -> None:
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(SCREENSHOTS / f"{name}.png"), full_page=True)
    return screenshot
