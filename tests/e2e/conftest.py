"""Fixtures for the dashboard's browser tests.

They run inside `firebase emulators:exec` (FIRESTORE_EMULATOR_HOST, FIREBASE_AUTH_EMULATOR_HOST and
GCLOUD_PROJECT set) against the dashboard build served by the Hosting emulator (FRONTDESK_HOSTING_URL),
driving Debian's Chromium through Playwright (no browser download). Server-side writes use the Admin
SDK, which bypasses rules, as the agent and the functions do.
"""
from __future__ import annotations

import json
import os
import subprocess
import sys
import urllib.request
from pathlib import Path
from typing import Callable

import pytest
from firebase_admin import auth
from frontdesk_core import contract
from frontdesk_core.infra.firebase import app, db
from playwright.sync_api import Browser, Page, expect, sync_playwright
from tools.seed import seed

from tests.emulator import clear_firestore, firestore_admin, require_emulators, wait_for

ROOT = Path(__file__).resolve().parents[2]
SCREENSHOTS = ROOT / "artifacts" / "screenshots"
CHROMIUM = os.environ.get("FRONTDESK_CHROMIUM", "/usr/bin/chromium")
PASSWORD = "correct-horse-battery"
ROOT_DIR = Path(__file__).resolve().parents[2]

expect.set_options(timeout=10_000)


@pytest.fixture(scope="session", autouse=True)
def delivery(request):
    """Under the test project (demo-test, `make test`) the functions send follow-ups to the local fake
    provider (functions/.env.demo-test), which must be up. Any other project (a parallel suite on its
    own ports) delivers to the log and must leave the fake provider's fixed port alone."""
    from tests.fake_provider import PORT
    settings = ROOT_DIR / f"functions/.env.{os.environ.get('GCLOUD_PROJECT')}"
    if settings.exists() and f":{PORT}/" in settings.read_text():
        request.getfixturevalue("provider")


@pytest.fixture(scope="session")
def admin_db():
    """The Admin SDK's Firestore client on the emulator (bypasses rules)."""
    require_emulators()
    return db()


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
def salon(admin_db):
    """The salon's profile and seed knowledge, as `make demo` has them."""
    seed(admin_db)
    return admin_db


READ_ONLY_RULES = """rules_version = '2';
service cloud.firestore {
  match /databases/{database}/documents {
    match /{collection}/{id} {
      allow read: if request.auth != null && request.auth.token.supervisor == true;
    }
  }
}
"""


def _put_rules(text: str) -> None:
    body = json.dumps({"rules": {"files": [{"name": "firestore.rules", "content": text}]}}).encode()
    firestore_admin("PUT", ":securityRules", body)


@pytest.fixture
def deny_writes():
    """For one test, supervisors may still read but every browser write is denied (to see the UI say
    so and roll back); firestore.rules is restored afterwards. Call it when the denial should start."""
    yield lambda: _put_rules(READ_ONLY_RULES)
    _put_rules((ROOT / "firestore.rules").read_text())


def _hub(path: str) -> None:
    hub = os.environ.get("FIREBASE_EMULATOR_HUB")
    if not hub:
        pytest.fail("FIREBASE_EMULATOR_HUB is not set: run inside the Emulator Suite", pytrace=False)
    request = urllib.request.Request(f"http://{hub}{path}", data=b"", method="PUT")
    with urllib.request.urlopen(request, timeout=60) as res:
        assert res.status == 200, f"PUT {path} -> {res.status}"


@pytest.fixture(scope="module")
def functions_off():
    """For a module whose tests write the functions' fields themselves (suggestions, phrasings,
    conflicts, revisions): the Functions emulator's triggers are paused, so no trigger rewrites or
    reacts to what a test wrote or what the dashboard wrote; they are reloaded afterwards."""
    require_emulators()
    _hub("/functions/disableBackgroundTriggers")
    yield
    _hub("/functions/enableBackgroundTriggers")


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


@pytest.fixture(scope="session")
def id_token() -> Callable[[str], str]:
    """An ID token for a user, from the Auth emulator's REST sign-in (what the browser gets)."""
    def sign_in(email: str, password: str = PASSWORD) -> str:
        url = (f"http://{os.environ['FIREBASE_AUTH_EMULATOR_HOST']}/identitytoolkit.googleapis.com/v1/"
               "accounts:signInWithPassword?key=demo-api-key")
        body = json.dumps({"email": email, "password": password, "returnSecureToken": True}).encode()
        req = urllib.request.Request(url, data=body, headers={"Content-Type": "application/json"})
        with urllib.request.urlopen(req, timeout=10) as res:
            return json.load(res)["idToken"]
    return sign_in


# Module scope: sync Playwright runs its own event loop, which must be gone before any asyncio test.
@pytest.fixture(scope="module")
def browser() -> Browser:
    with sync_playwright() as pw:
        browser = pw.chromium.launch(
            executable_path=CHROMIUM,
            headless=True,
            # Chromium's own background calls (accounts, updates) fail fast instead of hitting DNS.
            args=["--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1, EXCLUDE localhost",
                  "--autoplay-policy=no-user-gesture-required"],
        )
        yield browser
        browser.close()


@pytest.fixture
def page_errors() -> list[str]:
    return []


@pytest.fixture
def new_page(browser: Browser, page_errors: list[str]) -> Callable[..., Page]:
    """Open a fresh context (no signed-in user) with the given viewport; collects page errors and
    any dialog (none is expected: an alert() would mean injected script ran)."""
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
    def sign_in(page: Page, email: str, password: str = PASSWORD, *, goto: bool = True,
                path: str = "/") -> None:
        if goto:
            page.goto(hosting_url + path)
        page.get_by_label("Email").fill(email)
        page.get_by_label("Password").fill(password)
        page.get_by_role("button", name="Sign in", exact=True).click()
    return sign_in


@pytest.fixture
def supervisor_page(page, sign_in, supervisor) -> Page:
    """A page signed in as the supervisor, with the pending queue loaded (empty or not)."""
    sign_in(page, supervisor.email)
    expect(page.locator('#list-pending[data-loaded="true"]')).to_be_visible()
    return page


@pytest.fixture
def add_request(admin_db) -> Callable[..., str]:
    def add_request(phone: str, question: str, *, extra: dict | None = None, **kwargs) -> str:
        """Write a pending help request the way the agent does; returns its id."""
        ref = admin_db.collection(contract.HELP_REQUESTS).document()
        ref.set(contract.new_help_request(phone, question, **kwargs) | (extra or {}))
        return ref.id
    return add_request


@pytest.fixture
def wait_for_doc(admin_db) -> Callable[..., dict]:
    def wait_for_doc(path: str, predicate: Callable[[dict], bool], timeout: float = 10.0) -> dict:
        """Poll a document ("collection/id") until predicate(data) holds; returns the data."""
        ref = admin_db.document(path)

        def matching() -> dict | None:
            data = ref.get().to_dict() or {}
            return data if predicate(data) else None

        return wait_for(matching, timeout=timeout, interval=0.1)
    return wait_for_doc


@pytest.fixture
def place_call() -> Callable[..., str]:
    def place_call(phone: str, *questions: str) -> str:
        """A text call through the real agent (`python -m agent call`), in the emulator environment."""
        done = subprocess.run([sys.executable, "-m", "agent", "call", "--phone", phone, *questions],
                              cwd=ROOT, capture_output=True, text=True, timeout=90, env=os.environ)
        assert done.returncode == 0, done.stderr
        return done.stdout
    return place_call


@pytest.fixture
def screenshot() -> Callable[[Page, str], None]:
    def screenshot(page: Page, name: str) -> None:
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(SCREENSHOTS / f"{name}.png"), full_page=True)
    return screenshot
