"""Lists that grow with time, read a page at a time (issue 16 item 8): the unresolved and resolved
requests (a page of 100 from Firestore, "Show 100 more" reads the next) and the learned answers (shown
100 at a time). The count says how many there are; the triggers are paused (the rows are written whole)."""
from __future__ import annotations

import re
from datetime import timedelta

import pytest
from frontdesk_core import contract
from playwright.sync_api import expect

pytestmark = pytest.mark.usefixtures("functions_off")


def write_requests(admin_db, n, status, prefix):
    now = contract.utcnow()
    batch = admin_db.batch()
    for i in range(n):
        data = contract.new_help_request(f"+1555030{i:04d}", f"Question {i}?", now=now - timedelta(days=2, minutes=n - i))
        if status == "unresolved":
            data |= {"status": "unresolved", "unresolvedReason": "No supervisor answer in time"}
        else:
            data |= contract.resolution(f"Answer {i}.", now=now - timedelta(days=1))
        batch.set(admin_db.collection(contract.HELP_REQUESTS).document(f"{prefix}-{i:03d}"), data)
    batch.commit()
    return now


def ids_in(page, status):
    return page.locator(f"#list-{status} li[data-id]").evaluate_all("els => els.map(e => e.dataset.id)")


def open_section(page, name):
    page.get_by_role("navigation", name="Sections").get_by_role("link", name=re.compile(rf"^{name}")).click()


def test_show_more_reads_the_next_page_of_unresolved_requests(page, sign_in, supervisor, admin_db, page_errors):
    now = write_requests(admin_db, 230, "unresolved", "u")
    sign_in(page, supervisor.email)
    open_section(page, "Unresolved")
    section = page.locator("#list-unresolved")
    expect(section.locator("li[data-id]")).to_have_count(100)
    expect(section.locator(".more-count")).to_have_text("100 of 230")   # counted by the server
    section.get_by_role("button", name="Show 100 more").click()
    expect(section.locator("li[data-id]")).to_have_count(200)
    expect(section.locator(".more-count")).to_have_text("200 of 230")
    section.get_by_role("button", name="Show 100 more").click()
    expect(section.locator("li[data-id]")).to_have_count(230)
    expect(section.get_by_role("button", name="Show 100 more")).to_be_hidden()   # a short page: the end
    assert ids_in(page, "unresolved") == [f"u-{i:03d}" for i in range(230)]   # longest waiting first, each once

    # The pages stay live: an answered one leaves its page, nothing is lost or shown twice.
    admin_db.document("help_requests/u-150").update(contract.resolution("Late answer.", now=contract.utcnow()))
    expect(section.locator("li[data-id]")).to_have_count(229)
    expected = [f"u-{i:03d}" for i in range(230) if i != 150]
    assert ids_in(page, "unresolved") == expected
    # One more inside the first page pushes nothing out of sight: the first page was bound where it
    # ended when the second was opened (a page that only had a limit would drop u-099 here).
    admin_db.document("help_requests/u-050b").set(
        contract.new_help_request("+15550399999", "Between?", now=now - timedelta(days=2, minutes=180, seconds=-30))
        | {"status": "unresolved", "unresolvedReason": "No supervisor answer in time"})
    expect(section.locator("li[data-id]")).to_have_count(230)
    assert ids_in(page, "unresolved") == expected[:51] + ["u-050b"] + expected[51:]
    assert page_errors == []


def test_show_more_reads_older_resolved_requests(page, sign_in, supervisor, admin_db):
    write_requests(admin_db, 120, "resolved", "r")
    sign_in(page, supervisor.email)
    expect(page.locator('[data-count="resolved"]')).to_have_text("100+")
    open_section(page, "Resolved")
    section = page.locator("#list-resolved")
    expect(section.locator("li[data-id]")).to_have_count(100)
    expect(section.locator(".more-count")).to_have_text("100 of 120")
    section.get_by_role("button", name="Show 100 more").click()
    expect(section.locator("li[data-id]")).to_have_count(120)
    assert ids_in(page, "resolved") == [f"r-{i:03d}" for i in reversed(range(120))]   # newest first
    expect(section.locator(".more-count")).to_have_text("")


def test_learned_answers_are_shown_a_hundred_at_a_time(supervisor_page, admin_db):
    now = contract.utcnow()
    batch = admin_db.batch()
    for i in range(130):
        batch.set(admin_db.collection(contract.KNOWLEDGE_BASE).document(f"kb-{i:03d}"), contract.new_knowledge_entry(
            "Do you sell gift cards?" if i == 0 else f"Question {i}?", f"Answer {i}.",
            now=now - timedelta(minutes=130 - i), source="supervisor"))
    batch.commit()
    page = supervisor_page
    page.get_by_role("link", name="Learned answers").click()
    view = page.locator("#learned-view")
    expect(view.locator("li[data-id]")).to_have_count(100)
    expect(page.locator("#learned-count")).to_have_text("100 of 130")
    expect(view.locator(".more-count")).to_have_text("100 of 130")
    assert view.locator("li[data-id]").first.get_attribute("data-id") == "kb-129"   # newest first
    # A search looks through every entry, not only those shown (the oldest is not on the first page).
    page.get_by_label("Search").fill("gift")
    expect(view.locator("li[data-id]")).to_have_count(1)
    expect(view.locator('li[data-id="kb-000"]')).to_be_visible()
    expect(page.locator("#learned-count")).to_have_text("1 of 130")
    page.get_by_label("Search").fill("")
    expect(view.locator("li[data-id]")).to_have_count(100)
    view.get_by_role("button", name="Show 100 more").click()
    expect(view.locator("li[data-id]")).to_have_count(130)
    expect(page.locator("#learned-count")).to_have_text("130")
    expect(view.locator(".more-row")).to_be_hidden()
