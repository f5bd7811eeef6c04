"""Issue 14 through LiveKit's testing API: the greeting, several parts in one turn, small talk, a
person, a booking, a goodbye, and bad input — with the offline policy, the real Receptionist and the
labelled knowledge base, and a stand-in call record counting requests and their kinds."""
from __future__ import annotations

import json

import pytest
from livekit.agents import AgentSession

from agent.evaluation import KNOWLEDGE
from agent.knowledge import KnowledgeIndex
from agent.policy import OfflinePolicyLLM
from agent.receptionist import NOT_A_QUESTION, CallState, Receptionist
from frontdesk_core import contract
from frontdesk_core.dialogue import reply, taking

from .test_agent_tools import ScriptedLLM, StubCall

GREETING = "Thanks for calling Lumen & Co. Hair Studio, how can I help?"
MENS = "A men's haircut (men's cut) is $45 and takes about 30 minutes."
SUNDAY = "On Sundays we are open from 11am to 4pm."


@pytest.fixture(scope="module")
def knowledge():
    return KnowledgeIndex.from_file(KNOWLEDGE)


class Call:
    """One session with the offline policy; `said` holds every agent line, the greeting first."""

    def __init__(self, knowledge):
        self.record = StubCall()
        self.knowledge = knowledge
        self.agent = Receptionist(instructions="test", greeting=GREETING)
        self.said: list[str] = []

    async def __aenter__(self):
        self.llm = OfflinePolicyLLM()
        self.session = AgentSession(llm=self.llm, userdata=CallState(self.knowledge, self.record))
        self.session.on("conversation_item_added", lambda ev: self.said.append(ev.item.text_content)
                        if getattr(ev.item, "role", None) == "assistant" else None)
        await self.session.start(self.agent)
        await self.agent.greeted.wait()
        return self

    async def __aexit__(self, *exc):
        await self.session.aclose()
        await self.llm.aclose()

    async def run(self, text):
        return await self.session.run(user_input=text)


def text_of(result) -> str:
    return result.expect[-1].event().item.text_content


@pytest.mark.asyncio
async def test_the_call_opens_with_the_salons_greeting(knowledge):
    async with Call(knowledge) as call:
        assert call.said == [GREETING]
        result = await call.run("Hi there!")
        result.expect.next_event().is_message(role="assistant")
        result.expect.no_more_events()                       # no tool: small talk is not looked up
        assert text_of(result) == reply.GREETING_REPLY
    assert call.record.requests == []


@pytest.mark.asyncio
async def test_two_questions_in_one_breath_are_both_answered_in_one_reply(knowledge):
    async with Call(knowledge) as call:
        result = await call.run("How much is a mens cut and are you open on Sunday?")
        result.expect.next_event().is_function_call(name="lookup_knowledge", arguments={"question": "How much is a mens cut"})
        result.expect.next_event().is_function_call(name="lookup_knowledge", arguments={"question": "Are you open on Sunday?"})
        result.expect.skip_next(2)                            # the two outputs, in whichever order they finish
        msg = result.expect.next_event().is_message(role="assistant")
        result.expect.no_more_events()
        assert msg.event().item.text_content == f"{MENS} {SUNDAY} {reply.ANYTHING_ELSE}"
    assert call.record.requests == []


@pytest.mark.asyncio
async def test_each_unknown_part_raises_its_own_request_with_its_own_words(knowledge):
    async with Call(knowledge) as call:
        result = await call.run("hi how much is a mens cut do you do beard trims and are you open on christmas day")
        helps = [e.item for e in result.events if e.type == "function_call" and e.item.name == "request_help"]
        assert [json.loads(h.arguments)["question"] for h in helps] == ["Do you do beard trims",
                                                                       "Are you open on christmas day"]
        assert text_of(result) == f"Hello! {MENS} {contract.ESCALATION_MESSAGE} {reply.ANYTHING_ELSE}"
    # the two requests are raised concurrently: in either order
    assert sorted(call.record.requests) == ["Are you open on christmas day", "Do you do beard trims"]
    assert call.record.kinds == ["question", "question"]


@pytest.mark.asyncio
async def test_the_issues_five_turns_raise_one_booking_and_one_callback_and_end_the_call(knowledge):
    async with Call(knowledge) as call:
        await call.run("Hi there!")
        two = await call.run("How much is a mens cut and are you open on Sunday?")
        assert text_of(two) == f"{MENS} {SUNDAY} {reply.ANYTHING_ELSE}"
        book = await call.run("Can I book a haircut for tomorrow at 3?")
        assert text_of(book) == taking.ASK[("name",)]
        named = await call.run("it's Sam")
        named.expect.contains_function_call(name="request_booking", arguments={
            "action": "book", "service": "haircut", "when": "tomorrow at 3", "name": "Sam"})
        assert "the salon will confirm" in text_of(named)
        person = await call.run("Can I talk to a real person?")
        person.expect.contains_function_call(name="request_callback")
        assert text_of(person) == f"{reply.CALLBACK_REPLY} {reply.ANYTHING_ELSE}"
        bye = await call.run("ok thanks, bye")
        bye.expect.next_event().is_message(role="assistant")
        bye.expect.next_event().is_function_call(name="end_call")
        assert call.agent.ended and call.record.closed
        assert call.said[-1] == f"{reply.WELCOME} {reply.GOODBYE_REPLY}"
    assert call.record.kinds == ["booking", "callback"]
    assert call.record.bookings == [{"action": "book", "service": "haircut", "when": "tomorrow at 3", "name": "Sam"}]
    assert call.record.requests[0] == "Book: haircut, tomorrow at 3, for Sam"


@pytest.mark.asyncio
@pytest.mark.parametrize("turn", ["thanks", "ok", "great", "cheers mate", "hello", "good morning"])
async def test_small_talk_raises_nothing(knowledge, turn):
    async with Call(knowledge) as call:
        result = await call.run(turn)
        assert not [e for e in result.events if e.type == "function_call"]
    assert call.record.requests == []


@pytest.mark.asyncio
async def test_words_the_rules_do_not_know_in_a_replys_place_raise_nothing(knowledge):
    async with Call(knowledge) as call:
        await call.run("how much is a mens cut")
        for turn in ("how's your day going", "lush cheers", "sound", "belter and are you open on sunday"):
            await call.run(turn)
        assert call.said[-1].startswith(SUNDAY)
        assert reply.SMALL_TALK_REPLY in call.said
    assert call.record.requests == []


@pytest.mark.asyncio
async def test_a_question_pointing_back_to_a_cancellation_is_looked_up_and_raised_as_what_was_asked(knowledge):
    async with Call(knowledge) as call:
        for turn in ("i need to cancel my appointment on friday", "it's under beth"):
            await call.run(turn)
        result = await call.run("is there like a fee for that")
        result.expect.next_event().is_function_call(name="lookup_knowledge",
                                                    arguments={"question": "Is there a fee for cancelling"})
    # answered from the cancellation policy, or else raised in words a supervisor can answer (which of
    # the two is the knowledge decision's call, not the dialogue's)
    assert call.record.kinds[0] == contract.BOOKING and call.record.bookings[0]["action"] == "cancel"
    assert call.record.requests[1:] in ([], ["Is there like a fee for cancelling"])


@pytest.mark.asyncio
@pytest.mark.parametrize("turn", ["um", "[inaudible]", "   ", "<b></b>", "the uh", "x" * 10_000])
async def test_noise_and_bad_input_get_say_that_again_and_no_request(knowledge, turn):
    async with Call(knowledge) as call:
        result = await call.run(turn)
        assert text_of(result) == reply.NOT_CAUGHT_REPLY
        assert not [e for e in result.events if e.type == "function_call" and e.item.name != "lookup_knowledge"]
    assert call.record.requests == []


@pytest.mark.asyncio
async def test_ten_kilobytes_of_questions_are_cut_and_nothing_half_stored(knowledge):
    async with Call(knowledge) as call:
        result = await call.run("do you do perms and how much is a mens cut " * 250)
        assert text_of(result)
    assert all(len(q) <= contract.QUESTION_MAX for q in call.record.requests)


@pytest.mark.asyncio
async def test_markup_around_a_question_is_dropped(knowledge):
    async with Call(knowledge) as call:
        result = await call.run("<p>How much is a mens cut?</p><script>x()</script>")
        assert text_of(result) == f"{MENS} {reply.ANYTHING_ELSE}"


@pytest.mark.asyncio
async def test_no_to_anything_else_closes_the_call(knowledge):
    async with Call(knowledge) as call:
        await call.run("are you open on sunday")
        bye = await call.run("no")
        bye.expect.contains_function_call(name="end_call")
        assert call.record.closed


@pytest.mark.asyncio
async def test_a_booking_question_the_base_answers_is_answered_not_booked(knowledge):
    async with Call(knowledge) as call:
        result = await call.run("do you take walk-ins")
        result.expect.contains_function_call(name="lookup_knowledge")
        assert call.record.kinds == []


@pytest.mark.asyncio
@pytest.mark.parametrize("text", ["thanks, bye", "hello there", "ok"])
async def test_request_help_refuses_small_talk(knowledge, text):
    call = StubCall()
    async with ScriptedLLM("request_help", json.dumps({"question": text})) as lm, AgentSession(llm=lm, userdata=CallState(knowledge, call)) as session:
        await session.start(Receptionist(instructions="t"))
        result = await session.run(user_input=text)
        result.expect.contains_function_call_output(output=NOT_A_QUESTION)
    assert call.requests == []


@pytest.mark.asyncio
async def test_request_help_answers_a_known_part_and_raises_only_the_unknown_one(knowledge):
    call = StubCall()
    question = "How much is a mens cut and do you do beard trims?"
    async with ScriptedLLM("request_help", json.dumps({"question": question})) as lm, AgentSession(llm=lm, userdata=CallState(knowledge, call)) as session:
        await session.start(Receptionist(instructions="t"))
        result = await session.run(user_input=question)
        out = result.expect.contains_function_call_output().event().item.output
    assert out == f"ANSWER: {MENS}\n{contract.ESCALATION_MESSAGE}"
    assert call.requests == ["Do you do beard trims?"]


@pytest.mark.asyncio
@pytest.mark.parametrize("arguments, said", [
    ('{"action": "buy", "service": "cut"}', "Sorry, I could not note that booking"),
    ('{"action": "book", "when": "' + "x" * 200 + '"}', "Sorry, I could not note that booking"),
])
async def test_a_bad_booking_is_refused_and_nothing_stored(knowledge, arguments, said):
    call = StubCall()
    async with ScriptedLLM("request_booking", arguments) as lm, AgentSession(llm=lm, userdata=CallState(knowledge, call)) as session:
        await session.start(Receptionist(instructions="t"))
        result = await session.run(user_input="book me in")
        assert result.expect.contains_function_call_output().event().item.output.startswith(said)
    assert call.requests == []
