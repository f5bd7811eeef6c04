"""Fixtures for the dashboard's browser tests.

They run inside `firebase emulators:exec` (FIRESTORE_EMULATOR_HOST, FIREBASE_AUTH_EMULATOR_HOST and
GCLOUD_PROJECT set) against hosting/dist served by the Hosting emulator, driving Debian's Chromium
through Playwright (no browser download). Server-side writes use the Admin SDK, which bypasses rules.
"""
from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Callable

import pytest
from firebase_admin import auth
from frontdesk_core import contract
from frontdesk_core.firebase import app
from playwright.sync_api import Browser, Page, expect, sync_playwright

from tests.emulator import clear_firestore, firestore_admin, require_emulators, wait_for

ROOT = Path(__file__).resolve().parents[2]
SCREENSHOTS = ROOT / "artifacts" / "screenshots"
CHROMIUM = os.environ.get("FRONTDESK_CHROMIUM", "/usr/bin/chromium")
PASSWORD = "correct-horse-battery"

expect.set_options(timeout=10_000)


@pytest.fixture(scope="session")
def hosting_url() -> str:
    require_emulators()
    return os.environ.get("FRONTDESK_HOSTING_URL", "http://127.0.0.1:5000").rstrip("/")


@pytest.fixture(autouse=True)
def empty_firestore():
    """Every test starts with an empty database (the emulator slows down as collections grow)."""
    require_emulators()
    clear_firestore()


@pytest.fixture
def set_rules():
    """Replace the project's security rules for one test; firestore.rules is restored afterwards."""
    def put(text: str) -> None:
        body = json.dumps({"rules": {"files": [{"name": "firestore.rules", "content": text}]}}).encode()
        firestore_admin("PUT", ":securityRules", body)

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
    require_emulators()
    return _user("supervisor@frontdesk.test", {"supervisor": True})


@pytest.fixture(scope="session")
def plain_user() -> auth.UserRecord:
    require_emulators()
    return _user("stylist@frontdesk.test", None)


# Module scope: sync Playwright runs its own event loop, which must be gone before any asyncio test.
@pytest.fixture(scope="module")
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
        ref = firestore.collection(contract.HELP_REQUESTS).document(doc_id)

        def matching() -> dict | None:
            data = ref.get().to_dict() or {}
            return data if predicate(data) else None

        return wait_for(matching, timeout=timeout, interval=0.1)
    return wait_for_doc


@pytest.fixture
def screenshot() -> Callable[[Page, str], None]:
    def screenshot(page: Page, name: str) -> None:
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(SCREENSHOTS / f"{name}.png"), full_page=True)
    return screenshot
