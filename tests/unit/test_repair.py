"""Issue 16: what the sweep's repair pass decides is missing, what a malformed request becomes, and
that fault injection is off unless the test project turns it on (pure logic, no emulator)."""
from datetime import datetime, timezone

import pytest

from frontdesk_core import contract
from frontdesk_core.infra import faults
from frontdesk_core.workflows import grouping, knowledge, repair

NOW = datetime(2026, 12, 6, 12, tzinfo=timezone.utc)


def request(**fields):
    return {**contract.new_help_request("+15550100", "Do you do perms?", now=NOW), **fields}


def test_an_unannounced_request_is_announced_and_an_announced_one_left_alone():
    assert repair.pending_work("r1", request(), announced=False, primary=None) == repair.ANNOUNCE
    assert repair.pending_work("r1", request(), announced=True, primary=None) is None
    assert repair.pending_work("r1", request(groupId="r1"), announced=False, primary=None) == repair.ANNOUNCE


def test_a_member_is_answered_only_once_its_primary_is():
    member = request(groupId="p")
    assert repair.pending_work("m", member, announced=False, primary={"status": "pending"}) is None
    assert repair.pending_work("m", member, announced=False, primary={"status": "resolved"}) == repair.JOIN
    assert repair.pending_work("m", member, announced=False, primary=None) is None   # primary gone


@pytest.mark.parametrize("fields,owed", [
    ({}, True),
    ({"followupSent": True}, False),
    ({"kind": "callback"}, False),          # closed with a note: no follow-up is owed
    ({"kind": "nonsense"}, False),
    ({"responseText": None}, False),
])
def test_a_resolved_question_owes_a_follow_up_until_it_is_in_the_outbox(fields, owed):
    answered = {**request(), "status": "resolved", "responseText": "Yes.", **fields}
    assert repair.owes_followup(answered, followup_exists=False) is owed
    assert repair.owes_followup(answered, followup_exists=True) is False


def test_vectors_are_missing_or_stale_by_their_stamp():
    fields = knowledge.stamped(lambda q, a: {"embedding": [0.1], "embeddingModel": "m"})("Wifi?", "Yes.")
    entry = {"question": "Wifi?", "answer": "Yes.", **fields}
    assert not knowledge.needs_vectors(entry)
    assert knowledge.needs_vectors({**entry, "question": "Free wifi?"})
    assert knowledge.needs_vectors({**entry, "embedding": None})
    assert not knowledge.needs_vectors({**entry, "question": "Free wifi?", knowledge.EMBEDDED_FROM: None})  # seed
    assert not knowledge.needs_vectors({"question": 4, "answer": "x"})


def test_a_malformed_request_leaves_the_queue_with_its_reason():
    update = contract.quarantine("customerPhone: bad", now=NOW)
    assert update["status"] == contract.UNRESOLVED and update["invalidReason"] == "customerPhone: bad"
    assert contract.can_transition(contract.PENDING, update["status"])


@pytest.mark.parametrize("other,ok", [
    ({}, True),
    ({"timestamp": "yesterday"}, False),
    ({"timestamp": None}, False),
    ({"question": 42}, False),
    ({"groupId": "p"}, False),               # a member: joined through its primary
    ({"groupId": "o"}, True),
    ({"kind": "callback"}, False),
    ({"timestamp": datetime(2026, 12, 6, 13, tzinfo=timezone.utc)}, False),   # asked later
])
def test_only_well_formed_earlier_questions_can_be_a_groups_primary(other, ok):
    assert grouping.candidate("o", request(**other), NOW) is ok


def test_fault_injection_is_off_unless_the_test_project_turns_it_on(monkeypatch):
    monkeypatch.delenv(faults.ENV, raising=False)
    faults.check(None, faults.RESOLVED_BEFORE_RECORD)   # never touches Firestore when off
    monkeypatch.setenv(faults.ENV, "on")
    assert faults.enabled()
    with pytest.raises(ValueError):
        faults.arm(None, "nowhere")


def test_every_firestore_trigger_is_deployed_with_retry():
    """The deploy manifest (what `firebase deploy` reads) asks for retries on every Firestore trigger;
    checked with the functions' own venv, which has firebase-functions."""
    import os
    import subprocess
    from pathlib import Path
    functions = Path(__file__).resolve().parents[2] / "functions"
    python = functions / "venv/bin/python"
    if not python.exists():
        pytest.skip("functions/venv is made by `make setup`")
    names = ["on_help_request_created", "on_help_request_updated", "on_conversation_updated",
             "on_knowledge_written", "on_conflict_updated"]
    script = ("import main\n" + "".join(
        f"print(main.{n}.__firebase_endpoint__.eventTrigger['retry'])\n" for n in names))
    env = {**os.environ, "GCLOUD_PROJECT": "demo-manifest", "FUNCTIONS_EMULATOR": "true"}
    done = subprocess.run([str(python), "-c", script], cwd=functions, capture_output=True, text=True,
                          timeout=120, env=env)
    assert done.returncode == 0, done.stderr[-2000:]
    assert done.stdout.split() == ["True"] * len(names)


def test_a_resolved_conflict_is_unapplied_while_an_entry_still_holds_the_other():
    from frontdesk_core.workflows import learning
    conflict = {"entries": ["a", "b"], "status": "resolved", "keep": "a"}
    assert learning.conflict_unapplied(conflict, {"a": {"conflictWith": ["b"]}, "b": {"conflictWith": ["a"]}})
    assert learning.conflict_unapplied(conflict, {"a": {"conflictWith": ["b"]}, "b": None})
    assert not learning.conflict_unapplied(conflict, {"a": {"conflictWith": []}, "b": None})
    assert not learning.conflict_unapplied({**conflict, "status": "open"}, {"a": {"conflictWith": ["b"]}})
