"""Issue 16 item 9: what a group's writes do to a member, decided on the member as its transaction
has just read it (pure; the races themselves are in tests/integration/test_groups.py)."""
from datetime import datetime, timezone

import pytest

from frontdesk_core import contract
from frontdesk_core.workflows import grouping

NOW = datetime(2026, 12, 6, 12, tzinfo=timezone.utc)
ANSWERED = {**contract.new_help_request("+15550100", "Do you do perms?", now=NOW), "status": "resolved",
            "responseText": "Yes, from $120.", "respondedAt": NOW, "answeredBy": "sup-1"}
OPEN_PRIMARY = contract.new_help_request("+15550100", "Do you do perms?", now=NOW)


def member(**fields):
    return {**contract.new_help_request("+15550101", "Can I get a perm?", now=NOW), **fields}


def test_a_pending_request_joins_and_takes_an_answer_given_meanwhile():
    assert grouping.join_update(member(), "p", OPEN_PRIMARY, NOW) == {"groupId": "p"}
    assert grouping.join_update(member(), "p", ANSWERED, NOW) == {
        "groupId": "p", "status": "resolved", "responseText": "Yes, from $120.", "respondedAt": NOW,
        "answeredBy": "sup-1", "resolvedViaGroup": "p"}
    assert grouping.join_update(member(groupId="p"), "p", ANSWERED, NOW)["resolvedViaGroup"] == "p"   # repair


@pytest.mark.parametrize("current", [
    None,                                                                        # deleted
    member(status="resolved", responseText="Our own answer.", answeredBy="sup-2"),   # answered meanwhile
    member(status="unresolved", unresolvedReason="Cannot say."),                  # closed meanwhile
    member(groupId="other"),                                                      # in another group
])
def test_a_request_answered_closed_or_grouped_meanwhile_is_left_as_it_is(current):
    assert grouping.join_update(current, "p", ANSWERED, NOW) is None


def test_the_groups_answer_reaches_open_members_only():
    update = grouping.member_answer("m", member(groupId="p"), "p", ANSWERED, NOW)
    assert update["responseText"] == "Yes, from $120." and update["resolvedViaGroup"] == "p"
    timed_out = member(groupId="p", status="unresolved", timedOut=True)
    assert grouping.member_answer("m", timed_out, "p", ANSWERED, NOW)["status"] == "resolved"
    own = member(groupId="p", status="resolved", responseText="Our own answer.")
    assert grouping.member_answer("m", own, "p", ANSWERED, NOW) is None        # a supervisor answered it
    assert grouping.member_answer("m", member(groupId="q"), "p", ANSWERED, NOW) is None
    assert grouping.member_answer("m", None, "p", ANSWERED, NOW) is None
    assert grouping.member_answer("p", member(groupId="p"), "p", ANSWERED, NOW) is None   # the primary itself


def test_a_primary_without_a_time_gives_the_answer_now():
    update = grouping.member_answer("m", member(groupId="p"), "p", {**ANSWERED, "respondedAt": None}, NOW)
    assert update["respondedAt"] == NOW
