"""Issue 14 with an LLM holding the dialogue (LiveKit's OpenAI-compatible plugin, as with Together)
against a local server that plays scripted model outputs — including a model that answers without a
lookup and one that skips the request after "no confident answer". The outcomes hold: one request per
real unknown, callback and booking through their own tools, answers only from the knowledge decision."""
from __future__ import annotations

import json

import pytest
import pytest_asyncio
from livekit.agents import AgentSession

from agent.evaluation import KNOWLEDGE
from agent.knowledge import KnowledgeIndex
from agent.receptionist import NOT_A_QUESTION, CallState, Receptionist
from agent.session import make_llm
from frontdesk_core import contract
from tests.local_http import ChatStream, FakeChatServer, this_turns_tool_results, together_at

from .test_agent_tools import StubCall

INVENTED = "Yes, we're open 9 to 5 on Christmas Day!"


class ScriptedModel(FakeChatServer):
    """Each chat request takes the next step: ("say", text), ("call", [(tool, args)]),
    ("say+call", text, [(tool, args)]) or ("echo",): say the tool results of the turn."""

    def __init__(self):
        self.steps: list[tuple] = []
        self.requests: list[dict] = []

    async def chat(self, request):
        body = await request.json()
        self.requests.append(body)
        step = self.steps.pop(0) if self.steps else ("say", "")
        stream = await ChatStream.open(request)
        kind = step[0]
        if kind == "echo":
            results = this_turns_tool_results(body["messages"])
            text = " ".join(r.replace("ANSWER:", "").strip() for r in results if not r.startswith("NO_CONFIDENT"))
            step = ("say", text)
            kind = "say"
        if kind in ("say", "say+call"):
            await stream.send({"role": "assistant", "content": step[1]})
        if kind in ("call", "say+call"):
            calls = step[-1]
            await stream.send({"role": "assistant", "tool_calls": [
                {"index": i, "id": f"call_{len(self.requests)}_{i}", "type": "function",
                 "function": {"name": name, "arguments": json.dumps(args)}} for i, (name, args) in enumerate(calls)]})
            await stream.send({}, "tool_calls")
        else:
            await stream.send({}, "stop")
        return await stream.end()


@pytest_asyncio.fixture
async def model(monkeypatch):
    async with together_at(monkeypatch, ScriptedModel()) as fake:
        yield fake


@pytest.fixture(scope="module")
def knowledge():
    return KnowledgeIndex.from_file(KNOWLEDGE, judge=None)   # the judge has tests of its own


async def run(knowledge, call, turn, *, greeting="Hello from the salon."):
    lm = make_llm()
    async with lm, AgentSession(llm=lm, userdata=CallState(knowledge, call)) as session:
        agent = Receptionist(instructions="test", greeting=greeting)
        await session.start(agent)
        await agent.greeted.wait()
        result = await session.run(user_input=turn)
        return result, agent


def said(result) -> list[str]:
    return [e.item.text_content for e in result.events if e.type == "message"]


def tools(result) -> list[str]:
    return [e.item.name for e in result.events if e.type == "function_call"]


@pytest.mark.asyncio
async def test_a_model_answering_without_a_lookup_is_made_to_look_up_and_then_to_escalate(model, knowledge):
    call = StubCall()
    model.steps = [("say", INVENTED),                 # answers from nowhere: replaced by the lookup
                   ("say", "I think we are open!"),   # ignores NO_CONFIDENT_ANSWER: replaced by the request
                   ("echo",)]
    result, _ = await run(knowledge, call, "Are you open on Christmas Day?")
    assert tools(result) == ["lookup_knowledge", "request_help"]
    assert INVENTED not in " ".join(said(result)) and "I think" not in " ".join(said(result))
    assert said(result) == [contract.ESCALATION_MESSAGE]
    assert call.requests == ["Are you open on Christmas Day?"] and len(model.requests) == 3


@pytest.mark.asyncio
async def test_a_model_answering_a_known_question_without_a_lookup_says_the_entry_instead(model, knowledge):
    model.steps = [("say", "We open at noon on Sundays."), ("echo",)]
    result, _ = await run(knowledge, StubCall(), "What time do you close on Sunday?")
    assert tools(result) == ["lookup_knowledge"]
    assert said(result) == ["On Sundays we are open from 11am to 4pm."]


@pytest.mark.asyncio
async def test_a_model_looking_up_two_parts_answers_both(model, knowledge):
    call = StubCall()
    model.steps = [("call", [("lookup_knowledge", {"question": "How much is a mens cut?"}),
                             ("lookup_knowledge", {"question": "Are you open on Sunday?"})]), ("echo",)]
    result, _ = await run(knowledge, call, "How much is a mens cut and are you open on Sunday?")
    text = " ".join(said(result))
    assert "$45" in text and "11am to 4pm" in text and call.requests == []


@pytest.mark.asyncio
async def test_a_model_escalating_the_whole_utterance_raises_one_request_per_unknown_part(model, knowledge):
    call = StubCall()
    utterance = "hi thanks how much is a mens cut and do you do beard trims"
    model.steps = [("call", [("request_help", {"question": utterance})]), ("echo",)]
    result, _ = await run(knowledge, call, utterance)
    assert call.requests == ["Do you do beard trims"]
    assert "$45" in " ".join(said(result))


@pytest.mark.asyncio
async def test_a_model_escalating_small_talk_raises_nothing(model, knowledge):
    call = StubCall()
    model.steps = [("call", [("request_help", {"question": "thanks so much"})]), ("say", "You're welcome!")]
    result, _ = await run(knowledge, call, "thanks so much")
    assert result.expect.contains_function_call_output().event().item.output == NOT_A_QUESTION
    assert call.requests == []


@pytest.mark.asyncio
async def test_a_model_asks_for_a_person_through_request_callback(model, knowledge):
    call = StubCall()
    model.steps = [("call", [("request_callback", {"reason": "Can I talk to a real person?"})]), ("echo",)]
    result, _ = await run(knowledge, call, "Can I talk to a real person?")
    assert call.kinds == ["callback"] and "call you back" in said(result)[0]


@pytest.mark.asyncio
async def test_a_model_passes_a_booking_with_its_details(model, knowledge):
    call = StubCall()
    details = {"action": "book", "service": "haircut", "when": "tomorrow at 3pm", "name": "Sam"}
    model.steps = [("call", [("request_booking", details)]), ("echo",)]
    result, _ = await run(knowledge, call, "Can I book a haircut for tomorrow at 3? I'm Sam")
    assert call.kinds == ["booking"] and call.bookings == [details]
    assert "confirm" in said(result)[0]


@pytest.mark.asyncio
async def test_a_model_saying_goodbye_ends_the_call(model, knowledge):
    call = StubCall()
    model.steps = [("say+call", "Thanks for calling, goodbye!", [("end_call", {})])]
    result, agent = await run(knowledge, call, "ok thanks, bye")
    assert tools(result) == ["end_call"] and agent.ended and call.closed and call.requests == []
    assert said(result) == ["Thanks for calling, goodbye!"]
