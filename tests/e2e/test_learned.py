"""Learned answers in a real browser: search, add, edit, delete, link to the originating request, a
denied edit that says so and rolls back, and a removed wording recorded in the history by the functions."""
from __future__ import annotations

import math
import re
from datetime import timedelta

from frontdesk_core import contract
from google.cloud.firestore_v1.vector import Vector
from playwright.sync_api import expect

from tests.emulator import wait_for


def entry(page, entry_id):
    return page.locator(f'#learned-view li[data-id="{entry_id}"]')


def seed_entries(admin_db):
    now = contract.utcnow()
    kb = admin_db.collection(contract.KNOWLEDGE_BASE)
    requests = admin_db.collection(contract.HELP_REQUESTS)
    requests.document("req-gift").set(
        contract.new_help_request("+15550120", "Do you sell gift cards?", now=now - timedelta(days=1))
        | contract.resolution("Yes, from $25 at the front desk.", now=now - timedelta(hours=20))
        | {"followupSent": True})
    kb.document("req-gift").set(contract.new_knowledge_entry(
        "Do you sell gift cards?", "Yes, from $25 at the front desk.", now=now - timedelta(hours=20),
        originating_request_id="req-gift", source="supervisor"))
    kb.document("seed-hours").set(contract.new_knowledge_entry(
        "What are your hours on Saturday?", "On Saturdays we are open from 9am to 5pm.",
        now=now - timedelta(days=3), source="seed"))
    kb.document("seed-balayage").set(contract.new_knowledge_entry(
        "Do you do balayage?", "Yes, balayage from $180 with a free consultation.",
        now=now - timedelta(days=2), source="seed"))


def test_search_edit_and_delete_learned_answers(supervisor_page, admin_db, supervisor, wait_for_doc,
                                                screenshot, page_errors):
    seed_entries(admin_db)
    page = supervisor_page
    page.get_by_role("link", name="Learned answers").click()
    expect(page.get_by_role("heading", name=re.compile("^Learned answers"))).to_be_focused()
    items = page.locator("#learned-view li[data-id]")
    expect(items).to_have_count(3)
    expect(page.locator("#learned-count")).to_have_text("3")
    # Newest first; a learned one links to its request.
    assert items.evaluate_all("els => els.map(e => e.dataset.id)") == ["req-gift", "seed-balayage", "seed-hours"]
    expect(entry(page, "req-gift").get_by_role("link", name="Originating request")).to_have_attribute(
        "href", "#/request/req-gift")
    expect(entry(page, "seed-hours").get_by_role("link", name="Originating request")).to_have_count(0)
    expect(entry(page, "seed-hours")).to_contain_text("Salon facts")
    screenshot(page, "learned")

    # Search: every word, case and accents ignored, in question or answer.
    search = page.get_by_label("Search")
    search.fill("BALAYÁGE consultation")
    expect(items).to_have_count(1)
    expect(page.locator("#learned-count")).to_have_text("1 of 3")
    search.fill("perm")
    expect(items).to_have_count(0)
    expect(page.get_by_text("No learned answer matches “perm”.")).to_be_visible()
    search.fill("")
    expect(items).to_have_count(3)

    # Edit from the keyboard: validation first, then Ctrl+Enter saves; the server stamps it.
    gift = entry(page, "req-gift")
    gift.get_by_role("button", name="Edit: Do you sell gift cards?").click()
    answer_box = gift.get_by_label("Answer")
    expect(answer_box).to_be_visible()
    answer_box.fill(" ")
    answer_box.press("Control+Enter")
    expect(gift.get_by_role("alert")).to_have_text("Write the answer.")
    gift.get_by_label("Question").fill("Do you sell gift cards or vouchers?")
    answer_box.fill("Yes: gift cards from $25, at the desk or by phone.")
    screenshot(page, "learned-edit")
    answer_box.press("Control+Enter")
    expect(gift.locator(".kb-answer")).to_have_text("Yes: gift cards from $25, at the desk or by phone.")
    expect(gift.locator(".kb-question")).to_have_text("Do you sell gift cards or vouchers?")
    data = wait_for_doc("knowledge_base/req-gift", lambda d: d.get("updatedBy") == supervisor.uid)
    assert data["answer"] == "Yes: gift cards from $25, at the desk or by phone."
    assert data["question"] == "Do you sell gift cards or vouchers?"
    assert data["originatingRequestId"] == "req-gift" and data["source"] == "supervisor"
    expect(gift).to_contain_text("edited")

    # Escape cancels an edit and changes nothing.
    hours = entry(page, "seed-hours")
    hours.get_by_role("button", name=re.compile("^Edit")).click()
    hours.get_by_label("Answer").fill("Closed on Saturdays.")
    hours.get_by_label("Answer").press("Escape")
    expect(hours.locator(".kb-answer")).to_have_text("On Saturdays we are open from 9am to 5pm.")

    # Delete asks first; "Keep" keeps it, "Delete" removes it for everyone.
    balayage = entry(page, "seed-balayage")
    balayage.get_by_role("button", name="Delete: Do you do balayage?").click()
    expect(balayage.get_by_text("Delete this answer?")).to_be_visible()
    expect(balayage.get_by_role("button", name="Keep")).to_be_focused()
    page.keyboard.press("Enter")
    expect(balayage.get_by_role("button", name=re.compile("^Delete"))).to_have_count(1)
    balayage.get_by_role("button", name=re.compile("^Delete")).click()
    balayage.get_by_role("button", name="Delete", exact=True).click()
    expect(balayage).to_have_count(0)
    expect(page.locator("#learned-count")).to_have_text("2")
    wait_for(lambda: not admin_db.document("knowledge_base/seed-balayage").get().exists)
    # ... and leaves its record, written with the delete (issue 16 item 11)
    [record] = [s.to_dict() for s in admin_db.collection("knowledge_deletions").stream()]
    assert record["entryId"] == "seed-balayage" and record["question"] == "Do you do balayage?"
    assert record["deletedBy"] == supervisor.uid and record["deletedByEmail"] == supervisor.email
    assert record["deletedAt"] is not None

    # The link leads to the request the answer was learned from.
    gift.get_by_role("link", name="Originating request").click()
    expect(page.locator('#request-view article[data-id="req-gift"]')).to_be_visible()
    expect(page.get_by_role("heading", name="Do you sell gift cards?")).to_be_visible()
    assert page_errors == []


def test_add_an_answer_and_see_new_entries_live(supervisor_page, admin_db, supervisor, wait_for_doc):
    page = supervisor_page
    page.get_by_role("link", name="Learned answers").click()
    expect(page.get_by_text("No learned answers yet.")).to_be_visible()

    page.get_by_text("Add an answer").click()
    form = page.locator("#kb-add-form")
    form.get_by_role("button", name="Add answer").click()
    expect(form.get_by_role("alert")).to_have_text("Write the question.")
    form.get_by_label("Question").fill("q" * 501)
    form.get_by_label("Answer").fill("Yes.")
    form.get_by_role("button", name="Add answer").click()
    expect(form.get_by_role("alert")).to_have_text("The question is 501 characters; the limit is 500.")
    form.get_by_label("Question").fill("  Is there parking?  ")
    form.get_by_label("Answer").fill("Yes, two free spaces behind the salon.")
    form.get_by_label("Answer").press("Control+Enter")
    item = page.locator("#learned-view li[data-id]")
    expect(item).to_have_count(1)
    expect(item.locator(".kb-question")).to_have_text("Is there parking?")
    expect(form.get_by_label("Question")).to_have_value("")
    entry_id = item.get_attribute("data-id")
    data = wait_for_doc(f"knowledge_base/{entry_id}", lambda d: d.get("createdBy") == supervisor.uid)
    assert data["source"] == "supervisor" and data["originatingRequestId"] is None

    # Written elsewhere (the functions learning an answer): appears without a reload.
    admin_db.collection(contract.KNOWLEDGE_BASE).document("live").set(contract.new_knowledge_entry(
        "Do you do perms?", "Yes, on Tuesdays.", source="supervisor", originating_request_id="r-1"))
    expect(item).to_have_count(2)
    expect(page.locator("#learned-count")).to_have_text("2")


def test_denied_edit_and_delete_say_so_and_roll_back(supervisor_page, admin_db, deny_writes, screenshot):
    seed_entries(admin_db)
    page = supervisor_page
    page.get_by_role("link", name="Learned answers").click()
    gift = entry(page, "req-gift")
    expect(gift).to_be_visible()
    deny_writes()

    gift.get_by_role("button", name=re.compile("^Edit")).click()
    gift.get_by_label("Answer").fill("Free gift cards for everyone!")
    gift.get_by_role("button", name="Save").click()
    expect(gift.get_by_role("alert")).to_have_text("Permission denied: the edit was not saved.")
    expect(gift.get_by_label("Answer")).to_have_value("Free gift cards for everyone!")  # kept to retry
    gift.get_by_role("button", name="Cancel").click()
    expect(gift.locator(".kb-answer")).to_have_text("Yes, from $25 at the front desk.")  # rolled back

    hours = entry(page, "seed-hours")
    hours.get_by_role("button", name=re.compile("^Delete")).click()
    hours.get_by_role("button", name="Delete", exact=True).click()
    expect(hours.get_by_role("alert")).to_have_text("Permission denied: the deletion was not saved.")
    expect(hours.locator(".kb-answer")).to_have_text("On Saturdays we are open from 9am to 5pm.")
    assert admin_db.document("knowledge_base/seed-hours").get().exists
    screenshot(page, "learned-denied")


def test_a_removed_wording_shows_in_the_history(supervisor_page, admin_db, supervisor, wait_for_doc):
    """With the functions running: removing a wrong wording is recorded as a revision naming it (the
    functions' job), which the open history shows live."""
    now = contract.utcnow()
    vec = lambda seed: Vector([math.cos(seed * 100 + i) / 10 for i in range(384)])  # noqa: E731
    wrong = "What would a skin fade cost?"
    admin_db.collection(contract.KNOWLEDGE_BASE).document("kb-gift").set(contract.new_knowledge_entry(
        "Do you sell gift cards?", "Yes, from $25 at the front desk.", now=now - timedelta(days=1),
        source="supervisor") | {"embedding": vec(0), "phrasings": [
            {"text": "Can I buy a voucher?", "source": "group", "requestId": "req-v", "addedAt": now, "embedding": vec(1)},
            {"text": wrong, "source": "link", "requestId": "req-fade", "addedAt": now, "embedding": vec(2)}]})
    page = supervisor_page
    page.get_by_role("link", name="Learned answers").click()
    gift = entry(page, "kb-gift")
    gift.locator("summary", has_text="History").click()
    expect(gift.get_by_text("No changes recorded since it was added.")).to_be_visible()
    gift.get_by_role("button", name=f"Remove wording «{wrong}»").click()
    gift.get_by_role("button", name="Remove", exact=True).click()
    expect(gift.locator(".phrasing-text")).to_have_text(["Can I buy a voucher?"])
    data = wait_for_doc("knowledge_base/kb-gift", lambda d: d.get("updatedBy") == supervisor.uid)
    assert [p["text"] for p in data["phrasings"]] == ["Can I buy a voucher?"]
    assert data["phrasings"][0]["embedding"] == vec(1)
    removed = gift.locator('li.revision .revision-change[data-field="phrasings"]')
    expect(removed).to_have_text(f"Wording removed: {wrong}", timeout=60_000)
    expect(gift.locator("li.revision").first).to_contain_text(f"by {supervisor.email}")
