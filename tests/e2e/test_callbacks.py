"""Call back and booking requests on the dashboard (issue 14): listed apart from questions ("Call back
+1 555 …", "Booking request: …"), closed with a note, nothing learned and nothing sent to the caller."""
from __future__ import annotations

import time

from frontdesk_core import contract
from playwright.sync_api import expect

from tests.emulator import wait_for

BOOKING = {"action": "book", "service": "haircut", "when": "tomorrow at 3pm", "name": "Sam"}


def row(page, status, rid):
    return page.locator(f'#list-{status} li[data-id="{rid}"]')


def test_a_callback_is_shown_as_call_back_and_closed_with_a_note(supervisor_page, add_request, admin_db,
                                                                 wait_for_doc, screenshot):
    page = supervisor_page
    callback = add_request("+15550130", "Can I talk to a real person?", kind="callback")
    question = add_request("+15550131", "Do you sell gift cards?")
    listed = row(page, "pending", callback)
    expect(listed.locator(".question")).to_have_text("Call back +15550130")
    expect(listed.locator(".kind-badge")).to_have_text("Call back")
    expect(listed.locator(".said")).to_have_text("“Can I talk to a real person?”")
    expect(row(page, "pending", question).locator(".kind-badge")).to_be_hidden()
    screenshot(page, "callback-queue")

    listed.locator("a").click()
    view = page.locator("#request-view")
    expect(view.locator("#request-title")).to_have_text("Call back +15550130")
    expect(view.locator("p.said")).to_have_text("The caller said: “Can I talk to a real person?”")
    expect(view.locator(".suggestions-section")).to_be_hidden()      # nothing to link: it is not a question
    expect(view.locator(".followup-section")).to_be_hidden()
    expect(view.locator(".callers-section")).to_be_hidden()
    expect(view.locator(".answer-form label")).to_have_text("Your note (what you did)")
    page.fill("#answer-text", "Called her back at 3pm; she wanted a colour consultation.")
    view.get_by_role("button", name="Close with note").click()
    closed = wait_for_doc(f"help_requests/{callback}", lambda d: d.get("status") == "resolved")
    assert closed["responseText"] == "Called her back at 3pm; she wanted a colour consultation."
    assert "knowledgeAction" not in closed and closed["kind"] == "callback"
    expect(view.locator("#resolution-title")).to_have_text("Note")
    expect(view.locator(".answered-meta")).to_contain_text("Closed by you")
    screenshot(page, "callback-closed")

    # A question answered after it is learned; by then the functions have handled the call back too.
    admin_db.collection(contract.HELP_REQUESTS).document(question).update(
        contract.resolution("Yes, from $25.", answered_by="sup"))
    wait_for(lambda: admin_db.collection(contract.KNOWLEDGE_BASE).document(question).get().exists, timeout=30)
    time.sleep(1)
    assert not admin_db.collection(contract.KNOWLEDGE_BASE).document(callback).get().exists
    assert not admin_db.collection(contract.FOLLOWUPS).document(callback).get().exists
    page.goto(page.url.split("#")[0] + "#/resolved")
    expect(row(page, "resolved", callback).locator(".followup")).to_have_text("Closed with a note")


def test_a_booking_shows_its_details_and_is_closed_with_a_note(supervisor_page, add_request, wait_for_doc):
    page = supervisor_page
    booking = add_request("+15550132", contract.booking_summary(BOOKING), kind="booking", booking=BOOKING)
    listed = row(page, "pending", booking)
    expect(listed.locator(".question")).to_have_text("Booking request: Book: haircut, tomorrow at 3pm, for Sam")
    expect(listed.locator(".kind-badge")).to_have_text("Booking")
    listed.locator("a").click()
    details = page.locator("#request-view .booking-details")
    expect(details).to_be_visible()
    expect(details).to_contain_text("Service")
    expect(details).to_contain_text("haircut")
    expect(details).to_contain_text("tomorrow at 3pm")
    expect(details).to_contain_text("Sam")
    expect(page.locator("#request-view .suggestions-section")).to_be_hidden()
    page.fill("#answer-text", "Booked Sam with Ana, Thursday 3pm; texted to confirm.")
    page.get_by_role("button", name="Close with note").click()
    closed = wait_for_doc(f"help_requests/{booking}", lambda d: d.get("status") == "resolved")
    assert closed["booking"] == BOOKING and "knowledgeId" not in closed
