"""Long lists on the dashboard: how long the Learned answers view and the resolved list take to show,
and what "Show 100 more" costs, with N entries and M resolved requests in the base.

  . tools/firebase-env.sh && flock /tmp/frontdesk-default-ports.lock \\
      firebase emulators:exec --only firestore,auth,hosting --project demo-test \\
      ".venv/bin/python bench/dashboard_lists.py --entries 2000 --requests 1000"

A signed-in supervisor's page (Debian Chromium, headless, the built dashboard on the Hosting emulator).
Timed in the page (performance.now) from the navigation click to the list showing the rows it should
(the Learned view: the first page, or every entry with a build before paging), then "Show 100 more" on
the resolved list until the next page's rows are there. Printed per run: milliseconds and the page's
element count. The base is cleared first and written through the Admin SDK (no functions running).
"""
from __future__ import annotations

import argparse
import os
import statistics
import sys
from datetime import timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "functions")]
from bench.emulators import hosting_url, use_default_emulators  # noqa: E402

use_default_emulators()

from frontdesk_core import contract  # noqa: E402
from frontdesk_core.infra.firebase import db  # noqa: E402
from playwright.sync_api import sync_playwright  # noqa: E402
from tests.emulator import clear_firestore  # noqa: E402
from tools.supervisors import ensure_supervisor  # noqa: E402

# Resolves with the ms from `start` until `count()` reaches `want` (checked on every animation frame).
UNTIL = """([selector, want]) => new Promise((resolve) => {
  const before = document.querySelectorAll(selector).length;
  const start = performance.now();
  window.__go();
  const check = () => {
    const n = document.querySelectorAll(selector).length;
    if (n >= want) resolve([performance.now() - start, before, n]);
    else requestAnimationFrame(check);
  };
  requestAnimationFrame(check);
})"""


def seed(client, entries: int, requests: int) -> None:
    now = contract.utcnow()
    docs = [(contract.KNOWLEDGE_BASE, f"kb-{i:05d}", contract.new_knowledge_entry(
        f"Question number {i}?", f"Answer number {i}.", now=now - timedelta(minutes=entries - i), source="supervisor"))
        for i in range(entries)]
    docs += [(contract.HELP_REQUESTS, f"r-{i:05d}", contract.new_help_request(
        f"+1555040{i:04d}", f"Resolved question {i}?", now=now - timedelta(days=1, minutes=requests - i))
        | contract.resolution(f"Answer {i}.", now=now - timedelta(hours=1))) for i in range(requests)]
    for start in range(0, len(docs), 400):
        batch = client.batch()
        for collection, doc_id, data in docs[start:start + 400]:
            batch.set(client.collection(collection).document(doc_id), data)
        batch.commit()


def timed(page, click_js: str, selector: str, want: int) -> float:
    """Milliseconds from running click_js to `want` rows (checked each frame: the first painted one)."""
    page.evaluate("(js) => { window.__go = new Function(js); }", click_js)   # a string function would run
    ms, before, after = page.evaluate(UNTIL, [selector, want])
    assert before < want <= after, (before, want, after)
    return ms


def run_once(browser, url: str, email: str, password: str, entries: int, paged: bool) -> dict:
    page = browser.new_context(viewport={"width": 1100, "height": 800}).new_page()
    page.goto(url + "/#/pending")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Sign in", exact=True).click()
    page.locator('#list-pending[data-loaded="true"]').wait_for()
    want = min(entries, 100) if paged else entries
    out = {"learned_ms": timed(page, "location.hash = '#/learned';", "#learned-view li[data-id]", want)}
    out["learned_elements"] = page.evaluate("document.querySelectorAll('*').length")
    page.evaluate("location.hash = '#/resolved'")
    page.locator("#list-resolved li[data-id]").nth(99).wait_for()
    if paged:
        out["more_ms"] = timed(page, "document.querySelector('#list-resolved .more').click();",
                               "#list-resolved li[data-id]", 200)
    page.context.close()
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--entries", type=int, default=2000)
    parser.add_argument("--requests", type=int, default=1000)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--unpaged", action="store_true", help="the build shows every learned answer (before paging)")
    parser.add_argument("--hosting-url", default=hosting_url())
    args = parser.parse_args()
    clear_firestore()
    seed(db(), args.entries, args.requests)
    email, password = "bench-lists@frontdesk.test", "bench-password-1"
    ensure_supervisor(email, password, display_name="Bench")
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path="/usr/bin/chromium", headless=True,
                                     args=["--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1"])
        runs = [run_once(browser, args.hosting_url, email, password, args.entries, not args.unpaged)
                for _ in range(args.rounds)]
        browser.close()
    for key in runs[0]:
        values = [r[key] for r in runs]
        print(f"{key:18s} median {statistics.median(values):8.0f}   runs {', '.join(f'{v:.0f}' for v in values)}")
    print(f"load average {os.getloadavg()[0]:.1f}; {args.entries} entries, {args.requests} resolved requests")


if __name__ == "__main__":
    main()
