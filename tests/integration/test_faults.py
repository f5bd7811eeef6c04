"""Issue 16: faults injected, and nothing lost, nothing stalled.

Each test injects one fault (a malformed document from any writer, a trigger cut short half way by
`frontdesk_core.infra.faults`, a step that raises) and then shows that every good request still gets what
it is owed (a notice, a timeout, a retry, exactly one entry and one follow-up) and that the state is
consistent. Like tests/integration/test_functions.py they need functions settings that deliver to the
fake provider (functions/.env.demo-test, which also turns fault injection on).
"""
from __future__ import annotations

from datetime import timedelta

import pytest

from frontdesk_core import contract
from frontdesk_core.infra import faults
from frontdesk_core.workflows import sweep, timeouts
from tests.emulator import salon_timezone, vectors_of, wait_for
from tests.integration.salon import (add_request, answer, doc, fault_hit, notices_of, registry,  # noqa: F401
                                     sms_to, swept, test_project)

pytestmark = pytest.mark.emulator


def corrupt(db, request_id, **fields):
    """What any writer with the Admin SDK can do after creation: no trigger validates an update."""
    db.collection(contract.HELP_REQUESTS).document(request_id).update(fields)


# ---- item 3: one malformed request must not stall anything ------------------------------------------

def test_a_malformed_overdue_request_does_not_stall_timeouts_calls_or_retries(salon_db, provider):
    # The fault: the oldest overdue request's number is garbage (written after creation, so no trigger
    # saw it). Before the fix the sweep raised on it every run, so nothing behind it ever happened.
    bad = add_request(salon_db, phone="+15550201", question="Do you do perms?", minutes_ago=50)
    wait_for(lambda: doc(salon_db, contract.NOTIFICATIONS, f"{bad}-log"))
    corrupt(salon_db, bad, customerPhone="call me maybe")
    late = add_request(salon_db, phone="+15550202", question="Do you do henna?", minutes_ago=45)
    # A follow-up whose first SMS failed: due for a retry.
    retry = add_request(salon_db, phone="+15550203", question="Is there parking?")
    wait_for(lambda: (doc(salon_db, contract.NOTIFICATIONS, f"{retry}-sms") or {}).get("status") == "sent")
    provider.fail_next("sms", 503)
    answer(salon_db, retry, "Yes, behind the building.")
    queued = wait_for(lambda: (lambda f: f if f and f.get("error") else None)(doc(salon_db, contract.FOLLOWUPS, retry)))
    # A call whose agent died, and one whose heartbeat is not even a time.
    silent = salon_db.collection(contract.CONVERSATIONS).document()
    silent.set({**contract.new_conversation("+15550204", channel="voice"),
                "lastActiveAt": contract.utcnow() - timedelta(minutes=5)})
    garbled = salon_db.collection(contract.CONVERSATIONS).document()
    garbled.set({**contract.new_conversation("+15550205", channel="voice"), "lastActiveAt": "a while ago"})
    # An outbox message with no recipient (written by hand).
    salon_db.collection(contract.FOLLOWUPS).document("hand-written").set(
        {"status": "queued", "channel": "sms", "body": "hi", "nextAttemptAt": contract.utcnow(), "attempts": 0})

    now = queued["nextAttemptAt"] + timedelta(seconds=1)
    summary = sweep.run(salon_db, now, channels=registry(), caller_channel="sms")

    assert summary["errors"] == []
    assert summary["timedOut"] == [late]
    flagged = doc(salon_db, contract.HELP_REQUESTS, bad)
    assert flagged["status"] == "unresolved" and "customerPhone" in flagged["invalidReason"]
    assert not flagged.get("timedOut") and doc(salon_db, contract.FOLLOWUPS, f"{bad}-timeout") is None
    assert doc(salon_db, contract.HELP_REQUESTS, late)["status"] == "unresolved"
    assert doc(salon_db, contract.FOLLOWUPS, f"{late}-timeout")["status"] == "sent"
    assert len(sms_to(provider, "+15550202")) == 1
    assert set(summary["endedCalls"]) == {silent.id, garbled.id}
    assert doc(salon_db, contract.HELP_REQUESTS, retry)["followupSent"] is True
    assert len(sms_to(provider, "+15550203")) == 1
    assert doc(salon_db, contract.FOLLOWUPS, "hand-written")["status"] == "failed"
    # Out of the queue for good: the next sweep has nothing to do with it, and still no errors.
    again = sweep.run(salon_db, now + timedelta(minutes=1), channels=registry(), caller_channel="sms")
    assert again["errors"] == [] and again["timedOut"] == []
    assert timeouts.overdue(salon_db, now + timedelta(minutes=1), timedelta(minutes=30)) == []


def test_one_item_that_raises_is_recorded_and_the_sweep_goes_on(salon_db, provider, monkeypatch):
    # The fault: timing out one particular request raises (anything: a bug, a Firestore error).
    first = add_request(salon_db, phone="+15550211", question="Do you do perms?", minutes_ago=50)
    second = add_request(salon_db, phone="+15550212", question="Do you do henna?", minutes_ago=40)
    for rid in (first, second):
        wait_for(lambda: doc(salon_db, contract.NOTIFICATIONS, f"{rid}-sms"))
    real = timeouts.expire

    def expire(db, rid, **kw):
        if rid == first:
            raise RuntimeError("boom")
        return real(db, rid, **kw)

    monkeypatch.setattr(timeouts, "expire", expire)
    summary = sweep.run(salon_db, contract.utcnow(), channels=registry(), caller_channel="sms")
    assert summary["timedOut"] == [second]
    assert [(e["step"], e["id"]) for e in summary["errors"]] == [("timeout", first)]
    assert doc(salon_db, contract.HELP_REQUESTS, first)["status"] == "pending"   # untouched, tried next run
    monkeypatch.setattr(timeouts, "expire", real)
    assert sweep.run(salon_db, contract.utcnow(), channels=registry(), caller_channel="sms")["timedOut"] == [first]


@pytest.mark.parametrize("fields", [{"timestamp": "yesterday"}, {"timestamp": None}, {"question": 42}])
def test_a_malformed_open_request_does_not_break_grouping(salon_db, provider, fields):
    # The fault: an open request whose timestamp is text or null (or whose question is not text),
    # written after creation. Before the fix comparing timestamps raised for every new request.
    odd = add_request(salon_db, phone="+15550221", question="Do you do bridal trials?", minutes_ago=10)
    wait_for(lambda: doc(salon_db, contract.NOTIFICATIONS, f"{odd}-log"))
    corrupt(salon_db, odd, **fields)
    first = add_request(salon_db, phone="+15550222", question="Do you do bridal trials?")
    wait_for(lambda: doc(salon_db, contract.NOTIFICATIONS, f"{first}-log"))
    second = add_request(salon_db, phone="+15550223", question="Can I get a bridal trial?")
    assert wait_for(lambda: doc(salon_db, contract.HELP_REQUESTS, second).get("groupId")) == first
    notified = {s.get("helpRequestId") for s in salon_db.collection(contract.NOTIFICATIONS).stream()
                if s.get("status") != "cancelled"}
    assert notified & {odd, first, second} == {odd, first}
    assert doc(salon_db, contract.HELP_REQUESTS, odd).get("groupId") is None


def test_malformed_documents_do_not_stop_the_dashboard_figures(salon_db, provider):
    from frontdesk_core.workflows import stats
    # The fault: an invalid request a supervisor answered anyway (its timestamp is text), and a
    # conversation whose turns are not a list of turns.
    odd = add_request(salon_db, phone="+15550296", question="Do you do perms?")
    wait_for(lambda: doc(salon_db, contract.NOTIFICATIONS, f"{odd}-log"))
    corrupt(salon_db, odd, timestamp="yesterday")
    answer(salon_db, odd, "Yes, from $120.")
    salon_db.collection(contract.CONVERSATIONS).document("garbled").set(
        {**contract.new_conversation("+15550297", channel="text"), "turns": "hello", "helpRequestIds": None})
    good = add_request(salon_db, phone="+15550298", question="Is there parking?", minutes_ago=3)
    answer(salon_db, good, "Yes, behind the building.")
    summary = stats.refresh(salon_db, contract.utcnow(), salon_timezone())
    assert summary["answeredToday"] == 1 and summary["medianSecondsToAnswer"] >= 0


@pytest.mark.parametrize("fields,reason", [
    ({"customerPhone": "call me maybe"}, "customerPhone"),
    ({"timestamp": "yesterday"}, "timestamp"),
    ({"timestamp": None}, "timestamp"),
])
def test_a_request_created_malformed_leaves_the_pending_queue(salon_db, provider, fields, reason):
    ref = salon_db.collection(contract.HELP_REQUESTS).document()
    ref.set({**contract.new_help_request("+15550231", "Do you do perms?",
                                         now=contract.utcnow() - timedelta(hours=1)), **fields})
    flagged = wait_for(lambda: (lambda d: d if d.get("invalidReason") else None)(ref.get().to_dict() or {}))
    assert flagged["status"] == "unresolved" and reason in flagged["invalidReason"]
    good = add_request(salon_db, phone="+15550232", question="Do you do henna?", minutes_ago=45)
    wait_for(lambda: doc(salon_db, contract.NOTIFICATIONS, f"{good}-log"))
    summary = sweep.run(salon_db, contract.utcnow(), channels=registry(), caller_channel="sms")
    assert summary["timedOut"] == [good] and summary["errors"] == []
    assert doc(salon_db, contract.FOLLOWUPS, ref.id + "-timeout") is None


# ---- item 2: a trigger cut short loses nothing; the sweep's repair pass finishes its work -------------

def learned_from(db, rid):
    return [s.id for s in db.collection(contract.KNOWLEDGE_BASE).stream() if s.get("originatingRequestId") == rid]


def test_a_new_request_trigger_cut_short_is_announced_by_the_sweep(salon_db, provider):
    faults.arm(salon_db, faults.CREATED_BEFORE_NOTICE)
    rid = add_request(salon_db, phone="+15550241", question="Do you do perms?")
    fault_hit(salon_db, faults.CREATED_BEFORE_NOTICE)
    assert notices_of(salon_db, rid) == []            # the trigger died before telling anyone
    assert swept(salon_db)["repaired"]["announced"] == [rid]
    assert swept(salon_db)["repaired"]["announced"] == []   # nothing left to do: no second notice
    assert sorted(n["channel"] for n in notices_of(salon_db, rid)) == ["log", "sms", "webhook"]
    assert all(n["status"] == "sent" for n in notices_of(salon_db, rid))
    told = [r for r in provider.delivered() if "Do you do perms?" in r.body]
    assert sorted(r.kind for r in told) == ["sms", "webhook"]
    assert doc(salon_db, contract.HELP_REQUESTS, rid)["status"] == "pending"


def test_a_new_request_trigger_cut_short_after_queueing_its_notices_still_tells_the_supervisors(salon_db, provider):
    faults.arm(salon_db, faults.CREATED_BEFORE_GROUPING)
    rid = add_request(salon_db, phone="+15550243", question="Do you do hair tinsel?")
    fault_hit(salon_db, faults.CREATED_BEFORE_GROUPING)
    queued = notices_of(salon_db, rid)
    assert sorted(n["channel"] for n in queued) == ["log", "sms", "webhook"]
    assert {n["status"] for n in queued} == {"queued"}    # committed to the outbox before the crash
    summary = swept(salon_db)
    assert summary["repaired"]["announced"] == [] and summary["deliveries"] == {"sent": 3}
    assert {n["status"] for n in notices_of(salon_db, rid)} == {"sent"}
    assert sorted(r.kind for r in provider.delivered() if "hair tinsel" in r.body) == ["sms", "webhook"]
    assert swept(salon_db)["deliveries"] == {}


def test_an_answer_trigger_cut_short_is_learned_and_followed_up_by_the_sweep(salon_db, provider):
    rid = add_request(salon_db, phone="+15550242", question="Do you do henna brows?")
    wait_for(lambda: doc(salon_db, contract.NOTIFICATIONS, f"{rid}-log"))
    faults.arm(salon_db, faults.RESOLVED_BEFORE_RECORD)
    answer(salon_db, rid, "Yes, henna brows are $35.")
    fault_hit(salon_db, faults.RESOLVED_BEFORE_RECORD)
    assert learned_from(salon_db, rid) == [] and doc(salon_db, contract.FOLLOWUPS, rid) is None
    assert swept(salon_db)["repaired"]["answered"] == [rid]
    assert swept(salon_db)["repaired"]["answered"] == []
    assert learned_from(salon_db, rid) == [rid]
    entry = doc(salon_db, contract.KNOWLEDGE_BASE, rid)
    assert entry["answer"] == "Yes, henna brows are $35." and len(vectors_of(salon_db, rid)["embedding"]) == 384
    assert doc(salon_db, contract.FOLLOWUPS, rid)["status"] == "sent"
    assert doc(salon_db, contract.HELP_REQUESTS, rid)["followupSent"] is True
    assert len(sms_to(provider, "+15550242")) == 1
    assert len(notices_of(salon_db, rid)) == 3


def test_a_group_answer_cut_short_before_its_members_reaches_every_caller(salon_db, provider):
    first = add_request(salon_db, phone="+15550251", question="Do you do bridal trials?")
    wait_for(lambda: doc(salon_db, contract.NOTIFICATIONS, f"{first}-log"))
    member = add_request(salon_db, phone="+15550252", question="Can I get a bridal trial?")
    assert wait_for(lambda: doc(salon_db, contract.HELP_REQUESTS, member).get("groupId")) == first
    faults.arm(salon_db, faults.RESOLVED_BEFORE_MEMBERS)
    answer(salon_db, first, "Yes, bridal trials are $80.")
    fault_hit(salon_db, faults.RESOLVED_BEFORE_MEMBERS)
    wait_for(lambda: doc(salon_db, contract.HELP_REQUESTS, first).get("followupSent"))
    assert doc(salon_db, contract.HELP_REQUESTS, member)["status"] == "pending"   # left behind
    assert swept(salon_db)["repaired"]["joined"] == [member]
    wait_for(lambda: doc(salon_db, contract.HELP_REQUESTS, member).get("followupSent"))
    assert not any(swept(salon_db)["repaired"].values())
    assert learned_from(salon_db, first) == [first] and learned_from(salon_db, member) == []
    for phone in ("+15550251", "+15550252"):
        assert len(sms_to(provider, phone)) == 1
    assert notices_of(salon_db, member) == []       # one notice per group, as before


def test_a_call_ended_trigger_cut_short_still_texts_the_answer_left_for_the_call(salon_db, provider):
    conv = salon_db.collection(contract.CONVERSATIONS).document()
    conv.set(contract.new_conversation("+15550261", channel="text"))
    rid = add_request(salon_db, phone="+15550261", question="Is there a student discount?", conversation_id=conv.id)
    conv.update({"helpRequestIds": [rid]})
    answer(salon_db, rid, "Yes, 10% with a student card.")
    assert wait_for(lambda: doc(salon_db, contract.FOLLOWUPS, rid))["channel"] == "call"   # left to the call
    faults.arm(salon_db, faults.CALL_ENDED_BEFORE_REROUTE)
    conv.update({"endedAt": contract.utcnow()})       # the caller hung up before the agent said it
    fault_hit(salon_db, faults.CALL_ENDED_BEFORE_REROUTE)
    assert doc(salon_db, contract.FOLLOWUPS, rid)["channel"] == "call"   # stuck: no channel sends "call"
    assert swept(salon_db)["repaired"]["rerouted"] == [conv.id]
    assert swept(salon_db)["repaired"]["rerouted"] == []
    assert doc(salon_db, contract.FOLLOWUPS, rid)["status"] == "sent"
    assert doc(salon_db, contract.HELP_REQUESTS, rid)["followupSent"] is True
    assert sms_to(provider, "+15550261") == ["Following up on your call: Yes, 10% with a student card."]


def test_a_conflict_resolution_cut_short_is_applied_by_the_sweep(salon_db, provider):
    kb = salon_db.collection(contract.KNOWLEDGE_BASE)
    for eid, other, text in (("wifi-a", "wifi-b", "Yes, free wifi."), ("wifi-b", "wifi-a", "No wifi, sorry.")):
        kb.document(eid).set({**contract.new_knowledge_entry("Do you have wifi?", text, source="seed"),
                              contract.PHRASINGS: [], contract.CONFLICT_WITH: [other]})
    cid = contract.conflict_id("wifi-a", "wifi-b")
    ref = salon_db.collection(contract.KNOWLEDGE_CONFLICTS).document(cid)
    ref.set(contract.new_conflict("wifi-a", "wifi-b", "the answers differ"))
    faults.arm(salon_db, faults.CONFLICT_BEFORE_APPLY)
    ref.update({"status": "resolved", "keep": "wifi-a", "resolvedBy": "supervisor-1", "resolvedAt": contract.utcnow()})
    fault_hit(salon_db, faults.CONFLICT_BEFORE_APPLY)
    assert doc(salon_db, contract.KNOWLEDGE_BASE, "wifi-b") is not None          # both still held
    assert doc(salon_db, contract.KNOWLEDGE_BASE, "wifi-a")[contract.CONFLICT_WITH] == ["wifi-b"]
    assert swept(salon_db)["repaired"]["settled"] == [cid]
    assert swept(salon_db)["repaired"]["settled"] == []
    assert doc(salon_db, contract.KNOWLEDGE_BASE, "wifi-b") is None
    kept = doc(salon_db, contract.KNOWLEDGE_BASE, "wifi-a")
    assert kept[contract.CONFLICT_WITH] == [] and kept["answer"] == "Yes, free wifi."


def test_an_entry_whose_embedding_was_cut_short_gets_its_vectors_from_the_sweep(salon_db):
    from frontdesk_core import embedding
    import numpy as np
    faults.arm(salon_db, faults.KNOWLEDGE_BEFORE_EMBED)
    added = salon_db.collection(contract.KNOWLEDGE_BASE).document("added-by-hand")
    added.set({"question": "Do you have wifi?", "answer": "Yes, ask at the desk.", "createdAt": contract.utcnow(),
               "originatingRequestId": None, "source": "supervisor"})
    fault_hit(salon_db, faults.KNOWLEDGE_BEFORE_EMBED)
    assert vectors_of(salon_db, "added-by-hand") is None
    assert swept(salon_db)["repaired"]["embedded"] == ["added-by-hand"]
    vec = embedding.from_firestore(vectors_of(salon_db, "added-by-hand")["embedding"])
    assert np.dot(vec, embedding.embed("Do you have wifi?")) > 0.9999
    # An edit whose re-embedding is cut short: the old vectors are stale, and found by their stamp.
    faults.arm(salon_db, faults.KNOWLEDGE_BEFORE_EMBED)
    added.update({"question": "Is there free wifi for clients?", "updatedAt": contract.utcnow()})
    fault_hit(salon_db, faults.KNOWLEDGE_BEFORE_EMBED)
    revisions = list(added.collection(contract.REVISIONS).stream())   # recorded before the crash
    assert [r.get("after")["question"] for r in revisions] == ["Is there free wifi for clients?"]
    assert swept(salon_db)["repaired"]["embedded"] == ["added-by-hand"]
    assert swept(salon_db)["repaired"]["embedded"] == []
    vec = embedding.from_firestore(vectors_of(salon_db, "added-by-hand")["embedding"])
    assert np.dot(vec, embedding.embed("Is there free wifi for clients?")) > 0.9999
