"""The support inbox in a real browser: live queue, request detail, answering, marking unresolved,
grouped callers, follow-up delivery, honest states (denied write, offline), markup as text."""
from __future__ import annotations

import re
from datetime import timedelta

from frontdesk_core import contract
from playwright.sync_api import expect


def count(page, status):
    return page.locator(f'[data-count="{status}"]')


def row(page, status, rid):
    return page.locator(f'#list-{status} li[data-id="{rid}"]')


def ids_in(page, status):
    return page.locator(f"#list-{status} li[data-id]").evaluate_all("els => els.map(e => e.dataset.id)")


def open_section(page, name):
    page.get_by_role("navigation", name="Sections").get_by_role("link", name=re.compile(rf"^{name}")).click()


def test_text_call_appears_live_and_answer_shows_followup_and_learned_answer(
        supervisor_page, salon, place_call, supervisor, wait_for_doc, screenshot, page_errors):
    page = supervisor_page
    origin = page.evaluate("performance.timeOrigin")
    expect(count(page, "pending")).to_have_text("0")

    # A real text call escalates; the request appears without a reload, with an alert.
    out = place_call("+15550100", "Do you do eyelash extensions?")
    assert contract.ESCALATION_MESSAGE in out
    item = page.locator("#list-pending li[data-id]")
    expect(item).to_have_count(1)
    expect(item.locator(".question")).to_have_text("Do you do eyelash extensions?")
    expect(item).to_contain_text("+15550100")
    expect(item.locator("time.asked")).to_have_text(re.compile(r"asked (just now|\d+ s ago)"))
    expect(count(page, "pending")).to_have_text("1")
    expect(page).to_have_title(re.compile(r"^New request · \(1\) Frontdesk"))
    expect(page.locator("#announcer")).to_have_text(
        "New request from +15550100: Do you do eyelash extensions?")
    expect(page.locator("#sound")).to_have_attribute("data-chimes", "1")
    assert page.evaluate("performance.timeOrigin") == origin, "the page reloaded"
    screenshot(page, "pending")
    rid = item.get_attribute("data-id")

    # Keyboard: the row is a link; Enter opens the request.
    item.locator("a").focus()
    page.keyboard.press("Enter")
    expect(page).to_have_title(re.compile(r"^\(1\) Frontdesk"))  # the keypress counts as seen
    detail = page.locator("#request-view article")
    expect(page.get_by_role("heading", name="Do you do eyelash extensions?")).to_be_focused()
    expect(detail.locator(".status-badge")).to_have_text("Pending")
    expect(detail.locator(":scope > .meta .phone")).to_have_text("+15550100")
    # The call's conversation, as the agent recorded it (whatever else the agent said).
    asked = detail.locator(".turns li.role-caller", has_text="Do you do eyelash extensions?")
    expect(asked).to_have_count(1)
    expect(asked).to_contain_text("Caller")
    expect(detail.locator(".turns li.role-agent", has_text=contract.ESCALATION_MESSAGE)).to_have_count(1)
    expect(detail.locator(".followup-state").first).to_contain_text("Not yet")
    expect(page.locator("#callers-title")).to_have_text("Callers (1)")
    screenshot(page, "request-detail")

    # Validation: nothing is written for an empty or too long answer.
    box = page.get_by_label("Your answer", exact=True)
    box.fill("   ")
    page.get_by_role("button", name="Send answer").click()
    expect(page.locator("#answer-error")).to_have_text("Write an answer before sending.")
    expect(box).to_have_attribute("aria-invalid", "true")
    box.fill("x" * (contract.ANSWER_MAX + 1))
    expect(page.locator("#answer-help")).to_contain_text("2001 / 2000")
    box.press("Control+Enter")
    expect(page.locator("#answer-error")).to_have_text("The answer is 2001 characters; the limit is 2000.")
    assert wait_for_doc(f"help_requests/{rid}", lambda d: True)["status"] == "pending"

    # Ctrl+Enter sends the trimmed answer; the functions follow up and learn it.
    answer = "Yes: classic and volume lash sets, from $90."
    box.fill(f"  {answer}  \n")
    expect(page.locator("#answer-error")).to_be_hidden()
    box.press("Control+Enter")
    expect(detail.locator(".status-badge")).to_have_text(re.compile("^Resolved"))
    expect(detail.locator(".answer")).to_have_text(answer)
    expect(detail.locator(".answered-meta")).to_contain_text("Answered by you")
    expect(page.locator("#announcer")).to_have_text("Answer sent.")
    data = wait_for_doc(f"help_requests/{rid}", lambda d: d.get("status") == "resolved")
    assert data["responseText"] == answer and data["answeredBy"] == supervisor.uid
    followup_state = detail.locator(".followup-section .followup-state")
    expect(followup_state).to_have_attribute("data-state", "sent", timeout=20_000)
    expect(followup_state).to_contain_text("Follow-up sent")
    expect(followup_state).to_contain_text("+15550100")
    expect(detail.locator(".followup-body")).to_contain_text(answer)
    expect(detail.locator(".answer-form")).to_be_hidden()
    expect(detail.locator(".unresolved-form")).to_be_hidden()
    screenshot(page, "request-answered")

    # Resolved list, then the learned answer with a link back to its request.
    open_section(page, "Resolved")
    expect(row(page, "resolved", rid).locator(".followup")).to_have_text("Follow-up sent")
    screenshot(page, "resolved")
    open_section(page, "Learned answers")
    entry = page.locator(f'#learned-view li[data-id="{rid}"]')
    expect(entry.locator(".kb-question")).to_have_text("Do you do eyelash extensions?")
    expect(entry.locator(".kb-answer")).to_have_text(answer)
    entry.get_by_role("link", name="Originating request").click()
    expect(page.locator(f'#request-view article[data-id="{rid}"]')).to_be_visible()
    assert page.evaluate("performance.timeOrigin") == origin, "the page reloaded"
    assert page_errors == []


def test_mark_unresolved_with_a_reason_then_answer_late(
        supervisor_page, add_request, supervisor, wait_for_doc, screenshot):
    page = supervisor_page
    rid = add_request("+15550103", "Can you match a colour from a photo?")
    row(page, "pending", rid).locator("a").click()
    reason = page.get_by_label(re.compile("Mark unresolved"))
    page.get_by_role("button", name="Mark unresolved").click()
    expect(page.locator("#reason-error")).to_have_text("Say why it cannot be answered.")
    reason.fill("r" * 501)
    reason.press("Enter")
    expect(page.locator("#reason-error")).to_have_text("The reason is 501 characters; the limit is 500.")
    reason.fill("Needs the colourist; she is back Monday.")
    reason.press("Enter")

    detail = page.locator("#request-view article")
    expect(detail.locator(".status-badge")).to_have_text(re.compile("^Unresolved"))
    expect(detail.locator(".reason")).to_have_text("Unresolved: Needs the colourist; she is back Monday.")
    data = wait_for_doc(f"help_requests/{rid}", lambda d: d.get("status") == "unresolved")
    assert data["unresolvedReason"] == "Needs the colourist; she is back Monday."
    assert data["answeredBy"] == supervisor.uid and data["unresolvedAt"] is not None
    expect(detail.locator(".unresolved-form")).to_be_hidden()
    expect(page.get_by_label(re.compile("late answers still reach the caller"))).to_be_visible()
    expect(count(page, "unresolved")).to_have_text("1")
    expect(count(page, "pending")).to_have_text("0")

    open_section(page, "Unresolved")
    expect(row(page, "unresolved", rid).locator(".reason")).to_contain_text("Needs the colourist")
    screenshot(page, "unresolved")

    # A late answer still resolves it.
    row(page, "unresolved", rid).locator("a").click()
    page.get_by_label(re.compile("^Your answer")).fill("Yes, bring the photo to a free consultation.")
    page.get_by_role("button", name="Send answer").click()
    wait_for_doc(f"help_requests/{rid}", lambda d: d.get("status") == "resolved")
    expect(count(page, "unresolved")).to_have_text("0")
    page.get_by_role("link", name="← Back to unresolved").click()
    expect(page.get_by_text("No unresolved requests.")).to_be_visible()


def test_queue_order_counts_ages_and_grouped_callers(page, sign_in, supervisor, admin_db, add_request,
                                                      screenshot):
    now = contract.utcnow()
    older = add_request("+15550104", "Do you do bridal hair?", now=now - timedelta(minutes=10))
    newer = add_request("+15550105", "Is there parking nearby?", now=now - timedelta(minutes=1, seconds=5))
    member = add_request("+15550106", "do you do bridal hair", now=now - timedelta(minutes=3),
                         extra={"groupId": older})
    requests = admin_db.collection(contract.HELP_REQUESTS)
    requests.document("stale").set(
        contract.new_help_request("+15550107", "Do you sell gift cards?", now=now - timedelta(hours=2))
        | {"status": "unresolved", "unresolvedReason": "No supervisor answer in time"})
    requests.document("answered").set(
        contract.new_help_request("+15550108", "Are you open on Monday?", now=now - timedelta(hours=3))
        | contract.resolution("Yes, from 9am.") | {"followupSent": True})

    sign_in(page, supervisor.email)
    expect(count(page, "pending")).to_have_text("2")  # the group counts once
    expect(count(page, "resolved")).to_have_text("1")
    expect(count(page, "unresolved")).to_have_text("1")
    assert ids_in(page, "pending") == [older, newer]  # oldest first; the member is on its primary's row
    expect(row(page, "pending", older)).to_contain_text("10 min ago")
    expect(row(page, "pending", older).locator(".callers-badge")).to_have_text("2 callers")
    expect(row(page, "pending", newer).locator("time.asked")).to_have_text("asked 1 min ago")
    expect(page).to_have_title("(2) Frontdesk · Supervisor")  # existing requests raise no alert
    screenshot(page, "pending-queue")

    row(page, "pending", older).locator("a").click()
    callers = page.locator("#request-view .callers li")
    expect(page.locator("#callers-title")).to_have_text("Callers (2)")
    expect(callers.nth(0)).to_contain_text("+15550104")
    expect(callers.nth(1)).to_contain_text("+15550106")
    expect(callers.nth(1)).to_contain_text("do you do bridal hair")
    screenshot(page, "request-grouped")

    # The member's own page points to the group's first request.
    callers.nth(1).get_by_role("link", name="details").click()
    expect(page.locator(f'#request-view article[data-id="{member}"]')).to_be_visible()
    page.get_by_role("link", name="see the first request").click()
    expect(page.locator(f'#request-view article[data-id="{older}"]')).to_be_visible()


def test_the_unresolved_list_is_limited_to_the_100_waiting_longest(page, sign_in, supervisor, admin_db):
    """Issue 16 item 8: the list's listener reads 100 requests, not every one ever left unresolved."""
    now = contract.utcnow()
    batch = admin_db.batch()
    for i in range(101):
        batch.set(admin_db.collection(contract.HELP_REQUESTS).document(f"old-{i:03d}"),
                  contract.new_help_request(f"+1555020{i:04d}", f"Old question {i}?",
                                            now=now - timedelta(days=40, minutes=101 - i))
                  | {"status": "unresolved", "unresolvedReason": "No supervisor answer in time"})
    batch.commit()
    sign_in(page, supervisor.email)
    expect(count(page, "unresolved")).to_have_text("100+")
    open_section(page, "Unresolved")
    expect(page.locator("#list-unresolved li[data-id]")).to_have_count(100)
    assert ids_in(page, "unresolved")[:2] == ["old-000", "old-001"]   # longest waiting first


def test_failed_followup_is_shown_as_an_error(page, sign_in, supervisor, admin_db):
    now = contract.utcnow()
    admin_db.collection(contract.HELP_REQUESTS).document("r-failed").set(
        contract.new_help_request("+15550109", "Can I pay by cheque?", now=now - timedelta(minutes=20))
        | contract.resolution("No, card or cash only.", now=now - timedelta(minutes=5)))
    admin_db.collection(contract.FOLLOWUPS).document("r-failed").set(
        contract.new_followup("r-failed", "+15550109", "About your question…", channel="sms", now=now)
        | {"status": "failed", "attempts": 5, "error": "SMS provider answered 503"})

    sign_in(page, supervisor.email, path="/#/request/r-failed")
    state = page.locator("#request-view .followup-section .followup-state")
    expect(state).to_have_attribute("data-state", "failed")
    expect(state).to_have_text("Follow-up failed after 5 attempts: SMS provider answered 503")
    expect(state).to_have_attribute("role", "alert")
    expect(state).to_have_class(re.compile(r"\berror\b"))


def test_markup_renders_as_text_at_phone_width(new_page, sign_in, supervisor, admin_db, add_request,
                                               screenshot, page_errors):
    page = new_page(390, 844)
    sign_in(page, supervisor.email)
    expect(page.get_by_text("No pending requests")).to_be_visible()
    scripts_before = page.locator("script").count()

    question = "<script>alert(1)</script> <img src=x onerror=alert(2)> Open late?"
    conversation = admin_db.collection(contract.CONVERSATIONS).document()
    conversation.set(contract.new_conversation("+15550102", channel="text")
                     | {"turns": [contract.turn("caller", question),
                                  contract.turn("agent", contract.ESCALATION_MESSAGE)]})
    rid = add_request("+15550102", question, conversation_id=conversation.id)
    item = row(page, "pending", rid)
    expect(item.locator(".question")).to_have_text(question)
    expect(item.get_by_text("<script>alert(1)</script>", exact=False)).to_be_visible()
    assert item.locator("script, img").count() == 0
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth"), "scrolls sideways"
    nav = page.get_by_role("navigation", name="Sections")
    for link in nav.get_by_role("link").all():
        box = link.bounding_box()
        assert box and box["x"] >= 0 and box["x"] + box["width"] <= 390, f"{link.inner_text()} off screen"
    screenshot(page, "phone-pending")

    item.locator("a").click()
    detail = page.locator("#request-view article")
    expect(detail.locator(".question")).to_have_text(question)
    expect(detail.locator(".turns li").first).to_contain_text("<img src=x onerror=alert(2)>")
    assert detail.locator("script, img").count() == 0
    assert page.locator("script").count() == scripts_before
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth"), "scrolls sideways"
    expect(page.get_by_role("button", name="Send answer")).to_be_visible()
    page.wait_for_timeout(300)  # give any injected handler a chance to fire
    assert page_errors == []    # includes any alert() dialog
    screenshot(page, "phone-detail")


def test_denied_answer_says_so_and_rolls_back(supervisor_page, add_request, admin_db, deny_writes, screenshot):
    page = supervisor_page
    rid = add_request("+15550110", "Can I reschedule?")
    row(page, "pending", rid).locator("a").click()
    detail = page.locator("#request-view article")
    expect(detail.locator(".status-badge")).to_have_text("Pending")

    deny_writes()  # reads still allowed, every write denied
    page.get_by_label("Your answer", exact=True).fill("Yes, call us back.")
    page.get_by_role("button", name="Send answer").click()
    expect(page.locator("#answer-error")).to_have_text("Permission denied: the answer was not saved.")
    expect(detail.locator(".status-badge")).to_have_text("Pending")  # rolled back
    expect(page.get_by_label("Your answer", exact=True)).to_have_value("Yes, call us back.")
    expect(row(page, "pending", rid)).to_have_count(1)
    expect(count(page, "resolved")).to_have_text("0")
    assert admin_db.document(f"help_requests/{rid}").get().get("status") == "pending"
    screenshot(page, "denied-write")


def test_offline_is_shown_and_an_answer_is_sent_on_reconnect(supervisor_page, add_request, wait_for_doc,
                                                            screenshot):
    page = supervisor_page
    rid = add_request("+15550111", "Do you cut children's hair?")
    row(page, "pending", rid).locator("a").click()
    banner = page.locator("#offline")
    expect(banner).to_be_hidden()

    page.context.set_offline(True)
    expect(banner).to_be_visible()
    expect(banner).to_contain_text("Offline")
    page.get_by_label("Your answer", exact=True).fill("Yes, under 12s from $25.")
    page.get_by_role("button", name="Send answer").click()
    expect(page.locator("#request-view .status-badge")).to_have_text("Resolved · saving…")
    screenshot(page, "offline")

    page.context.set_offline(False)
    expect(banner).to_be_hidden()
    wait_for_doc(f"help_requests/{rid}", lambda d: d.get("status") == "resolved", timeout=20)
    expect(page.locator("#request-view .status-badge")).to_have_text("Resolved", timeout=20_000)
