"""Who gets in: sign-in, sign-out, a signed-in user without the supervisor claim, and the same rules
checked at the data layer with the users' own ID tokens (what a hand-made client would send)."""
from __future__ import annotations

import os
import urllib.error
import urllib.request

import pytest
from playwright.sync_api import expect


def firestore_get(path: str, token: str | None) -> int:
    """GET a document or collection from the Firestore emulator's REST API as a browser would."""
    url = (f"http://{os.environ['FIRESTORE_EMULATOR_HOST']}/v1/projects/{os.environ['GCLOUD_PROJECT']}"
           f"/databases/(default)/documents/{path}")
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    try:
        with urllib.request.urlopen(urllib.request.Request(url, headers=headers), timeout=10) as res:
            return res.status
    except urllib.error.HTTPError as err:
        return err.code


def test_sign_in_errors_then_supervisor_signs_in_and_out(page, hosting_url, sign_in, supervisor, screenshot):
    page.goto(hosting_url + "/")
    expect(page.get_by_role("heading", name="Sign in")).to_be_visible()
    screenshot(page, "sign-in")

    # Keyboard only: empty form, then a wrong password.
    page.get_by_label("Email").focus()
    page.keyboard.press("Enter")
    expect(page.get_by_role("alert")).to_have_text("Enter your email and password.")
    sign_in(page, supervisor.email, "wrong-password", goto=False)
    expect(page.get_by_role("alert")).to_have_text("Wrong email or password.")

    sign_in(page, supervisor.email, goto=False)
    expect(page.get_by_role("heading", name="Pending requests")).to_be_visible()
    expect(page.get_by_role("navigation", name="Sections")).to_be_visible()
    expect(page.locator("#account-email")).to_have_text(supervisor.email)
    expect(page.get_by_text("No pending requests")).to_be_visible()
    screenshot(page, "pending-empty")

    page.get_by_role("button", name="Sign out").click()
    expect(page.get_by_role("heading", name="Sign in")).to_be_visible()
    expect(page.get_by_role("navigation", name="Sections")).to_be_hidden()
    expect(page.locator("li[data-id]")).to_have_count(0)


def test_user_without_supervisor_claim_sees_nothing(page, sign_in, plain_user, add_request, screenshot):
    add_request("+15550101", "Can I bring my dog?")
    sign_in(page, plain_user.email, path="/#/pending")

    expect(page.get_by_text("This account is not a supervisor")).to_be_visible()
    expect(page.get_by_role("navigation", name="Sections")).to_be_hidden()
    expect(page.locator("#list-pending")).to_be_hidden()
    expect(page.locator("li[data-id]")).to_have_count(0)
    expect(page.get_by_text("Can I bring my dog?")).to_have_count(0)
    screenshot(page, "not-supervisor")

    # A deep link to a view does not get past it either.
    page.goto(page.url.split("#")[0] + "#/learned")
    expect(page.get_by_text("This account is not a supervisor")).to_be_visible()
    expect(page.locator("#learned-view")).to_be_hidden()

    page.get_by_role("button", name="Sign out").click()
    expect(page.get_by_role("button", name="Sign in", exact=True)).to_be_visible()


@pytest.mark.parametrize("path", ["help_requests", "conversations", "knowledge_base", "followups",
                                  "notifications", "stats/summary", "salon/profile"])
def test_data_is_closed_to_strangers_and_plain_users(path, supervisor, plain_user, id_token, salon):
    assert firestore_get(path, None) == 403
    assert firestore_get(path, id_token(plain_user.email)) == 403
    status = firestore_get(path, id_token(supervisor.email))
    assert status in (200, 404), status  # allowed (stats/summary may not exist yet)


def test_a_claim_granted_later_is_picked_up_with_check_again(page, sign_in, plain_user):
    from firebase_admin import auth
    sign_in(page, plain_user.email)
    expect(page.get_by_text("This account is not a supervisor")).to_be_visible()
    auth.set_custom_user_claims(plain_user.uid, {"supervisor": True})
    try:
        page.get_by_role("button", name="Check again").click()
        expect(page.get_by_role("heading", name="Pending requests")).to_be_visible()
    finally:
        auth.set_custom_user_claims(plain_user.uid, None)
