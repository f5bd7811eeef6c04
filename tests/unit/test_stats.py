"""Issue 16 item 8: the dashboard's figures as counters (pure): what each item counts for, that
replacing a contribution by itself changes nothing (an event delivered twice), and the summary."""
from datetime import datetime, timedelta, timezone

import pytest

from frontdesk_core import contract
from frontdesk_core.workflows import statcount

NOW = datetime(2026, 12, 6, 20, tzinfo=timezone.utc)


def request(minutes_ago=5, **fields):
    return {**contract.new_help_request("+15550100", "Do you do perms?", now=NOW - timedelta(minutes=minutes_ago)),
            **fields}


def answered(minutes_ago=5, waited=120, **fields):
    at = NOW - timedelta(minutes=minutes_ago)
    return request(minutes_ago, status="resolved", responseText="Yes.", **fields,
                   respondedAt=at + timedelta(seconds=waited))


def test_what_a_request_counts_for():
    part, expires = statcount.request_part(request(), NOW, "UTC")
    assert part == {"open": 1, "unanswered": {"do you do perms": 1}}
    assert expires == NOW - timedelta(minutes=5) + statcount.WINDOW
    part, _ = statcount.request_part(answered(), NOW, "UTC")
    assert part == {"waits": {statcount.wait_bucket(120): 1}, "answeredOn": {"2026-12-06": 1}}
    assert statcount.request_part(request(kind="callback"), NOW, "UTC")[0] == {"open": 1}
    assert statcount.request_part(request(status="unresolved"), NOW, "UTC")[0] == {"unanswered": {"do you do perms": 1}}


@pytest.mark.parametrize("data", [
    None,
    answered(timestamp="yesterday"),                        # malformed: left out, never raises
    answered(minutes_ago=31 * 24 * 60),                     # answered before the window
    request(minutes_ago=31 * 24 * 60, status="unresolved"),
])
def test_what_counts_for_nothing(data):
    assert statcount.request_part(data, NOW, "UTC")[0] == {}


def test_the_salons_day_decides_today():
    late = answered(minutes_ago=60 * 19 + 30)   # 00:30 UTC = the evening before in Los Angeles
    assert statcount.request_part(late, NOW, "America/Los_Angeles")[0]["answeredOn"] == {"2026-12-05": 1}


def test_replacing_a_contribution_by_itself_changes_nothing_and_a_change_moves_it_once():
    counters = statcount.total([statcount.request_part(request(), NOW, "UTC")[0],
                                statcount.request_part(answered(), NOW, "UTC")[0]])
    pending = statcount.request_part(request(), NOW, "UTC")[0]
    assert statcount.replace(counters, pending, pending) == counters      # delivered twice
    done = statcount.request_part(answered(), NOW, "UTC")[0]
    moved = statcount.replace(counters, pending, done)
    assert moved["open"] == 0 and moved["unanswered"] == {} and sum(moved["waits"].values()) == 2
    assert statcount.replace(moved, done, pending) == counters            # and back
    assert statcount.same({"open": 0, "waits": {}}, {})


def test_the_median_is_read_off_the_histogram_within_its_resolution():
    for waits in ([200], [30, 200, 4000], [30, 200, 4000, 9000], [5] * 3 + [86_400] * 2):
        counters = statcount.total({"waits": {statcount.wait_bucket(w): 1}} for w in waits)
        exact = sorted(waits)[(len(waits) - 1) // 2] / 2 + sorted(waits)[len(waits) // 2] / 2
        assert statcount.median_seconds(counters["waits"]) == pytest.approx(exact, rel=0.026)
    assert statcount.median_seconds({}) is None


def test_a_conversation_counts_its_questions_and_escalations_in_the_window():
    conv = {**contract.new_conversation("+15550100", channel="text", now=NOW), "helpRequestIds": ["a"]}
    turns = [contract.turn("caller", "hi there"), contract.turn("caller", "what are your hours?"),
             contract.turn("agent", "9-5"), contract.turn("caller", "do you sell gift cards"), "garbled"]
    assert statcount.conversation_part(conv, turns, NOW) == ({"asked": 2, "escalated": 1}, NOW + statcount.WINDOW)
    assert statcount.conversation_part(conv, "not a list", NOW)[0] == {"escalated": 1}
    assert statcount.conversation_part(conv, turns, NOW + timedelta(days=31))[0] == {}


def test_the_summary_has_the_dashboards_fields():
    counters = statcount.total([statcount.request_part(request(), NOW, "UTC")[0],
                                statcount.request_part(answered(), NOW, "UTC")[0],
                                {"asked": 3, "escalated": 1},
                                {"unanswered": {"is there parking": 2}}])
    summary = statcount.summary(counters, oldest_pending=NOW, now=NOW, tz="UTC")
    assert summary["openCount"] == 1 and summary["answeredToday"] == 1 and summary["oldestPendingAt"] == NOW
    assert summary["questionsAsked"] == 3 and summary["answeredByAI"] == 2
    assert summary["deflectionRate"] == pytest.approx(2 / 3)
    assert summary["topUnanswered"] == [{"question": "is there parking", "count": 2},
                                        {"question": "do you do perms", "count": 1}]
    assert summary["medianSecondsToAnswer"] == pytest.approx(120, rel=0.026)
