"""The Together path: LiveKit's OpenAI-compatible plugin against a local server that speaks the OpenAI
streaming protocol (a tool call, then text), the same Receptionist and confidence gate."""
from __future__ import annotations

import json

import pytest
import pytest_asyncio
from aiohttp import web
from livekit.agents import AgentSession

from agent.evaluation import KNOWLEDGE
from agent.knowledge import KnowledgeIndex
from agent.receptionist import CallState, Receptionist
from agent.session import make_llm
from frontdesk_core import contract

from .test_agent_tools import StubCall
from tests.local_http import ChatStream, FakeChatServer, this_turns_tool_results, together_at


class FakeTogether(FakeChatServer):
    """POST /v1/chat/completions, streamed: with no tool result yet it calls the tool the script names
    (arguments in fragments); with one it phrases the reply from the tool's output only."""

    def __init__(self):
        self.requests: list[dict] = []
        self.calls = 0

    async def chat(self, request: web.Request) -> web.StreamResponse:
        body = await request.json()
        self.requests.append(body)
        stream = await ChatStream.open(request, body["model"])
        messages = body["messages"]
        last_user = max(i for i, m in enumerate(messages) if m["role"] == "user")
        tool_results = this_turns_tool_results(messages)
        question = messages[last_user]["content"]
        if isinstance(question, list):
            question = " ".join(part.get("text", "") for part in question)
        if not tool_results:
            self.calls += 1
            name = "lookup_knowledge"
            args = json.dumps({"question": question})
            await stream.send({"role": "assistant", "tool_calls": [{"index": 0, "id": f"call_{self.calls}",
                               "type": "function", "function": {"name": name, "arguments": ""}}]})
            for i in range(0, len(args), 7):   # fragmented arguments, as real servers send them
                await stream.send({"tool_calls": [{"index": 0, "function": {"arguments": args[i:i + 7]}}]})
            await stream.send({}, "tool_calls")
        else:
            result = tool_results[-1]
            if result.startswith("ANSWER:"):
                text = "Sure! " + result.removeprefix("ANSWER:").strip()
            elif result.startswith("NO_CONFIDENT_ANSWER"):   # the model then asks for help
                self.calls += 1
                args = json.dumps({"question": question})
                await stream.send({"role": "assistant", "tool_calls": [{"index": 0, "id": f"call_{self.calls}",
                                   "type": "function", "function": {"name": "request_help", "arguments": args}}]})
                await stream.send({}, "tool_calls")
                return await stream.end()
            else:
                text = result
            await stream.say(text)
        return await stream.end(usage=True)


@pytest_asyncio.fixture
async def together(monkeypatch):
    async with together_at(monkeypatch, FakeTogether()) as fake:
        yield fake


@pytest.fixture(scope="module")
def knowledge():
    return KnowledgeIndex.from_file(KNOWLEDGE, judge=None)   # the judge has tests of its own


@pytest.mark.asyncio
async def test_together_answers_from_the_tool(together, knowledge):
    model = make_llm()
    assert model.model == "fake-model" and type(model).__module__.startswith("livekit.plugins.openai")
    async with model, \
            AgentSession(llm=model, userdata=CallState(knowledge=knowledge, record=StubCall())) as session:
        await session.start(Receptionist(instructions="test"))
        result = await session.run(user_input="What time do you close on Sunday?")
        result.expect.next_event().is_function_call(
            name="lookup_knowledge", arguments={"question": "What time do you close on Sunday?"})
        result.expect.next_event().is_function_call_output(output="ANSWER: On Sundays we are open from 11am to 4pm.")
        msg = result.expect.next_event().is_message(role="assistant")
        result.expect.no_more_events()
        assert msg.event().item.text_content.strip() == "Sure! On Sundays we are open from 11am to 4pm."
    chat = [r for r in together.requests]
    assert chat[0]["model"] == "fake-model" and chat[0]["stream"] is True
    assert {t["function"]["name"] for t in chat[0]["tools"]} == {"lookup_knowledge", "request_help", "request_callback",
                                                           "request_booking", "end_call"}
    assert [m["role"] for m in chat[1]["messages"]][-2:] == ["assistant", "tool"]


@pytest.mark.asyncio
async def test_together_escalates_through_request_help(together, knowledge):
    call = StubCall()
    model = make_llm()
    async with model, \
            AgentSession(llm=model, userdata=CallState(knowledge=knowledge, record=call)) as session:
        await session.start(Receptionist(instructions="test"))
        result = await session.run(user_input="Do you do eyelash extensions?")
        result.expect.next_event().is_function_call(name="lookup_knowledge")
        result.expect.next_event().is_function_call_output()
        result.expect.next_event().is_function_call(name="request_help")
        result.expect.next_event().is_function_call_output(output=contract.ESCALATION_MESSAGE)
        msg = result.expect.next_event().is_message(role="assistant")
        assert msg.event().item.text_content.strip() == contract.ESCALATION_MESSAGE
    assert call.requests == ["Do you do eyelash extensions?"]


def test_without_a_key_the_offline_policy_is_used(monkeypatch):
    monkeypatch.delenv("TOGETHER_API_KEY", raising=False)
    assert make_llm().model == "frontdesk-offline-policy"
