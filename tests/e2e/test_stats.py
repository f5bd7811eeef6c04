"""The stats view: an honest empty state, then the figures of `stats/summary` (kept by the functions;
written here with the Admin SDK) shown live."""
from __future__ import annotations

import re
from datetime import timedelta

from frontdesk_core import contract
from playwright.sync_api import expect


def test_stats_empty_then_live(supervisor_page, admin_db, screenshot):
    page = supervisor_page
    admin_db.document("stats/summary").delete()
    page.get_by_role("link", name="Stats").click()
    expect(page.get_by_text("No statistics yet")).to_be_visible()

    now = contract.utcnow()
    summary = {
        "openCount": 3,
        "oldestPendingAt": now - timedelta(minutes=12),
        "answeredToday": 7,
        "medianSecondsToAnswer": 200.0,
        "questionsAsked": 40,
        "answeredByAI": 31,
        "deflectionRate": 31 / 40,
        "topUnanswered": [{"question": "do you do eyelash extensions", "count": 4},
                          {"question": "<b>is there parking</b>", "count": 2}],
        "updatedAt": now,
    }
    admin_db.document("stats/summary").set(summary)
    stat = lambda name: page.locator(f'[data-stat="{name}"]')  # noqa: E731
    expect(stat("deflectionRate")).to_have_text("78 %")
    expect(stat("deflectionDetail")).to_have_text("31 of 40 questions answered by the AI")
    expect(stat("medianSecondsToAnswer")).to_have_text("3 min 20 s")
    expect(stat("oldestPendingAt")).to_have_text("12 min ago")
    expect(stat("openCount")).to_have_text("3")
    expect(stat("answeredToday")).to_have_text("7")
    top = page.locator(".top-unanswered li")
    expect(top).to_have_count(2)
    expect(top.nth(0)).to_have_text("do you do eyelash extensions — 4×")
    expect(top.nth(1)).to_have_text("<b>is there parking</b> — 2×")
    screenshot(page, "stats")

    # Live: no data yet for a rate or a median is said, not shown as 0.
    admin_db.document("stats/summary").update({"deflectionRate": None, "questionsAsked": 0, "answeredByAI": 0,
                                               "medianSecondsToAnswer": None, "oldestPendingAt": None,
                                               "topUnanswered": []})
    expect(stat("deflectionRate")).to_have_text("—")
    expect(stat("medianSecondsToAnswer")).to_have_text(re.compile("nothing answered yet"))
    expect(stat("oldestPendingAt")).to_have_text("none waiting")
    expect(top).to_have_text(["Nothing unanswered."])
