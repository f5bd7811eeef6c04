"""The outbox's decisions (delivery/outbox.py) over plain dicts: which message a run may claim, and what
one attempt leaves on it. Claims racing and real sends are in tests/integration/test_functions.py."""
from datetime import datetime, timedelta, timezone

from frontdesk_core.delivery import outbox

NOW = datetime(2026, 12, 7, 9, tzinfo=timezone.utc)


def test_a_run_claims_only_queued_due_messages_on_its_channels():
    queued = {"status": "queued", "channel": "sms", "nextAttemptAt": NOW}
    assert outbox.claimable(queued, NOW) and outbox.claimable({"status": "queued", "channel": "sms"}, NOW)
    assert outbox.claimable(queued, NOW, ("sms", "log"))
    assert not outbox.claimable(queued, NOW, ("call",))                                  # the agent's, not ours
    assert not outbox.claimable({**queued, "nextAttemptAt": NOW + timedelta(seconds=1)}, NOW)   # backed off
    for status in ("sending", "sent", "failed", "cancelled"):
        assert not outbox.claimable({**queued, "status": status}, NOW)


def test_an_attempt_is_sent_retried_with_backoff_or_failed_for_good():
    assert outbox.after_attempt({"attempts": 1}, None, NOW) == ("sent", {"status": "sent", "sentAt": NOW, "error": None})
    result, update = outbox.after_attempt({"attempts": 2}, "503 from Twilio", NOW)
    assert result == "retry" and update == {"status": "queued", "error": "503 from Twilio",
                                            "nextAttemptAt": NOW + timedelta(minutes=1)}
    assert outbox.after_attempt({"attempts": outbox.MAX_ATTEMPTS}, "503", NOW) == (
        "failed", {"status": "failed", "error": "503"})
    assert [outbox.backoff(n).total_seconds() for n in (1, 2, 3, 6, 9)] == [30, 60, 120, 900, 900]
