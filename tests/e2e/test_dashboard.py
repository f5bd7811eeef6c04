"""The supervisor dashboard in a real browser against the Emulator Suite (see conftest.py)."""
from __future__ import annotations

import re
from datetime import timedelta

from frontdesk_core import contract
from playwright.sync_api import expect

RULES_READ_ONLY = """rules_version = '2';
service cloud.firestore {
  match /databases/{database}/documents {
    match /help_requests/{id} {
      allow read: if request.auth != null && request.auth.token.supervisor == true;
    }
  }
}
"""


def tab(page, status):
    return page.get_by_role("tab", name=re.compile(rf"^{status}", re.I))


def count(page, status):
    return page.locator(f'[data-count="{status}"]')


def ids_in(page, status):
    return page.locator(f"#panel-{status} li[data-id]").evaluate_all("els => els.map(e => e.dataset.id)")


def test_supervisor_sees_request_live_and_answers_it(
        page, hosting_url, sign_in, supervisor, firestore, add_request, wait_for_doc, screenshot,
        page_errors):
    page.goto(hosting_url + "/")
    expect(page.get_by_role("button", name="Sign in", exact=True)).to_be_visible()
    screenshot(page, "sign-in")
    sign_in(page, supervisor.email, goto=False)

    pending = page.locator("#panel-pending")
    expect(pending.get_by_text("No pending requests")).to_be_visible()
    expect(count(page, "pending")).to_have_text("0")
    origin = page.evaluate("performance.timeOrigin")
    screenshot(page, "pending-empty")

    # Written server-side after the page loaded: it must appear live.
    rid = add_request("+1 555 0100", "Do you do balayage on Sundays?")
    row = pending.locator(f'li[data-id="{rid}"]')
    expect(row).to_have_attribute("data-status", "pending")
    expect(row.locator(".question")).to_have_text("Do you do balayage on Sundays?")
    expect(row).to_contain_text("+15550100")
    expect(row).to_contain_text("just now")
    expect(count(page, "pending")).to_have_text("1")
    assert page.evaluate("performance.timeOrigin") == origin, "the page reloaded"
    screenshot(page, "pending")

    # Inline validation: nothing is written for an empty or too long answer.
    answer_box = row.get_by_label("Your answer")
    answer_box.fill("   ")
    row.get_by_role("button", name="Send answer").click()
    expect(row.get_by_role("alert")).to_contain_text("Write an answer")
    expect(answer_box).to_have_attribute("aria-invalid", "true")
    answer_box.fill("x" * (contract.ANSWER_MAX + 1))
    row.get_by_role("button", name="Send answer").click()
    expect(row.get_by_role("alert")).to_contain_text("the limit is 2000")
    assert firestore.collection(contract.HELP_REQUESTS).document(rid).get().get("status") == "pending"

    # Ctrl+Enter sends the trimmed answer.
    answer_box.fill("  Yes, 10am to 4pm on Sundays.  ")
    expect(row.get_by_role("alert")).to_have_count(0)
    answer_box.press("Control+Enter")
    data = wait_for_doc(rid, lambda d: d.get("status") == contract.RESOLVED)
    assert data["responseText"] == "Yes, 10am to 4pm on Sundays."
    assert data["answeredBy"] == supervisor.uid
    assert data["respondedAt"] is not None

    expect(pending.locator(f'li[data-id="{rid}"]')).to_have_count(0)
    expect(pending.get_by_text("No pending requests")).to_be_visible()
    expect(count(page, "resolved")).to_have_text("1")
    tab(page, "resolved").click()
    done = page.locator(f'#panel-resolved li[data-id="{rid}"]')
    expect(done).to_have_attribute("data-status", "resolved")
    expect(done.locator(".answer")).to_have_text("Yes, 10am to 4pm on Sundays.")
    expect(done.get_by_role("textbox")).to_have_count(0)

    # The functions learn the answer and follow up; the page shows that live.
    expect(done.locator(".followup")).to_have_text("Follow-up sent")
    learned = firestore.collection(contract.KNOWLEDGE_BASE).document(rid).get().to_dict()
    assert learned["answer"] == "Yes, 10am to 4pm on Sundays." and learned["originatingRequestId"] == rid
    assert page.evaluate("performance.timeOrigin") == origin, "the page reloaded"
    screenshot(page, "resolved")
    assert page_errors == []


def test_user_without_supervisor_claim_sees_no_requests(
        page, sign_in, plain_user, add_request, screenshot):
    add_request("+15550101", "Can I bring my dog?")
    sign_in(page, plain_user.email)

    expect(page.get_by_text("This account is not a supervisor")).to_be_visible()
    expect(page.locator("#requests-view")).to_be_hidden()
    expect(page.locator("li[data-id]")).to_have_count(0)
    expect(page.get_by_text("Can I bring my dog?")).to_have_count(0)
    screenshot(page, "not-supervisor")

    page.get_by_role("button", name="Sign out").click()
    expect(page.get_by_role("button", name="Sign in", exact=True)).to_be_visible()


def test_question_markup_renders_as_text_at_phone_width(
        new_page, sign_in, supervisor, add_request, screenshot, page_errors):
    page = new_page(390, 844)
    sign_in(page, supervisor.email)
    expect(page.locator("#panel-pending").get_by_text("No pending requests")).to_be_visible()
    scripts_before = page.locator("script").count()

    question = "<script>alert(1)</script> <img src=x onerror=alert(2)> Open late?"
    rid = add_request("+15550102", question)
    row = page.locator(f'li[data-id="{rid}"]')
    expect(row.locator(".question")).to_have_text(question)
    expect(row.get_by_text("<script>alert(1)</script>")).to_be_visible()
    assert row.locator("script, img").count() == 0
    assert page.locator("script").count() == scripts_before
    assert page.evaluate("[...document.scripts].every(s => !s.textContent.includes('alert('))")
    page.wait_for_timeout(300)  # give any injected handler a chance to fire
    assert page_errors == []    # includes any alert() dialog

    # Phone width: no horizontal scrolling, the form is usable.
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    for status in contract.STATUSES:
        box = tab(page, status).bounding_box()
        assert box and box["x"] >= 0 and box["x"] + box["width"] <= 390, f"{status} tab off screen"
    expect(row.get_by_role("button", name="Send answer")).to_be_visible()
    screenshot(page, "phone-width")


def test_counts_order_and_late_answer_to_unresolved(
        page, sign_in, supervisor, firestore, add_request, wait_for_doc, screenshot):
    now = contract.utcnow()
    newer = add_request("+15550103", "Newer question", now=now - timedelta(minutes=1))
    older = add_request("+15550104", "Older question", now=now - timedelta(minutes=10))
    requests = firestore.collection(contract.HELP_REQUESTS)
    stale = requests.document()
    stale.set(contract.new_help_request("+15550105", "Do you sell gift cards?",
                                        now=now - timedelta(hours=2))
              | {"status": contract.UNRESOLVED, "unresolvedReason": "No supervisor answer in time"})
    answered = requests.document()
    answered.set(contract.new_help_request("+15550106", "Are you open on Monday?",
                                           now=now - timedelta(hours=3))
                 | contract.resolution("Yes, from 9am.") | {"followupSent": True})

    sign_in(page, supervisor.email)
    expect(count(page, "pending")).to_have_text("2")
    expect(count(page, "resolved")).to_have_text("1")
    expect(count(page, "unresolved")).to_have_text("1")
    assert ids_in(page, "pending") == [older, newer]  # oldest first
    expect(page.locator(f'li[data-id="{older}"]')).to_contain_text("10 min ago")

    tab(page, "unresolved").click()
    row = page.locator(f'#panel-unresolved li[data-id="{stale.id}"]')
    expect(row).to_have_attribute("data-status", "unresolved")
    expect(row).to_contain_text("No supervisor answer in time")
    screenshot(page, "unresolved")

    row.get_by_label("Your answer").fill("Yes, in any amount.")
    row.get_by_role("button", name="Send answer").click()
    data = wait_for_doc(stale.id, lambda d: d.get("status") == contract.RESOLVED)
    assert data["responseText"] == "Yes, in any amount."
    expect(page.locator("#panel-unresolved").get_by_text("No unresolved requests")).to_be_visible()
    expect(count(page, "resolved")).to_have_text("2")
    tab(page, "resolved").click()
    expect(page.locator(f'#panel-resolved li[data-id="{answered.id}"] .followup')).to_have_text("Follow-up sent")


def test_denied_answer_shows_error_on_row(
        page, sign_in, supervisor, firestore, add_request, set_rules):
    rid = add_request("+15550107", "Can I reschedule?")
    sign_in(page, supervisor.email)
    row = page.locator(f'#panel-pending li[data-id="{rid}"]')
    expect(row).to_be_visible()

    set_rules(RULES_READ_ONLY)  # reads still allowed, the answer write is denied
    row.get_by_label("Your answer").fill("Yes, call us back.")
    row.get_by_role("button", name="Send answer").click()

    expect(row.get_by_role("alert")).to_contain_text("Permission denied")
    expect(row.get_by_label("Your answer")).to_have_value("Yes, call us back.")
    expect(row).to_have_attribute("data-status", "pending")
    assert firestore.collection(contract.HELP_REQUESTS).document(rid).get().get("status") == "pending"
