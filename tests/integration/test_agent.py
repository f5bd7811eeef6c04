"""The receptionist through LiveKit's testing API (AgentSession + result.expect), on the emulators with
the real Cloud Functions: answer, escalate once per caller, learn live, deliver an answer in the call."""
from __future__ import annotations

import asyncio
import json
import os
import subprocess
import sys
import time

import pytest
import pytest_asyncio
from google.cloud.firestore import FieldFilter

from agent.delivery import spoken
from agent.policy import OfflinePolicyLLM
from agent.receptionist import NO_ANSWER
from agent.session import TextCall
from frontdesk_core import contract, embedding
from frontdesk_core.dialogue.reply import ANYTHING_ELSE

from tests.emulator import turns_of, vectors_of, wait_for

pytestmark = pytest.mark.emulator
CALLER = "+15550142"
ESCALATED = f"{contract.ESCALATION_MESSAGE} {ANYTHING_ELSE}"   # an escalation, then the offer of more help


@pytest.fixture
def knowledge(live_knowledge):
    return live_knowledge


@pytest_asyncio.fixture
async def call(salon_db, knowledge):
    async with TextCall(salon_db, CALLER, knowledge, model=OfflinePolicyLLM()) as text_call:
        yield text_call


def requests(db, **where):
    query = db.collection(contract.HELP_REQUESTS)
    for name, value in where.items():
        query = query.where(filter=FieldFilter(name, "==", value))
    return [s for s in query.stream()]


async def until(check, timeout: float = 15.0, interval: float = 0.05):
    """Async wait_for: the event loop keeps running (the agent speaks while we wait)."""
    deadline, last = time.monotonic() + timeout, None
    while time.monotonic() < deadline:
        last = await asyncio.to_thread(check)
        if last:
            return last
        await asyncio.sleep(interval)
    raise AssertionError(f"not true within {timeout} s (last: {last!r})")


def test_seeded_entries_carry_their_vectors(salon_db, knowledge):
    doc = salon_db.collection(contract.KNOWLEDGE_BASE).document("seed-hours-sunday").get().to_dict()
    vectors = vectors_of(salon_db, "seed-hours-sunday")   # beside the entry, which holds none
    assert vectors[embedding.EMBEDDING_MODEL] == embedding.MODEL_ID and embedding.EMBEDDING not in doc
    stored = embedding.from_firestore(vectors[embedding.EMBEDDING])
    assert float(stored @ embedding.embed(doc["question"])) > 0.9999
    assert len(knowledge) == len(list(salon_db.collection(contract.KNOWLEDGE_BASE).stream()))


@pytest.mark.asyncio
async def test_known_question_is_answered_from_the_knowledge_base(call, salon_db):
    result = await call.session.run(user_input="What time do you close on Sunday?")
    result.expect.next_event().is_function_call(name="lookup_knowledge",
                                                arguments={"question": "What time do you close on Sunday?"})
    result.expect.next_event().is_function_call_output(
        output="ANSWER: On Sundays we are open from 11am to 4pm.")
    result.expect.next_event().is_message(role="assistant")
    result.expect.no_more_events()
    assert result.expect[-1].event().item.text_content == f"On Sundays we are open from 11am to 4pm. {ANYTHING_ELSE}"
    assert requests(salon_db) == []


@pytest.mark.asyncio
async def test_unknown_question_is_escalated_once_per_caller(call, salon_db, knowledge):
    question = "Do you do eyelash extensions?"
    result = await call.session.run(user_input=question)
    result.expect.next_event().is_function_call(name="lookup_knowledge")
    result.expect.next_event().is_function_call_output(output=NO_ANSWER)
    result.expect.next_event().is_function_call(name="request_help", arguments={"question": question})
    result.expect.next_event().is_function_call_output(output=contract.ESCALATION_MESSAGE)
    result.expect.next_event().is_message(role="assistant")
    result.expect.no_more_events()
    assert result.expect[-1].event().item.text_content == ESCALATED

    again = await call.ask("Do you do  eyelash extensions?")        # the caller repeats it
    assert again.escalated and again.text == ESCALATED
    [snap] = requests(salon_db)
    request = snap.to_dict()
    assert request["question"] == question and request["customerPhone"] == CALLER
    assert request["conversationId"] == call.record.conversation_id

    # Same caller, a new call, other words: still the one open request, linked to the new call too.
    async with TextCall(salon_db, CALLER, knowledge, model=OfflinePolicyLLM()) as second:
        reply = await second.ask("Can I get eyelash extensions at your place?")
        assert reply.escalated and reply.text == ESCALATED
        assert second.record.help_request_ids == [snap.id]
    assert [s.id for s in requests(salon_db)] == [snap.id]
    conv = salon_db.collection(contract.CONVERSATIONS).document(second.record.conversation_id).get()
    assert conv.get("helpRequestIds") == [snap.id]

    # Another caller, or another question, is a request of its own.
    async with TextCall(salon_db, "+15550143", knowledge, model=OfflinePolicyLLM()) as other:
        await other.ask(question)
        await other.ask("Do you do hair extensions?")
    assert len(requests(salon_db)) == 3


@pytest.mark.asyncio
async def test_answer_learned_during_a_call_is_used_within_a_second(call, salon_db, knowledge):
    assert (await call.ask("Do you sell gift cards?")).escalated
    written = time.monotonic()
    # Written by hand without vectors (as an older writer would): the index embeds it itself.
    salon_db.collection(contract.KNOWLEDGE_BASE).document("learned-gift-cards").set(
        contract.new_knowledge_entry("Do you sell gift cards?", "Yes, from $25.",
                                     originating_request_id="r1", source="supervisor"))
    await until(lambda: any(e.id == "learned-gift-cards" for e in knowledge.index.entries),
                timeout=5, interval=0.01)
    assert time.monotonic() - written < 1.0       # write -> listener -> embedded -> in the index
    reply = await call.ask("Are gift cards something you sell?")
    assert not reply.escalated and reply.text == f"Yes, from $25. {ANYTHING_ELSE}"


@pytest.mark.asyncio
async def test_supervisor_answer_during_the_call_is_said_in_the_call(call, salon_db):
    heard: list[str] = []
    call.on_agent_text = heard.append
    assert (await call.ask("Do you offer gift wrapping?")).escalated
    [snap] = requests(salon_db)
    answer = "Yes, gift wrapping is free at the front desk."
    snap.reference.update(contract.resolution(answer, answered_by="supervisor-test"))

    # The functions keep the follow-up for the live call; the agent claims it and says it.
    delivered = await call.wait_for_answers(20)
    assert len(delivered) == 1 and answer in delivered[0]
    assert heard[-1] == delivered[0]
    request = snap.reference.get().to_dict()
    assert request["followupSent"] is True
    followup = salon_db.collection(contract.FOLLOWUPS).document(snap.id).get().to_dict()
    assert followup["channel"] == "call" and followup["status"] == "sent"
    turns = await until(lambda: [t for t in turns_of(salon_db, call.record.conversation_id)
                                 if t["role"] == "agent" and answer in t["text"]])
    assert turns[0]["text"] == spoken({"question": "Do you offer gift wrapping?", "responseText": answer})


@pytest.mark.asyncio
async def test_answer_after_the_call_is_not_repeated_in_it_and_goes_out_as_text(salon_db, knowledge):
    heard: list[str] = []
    async with TextCall(salon_db, CALLER, knowledge, model=OfflinePolicyLLM(),
                        on_agent_text=heard.append) as call:
        assert (await call.ask("Do you do henna tattoos?")).escalated
    said_in_call = list(heard)
    [snap] = requests(salon_db)
    answer = "No, we only do hair."
    snap.reference.update(contract.resolution(answer, answered_by="supervisor-test"))
    await until(lambda: snap.reference.get().get("followupSent"), timeout=20)
    followup = salon_db.collection(contract.FOLLOWUPS).document(snap.id).get().to_dict()
    assert followup["channel"] != "call" and followup["status"] == "sent" and answer in followup["body"]
    assert heard == said_in_call and not any(answer in text for text in heard)


def test_text_call_holds_the_line_for_the_supervisor(salon_db):
    """`python -m agent call --wait-answers`: the answer written mid-call is printed as an agent turn."""
    proc = subprocess.Popen([sys.executable, "-m", "agent", "call", "--phone", "+15550177",
                             "--wait-answers", "30", "Do you offer scalp massages?"],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=os.environ)
    try:
        [snap] = wait_for(lambda: requests(salon_db, customerPhone="+15550177"), timeout=60)
        answer = "Yes, a 10-minute scalp massage comes with every wash."
        snap.reference.update(contract.resolution(answer, answered_by="supervisor-test"))
        out, err = proc.communicate(timeout=60)
    finally:
        proc.kill()
    assert proc.returncode == 0, err
    lines = out.splitlines()
    assert f"agent>  {ESCALATED}" in lines
    assert any(line.startswith("agent>  I have an answer from my supervisor") and answer in line
               for line in lines), out
    assert salon_db.collection(contract.FOLLOWUPS).document(snap.id).get().get("channel") == "call"


def test_ask_without_a_file_uses_the_live_knowledge_base(salon_db):
    done = subprocess.run([sys.executable, "-m", "agent", "ask", "--json"], capture_output=True, text=True,
                          input="What are your hours on Saturday?\nDo you do perms?\n", timeout=60,
                          env=os.environ)
    assert done.returncode == 0, done.stderr
    answered, escalated = [json.loads(line) for line in done.stdout.splitlines()]
    assert answered["action"] == "answer" and answered["knowledge_id"] == "seed-hours-saturday"
    assert answered["answer"] == "On Saturdays we are open from 9am to 5pm."
    assert escalated["action"] == "escalate" and escalated["knowledge_id"] is None
    assert escalated["answer"] is None and isinstance(escalated["score"], float)
