"""Undoing a wrong wording in a real browser: a supervisor removes one phrasing of a learned answer (asked
inline first); the entry keeps exactly its other phrasings (texts, sources, times and embedding Vectors as
the server wrote them) and is stamped with who did it; a denied removal says so and the wording comes
back. Phrasings and revisions are the functions' job: the tests write them with the Admin SDK, with the
functions' triggers paused."""
from __future__ import annotations

import math
import re
from datetime import timedelta

import pytest
from frontdesk_core import contract
from google.cloud.firestore_v1.vector import Vector
from playwright.sync_api import expect

pytestmark = pytest.mark.usefixtures("functions_off")

WRONG = "What would a skin fade cost?"


def embedding(seed: int) -> Vector:
    """384 floats like the functions' embeddings, different for each wording and not exact in binary."""
    return Vector([math.sin(seed * 1000 + i) / 7 + 0.1 for i in range(384)])


def seed_entry(admin_db) -> list[dict]:
    now = contract.utcnow()
    phrasings = [
        {"text": "Can I buy a voucher?", "source": "seed", "requestId": None,
         "addedAt": now - timedelta(days=3), "embedding": embedding(1)},
        {"text": WRONG, "source": "link", "requestId": "req-fade",
         "addedAt": now - timedelta(hours=5), "embedding": embedding(2)},
        {"text": "Do you do gift certificates?", "source": "group", "requestId": "req-cert",
         "addedAt": now - timedelta(hours=2), "embedding": embedding(3)},
    ]
    admin_db.collection(contract.KNOWLEDGE_BASE).document("kb-gift").set({
        "question": "Do you sell gift cards?", "answer": "Yes, from $25 at the front desk.",
        "createdAt": now - timedelta(days=4), "originatingRequestId": None, "source": "supervisor",
        "createdBy": None, "phrasings": phrasings, "conflictWith": [], "distinctFrom": [],
        "embedding": embedding(9), "reviewBy": None})
    return phrasings


def open_entry(page):
    page.get_by_role("link", name="Learned answers").click()
    item = page.locator('#learned-view li[data-id="kb-gift"]')
    expect(item.locator(".phrasing")).to_have_count(3)
    return item


def test_remove_the_wrong_wording(supervisor_page, admin_db, supervisor, wait_for_doc, screenshot, page_errors):
    phrasings = seed_entry(admin_db)
    item = open_entry(supervisor_page)
    remove = item.get_by_role("button", name=f"Remove wording «{WRONG}»")
    expect(item.get_by_role("button", name=re.compile("^Remove wording «"))).to_have_count(3)

    # Asks first, inline; "Keep" keeps it and gives the focus back.
    remove.click()
    expect(item.get_by_text("Remove this wording?")).to_be_visible()
    expect(item.get_by_role("button", name="Keep")).to_be_focused()
    item.get_by_role("button", name="Keep").click()
    expect(item.get_by_text("Remove this wording?")).to_have_count(0)
    expect(remove).to_be_focused()

    remove.click()
    expect(item.get_by_role("button", name="Keep")).to_be_focused()
    screenshot(supervisor_page, "learned-remove-phrasing")
    item.get_by_role("button", name="Remove", exact=True).click()
    expect(item.locator(".phrasing")).to_have_count(2)
    assert item.locator(".phrasing-text").all_text_contents() == ["Can I buy a voucher?", "Do you do gift certificates?"]

    data = wait_for_doc("knowledge_base/kb-gift", lambda d: d.get("updatedBy") == supervisor.uid)
    assert data["updatedByEmail"] == supervisor.email and data["updatedAt"] is not None
    # Exactly the other two, as the server wrote them: every field, the Vectors float for float.
    assert data["phrasings"] == [phrasings[0], phrasings[2]]
    assert all(isinstance(p["embedding"], Vector) and len(p["embedding"]) == 384 for p in data["phrasings"])
    assert data["question"] == "Do you sell gift cards?" and data["answer"] == "Yes, from $25 at the front desk."
    assert data["embedding"] == embedding(9)
    expect(item).to_contain_text(f"by {supervisor.email}")

    # The history lists the removed wording (the revision is the functions' job: written here).
    admin_db.document("knowledge_base/kb-gift/revisions/r1").set({
        "at": contract.utcnow(), "by": supervisor.uid, "byEmail": supervisor.email,
        "before": {"question": "Do you sell gift cards?", "answer": "Yes, from $25 at the front desk.", "reviewBy": None},
        "after": {"question": "Do you sell gift cards?", "answer": "Yes, from $25 at the front desk.", "reviewBy": None},
        "removedPhrasings": [WRONG]})
    item.locator("summary", has_text="History").click()
    change = item.locator('li.revision .revision-change[data-field="phrasings"]')
    expect(change).to_have_text(f"Wording removed: {WRONG}")
    expect(item.locator("li.revision")).not_to_contain_text("No visible change.")
    assert page_errors == []


def test_denied_removal_says_so_and_rolls_back(supervisor_page, admin_db, deny_writes, page_errors):
    phrasings = seed_entry(admin_db)
    item = open_entry(supervisor_page)
    deny_writes()
    item.get_by_role("button", name=f"Remove wording «{WRONG}»").click()
    item.get_by_role("button", name="Remove", exact=True).click()
    expect(item.get_by_role("alert")).to_have_text("Permission denied: the removal was not saved.")
    expect(item.locator(".phrasing")).to_have_count(3)  # rolled back
    assert item.locator(".phrasing-text").all_text_contents() == [p["text"] for p in phrasings]
    data = admin_db.document("knowledge_base/kb-gift").get().to_dict()
    assert data["phrasings"] == phrasings and "updatedBy" not in data
    # Trying again clears the message.
    item.get_by_role("button", name=f"Remove wording «{WRONG}»").click()
    expect(item.get_by_role("alert")).to_have_count(0)
    assert page_errors == []
