"""The receptionist through LiveKit's testing API (AgentSession + result.expect), on the emulator."""
from __future__ import annotations

import pytest
import pytest_asyncio

from agent.knowledge import KnowledgeIndex
from agent.policy import OfflinePolicyLLM
from agent.receptionist import NO_ANSWER
from agent.session import TextCall
from frontdesk_core import contract

from tests.emulator import wait_for

pytestmark = pytest.mark.emulator
CALLER = "+15550142"


@pytest.fixture
def knowledge(salon_db):
    index = KnowledgeIndex.from_firestore(salon_db)
    yield index
    index.close()


@pytest_asyncio.fixture
async def call(salon_db, knowledge):
    async with TextCall(salon_db, CALLER, knowledge, model=OfflinePolicyLLM()) as text_call:
        yield text_call


def pending_requests(db):
    return [s.to_dict() for s in db.collection(contract.HELP_REQUESTS).stream()]


@pytest.mark.asyncio
async def test_known_question_is_answered_from_the_knowledge_base(call, salon_db):
    result = await call.session.run(user_input="What time do you open on Sunday?")
    result.expect.next_event().is_function_call(name="lookup_knowledge",
                                                arguments={"question": "What time do you open on Sunday?"})
    result.expect.next_event().is_function_call_output(
        output="ANSWER: On Sundays we are open from 11am to 4pm.")
    result.expect.next_event().is_message(role="assistant")
    result.expect.no_more_events()
    assert result.expect[-1].event().item.text_content == "On Sundays we are open from 11am to 4pm."
    assert pending_requests(salon_db) == []


@pytest.mark.asyncio
async def test_unknown_question_is_escalated_once_per_call(call, salon_db):
    question = "Do you do eyelash extensions?"
    result = await call.session.run(user_input=question)
    result.expect.next_event().is_function_call(name="lookup_knowledge")
    result.expect.next_event().is_function_call_output(output=NO_ANSWER)
    result.expect.next_event().is_function_call(name="request_help", arguments={"question": question})
    result.expect.next_event().is_function_call_output(output=contract.ESCALATION_MESSAGE)
    result.expect.next_event().is_message(role="assistant")
    result.expect.no_more_events()
    assert result.expect[-1].event().item.text_content == contract.ESCALATION_MESSAGE

    again = await call.ask("Do you do  eyelash extensions?")   # the caller repeats it
    assert again.escalated and again.text == contract.ESCALATION_MESSAGE
    [request] = pending_requests(salon_db)
    assert request["question"] == question and request["customerPhone"] == CALLER
    assert request["conversationId"] == call.record.conversation_id


@pytest.mark.asyncio
async def test_answer_learned_during_a_call_is_used_by_the_next_question(call, salon_db, knowledge):
    assert (await call.ask("Do you sell gift cards?")).escalated
    salon_db.collection(contract.KNOWLEDGE_BASE).document("learned-gift-cards").set(
        contract.new_knowledge_entry("Do you sell gift cards?", "Yes, from $25.",
                                     originating_request_id="r1", source="supervisor"))
    wait_for(lambda: knowledge.lookup("Can I buy a gift card?"), timeout=5)   # the listener, no restart
    reply = await call.ask("Can I buy a gift card?")
    assert not reply.escalated and reply.text == "Yes, from $25."
