"""Cloud Functions on the emulator: exactly-once side effects, delivery with retries, the status
machine, timeouts racing answers, in-call delivery, live figures (grouped callers: test_groups.py).

The functions deliver to tests/fake_provider.py (a Slack-compatible webhook and Twilio's Messages
API on loopback), configured by functions/.env.demo-test: these tests need `make test`'s project, or
another project whose functions/.env.<project> points at the fake provider (a suite on its own ports).
"""
from __future__ import annotations

import os
import threading
import urllib.request
from datetime import timedelta

import numpy as np
import pytest

from frontdesk_core import contract, embedding
from frontdesk_core.delivery import outbox
from frontdesk_core.workflows import resolution, sweep, timeouts
from tests.emulator import FUNCTIONS, vectors_of, wait_for
from tests.integration.salon import (SUPERVISOR_PHONE, add_request, answer, doc, followup_sent, registry,
                                      test_project)  # noqa: F401 - test_project: the module's autouse fixture

pytestmark = pytest.mark.emulator


def test_new_request_notifies_the_supervisor_on_every_channel(salon_db, provider):
    rid = add_request(salon_db)
    wait_for(lambda: len(provider.delivered()) == 2)
    texts = {(r.kind, r.to): r.body for r in provider.delivered()}
    assert texts == {("webhook", "supervisor"): "Hey, I need help answering: Do you sell gift cards?",
                     ("sms", SUPERVISOR_PHONE): "Hey, I need help answering: Do you sell gift cards?"}
    for channel in ("log", "webhook", "sms"):
        notice = wait_for(lambda: doc(salon_db, contract.NOTIFICATIONS, f"{rid}-{channel}"))
        assert notice["helpRequestId"] == rid
    wait_for(lambda: all(doc(salon_db, contract.NOTIFICATIONS, f"{rid}-{c}")["status"] == "sent"
                         for c in ("log", "webhook", "sms")))


def test_the_same_event_twice_learns_once_and_follows_up_once(salon_db, provider):
    rid = add_request(salon_db)
    answer(salon_db, rid)
    followup_sent(salon_db, rid)
    # The trigger has run; deliver the same event again, twice, the way the trigger handles it.
    for _ in range(2):
        again = resolution.on_resolved(salon_db, rid, channels=registry(), caller_channel="sms")
        assert again.resolved and not again.learned and again.delivery == "skipped"
    learned = [s for s in salon_db.collection(contract.KNOWLEDGE_BASE).stream()
               if s.get("originatingRequestId") == rid]
    assert [s.id for s in learned] == [rid]
    assert [r.body for r in provider.delivered("sms") if r.to == "+15550101"] == [
        'Following up on your call: Yes, gift cards from $25.']
    assert doc(salon_db, contract.FOLLOWUPS, rid)["attempts"] == 1


def test_sms_failures_are_retried_with_backoff_and_sent_once(salon_db, provider):
    provider.fail_next("sms", 500, "timeout")        # the supervisor's SMS
    rid = add_request(salon_db)
    notice = wait_for(lambda: (lambda n: n if n and n["attempts"] == 1 and n["status"] == "queued" else None)(
        doc(salon_db, contract.NOTIFICATIONS, f"{rid}-sms")))
    assert "HTTP 500" in notice["error"]
    now = contract.utcnow()
    # Not due yet: the sweep leaves it alone.
    assert sweep.run(salon_db, now, channels=registry(), caller_channel="sms")["deliveries"] == {}
    # Due: the next attempt hangs past the client's timeout, then the one after succeeds.
    later = notice["nextAttemptAt"] + timedelta(seconds=1)
    assert sweep.run(salon_db, later, channels=registry(), caller_channel="sms")["deliveries"] == {"retry": 1}
    retried = doc(salon_db, contract.NOTIFICATIONS, f"{rid}-sms")
    assert retried["attempts"] == 2 and "unreachable" in retried["error"]
    assert retried["nextAttemptAt"] - later == outbox.backoff(2)
    final = sweep.run(salon_db, retried["nextAttemptAt"], channels=registry(), caller_channel="sms")
    assert final["deliveries"] == {"sent": 1}
    sent = doc(salon_db, contract.NOTIFICATIONS, f"{rid}-sms")
    assert sent["status"] == "sent" and sent["attempts"] == 3 and sent["error"] is None
    assert len([r for r in provider.delivered("sms") if r.to == SUPERVISOR_PHONE]) == 1
    assert [r.outcome for r in provider.received if r.kind == "sms"] == [500, "timeout", 201]


def test_webhook_down_is_retried_and_visible(salon_db, provider):
    provider.fail_next("webhook", 500, 500, 500, 500, 500)
    rid = add_request(salon_db)
    ref = salon_db.collection(contract.NOTIFICATIONS).document(f"{rid}-webhook")
    wait_for(lambda: (ref.get().to_dict() or {}).get("error"))   # first attempt failed, back in the queue
    for _ in range(outbox.MAX_ATTEMPTS - 1):
        sweep.run(salon_db, ref.get().get("nextAttemptAt"), channels=registry(), caller_channel="sms")
    failed = ref.get().to_dict()
    assert failed["status"] == "failed" and failed["attempts"] == outbox.MAX_ATTEMPTS
    assert "HTTP 500" in failed["error"]
    assert provider.delivered("webhook") == []


def test_follow_up_failure_leaves_followup_unsent_until_retried(salon_db, provider):
    rid = add_request(salon_db, phone="+15550102")
    wait_for(lambda: (doc(salon_db, contract.NOTIFICATIONS, f"{rid}-sms") or {}).get("status") == "sent")
    provider.fail_next("sms", 503)   # for the follow-up, not the supervisor's notice
    answer(salon_db, rid)
    pending = wait_for(lambda: (lambda f: f if f and f.get("error") else None)(doc(salon_db, contract.FOLLOWUPS, rid)))
    assert pending["status"] == "queued" and "HTTP 503" in pending["error"]
    assert doc(salon_db, contract.HELP_REQUESTS, rid)["followupSent"] is False
    sweep.run(salon_db, pending["nextAttemptAt"], channels=registry(), caller_channel="sms")
    assert doc(salon_db, contract.HELP_REQUESTS, rid)["followupSent"] is True
    assert len([r for r in provider.delivered("sms") if r.to == "+15550102"]) == 1


@pytest.mark.parametrize("change,reason", [
    ({"status": "pending"}, "cannot go from resolved to pending"),
    ({"status": "archived"}, "'archived' is not a status"),
    ({"responseText": "A different answer"}, "a resolved answer is final"),
])
def test_illegal_changes_to_a_resolved_request_are_reverted(salon_db, change, reason):
    rid = add_request(salon_db)
    answer(salon_db, rid)
    followup_sent(salon_db, rid)
    salon_db.collection(contract.HELP_REQUESTS).document(rid).update(change)
    reverted = wait_for(lambda: (lambda d: d if d.get("rejectedChange") else None)(
        doc(salon_db, contract.HELP_REQUESTS, rid)))
    assert reverted["status"] == "resolved" and reverted["responseText"] == "Yes, gift cards from $25."
    assert reason in reverted["rejectedChange"]["reason"]


def test_resolved_without_an_answer_is_reverted_to_pending(salon_db, provider):
    rid = add_request(salon_db)
    salon_db.collection(contract.HELP_REQUESTS).document(rid).update({"status": "resolved"})
    reverted = wait_for(lambda: (lambda d: d if d.get("rejectedChange") else None)(
        doc(salon_db, contract.HELP_REQUESTS, rid)))
    assert reverted["status"] == "pending" and "without a valid answer" in reverted["rejectedChange"]["reason"]
    assert doc(salon_db, contract.KNOWLEDGE_BASE, rid) is None
    assert doc(salon_db, contract.FOLLOWUPS, rid) is None


def test_malformed_request_is_flagged_not_crash_looped(salon_db, provider):
    ref = salon_db.collection(contract.HELP_REQUESTS).document()
    ref.set({"customerPhone": "call me maybe", "question": "", "timestamp": contract.utcnow(),
             "status": "pending"})
    flagged = wait_for(lambda: (ref.get().to_dict() or {}).get("invalidReason"))
    assert "customerPhone" in flagged
    assert list(salon_db.collection(contract.NOTIFICATIONS).stream()) == []


def test_timeout_sweep_through_the_scheduled_function(salon_db, provider):
    old = add_request(salon_db, phone="+15550103", question="Can you do a perm?", minutes_ago=31)
    fresh = add_request(salon_db, phone="+15550104", question="Do you do henna?", minutes_ago=5)
    wait_for(lambda: doc(salon_db, contract.NOTIFICATIONS, f"{fresh}-log"))
    # The emulator never fires schedules: POST to the scheduled function's route, as the scheduler would.
    url = f"{FUNCTIONS}/functions/projects/{os.environ['GCLOUD_PROJECT']}/triggers/us-central1-sweep_requests-0"
    with urllib.request.urlopen(urllib.request.Request(url, data=b"{}", method="POST"), timeout=30) as res:
        assert res.status in (200, 204)
    timed_out = doc(salon_db, contract.HELP_REQUESTS, old)
    assert timed_out["status"] == "unresolved" and timed_out["timedOut"] is True
    assert "30 minutes" in timed_out["unresolvedReason"]
    assert doc(salon_db, contract.HELP_REQUESTS, fresh)["status"] == "pending"
    told = wait_for(lambda: [r for r in provider.delivered("sms") if r.to == "+15550103"])
    assert "will call you back" in told[0].body
    assert doc(salon_db, contract.FOLLOWUPS, f"{old}-timeout")["status"] == "sent"


def test_answer_racing_the_sweep_ends_in_one_consistent_state(salon_db, provider):
    ids = [add_request(salon_db, phone=f"+1555011{i}", question=f"Question number {i}?", minutes_ago=45)
           for i in range(6)]
    now = contract.utcnow()
    outcomes = {}

    def sweep_one(rid):
        outcomes[rid] = timeouts.expire(salon_db, rid, now=now, timeout=timedelta(minutes=30),
                                        caller_channel="sms")

    for rid in ids:   # the supervisor's answer and the sweep's transaction at the same moment
        threads = [threading.Thread(target=sweep_one, args=(rid,)),
                   threading.Thread(target=answer, args=(salon_db, rid, f"Answer for {rid}"))]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
    for rid in ids:
        followup_sent(salon_db, rid)
        final = doc(salon_db, contract.HELP_REQUESTS, rid)
        # The answer always stands (a late answer to a timed-out request is allowed) …
        assert final["status"] == "resolved" and final["responseText"] == f"Answer for {rid}"
        # … and the caller heard about a timeout only if the sweep committed first.
        timeout_notice = doc(salon_db, contract.FOLLOWUPS, f"{rid}-timeout")
        assert (timeout_notice is not None) == outcomes[rid] == bool(final.get("timedOut"))
        assert doc(salon_db, contract.FOLLOWUPS, rid)["status"] == "sent"


def test_answer_during_a_live_call_is_left_to_the_call_then_texted_when_it_ends(salon_db, provider):
    conv = salon_db.collection(contract.CONVERSATIONS).document()
    conv.set(contract.new_conversation("+15550131", channel="text"))
    live = add_request(salon_db, phone="+15550131", question="Is there a student discount?", conversation_id=conv.id)
    later = add_request(salon_db, phone="+15550131", question="Do you do perms?", conversation_id=conv.id)
    conv.update({"helpRequestIds": [live, later]})
    answer(salon_db, live, "Yes, 10% with a student card.")
    queued = wait_for(lambda: doc(salon_db, contract.FOLLOWUPS, live))
    assert queued["channel"] == "call" and queued["status"] == "queued"
    # The agent, still on the call, says it: delivered once, in the call.
    said = resolution.claim_in_call(salon_db, live)
    assert said["responseText"] == "Yes, 10% with a student card."
    assert resolution.claim_in_call(salon_db, live) is None
    assert doc(salon_db, contract.FOLLOWUPS, live)["deliveredInCall"] is True
    assert doc(salon_db, contract.HELP_REQUESTS, live)["followupSent"] is True
    # Answered while still connected, but the call ends before the agent says it: texted instead.
    answer(salon_db, later, "Yes, perms start at $120.")
    wait_for(lambda: doc(salon_db, contract.FOLLOWUPS, later))
    conv.update({"endedAt": contract.utcnow()})
    followup_sent(salon_db, later)
    assert doc(salon_db, contract.FOLLOWUPS, later)["channel"] == "sms"
    texts = [r.body for r in provider.delivered("sms") if r.to == "+15550131"]
    assert texts == ['Following up on your call: Yes, perms start at $120.']


def test_figures_for_the_dashboard_stay_live(salon_db, provider):
    conv = salon_db.collection(contract.CONVERSATIONS).document()
    conv.set({**contract.new_conversation("+15550141", channel="text"),
              "turns": [contract.turn("caller", "hours?"), contract.turn("agent", "9-5"),
                        contract.turn("caller", "gift cards?"), contract.turn("agent", "let me check"),
                        contract.turn("caller", "parking?"), contract.turn("agent", "garage")]})
    first = add_request(salon_db, question="Do you sell gift cards?", conversation_id=conv.id)
    add_request(salon_db, phone="+15550142", question="Do you do perms?", minutes_ago=3)
    conv.update({"helpRequestIds": [first], "endedAt": contract.utcnow()})
    answer(salon_db, first)
    # Each event's own trigger counts it, in any order under load: wait until the summary has all three
    # (the answer, the other open request, the ended call), then check what they add up to.
    summary = wait_for(lambda: (lambda s: s if s and (s.get("answeredToday"), s.get("openCount"),
                                                      s.get("questionsAsked")) == (1, 1, 3) else None)(
        doc(salon_db, "stats", "summary")))
    assert summary["openCount"] == 1
    assert summary["questionsAsked"] == 3 and summary["answeredByAI"] == 2
    assert summary["deflectionRate"] == pytest.approx(2 / 3)
    assert summary["medianSecondsToAnswer"] is not None and summary["medianSecondsToAnswer"] >= 0
    assert summary["oldestPendingAt"] is not None
    assert summary["topUnanswered"] == [{"question": "do you do perms", "count": 1}]


def test_agent_dying_mid_call_still_gets_the_follow_up_out(salon_db, provider):
    # The agent escalated, then its process died: the conversation never got `endedAt`.
    conv = salon_db.collection(contract.CONVERSATIONS).document()
    conv.set({**contract.new_conversation("+15550161", channel="voice"),
              "lastActiveAt": contract.utcnow() - timedelta(minutes=5)})
    rid = add_request(salon_db, phone="+15550161", question="Do you do perms?", conversation_id=conv.id)
    conv.update({"helpRequestIds": [rid]})
    assert doc(salon_db, contract.HELP_REQUESTS, rid)["status"] == "pending"   # still visible, still open
    answer(salon_db, rid, "Yes, from $120.")
    assert wait_for(lambda: doc(salon_db, contract.FOLLOWUPS, rid))["channel"] == "call"
    result = sweep.run(salon_db, contract.utcnow(), channels=registry(), caller_channel="sms")
    assert result["endedCalls"] == [conv.id]
    followup_sent(salon_db, rid)
    assert [r.body for r in provider.delivered("sms") if r.to == "+15550161"] == [
        'Following up on your call: Yes, from $120.']


@pytest.mark.parametrize("fields,reason", [
    ({"question": "x" * 10_000}, "question: is 10000 characters; the limit is 500"),
    ({"question": "   \n\t "}, "question: must not be empty"),
    ({"question": 42}, "question: must be text"),
    ({"customerPhone": "+1 555 CALL ME"}, "customerPhone"),
    ({"status": "archived"}, "status: 'archived' is not one of"),
    ({"timestamp": "yesterday"}, "timestamp: must be a timestamp"),
    ({"followupSent": "no"}, "followupSent: must be true or false"),
])
def test_bad_requests_from_any_writer_are_flagged_and_nothing_else_is_written(salon_db, provider, fields, reason):
    ref = salon_db.collection(contract.HELP_REQUESTS).document()
    ref.set({**contract.new_help_request("+15550171", "Valid question?"), **fields})
    flagged = wait_for(lambda: (ref.get().to_dict() or {}).get("invalidReason"))
    assert reason in flagged
    assert list(salon_db.collection(contract.NOTIFICATIONS).stream()) == []
    assert list(salon_db.collection(contract.FOLLOWUPS).stream()) == []


def test_unicode_and_markup_travel_unchanged(salon_db, provider):
    question = "¿Hacéis mechas balayage? 💇‍♀️ <b>urgent</b> <script>alert(1)</script>"
    rid = add_request(salon_db, phone="+447946095800", question=question)
    answer(salon_db, rid, "Sí — desde 240 $ 💜 <i>sin</i> cita previa.")
    followup_sent(salon_db, rid)
    assert doc(salon_db, contract.KNOWLEDGE_BASE, rid)["question"] == question
    [text] = [r.body for r in provider.delivered("sms") if r.to == "+447946095800"]
    assert text == 'Following up on your call: Sí — desde 240 $ 💜 <i>sin</i> cita previa.'


def test_knowledge_edited_on_the_dashboard_is_re_embedded(salon_db):
    ref = salon_db.collection(contract.KNOWLEDGE_BASE).document("seed-hours-sunday")
    before = embedding.from_firestore(vectors_of(salon_db, ref.id)["embedding"])
    ref.update({"question": "Are you open on Sunday mornings?", "updatedAt": contract.utcnow()})
    def re_embedded():
        vec = embedding.from_firestore(vectors_of(salon_db, ref.id)["embedding"])
        return vec is not None and not np.allclose(vec, before)

    wait_for(re_embedded)
    changed = embedding.from_firestore(vectors_of(salon_db, ref.id)["embedding"])
    assert np.dot(changed, embedding.embed("Are you open on Sunday mornings?")) > 0.9999
    added = salon_db.collection(contract.KNOWLEDGE_BASE).document("added-by-hand")
    added.set({"question": "Do you have wifi?", "answer": "Yes, ask at the desk.", "createdAt": contract.utcnow(),
               "originatingRequestId": None, "source": "supervisor"})
    wait_for(lambda: (vectors_of(salon_db, added.id) or {}).get("embedding") is not None)

