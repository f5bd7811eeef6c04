from datetime import datetime, timezone

import pytest

from frontdesk_core import contract
from frontdesk_core.contract import ContractError

NOW = datetime(2026, 12, 1, 15, 30, tzinfo=timezone.utc)

SEED_ONLY = {  # exactly the seed schema's fields, nothing added
    "customerPhone": "+15550100", "question": "Do you sell gift cards?", "timestamp": NOW,
    "status": "pending", "responseText": None, "respondedAt": None, "followupSent": False,
}


def test_collection_and_field_names_are_the_seed_schema():
    assert contract.HELP_REQUESTS == "help_requests"
    assert contract.KNOWLEDGE_BASE == "knowledge_base"
    assert contract.HELP_REQUEST_FIELDS == ("customerPhone", "question", "timestamp", "status",
                                            "responseText", "respondedAt", "followupSent")
    assert contract.KNOWLEDGE_FIELDS == ("question", "answer", "createdAt", "originatingRequestId")
    assert contract.STATUSES == ("pending", "resolved", "unresolved")


def test_a_request_with_only_the_seed_fields_is_valid():
    assert contract.validate_help_request(SEED_ONLY) == SEED_ONLY


def test_builder_makes_a_valid_pending_request_with_every_seed_field():
    doc = contract.new_help_request("+1 (555) 010-0", "  Do you   sell gift cards? ", now=NOW,
                                    conversation_id="c1")
    assert set(contract.HELP_REQUEST_FIELDS) <= set(doc)
    assert doc["customerPhone"] == "+15550100"
    assert doc["question"] == "Do you sell gift cards?"
    assert doc["status"] == "pending" and doc["followupSent"] is False
    assert doc["conversationId"] == "c1"
    assert contract.validate_help_request(doc)["status"] == "pending"


@pytest.mark.parametrize("phone", ["5550100", "+0555", "+1", "+1555010012345678", "phone", "", None, 15550100])
def test_phone_must_be_e164(phone):
    with pytest.raises(ContractError) as err:
        contract.phone(phone)
    assert err.value.field == "customerPhone"


@pytest.mark.parametrize("phone,expected", [("+15550100", "+15550100"), ("+44 20 7946 0958", "+442079460958")])
def test_phone_accepts_e164_with_separators(phone, expected):
    assert contract.phone(phone) == expected


def test_question_is_trimmed_and_limited_to_500_characters():
    assert contract.question("  hours?\n") == "hours?"
    assert len(contract.question("x" * 500)) == 500
    for bad in ["", "   ", "x" * 501, None, 42]:
        with pytest.raises(ContractError) as err:
            contract.question(bad)
        assert err.value.field == "question"


@pytest.mark.parametrize("field,value", [
    ("status", "done"), ("customerPhone", "12"), ("question", ""), ("timestamp", "yesterday"),
    ("followupSent", "yes"), ("respondedAt", "now"),
])
def test_invalid_requests_name_the_field(field, value):
    with pytest.raises(ContractError) as err:
        contract.validate_help_request({**SEED_ONLY, field: value})
    assert err.value.field == field


def test_missing_required_field_is_refused():
    doc = dict(SEED_ONLY)
    del doc["question"]
    with pytest.raises(ContractError, match="question: is required"):
        contract.validate_help_request(doc)


def test_resolved_request_needs_an_answer():
    with pytest.raises(ContractError) as err:
        contract.validate_help_request({**SEED_ONLY, "status": "resolved"})
    assert err.value.field == "responseText"
    ok = {**SEED_ONLY, **contract.resolution(" Yes, from $25. ", now=NOW, answered_by="u1")}
    assert contract.validate_help_request(ok)["responseText"] == "Yes, from $25."
    assert ok["answeredBy"] == "u1"


def test_status_machine():
    assert contract.can_transition("pending", "resolved")
    assert contract.can_transition("pending", "unresolved")
    assert contract.can_transition("unresolved", "resolved")  # a late answer still reaches the caller
    for old, new in [("resolved", "pending"), ("resolved", "unresolved"), ("unresolved", "pending")]:
        assert not contract.can_transition(old, new)
        with pytest.raises(ContractError):
            contract.check_transition(old, new)
    with pytest.raises(ContractError):
        contract.check_transition("pending", "archived")
    contract.check_transition("pending", "pending")  # no change is not a transition


def test_answer_limit_is_2000():
    assert contract.answer("y" * 2000)
    with pytest.raises(ContractError):
        contract.answer("y" * 2001)


def test_knowledge_entry_builder():
    doc = contract.new_knowledge_entry("Do you sell gift cards?", "Yes.", now=NOW,
                                       originating_request_id="r1", source="supervisor")
    assert {k: doc[k] for k in contract.KNOWLEDGE_FIELDS} == {
        "question": "Do you sell gift cards?", "answer": "Yes.", "createdAt": NOW,
        "originatingRequestId": "r1"}
    assert contract.validate_knowledge_entry(doc)["answer"] == "Yes."
    with pytest.raises(ContractError):
        contract.new_knowledge_entry("q?", "")


def test_followup_and_notification_builders():
    f = contract.new_followup("r1", "+15550100", contract.followup_body("Yes."), channel="log", now=NOW)
    assert f["status"] == "queued" and f["attempts"] == 0 and f["nextAttemptAt"] == NOW
    assert f["body"] == "Following up on your call: Yes." and f["kind"] == "answer"
    n = contract.new_notification("r1", "Gift cards?", "supervisor", channel="webhook", now=NOW)
    assert n["body"] == "Hey, I need help answering: Gift cards?" and n["kind"] == "new_request"
    with pytest.raises(ContractError):
        contract.new_followup("r1", "+15550100", "hi", channel="pigeon")
    with pytest.raises(ContractError):
        contract.new_followup("r1", "not a phone", "hi", channel="sms")


def test_turn_roles():
    assert contract.turn("caller", "hi", now=NOW) == {"role": "caller", "text": "hi", "at": NOW}
    with pytest.raises(ContractError):
        contract.turn("robot", "hi")


# ---- kinds (issue 14) -------------------------------------------------------------------------

def test_a_request_is_a_question_unless_it_says_otherwise():
    assert contract.kind_of(SEED_ONLY) == "question"
    assert contract.new_help_request("+15550100", "Gift cards?", now=NOW)["kind"] == "question"
    with pytest.raises(contract.ContractError, match="kind"):
        contract.validate_help_request({**SEED_ONLY, "kind": "complaint"})


def test_a_booking_request_carries_its_details_and_nothing_else_does():
    details = {"action": "book", "service": "haircut", "when": "tomorrow at 3pm", "name": "Sam"}
    doc = contract.new_help_request("+15550100", contract.booking_summary(details), now=NOW,
                                    kind="booking", booking=details)
    assert doc["question"] == "Book: haircut, tomorrow at 3pm, for Sam"
    assert contract.validate_help_request(doc)["booking"] == details
    with pytest.raises(contract.ContractError, match="booking"):
        contract.new_help_request("+15550100", "Call me", kind="callback", booking=details)
    for bad in ({**details, "action": "buy"}, {**details, "when": "x" * 121}, {**details, "room": 3}, "tomorrow"):
        with pytest.raises(contract.ContractError, match="booking"):
            contract.validate_help_request({**doc, "booking": bad})


def test_a_callback_or_booking_cannot_teach_a_knowledge_entry():
    doc = contract.new_help_request("+15550100", "Can I talk to a person?", now=NOW, kind="callback")
    assert contract.validate_help_request(doc)["kind"] == "callback"
    with pytest.raises(contract.ContractError, match="teaches nothing"):
        contract.validate_help_request({**doc, "knowledgeAction": "new", "knowledgeId": "x"})


def test_supervisors_are_told_what_a_request_asks_of_them():
    assert contract.supervisor_message("Gift cards?") == "Hey, I need help answering: Gift cards?"
    assert "+15550100" in contract.supervisor_message("Talk to a person", "callback", "+15550100")
    assert contract.supervisor_message("Book: cut", "booking", "+15550100").startswith("Hey, a booking request")


def test_the_guard_refuses_a_knowledge_choice_or_a_kind_change_on_a_callback():
    from frontdesk_core.workflows import guard
    before = contract.new_help_request("+15550100", "Call me back", now=NOW, kind="callback")
    note = {**before, **contract.resolution("Called back.", now=NOW)}
    assert guard.rejection(before, note) is None
    assert "teaches nothing" in guard.rejection(before, {**note, "knowledgeAction": "new", "knowledgeId": "k"})
    assert "kind" in guard.rejection(before, {**before, "kind": "question"})
    question = contract.new_help_request("+15550100", "Gift cards?", now=NOW)
    assert guard.rejection(question, {**question, **contract.resolution("Yes.", now=NOW),
                                      "knowledgeAction": "new", "knowledgeId": "k"}) is None


# ---- issue 16, item 4: a spoofed caller ID must not turn the salon's SMS number into a weapon --------

def test_texts_to_a_caller_hold_no_word_the_caller_said():
    lure = "Your card is blocked, call +1 555 0000 now"
    bodies = [contract.followup_body("Yes, gift cards from $25."), contract.timeout_body("Lumen & Co.")]
    assert all(lure not in b and "blocked" not in b for b in bodies)
    assert contract.timeout_body("Lumen & Co.").endswith("Someone from Lumen & Co. will call you back.")


def _requests(n, *, status="pending", minutes_ago=0, conversation_id=None):
    from datetime import timedelta
    return [{"status": status, "timestamp": NOW - timedelta(minutes=minutes_ago), "conversationId": conversation_id}
            for _ in range(n)]


def test_help_requests_are_limited_per_number_open_per_hour_and_per_call():
    limit = contract.request_limit
    assert limit([], now=NOW) is None
    assert limit(_requests(contract.MAX_OPEN_PER_NUMBER - 1), now=NOW) is None
    assert "open" in limit(_requests(contract.MAX_OPEN_PER_NUMBER), now=NOW)
    answered = _requests(contract.MAX_PER_NUMBER_PER_HOUR, status="resolved", minutes_ago=30)
    assert "last hour" in limit(answered, now=NOW)
    assert limit(_requests(contract.MAX_PER_NUMBER_PER_HOUR, status="resolved", minutes_ago=61), now=NOW) is None
    in_call = _requests(contract.MAX_PER_CALL, status="resolved", minutes_ago=90, conversation_id="c1")
    assert "this call" in limit(in_call, now=NOW, conversation_id="c1")
    assert limit(in_call, now=NOW, conversation_id="c2") is None
