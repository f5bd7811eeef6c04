"""Issue 14 on the emulators: text calls counting the requests they leave and their kinds, the call
record closing on a goodbye, and the functions treating call backs and bookings as notes, not answers."""
from __future__ import annotations

import os
import subprocess
import sys
import time
from datetime import timedelta

import pytest
from google.cloud.firestore import FieldFilter

from agent.knowledge import KnowledgeIndex
from agent.policy import OfflinePolicyLLM
from agent.session import TextCall
from frontdesk_core import contract
from frontdesk_core.contract import salon
from frontdesk_core.workflows import timeouts

from tests.emulator import turns_of, wait_for

pytestmark = pytest.mark.emulator
GREETING = "Thanks for calling Lumen & Co. Hair Studio, how can I help?"


@pytest.fixture
def knowledge(salon_db):
    index = KnowledgeIndex.from_firestore(salon_db)
    yield index
    index.close()


def requests_of(db, phone):
    query = db.collection(contract.HELP_REQUESTS).where(filter=FieldFilter("customerPhone", "==", phone))
    return [s.to_dict() | {"id": s.id} for s in query.stream()]


def test_make_call_greets_answers_both_parts_and_raises_one_request_for_the_one_unknown(salon_db):
    """The issue's "done when", through `python -m agent call` with piped turns (as `make call`)."""
    phone = "+15550151"
    turns = ["Hi there!", "How much is a mens cut and are you open on Sunday?", "Do you do beard trims?",
             "thanks", "ok thanks, bye", "this line comes after the goodbye"]
    proc = subprocess.run([sys.executable, "-m", "agent", "call", "--phone", phone], input="\n".join(turns) + "\n",
                          capture_output=True, text=True, env=os.environ, timeout=120)
    assert proc.returncode == 0, proc.stderr
    said = [line.removeprefix("agent>  ") for line in proc.stdout.splitlines() if line.startswith("agent>")]
    assert said[0] == GREETING
    assert "$45" in said[2] and "11am to 4pm" in said[2] and said[2].endswith("Is there anything else I can help with?")
    assert said[3].startswith(contract.ESCALATION_MESSAGE)
    assert said[-1].endswith("Goodbye!")
    assert "this line comes after the goodbye" not in proc.stdout   # the call ended on the goodbye
    [request] = requests_of(salon_db, phone)
    assert request["question"] == "Do you do beard trims?" and request["kind"] == "question"
    conv = salon_db.collection(contract.CONVERSATIONS).document(request["conversationId"]).get().to_dict()
    turns = turns_of(salon_db, request["conversationId"])
    assert conv["endedAt"] is not None and turns[0] == turns[0] | {"role": "agent", "text": GREETING}
    assert conv["helpRequestIds"] == [request["id"]]


@pytest.mark.asyncio
async def test_a_text_call_raises_one_booking_and_one_callback_with_their_details(salon_db, knowledge):
    phone = "+15550152"
    async with TextCall(salon_db, phone, knowledge, model=OfflinePolicyLLM(),
                        greeting=salon.greeting({"name": "Lumen"}), instructions="test") as call:
        for turn in ["hello", "Can I book a haircut for tomorrow at 3?", "it's Sam", "thanks",
                     "can I talk to a real person", "could someone call me back", "great"]:
            await call.ask(turn)
        assert not call.ended
        await call.ask("that's all, bye")
        assert call.ended and call.record.ended
    found = sorted(requests_of(salon_db, phone), key=lambda r: r["timestamp"])
    assert [r["kind"] for r in found] == ["booking", "callback"]     # one call back, though asked twice
    assert found[0]["booking"] == {"action": "book", "service": "haircut", "when": "tomorrow at 3", "name": "Sam"}
    assert found[0]["question"] == "Book: haircut, tomorrow at 3, for Sam"
    assert found[1]["question"] == "Can I talk to a real person"


@pytest.mark.asyncio
async def test_small_talk_and_noise_leave_no_request(salon_db, knowledge):
    phone = "+15550153"
    async with TextCall(salon_db, phone, knowledge, model=OfflinePolicyLLM(), instructions="t", greeting="Hi.") as call:
        for turn in ["hi", "[inaudible]", "um", "<b>ok</b>", "x" * 10_000, "thank you so much", "cheers"]:
            reply = await call.ask(turn)
            assert reply.text and not reply.escalated
    assert requests_of(salon_db, phone) == []


def close_with_note(db, request_id, note="Called back, all sorted."):
    db.collection(contract.HELP_REQUESTS).document(request_id).update(contract.resolution(note, answered_by="sup"))


def add(db, phone, question, **kwargs):
    ref = db.collection(contract.HELP_REQUESTS).document()
    ref.set(contract.new_help_request(phone, question, **kwargs))
    return ref.id


def test_the_functions_announce_a_callback_and_learn_nothing_from_its_note(salon_db):
    callback = add(salon_db, "+15550154", "Can I talk to a real person?", kind="callback")
    notice = wait_for(lambda: (salon_db.collection(contract.NOTIFICATIONS).document(f"{callback}-log").get().to_dict()
                               or None), timeout=30)
    assert notice["body"] == "Hey, a caller asked for a call back: +15550154 (Can I talk to a real person?)"
    close_with_note(salon_db, callback)
    question = add(salon_db, "+15550155", "Do you sell gift cards?")
    close_with_note(salon_db, question, "Yes, from $25.")
    wait_for(lambda: salon_db.collection(contract.KNOWLEDGE_BASE).document(question).get().exists, timeout=30)
    time.sleep(1)
    doc = salon_db.collection(contract.HELP_REQUESTS).document(callback).get().to_dict()
    assert doc["status"] == "resolved" and contract.SUGGESTIONS not in doc and not doc.get("groupId")
    assert not salon_db.collection(contract.KNOWLEDGE_BASE).document(callback).get().exists
    assert not salon_db.collection(contract.FOLLOWUPS).document(callback).get().exists


def test_a_knowledge_choice_on_a_booking_is_reverted(salon_db):
    details = {"action": "cancel", "service": None, "when": "friday", "name": "Morag"}
    booking = add(salon_db, "+15550156", contract.booking_summary(details), kind="booking", booking=details)
    salon_db.collection(contract.HELP_REQUESTS).document(booking).update(
        {**contract.resolution("Cancelled.", answered_by="sup"), "knowledgeAction": "new", "knowledgeId": "seed-hours"})
    doc = wait_for(lambda: (d := salon_db.collection(contract.HELP_REQUESTS).document(booking).get().to_dict())
                   .get("rejectedChange") and d, timeout=30)
    assert doc["status"] == "pending" and "teaches nothing" in doc["rejectedChange"]["reason"]
    assert not salon_db.collection(contract.KNOWLEDGE_BASE).document(booking).get().exists


def test_a_callback_never_times_out_but_a_question_does(salon_db):
    now = contract.utcnow()
    old = now - timedelta(hours=2)
    callback = add(salon_db, "+15550157", "Call me back please", kind="callback", now=old)
    question = add(salon_db, "+15550158", "Do you do perms?", now=old)
    due = timeouts.overdue(salon_db, now, timeouts.DEFAULT_TIMEOUT)
    assert question in due and callback not in due
    assert not timeouts.expire(salon_db, callback, now=now, timeout=timeouts.DEFAULT_TIMEOUT, caller_channel="log")
    assert salon_db.collection(contract.HELP_REQUESTS).document(callback).get().get("status") == "pending"
