"""The request detail's closest existing answers, in a real browser: suggestions joined live with the
knowledge base, "Use this answer" (a link), and the choice asked when a typed answer is for a question we
nearly have (update that entry or add a new one). `suggestions` is the functions' field: the tests
write it with the Admin SDK, with the functions' triggers paused, and check what the dashboard writes."""
from __future__ import annotations

import re
from datetime import timedelta

import pytest
from frontdesk_core import contract
from playwright.sync_api import expect

pytestmark = pytest.mark.usefixtures("functions_off")

GIFT_Q = "Do you sell gift cards?"
GIFT_A = "Yes, gift cards from $25 at the front desk."
HOURS_Q = "What are your hours on Saturday?"
HOURS_A = "On Saturdays we are open from 9am to 5pm."


def seed_kb(admin_db):
    now = contract.utcnow()
    kb = admin_db.collection(contract.KNOWLEDGE_BASE)
    kb.document("kb-gift").set({
        "question": GIFT_Q, "answer": GIFT_A, "createdAt": now - timedelta(days=2),
        "originatingRequestId": None, "source": "supervisor", "phrasings": [], "reviewBy": None,
        "conflictWith": [], "distinctFrom": []})
    kb.document("kb-hours").set({
        "question": HOURS_Q, "answer": HOURS_A, "createdAt": now - timedelta(days=3),
        "originatingRequestId": None, "source": "seed"})


def suggestion(knowledge_id, question, answer, score, near=False):
    return {"knowledgeId": knowledge_id, "question": question, "answer": answer, "score": score, "near": near}


def open_request(page, rid):
    page.goto(page.url.split("#")[0] + f"#/request/{rid}")
    expect(page.locator(f'#request-view article[data-id="{rid}"]')).to_be_visible()
    return page.locator("#request-view article")


def test_use_an_existing_answer(supervisor_page, admin_db, add_request, supervisor, wait_for_doc, screenshot,
                                page_errors):
    seed_kb(admin_db)
    page = supervisor_page
    rid = add_request("+15550130", "Can I buy a voucher for my mum?")
    detail = open_request(page, rid)
    panel = detail.locator(".suggestions-section")
    # none yet: the functions write them a moment after the request; the search works meanwhile
    expect(panel.locator(".suggestions-state")).to_have_text("Finding the closest answers…")
    expect(panel.locator("li.suggestion")).to_have_count(0)

    # They arrive live: the stored answer is stale (the entry was edited since), an entry is gone.
    admin_db.document(f"help_requests/{rid}").update({"suggestions": [
        suggestion("kb-gift", GIFT_Q, "Yes, from $20.", 0.834),
        suggestion("kb-deleted", "Do you sell vouchers?", "No.", 0.8),
        suggestion("kb-hours", HOURS_Q, HOURS_A, 0.41),
    ]})
    expect(panel).to_be_visible()
    expect(panel.get_by_role("heading", name="Closest answers we already have")).to_be_visible()
    items = panel.locator("li.suggestion")
    expect(items).to_have_count(2)
    assert items.evaluate_all("els => els.map(e => e.dataset.id)") == ["kb-gift", "kb-hours"]
    gift = panel.locator('li[data-id="kb-gift"]')
    expect(gift.locator(".suggestion-question")).to_have_text(GIFT_Q)
    expect(gift.locator(".suggestion-answer")).to_have_text(GIFT_A)  # the current answer, not the stored one
    expect(gift.locator(".match")).to_have_text("83 % match")
    expect(panel.locator('li[data-id="kb-hours"] .match')).to_have_text("41 % match")

    # An edit of the entry shows at once.
    admin_db.document("knowledge_base/kb-gift").update({"answer": GIFT_A + " Any amount."})
    expect(gift.locator(".suggestion-answer")).to_have_text(GIFT_A + " Any amount.")
    screenshot(page, "request-suggestions")

    gift.get_by_role("button", name="Use this answer").click()
    data = wait_for_doc(f"help_requests/{rid}", lambda d: d.get("status") == "resolved")
    assert data["responseText"] == GIFT_A + " Any amount."
    assert data["knowledgeId"] == "kb-gift" and data["knowledgeAction"] == "link"
    assert data["answeredBy"] == supervisor.uid and data["respondedAt"] is not None
    expect(detail.locator(".status-badge")).to_have_text("Resolved")
    expect(detail.locator(".resolution .answer")).to_have_text(GIFT_A + " Any amount.")
    expect(detail.locator(".answered-meta")).to_contain_text("with an answer we already had")
    expect(panel).to_be_hidden()
    expect(page.locator("#announcer")).to_have_text("Answered with an existing answer.")
    assert page_errors == []


def test_near_question_asks_update_or_new(supervisor_page, admin_db, add_request, wait_for_doc, screenshot,
                                          page_errors):
    seed_kb(admin_db)
    page = supervisor_page
    near = [suggestion("kb-gift", GIFT_Q, GIFT_A, 0.93, near=True), suggestion("kb-hours", HOURS_Q, HOURS_A, 0.3)]
    update_id = add_request("+15550131", "Do you sell gift cards still?", extra={"suggestions": near})
    new_id = add_request("+15550132", "Do you sell gift cards for kids' parties?", extra={"suggestions": near})
    same_id = add_request("+15550133", "Gift cards — do you have them?", extra={"suggestions": near})
    plain_id = add_request("+15550134", "Is there parking?", extra={"suggestions": [
        suggestion("kb-hours", HOURS_Q, HOURS_A, 0.2)]})
    empty_id = add_request("+15550135", "Do you do eyelash extensions?", extra={"suggestions": []})

    # Update: asked inline, with the entry's question and current answer; Cancel writes nothing.
    detail = open_request(page, update_id)
    box = page.get_by_label("Your answer", exact=True)
    box.fill("Yes, gift cards from $30 now, any amount above that.")
    page.get_by_role("button", name="Send answer").click()
    choice = detail.locator(".near-choice")
    expect(choice).to_be_visible()
    expect(choice).to_contain_text("This looks like a question we already answer:")
    expect(choice.locator(".near-question")).to_have_text(GIFT_Q)
    expect(choice.locator(".near-answer")).to_have_text(GIFT_A)
    expect(choice.get_by_role("button", name="Update that entry's answer")).to_be_focused()
    screenshot(page, "request-near-choice")
    choice.get_by_role("button", name="Cancel").click()
    expect(choice).to_be_hidden()
    expect(box).to_be_focused()
    assert admin_db.document(f"help_requests/{update_id}").get().get("status") == "pending"
    box.press("Control+Enter")
    choice.get_by_role("button", name="Update that entry's answer").click()
    data = wait_for_doc(f"help_requests/{update_id}", lambda d: d.get("status") == "resolved")
    assert data["responseText"] == "Yes, gift cards from $30 now, any amount above that."
    assert data["knowledgeId"] == "kb-gift" and data["knowledgeAction"] == "update"
    expect(detail.locator(".answered-meta")).to_contain_text("updating the answer we had")

    # New: a separate entry, on purpose.
    detail = open_request(page, new_id)
    box.fill("Yes: party packs of five gift cards, $100.")
    page.get_by_role("button", name="Send answer").click()
    detail.locator(".near-choice").get_by_role("button", name="Add as a new entry").click()
    data = wait_for_doc(f"help_requests/{new_id}", lambda d: d.get("status") == "resolved")
    assert data["responseText"] == "Yes: party packs of five gift cards, $100."
    assert data["knowledgeId"] == "kb-gift" and data["knowledgeAction"] == "new"

    # Typing exactly the answer we have is a link, without asking.
    detail = open_request(page, same_id)
    box.fill(f"  {GIFT_A}  ")
    page.get_by_role("button", name="Send answer").click()
    data = wait_for_doc(f"help_requests/{same_id}", lambda d: d.get("status") == "resolved")
    assert data["knowledgeAction"] == "link" and data["responseText"] == GIFT_A

    # Nothing near: a plain answer, as before.
    detail = open_request(page, plain_id)
    expect(detail.locator("li.suggestion")).to_have_count(1)
    box.fill("Yes, two free spaces behind the salon.")
    page.get_by_role("button", name="Send answer").click()
    data = wait_for_doc(f"help_requests/{plain_id}", lambda d: d.get("status") == "resolved")
    assert "knowledgeId" not in data and "knowledgeAction" not in data
    expect(detail.locator(".near-choice")).to_be_hidden()

    # An empty list says so.
    detail = open_request(page, empty_id)
    expect(detail.locator(".suggestions-section")).to_contain_text("No close answers in the knowledge base.")
    assert page_errors == []


def test_denied_link_says_so_and_rolls_back(supervisor_page, admin_db, add_request, deny_writes):
    seed_kb(admin_db)
    page = supervisor_page
    rid = add_request("+15550136", "Can I get a gift card?",
                      extra={"suggestions": [suggestion("kb-gift", GIFT_Q, GIFT_A, 0.9, near=True)]})
    detail = open_request(page, rid)
    expect(detail.locator("li.suggestion")).to_have_count(1)
    deny_writes()
    detail.get_by_role("button", name="Use this answer").click()
    expect(detail.locator(".suggestions-error")).to_have_text(re.compile(r"^Permission denied: the answer was not saved"))
    expect(detail.locator(".status-badge")).to_have_text("Pending")  # rolled back
    expect(detail.get_by_role("button", name="Use this answer")).to_be_enabled()
    assert admin_db.document(f"help_requests/{rid}").get().get("status") == "pending"


def test_find_another_answer(supervisor_page, admin_db, add_request, wait_for_doc, page_errors):
    seed_kb(admin_db)
    kb = admin_db.collection(contract.KNOWLEDGE_BASE)
    kb.document("kb-gift").update({"phrasings": [{"text": "Can I buy a voucher?", "source": "group"}]})
    for i in range(6):
        kb.document(f"kb-extra-{i}").set({"question": f"Is treatment {i} on offer?", "answer": f"Yes, treatment {i}.",
                                          "source": "supervisor"})
    kb.document("kb-empty").set({"question": "Is treatment X on offer?", "answer": "", "source": "supervisor"})
    page = supervisor_page
    rid = add_request("+15550137", "Got any vouchers <b>going</b>?",
                      extra={"suggestions": [suggestion("kb-hours", HOURS_Q, HOURS_A, 0.3)]})
    other = add_request("+15550138", "Is there parking?", extra={"suggestions": []})
    detail = open_request(page, rid)
    panel = detail.locator(".suggestions-section")
    search = panel.get_by_role("searchbox", name="Find another answer…")
    found = panel.locator("li.find-result")
    state = panel.locator(".find-state")
    expect(search).to_be_visible()
    expect(found).to_have_count(0)  # nothing until something is typed

    # Other wordings are searched too; apostrophes and case do not matter; no HTML is interpreted.
    search.fill("VOUCHER")
    expect(found).to_have_count(1)
    expect(found.locator(".suggestion-question")).to_have_text(GIFT_Q)
    search.fill("<b>nothing</b>")
    expect(state).to_have_text("No answer matches “<b>nothing</b>”.")
    expect(found).to_have_count(0)
    search.fill("treatment")
    expect(found).to_have_count(5)  # at most five, the entry without an answer left out
    expect(state).to_have_text("5 of 6 answers shown; add words to narrow it down.")
    search.fill("treatment 3")
    expect(found).to_have_count(1)

    # Results follow the live knowledge base, and the link writes the answer as it is now.
    kb.document("kb-extra-3").update({"answer": "Yes, treatment 3, now on Sundays too."})
    expect(found.locator(".suggestion-answer")).to_have_text("Yes, treatment 3, now on Sundays too.")
    expect(panel.locator("li.suggestion")).to_have_count(1)  # the suggestions stay as they were

    # Another request starts with an empty search.
    open_request(page, other)
    expect(search).to_have_value("")
    expect(found).to_have_count(0)

    open_request(page, rid)
    search.fill("treatment 3")
    found.get_by_role("button", name="Use this answer").click()
    data = wait_for_doc(f"help_requests/{rid}", lambda d: d.get("status") == "resolved")
    assert data["responseText"] == "Yes, treatment 3, now on Sundays too."
    assert data["knowledgeId"] == "kb-extra-3" and data["knowledgeAction"] == "link"
    expect(panel).to_be_hidden()
    assert page_errors == []
