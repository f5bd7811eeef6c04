"""What Hosting sends with the dashboard (firebase.json `hosting.headers`): a Content-Security-Policy that
allows only the dashboard's own code and Firebase's endpoints, no framing, no sniffing; and the signed-in
dashboard working under it (no request or script the policy refused)."""
from __future__ import annotations

import urllib.request

from playwright.sync_api import expect


def test_the_dashboard_is_served_with_a_strict_policy(hosting_url):
    with urllib.request.urlopen(hosting_url + "/", timeout=10) as res:
        headers = res.headers
    policy = {d.split()[0]: d.split()[1:] for d in headers["Content-Security-Policy"].split("; ")}
    assert policy["frame-ancestors"] == ["'none'"] and policy["object-src"] == ["'none'"]
    assert policy["script-src"] == ["'self'"]                 # no inline or foreign script
    assert headers["X-Frame-Options"] == "DENY" and headers["X-Content-Type-Options"] == "nosniff"


def test_the_signed_in_dashboard_breaks_no_rule_of_the_policy(page, sign_in, supervisor, salon):
    refused = []
    page.on("console", lambda m: refused.append(m.text) if "Content Security Policy" in m.text else None)
    sign_in(page, supervisor.email)
    expect(page.get_by_role("heading", name="Pending requests")).to_be_visible()
    page.wait_for_timeout(500)      # let the live lists open their listeners
    assert refused == []
