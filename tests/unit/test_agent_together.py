"""The Together path: LiveKit's OpenAI-compatible plugin against a local server that speaks the OpenAI
streaming protocol (a tool call, then text), the same Receptionist and confidence gate."""
from __future__ import annotations

import json
import time

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
from tests.local_http import together_at


class FakeTogether:
    """POST /v1/chat/completions, streamed: with no tool result yet it calls the tool the script names
    (arguments in fragments); with one it phrases the reply from the tool's output only."""

    def __init__(self):
        self.requests: list[dict] = []
        self.calls = 0

    async def models(self, request: web.Request) -> web.Response:
        return web.json_response({"object": "list", "data": [{"id": "fake", "object": "model"}]})

    async def chat(self, request: web.Request) -> web.StreamResponse:
        body = await request.json()
        self.requests.append(body)
        out = web.StreamResponse(headers={"Content-Type": "text/event-stream"})
        await out.prepare(request)

        async def send(delta: dict, finish: str | None = None) -> None:
            chunk = {"id": "chatcmpl-1", "object": "chat.completion.chunk", "created": int(time.time()),
                     "model": body["model"], "choices": [{"index": 0, "delta": delta, "finish_reason": finish}]}
            await out.write(f"data: {json.dumps(chunk)}\n\n".encode())

        messages = body["messages"]
        last_user = max(i for i, m in enumerate(messages) if m["role"] == "user")
        tool_results = [m for m in messages[last_user + 1:] if m["role"] == "tool"]
        question = messages[last_user]["content"]
        if isinstance(question, list):
            question = " ".join(part.get("text", "") for part in question)
        if not tool_results:
            self.calls += 1
            name = "lookup_knowledge"
            args = json.dumps({"question": question})
            await send({"role": "assistant", "tool_calls": [{"index": 0, "id": f"call_{self.calls}", "type": "function",
                        "function": {"name": name, "arguments": ""}}]})
            for i in range(0, len(args), 7):   # fragmented arguments, as real servers send them
                await send({"tool_calls": [{"index": 0, "function": {"arguments": args[i:i + 7]}}]})
            await send({}, "tool_calls")
        else:
            result = tool_results[-1]["content"]
            if result.startswith("ANSWER:"):
                text = "Sure! " + result.removeprefix("ANSWER:").strip()
            elif result.startswith("NO_CONFIDENT_ANSWER"):   # the model then asks for help
                self.calls += 1
                args = json.dumps({"question": question})
                await send({"role": "assistant", "tool_calls": [{"index": 0, "id": f"call_{self.calls}",
                            "type": "function", "function": {"name": "request_help", "arguments": args}}]})
                await send({}, "tool_calls")
                await out.write(b"data: [DONE]\n\n")
                return out
            else:
                text = result
            for word in text.split(" "):
                await send({"role": "assistant", "content": word + " "})
            await send({}, "stop")
        await out.write(b'data: {"id":"chatcmpl-1","object":"chat.completion.chunk","created":0,"model":"fake",'
                        b'"choices":[],"usage":{"prompt_tokens":10,"completion_tokens":5,"total_tokens":15}}\n\n')
        await out.write(b"data: [DONE]\n\n")
        return out


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
