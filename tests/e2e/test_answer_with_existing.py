"""The whole loop with the functions running, in a real browser: a caller's slang escalates through the
real agent, the functions suggest the closest entries (not the right one), the supervisor finds the
right entry with "Find another answer…" and uses it; the functions teach the caller's wording to that
entry (no new entry) and follow up, and the next caller who says it that way is answered at once."""
from __future__ import annotations

from frontdesk_core import contract
from playwright.sync_api import expect

MEN = "seed-price-men-s-haircut"
FADE = "What would a skin fade cost?"
SLOW = 60_000  # the functions and the agent on a shared 2-core machine


def test_find_another_answer_teaches_the_wording(salon, supervisor_page, supervisor, place_call, wait_for_doc,
                                                  screenshot, page_errors):
    db = salon
    kb_before = {s.id for s in db.collection(contract.KNOWLEDGE_BASE).stream()}
    men_answer = db.document(f"{contract.KNOWLEDGE_BASE}/{MEN}").get().get("answer")

    out = place_call("+15550170", FADE)
    assert contract.ESCALATION_MESSAGE in out
    [snap] = list(db.collection(contract.HELP_REQUESTS).stream())
    rid = snap.id
    assert snap.get("status") == "pending" and snap.get("question") == FADE

    page = supervisor_page
    page.goto(page.url.split("#")[0] + f"#/request/{rid}")
    detail = page.locator(f'#request-view article[data-id="{rid}"]')
    expect(detail).to_be_visible()
    panel = detail.locator(".suggestions-section")
    # The functions' suggestions arrive live.
    expect(panel.locator("li.suggestion").first).to_be_visible(timeout=SLOW)
    assert 1 <= panel.locator("li.suggestion").count() <= 3

    # The right entry is found by searching, from the keyboard.
    search = panel.get_by_label("Find another answer…")
    search.focus()
    page.keyboard.type("men's haircut")
    found = panel.locator("li.find-result")
    expect(found.first).to_have_attribute("data-id", MEN)
    expect(found).to_have_count(3)  # men's, women's, the list of services
    expect(panel.locator(".find-state")).to_have_text("3 answers found.")
    men = panel.locator(f'li.find-result[data-id="{MEN}"]')
    expect(men.locator(".suggestion-answer")).to_have_text(men_answer)
    use = men.get_by_role("button", name="Use this answer")
    expect(use).to_have_accessible_description(men_answer)
    screenshot(page, "request-find-another")
    search.press("ArrowDown")
    expect(use).to_be_focused()
    page.keyboard.press("Enter")

    data = wait_for_doc(f"{contract.HELP_REQUESTS}/{rid}", lambda d: d.get("status") == "resolved")
    assert data["responseText"] == men_answer
    assert data["knowledgeId"] == MEN and data["knowledgeAction"] == "link"
    assert data["answeredBy"] == supervisor.uid
    expect(detail.locator(".answered-meta")).to_contain_text("with an answer we already had")
    expect(panel).to_be_hidden()

    # The functions follow up, teach the wording to the entry and add no entry.
    wait_for_doc(f"{contract.HELP_REQUESTS}/{rid}", lambda d: d.get("followupSent") is True, timeout=SLOW / 1000)
    expect(detail.locator(".followup-state")).to_contain_text("sent", timeout=SLOW)
    entry = wait_for_doc(f"{contract.KNOWLEDGE_BASE}/{MEN}", lambda d: any(
        p.get("text") == FADE and p.get("source") == "link" for p in d.get(contract.PHRASINGS) or ()),
        timeout=SLOW / 1000)
    [learned] = [p for p in entry[contract.PHRASINGS] if p["text"] == FADE]
    assert learned["requestId"] == rid
    assert entry["answer"] == men_answer
    assert {s.id for s in db.collection(contract.KNOWLEDGE_BASE).stream()} == kb_before

    # The next caller who says it that way is answered from the entry.
    out = place_call("+15550171", "How much is a skin fade?")
    assert men_answer in out and contract.ESCALATION_MESSAGE not in out
    assert len(list(db.collection(contract.HELP_REQUESTS).stream())) == 1

    # Learned answers shows the new wording, as answered with this entry.
    page.goto(page.url.split("#")[0] + "#/learned")
    page.locator("#kb-search").fill("skin fade")
    item = page.locator(f'#learned-view li.entry[data-id="{MEN}"]')
    expect(item).to_be_visible()
    phrasing = item.locator('li.phrasing[data-source="link"]')
    expect(phrasing.locator(".phrasing-text")).to_have_text(FADE)
    expect(phrasing.locator(".phrasing-source")).to_have_text("answered with this entry")
    assert page_errors == []
