"""Which document changes the triggers act on (workflows/events.py)."""
from datetime import datetime, timedelta, timezone

from frontdesk_core.workflows import events

NOW = datetime(2026, 12, 7, 9, tzinfo=timezone.utc)


def test_an_answer_is_acted_on_once_when_it_resolves_and_its_follow_up_is_not_out():
    assert events.newly_answered({"status": "pending"}, {"status": "resolved"})
    assert events.newly_answered({"status": "unresolved"}, {"status": "resolved", "followupSent": False})
    assert not events.newly_answered({"status": "resolved"}, {"status": "resolved"})          # a later write
    assert not events.newly_answered({"status": "pending"}, {"status": "resolved", "followupSent": True})
    assert not events.newly_answered({"status": "pending"}, {"status": "unresolved"})


def test_status_changes_calls_ending_and_conflicts_settling():
    assert events.status_changed({"status": "pending"}, {"status": "unresolved"})
    assert not events.status_changed({"status": "pending"}, {"status": "pending", "suggestions": []})
    assert events.call_ended({"endedAt": None}, {"endedAt": NOW})
    assert not events.call_ended({"endedAt": NOW}, {"endedAt": NOW, "lastSeenAt": NOW})
    assert events.conflict_settled({"status": "open"}, {"status": "resolved"})
    assert not events.conflict_settled({"status": "resolved"}, {"status": "resolved"})


def test_an_event_retried_past_ten_minutes_is_left_to_the_sweep():
    assert events.too_old("2026-12-07T08:49:00Z", NOW)
    assert not events.too_old("2026-12-07T08:51:00.123456Z", NOW)
    assert not events.too_old(NOW - timedelta(minutes=9), NOW)
    assert events.too_old((NOW - timedelta(minutes=11)).replace(tzinfo=None), NOW)   # naive = UTC
    assert not events.too_old("not a time", NOW)
