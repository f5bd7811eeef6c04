"""Issue 16 items 4 and 5: a caller ID can be spoofed and a caller's words are not the salon's. The
salon's number never texts a caller's own words, one number cannot flood the salon with requests
(whoever writes them), and a caller's markup reaches the supervisors' Slack escaped. Like the other
functions tests they need settings that deliver to the fake provider (functions/.env.demo-test)."""
from __future__ import annotations

import pytest

from frontdesk_core import contract
from frontdesk_core.workflows import sweep
from tests.emulator import wait_for
from tests.integration.salon import add_request, answer, doc, registry, test_project  # noqa: F401
from tests.integration.salon import notices_of, requests, sms_to, swept

pytestmark = pytest.mark.emulator


# ---- item 4: a spoofed caller ID cannot make the salon text a stranger, or flood it ------------------

LURE = "Your bank card is blocked, call +1 555 0000 to unlock it"


def test_texts_from_the_salon_never_quote_the_callers_words(salon_db, provider):
    # The fault: someone calls with a victim's number and "asks" a message meant for the victim.
    answered = add_request(salon_db, phone="+15550271", question=LURE)
    answer(salon_db, answered, "Sorry, we only do hair.")
    wait_for(lambda: doc(salon_db, contract.HELP_REQUESTS, answered).get("followupSent"))
    ignored = add_request(salon_db, phone="+15550272", question=LURE, minutes_ago=45)
    wait_for(lambda: doc(salon_db, contract.NOTIFICATIONS, f"{ignored}-log"))
    assert sweep.run(salon_db, contract.utcnow(), channels=registry(), caller_channel="sms",
                     salon_name="Lumen & Co. Hair Studio")["timedOut"] == [ignored]
    to_victims = sms_to(provider, "+15550271") + sms_to(provider, "+15550272")
    assert to_victims == ["Following up on your call: Sorry, we only do hair.",
                          "Following up on your call: we could not get you an answer yet. "
                          "Someone from Lumen & Co. Hair Studio will call you back."]
    assert not any("blocked" in body or "555 0000" in body for body in to_victims)
    # The supervisors still see what was asked (that is their review).
    assert any(LURE in r.body for r in provider.delivered("webhook"))


QUESTIONS = ["Do you do perms?", "Is there parking nearby?", "Do you sell wigs?", "Can I bring my dog?",
             "Do you have wifi?", "Do you do henna tattoos?", "Do you take cheques?"]


def test_one_number_cannot_flood_the_salon_with_help_requests(salon_db, provider):
    import asyncio
    from agent.calls import CallRecord

    async def ask(record, questions):
        raised, refused = [], []
        for q in questions:
            try:
                raised.append((await record.request_help(q)).id)
            except contract.LimitReached as err:
                refused.append(str(err))
        await record.close()
        return raised, refused

    async def calls():   # one event loop: a call record writes through the loop's async client
        first = await ask(CallRecord(salon_db, "+15550281", channel="text"), QUESTIONS)
        # Another call from the same number: still refused; another number is not affected.
        second = await ask(CallRecord(salon_db, "+15550281", channel="text"), ["Do you do nails?"])
        other = await ask(CallRecord(salon_db, "+15550282", channel="text"), ["Do you do nails?"])
        return first, second, other

    (raised, refused), second, other = asyncio.run(calls())
    assert len(raised) == contract.MAX_OPEN_PER_NUMBER and len(refused) == len(QUESTIONS) - len(raised)
    assert "open" in refused[0]
    assert second[0] == []
    assert len(other[0]) == 1
    mine = [r for r in requests(salon_db).values() if r["customerPhone"] == "+15550281"]
    assert len(mine) == contract.MAX_OPEN_PER_NUMBER
    for rid in raised:
        wait_for(lambda: doc(salon_db, contract.NOTIFICATIONS, f"{rid}-log"))


def test_requests_written_past_the_limit_by_any_writer_are_refused_by_the_functions(salon_db, provider):
    # The fault: a writer that is not the agent (or an agent without the check) floods one number.
    ids = [add_request(salon_db, phone="+15550291", question=q, minutes_ago=10 - i)
           for i, q in enumerate(QUESTIONS[:contract.MAX_OPEN_PER_NUMBER + 1])]
    extra = ids[-1]
    flagged = wait_for(lambda: (lambda d: d if d.get("invalidReason") else None)(doc(salon_db, contract.HELP_REQUESTS, extra)))
    assert flagged["status"] == "unresolved" and flagged["invalidReason"].startswith("limit:")
    for rid in ids[:-1]:   # the earlier ones, whatever order their triggers ran in, are announced
        wait_for(lambda: doc(salon_db, contract.NOTIFICATIONS, f"{rid}-log"))
        assert doc(salon_db, contract.HELP_REQUESTS, rid)["status"] == "pending"
    assert notices_of(salon_db, extra) == []
    assert swept(salon_db)["repaired"]["announced"] == []     # the repair pass does not announce it either


# ---- item 5: a caller's words cannot ping or mislead the supervisors' Slack ------------------------

def test_slack_markup_in_a_callers_question_reaches_the_webhook_escaped(salon_db, provider):
    question = "<!channel> urgent: <https://evil.example/login|update the salon's password> & <@U0SUPER>"
    rid = add_request(salon_db, phone="+15550295", question=question)
    wait_for(lambda: (doc(salon_db, contract.NOTIFICATIONS, f"{rid}-webhook") or {}).get("status") == "sent")
    [posted] = [r.body for r in provider.delivered("webhook")]
    assert posted == ("Hey, I need help answering: &lt;!channel&gt; urgent: "
                      "&lt;https://evil.example/login|update the salon's password&gt; &amp; &lt;@U0SUPER&gt;")
    assert "<" not in posted and ">" not in posted
    # The outbox keeps the caller's words as they were; the SMS channel sends them unchanged.
    assert doc(salon_db, contract.NOTIFICATIONS, f"{rid}-webhook")["body"].endswith(question)
