"""The Review view and the knowledge base's new fields, in a real browser: conflicting answers side by side
and their resolution, entries due for review (oldest first, edited from the Learned view), phrasings, the
review date, the held badge and the history of an entry. Conflicts, phrasings and revisions are the
functions' job: the tests write them with the Admin SDK in the contract's shape, with the functions'
triggers paused, and check what the dashboard shows and writes."""
from __future__ import annotations

import re
from datetime import timedelta

import pytest
from frontdesk_core import contract
from google.cloud.firestore_v1.vector import Vector
from playwright.sync_api import expect

pytestmark = pytest.mark.usefixtures("functions_off")


def phrasing(text, source, request_id=None, hours_ago=1):
    return {"text": text, "source": source, "requestId": request_id,
            "addedAt": contract.utcnow() - timedelta(hours=hours_ago), "embedding": Vector([0.0] * 384)}


def entry(question, answer, *, days_ago=1, **extra):
    return {"question": question, "answer": answer, "createdAt": contract.utcnow() - timedelta(days=days_ago),
            "originatingRequestId": None, "source": "supervisor", "createdBy": None, **extra}


def conflict(a, b, *, minutes_ago=5, reason="Same question, different answer (0.94)."):
    ids = sorted([a, b])
    return "__".join(ids), {"entries": ids, "status": "open", "reason": reason,
                            "detectedAt": contract.utcnow() - timedelta(minutes=minutes_ago),
                            "keep": None, "resolvedBy": None, "resolvedAt": None}


def seed_conflicts(admin_db):
    kb = admin_db.collection(contract.KNOWLEDGE_BASE)
    kb.document("kb-walkin-yes").set(entry(
        "Do you take walk-ins?", "Yes, walk-ins are welcome whenever a chair is free.", days_ago=10,
        phrasings=[phrasing("Can I just drop in?", "seed"), phrasing("Walk in without booking?", "link", "req-7")],
        conflictWith=["kb-walkin-no"], distinctFrom=[]))
    kb.document("kb-walkin-no").set(entry(
        "Can I come in without an appointment?", "No, we see clients by appointment only.", days_ago=1,
        originatingRequestId="req-9", phrasings=[phrasing("Do I need to book?", "group", "req-10")],
        conflictWith=["kb-walkin-yes"]))
    kb.document("kb-color-a").set(entry("How long does a colour take?", "About two hours.", conflictWith=["kb-color-b"]))
    kb.document("kb-color-b").set(entry("How long does a root touch-up take?", "About an hour.",
                                        conflictWith=["kb-color-a"]))
    for a, b, minutes in (("kb-walkin-yes", "kb-walkin-no", 30), ("kb-color-a", "kb-color-b", 5)):
        cid, data = conflict(a, b, minutes_ago=minutes)
        admin_db.collection("knowledge_conflicts").document(cid).set(data)
    # Settled long ago: not listed.
    cid, data = conflict("kb-old-1", "kb-old-2", minutes_ago=900)
    admin_db.collection("knowledge_conflicts").document(cid).set(
        data | {"status": "resolved", "keep": "both", "resolvedBy": "someone", "resolvedAt": contract.utcnow()})


def review_badge(page):
    return page.locator('[data-count="review"]')


def test_conflicts_side_by_side_keep_one_or_both(supervisor_page, admin_db, supervisor, wait_for_doc,
                                                 screenshot, page_errors):
    seed_conflicts(admin_db)
    page = supervisor_page
    expect(review_badge(page)).to_have_text("2")  # live from sign-in, before the view is opened
    page.get_by_role("link", name=re.compile("^Review")).click()
    expect(page.get_by_role("heading", name="Review", exact=True)).to_be_focused()
    cards = page.locator("#review-view li.conflict")
    expect(cards).to_have_count(2)
    walkin = page.locator('#review-view li.conflict[data-id="kb-walkin-no__kb-walkin-yes"]')
    assert cards.evaluate_all("els => els.map(e => e.dataset.id)")[0] == "kb-walkin-no__kb-walkin-yes"  # oldest first
    expect(walkin).to_contain_text("Same question, different answer (0.94).")
    sides = walkin.locator(".side")
    expect(sides).to_have_count(2)
    yes, no = walkin.locator('.side[data-entry="kb-walkin-yes"]'), walkin.locator('.side[data-entry="kb-walkin-no"]')
    expect(yes.locator(".kb-question")).to_have_text("Do you take walk-ins?")
    expect(yes.locator(".kb-answer")).to_have_text("Yes, walk-ins are welcome whenever a chair is free.")
    expect(yes.locator(".phrasing")).to_have_count(2)
    expect(yes.locator(".phrasing").first).to_contain_text("Can I just drop in?")
    expect(yes.locator(".phrasing").first.locator(".phrasing-source")).to_have_text("salon facts")
    expect(yes.locator(".phrasing").nth(1).locator(".phrasing-source")).to_have_text("answered with this entry")
    expect(no.locator(".kb-answer")).to_have_text("No, we see clients by appointment only.")
    expect(no.locator(".phrasing-source")).to_have_text("asked by another caller")
    expect(yes).to_contain_text("added")
    # Side by side at desktop width.
    box_yes, box_no = yes.bounding_box(), no.bounding_box()
    assert abs(box_yes["y"] - box_no["y"]) < 2 and box_yes["x"] != box_no["x"]
    screenshot(page, "review-conflict")

    # Keep one answer: exactly the resolution the rules allow.
    no.get_by_role("button", name="Keep this answer").click()
    data = wait_for_doc("knowledge_conflicts/kb-walkin-no__kb-walkin-yes", lambda d: d.get("status") == "resolved")
    assert data["keep"] == "kb-walkin-no" and data["resolvedBy"] == supervisor.uid
    assert data["resolvedAt"] is not None and data["entries"] == ["kb-walkin-no", "kb-walkin-yes"]
    expect(walkin).to_have_count(0)
    expect(review_badge(page)).to_have_text("1")

    # Both are right: different questions.
    color = page.locator('#review-view li.conflict[data-id="kb-color-a__kb-color-b"]')
    color.get_by_role("button", name="Both are right — different questions").click()
    data = wait_for_doc("knowledge_conflicts/kb-color-a__kb-color-b", lambda d: d.get("status") == "resolved")
    assert data["keep"] == "both" and data["resolvedBy"] == supervisor.uid
    expect(page.locator("#review-view .conflicts-state")).to_have_text("No conflicting answers.")
    expect(review_badge(page)).to_have_text("0")

    # The held entries say so in the Learned view (until the functions release them).
    page.get_by_role("link", name="Learned answers").click()
    held = page.locator('#learned-view li[data-id="kb-walkin-yes"] .held-badge')
    expect(held).to_have_text("Held: conflicting answers")
    expect(held).to_have_attribute("href", "#/review")
    assert page_errors == []


def test_denied_resolution_says_so_and_stays(supervisor_page, admin_db, deny_writes):
    seed_conflicts(admin_db)
    page = supervisor_page
    page.get_by_role("link", name=re.compile("^Review")).click()
    color = page.locator('#review-view li.conflict[data-id="kb-color-a__kb-color-b"]')
    expect(color).to_be_visible()
    deny_writes()
    color.locator('.side[data-entry="kb-color-a"]').get_by_role("button", name="Keep this answer").click()
    expect(color.get_by_role("alert")).to_have_text("Permission denied: the choice was not saved.")
    expect(color.get_by_role("button", name="Keep this answer")).to_have_count(2)
    assert admin_db.document("knowledge_conflicts/kb-color-a__kb-color-b").get().get("status") == "open"
    expect(review_badge(page)).to_have_text("2")


def test_due_entries_oldest_first_then_edited(supervisor_page, admin_db, supervisor, wait_for_doc, screenshot,
                                              page_errors):
    now = contract.utcnow()
    kb = admin_db.collection(contract.KNOWLEDGE_BASE)
    kb.document("kb-xmas").set(entry("Are you open on Christmas Eve?", "Yes, 9am to 1pm.",
                                     reviewBy=now - timedelta(days=20)))
    kb.document("kb-prices").set(entry("How much is a women's cut?", "A women's cut is $65.",
                                       reviewBy=now - timedelta(days=2),
                                       phrasings=[phrasing("Price of a ladies' haircut?", "link", "req-1")]))
    kb.document("kb-later").set(entry("Do you do perms?", "Yes, on Tuesdays.", reviewBy=now + timedelta(days=30)))
    kb.document("kb-never").set(entry("Is there parking?", "Yes, behind the salon."))
    page = supervisor_page
    expect(review_badge(page)).to_have_text("2")
    page.get_by_role("link", name=re.compile("^Review")).click()
    due = page.locator("#review-view li.due-entry")
    expect(due).to_have_count(2)
    assert due.evaluate_all("els => els.map(e => e.dataset.id)") == ["kb-xmas", "kb-prices"]
    expect(due.first.locator(".kb-answer")).to_have_text("Yes, 9am to 1pm.")
    expect(due.first.locator(".review-date")).to_have_text(re.compile(r"^Review due since "))
    expect(page.locator("#due-count")).to_have_text("2")
    screenshot(page, "review-due")

    # Edit opens the Learned view's editor on that entry; a new review date takes it off the list.
    due.nth(1).get_by_role("link", name="Edit: How much is a women's cut?").click()
    prices = page.locator('#learned-view li[data-id="kb-prices"]')
    answer = prices.get_by_label("Answer")
    expect(answer).to_be_focused()
    expect(prices).to_contain_text("Its 1 other wording stays with it.")
    expect(page).to_have_url(re.compile(r"#/learned$"))
    review_date = prices.get_by_label("Review date (optional)")
    yesterday = page.evaluate("(() => { const d = new Date(); d.setDate(d.getDate() - 1); "
                              "return d.toLocaleDateString('en-CA'); })()")
    review_date.fill(yesterday)
    prices.get_by_role("button", name="Save").click()
    expect(prices.get_by_role("alert")).to_have_text("Choose a review date after today, or leave it empty.")
    later = page.evaluate("(() => { const d = new Date(); d.setDate(d.getDate() + 90); "
                          "return [d.toLocaleDateString('en-CA'), "
                          "new Date(d.getFullYear(), d.getMonth(), d.getDate()).getTime()]; })()")
    review_date.fill(later[0])
    answer.fill("A women's cut is $70 (from June).")
    prices.get_by_role("button", name="Save").click()
    data = wait_for_doc("knowledge_base/kb-prices", lambda d: d.get("updatedBy") == supervisor.uid)
    assert data["answer"] == "A women's cut is $70 (from June)."
    assert data["reviewBy"].timestamp() * 1000 == later[1]
    assert data["updatedByEmail"] == supervisor.email
    assert [p["text"] for p in data["phrasings"]] == ["Price of a ladies' haircut?"]
    assert data["phrasings"][0]["requestId"] == "req-1"
    expect(prices.locator(".review-date")).to_have_text(re.compile(r"^Review by "))
    expect(review_badge(page)).to_have_text("1")
    page.get_by_role("link", name=re.compile("^Review")).click()
    expect(due).to_have_count(1)
    assert page_errors == []


def test_learned_phrasings_review_date_history(supervisor_page, admin_db, supervisor, wait_for_doc, screenshot,
                                               page_errors):
    now = contract.utcnow()
    kb = admin_db.collection(contract.KNOWLEDGE_BASE)
    phrasings = [phrasing("Do you do balayage?", "seed", hours_ago=50),
                 phrasing("Can you do a sun-kissed balayage?", "link", "req-21", hours_ago=30),
                 phrasing("Balayage for short hair?", "group", "req-22", hours_ago=20),
                 phrasing("Hand-painted highlights?", "merge", None, hours_ago=10)]
    kb.document("kb-balayage").set(entry(
        "Do you offer balayage?", "Yes, balayage from $180 with a free consultation.", days_ago=5,
        phrasings=phrasings, reviewBy=now + timedelta(days=60), updatedAt=now - timedelta(hours=3),
        updatedBy="sup-x", updatedByEmail="owner@lumen.example"))
    revisions = kb.document("kb-balayage").collection("revisions")
    revisions.document("r1").set({
        "at": now - timedelta(days=2), "by": "sup-x", "byEmail": "owner@lumen.example",
        "before": {"question": "Balayage?", "answer": "Yes, from $160.", "reviewBy": None},
        "after": {"question": "Do you offer balayage?", "answer": "Yes, from $160.", "reviewBy": None}})
    revisions.document("r2").set({
        "at": now - timedelta(hours=3), "by": "sup-x", "byEmail": "owner@lumen.example",
        "before": {"question": "Do you offer balayage?", "answer": "Yes, from $160.", "reviewBy": None},
        "after": {"question": "Do you offer balayage?", "answer": "Yes, balayage from $180 with a free consultation.",
                  "reviewBy": now + timedelta(days=60)}})
    page = supervisor_page
    page.get_by_role("link", name="Learned answers").click()
    item = page.locator('#learned-view li[data-id="kb-balayage"]')
    expect(item.locator(".phrasing")).to_have_count(4)
    assert item.locator(".phrasing-text").all_text_contents() == [p["text"] for p in phrasings]
    assert item.locator(".phrasing-source").all_text_contents() == [
        "salon facts", "answered with this entry", "asked by another caller", "merged from another entry"]
    expect(item.locator(".review-date")).to_have_text(re.compile(r"^Review by "))
    expect(item).to_contain_text("by owner@lumen.example")
    expect(item.locator(".held-badge")).to_have_count(0)
    # Search finds an entry by another wording of its question.
    page.get_by_label("Search").fill("sun-kissed")
    expect(page.locator("#learned-view li[data-id]")).to_have_count(1)
    page.get_by_label("Search").fill("")

    # History: newest first, who, and before → after of each changed field.
    item.locator("summary", has_text="History").click()
    revs = item.locator("li.revision")
    expect(revs).to_have_count(2)
    expect(revs.first).to_contain_text("by owner@lumen.example")
    first_answer = revs.first.locator('.revision-change[data-field="answer"]')
    expect(first_answer.locator("del")).to_have_text("Yes, from $160.")
    expect(first_answer.locator("ins")).to_have_text("Yes, balayage from $180 with a free consultation.")
    expect(revs.first.locator('.revision-change[data-field="reviewBy"] del')).to_have_text("none")
    expect(revs.nth(1).locator('.revision-change[data-field="question"]')).to_contain_text("Balayage? → Do you offer balayage?")
    expect(revs.nth(1).locator('.revision-change[data-field="answer"]')).to_have_count(0)
    screenshot(page, "learned-phrasings")

    # Edit: clear the review date, change the answer; phrasings stay exactly as they were.
    item.get_by_role("button", name=re.compile("^Edit")).click()
    expect(item).to_contain_text("Its 4 other wordings stay with it.")
    item.get_by_role("button", name="No review date").click()
    expect(item.get_by_label("Review date (optional)")).to_have_value("")
    item.get_by_label("Answer").fill("Yes, balayage from $190 with a free consultation.")
    item.get_by_role("button", name="Save").click()
    data = wait_for_doc("knowledge_base/kb-balayage", lambda d: d.get("updatedBy") == supervisor.uid)
    assert data["answer"] == "Yes, balayage from $190 with a free consultation."
    assert data["reviewBy"] is None and data["updatedByEmail"] == supervisor.email
    assert [(p["text"], p["source"], p["requestId"]) for p in data["phrasings"]] == [
        (p["text"], p["source"], p["requestId"]) for p in phrasings]
    expect(item.locator(".review-date")).to_have_count(0)
    # The history stays open across the change, and a new revision (the functions' job) shows live.
    expect(item.locator("details.history")).to_have_attribute("open", "")
    revisions.document("r3").set({
        "at": contract.utcnow(), "by": supervisor.uid, "byEmail": supervisor.email,
        "before": {"question": "Do you offer balayage?", "answer": "Yes, balayage from $180 with a free consultation.",
                   "reviewBy": now + timedelta(days=60)},
        "after": {"question": "Do you offer balayage?", "answer": "Yes, balayage from $190 with a free consultation.",
                  "reviewBy": None}})
    expect(revs).to_have_count(3)
    expect(revs.first).to_contain_text(f"by {supervisor.email}")
    expect(revs.first.locator('.revision-change[data-field="reviewBy"] ins')).to_have_text("none")
    assert page_errors == []


def test_add_with_a_review_date(supervisor_page, supervisor, wait_for_doc):
    page = supervisor_page
    page.get_by_role("link", name="Learned answers").click()
    page.get_by_text("Add an answer").click()
    form = page.locator("#kb-add-form")
    form.get_by_label("Question").fill("Are you open on Boxing Day?")
    form.get_by_label("Answer").fill("Yes, from 10am to 4pm.")
    today = page.evaluate("new Date().toLocaleDateString('en-CA')")
    form.get_by_label("Review date (optional)").fill(today)
    form.get_by_role("button", name="Add answer").click()
    expect(form.get_by_role("alert")).to_have_text("Choose a review date after today, or leave it empty.")
    expect(form.get_by_label("Review date (optional)")).to_be_focused()
    expect(page.locator("#learned-view li[data-id]")).to_have_count(0)  # nothing half-written
    soon = page.evaluate("(() => { const d = new Date(); d.setDate(d.getDate() + 7); "
                         "return [d.toLocaleDateString('en-CA'), "
                         "new Date(d.getFullYear(), d.getMonth(), d.getDate()).getTime()]; })()")
    form.get_by_label("Review date (optional)").fill(soon[0])
    form.get_by_role("button", name="Add answer").click()
    item = page.locator("#learned-view li[data-id]")
    expect(item).to_have_count(1)
    expect(form.get_by_label("Review date (optional)")).to_have_value("")
    data = wait_for_doc(f"knowledge_base/{item.get_attribute('data-id')}",
                        lambda d: d.get("createdBy") == supervisor.uid)
    assert data["reviewBy"].timestamp() * 1000 == soon[1]
    expect(item.locator(".review-date")).to_have_text(re.compile(r"^Review by "))
