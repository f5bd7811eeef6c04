"""What timing a request out writes (workflows/timeouts.plan), decided over plain dicts; the race with a
supervisor's answer and the sweep around it are in tests/integration/test_functions.py."""
from datetime import datetime, timedelta, timezone

from frontdesk_core import contract
from frontdesk_core.workflows import timeouts

NOW = datetime(2026, 12, 7, 9, tzinfo=timezone.utc)
TIMEOUT = timedelta(minutes=30)


def pending(minutes_ago=31, **fields):
    return {**contract.new_help_request("+15550100", "Do you do perms?", now=NOW - timedelta(minutes=minutes_ago),
                                        conversation_id="c1"), **fields}


def plan(raw, live=False):
    return timeouts.plan("r1", raw, now=NOW, timeout=TIMEOUT, call_live=live, caller_channel="sms",
                         salon_name="Lumen & Co.")


def test_an_overdue_question_becomes_unresolved_and_its_caller_is_told_by_text():
    update, notice = plan(pending())
    assert (update.op, update.collection, update.doc_id) == ("update", contract.HELP_REQUESTS, "r1")
    assert update.data["status"] == "unresolved" and update.data["timedOut"] is True
    assert update.data["unresolvedReason"] == "No supervisor answered within 30 minutes."
    assert (notice.collection, notice.doc_id) == (contract.FOLLOWUPS, "r1-timeout")
    assert notice.data["channel"] == "sms" and notice.data["kind"] == "timeout"
    assert "Lumen & Co." in notice.data["body"] and "perms" not in notice.data["body"]   # never the caller's words


def test_a_caller_still_on_the_call_is_told_there():
    assert plan(pending(), live=True)[1].data["channel"] == "call"


def test_nothing_before_the_deadline_nor_for_an_answered_gone_or_non_question_request():
    assert plan(pending(minutes_ago=29)) == []
    assert plan(pending(status="resolved", responseText="Yes.")) == []
    assert plan(None) == []
    assert plan(pending(kind="callback")) == []


def test_a_malformed_pending_request_leaves_the_queue_instead_of_stalling_it():
    [quarantined] = plan(pending(customerPhone="not a number"))
    assert quarantined.data["status"] == "unresolved" and "customerPhone" in quarantined.data["invalidReason"]
