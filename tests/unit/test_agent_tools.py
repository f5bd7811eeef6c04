"""The receptionist's tools through LiveKit's testing API, without Firestore (a stand-in call record)."""
from __future__ import annotations

import json
import time
import uuid

import pytest
from livekit.agents import AgentSession, llm
from livekit.agents.types import DEFAULT_API_CONNECT_OPTIONS, NOT_GIVEN

from agent.calls import HelpRequest
from agent.evaluation import KNOWLEDGE
from agent.knowledge import KnowledgeIndex
from agent.policy import NOT_HEARD, OfflinePolicyLLM
from agent.receptionist import FILLER, NO_ANSWER, CallState, Receptionist
from frontdesk_core import contract
from frontdesk_core.dialogue.reply import ANYTHING_ELSE


class StubCall:
    """Records help requests in memory, like CallRecord minus Firestore."""

    def __init__(self):
        self.requests: list[str] = []
        self.kinds: list[str] = []
        self.bookings: list[dict] = []
        self.closed = False

    async def request_help(self, question: str, *, kind: str = "question", booking=None) -> HelpRequest:
        contract.new_help_request("+15550100", question, kind=kind, booking=booking)   # the contract's checks
        self.requests.append(contract.question(question))
        self.kinds.append(kind)
        if booking is not None:
            self.bookings.append(booking)
        return HelpRequest(f"req-{len(self.requests)}", created=True)

    async def close(self) -> None:
        self.closed = True

    def prefetch(self) -> None:
        """Nothing to read ahead: the requests are in memory (CallRecord reads Firestore here)."""


class ScriptedLLM(llm.LLM):
    """Emits one scripted tool call with raw JSON arguments, then repeats the tool's output."""

    def __init__(self, tool: str, arguments: str):
        super().__init__()
        self.tool, self.arguments = tool, arguments

    def chat(self, *, chat_ctx, tools=None, conn_options=DEFAULT_API_CONNECT_OPTIONS,
             parallel_tool_calls=NOT_GIVEN, tool_choice=NOT_GIVEN, extra_kwargs=NOT_GIVEN):
        return _Stream(self, chat_ctx=chat_ctx, tools=tools or [], conn_options=conn_options)


class _Stream(llm.LLMStream):
    async def _run(self) -> None:
        items = self._chat_ctx.items
        last = max(i for i, it in enumerate(items) if it.type == "message" and it.role == "user")
        outputs = [it for it in items[last + 1:] if it.type == "function_call_output"]
        if outputs:
            delta = llm.ChoiceDelta(role="assistant", content=f"tool said: {outputs[-1].output}")
        else:
            delta = llm.ChoiceDelta(role="assistant", tool_calls=[llm.FunctionToolCall(
                name=self._llm.tool, arguments=self._llm.arguments, call_id=f"call_{uuid.uuid4().hex}")])
        self._event_ch.send_nowait(llm.ChatChunk(id=uuid.uuid4().hex, delta=delta))


@pytest.fixture(scope="module")
def knowledge():
    return KnowledgeIndex.from_file(KNOWLEDGE)


def receptionist():
    return Receptionist(instructions="test")


def state(knowledge, call=None) -> CallState:
    """The session's userdata: what the tools answer from and record to."""
    return CallState(knowledge=knowledge, record=call or StubCall())


@pytest.mark.asyncio
async def test_known_question_is_looked_up_then_answered(knowledge):
    async with OfflinePolicyLLM() as lm, AgentSession(llm=lm, userdata=state(knowledge)) as session:
        await session.start(receptionist())
        result = await session.run(user_input="How much is a men's cut?")
        result.expect.next_event().is_function_call(name="lookup_knowledge")
        result.expect.next_event().is_function_call_output(
            output="ANSWER: A men's haircut (men's cut) is $45 and takes about 30 minutes.")
        msg = result.expect.next_event().is_message(role="assistant")
        result.expect.no_more_events()
        assert msg.event().item.text_content == ("A men's haircut (men's cut) is $45 and takes about 30 minutes. "
                                                 + ANYTHING_ELSE)


@pytest.mark.asyncio
async def test_unknown_question_requests_help_and_says_the_supervisor_line(knowledge):
    call = StubCall()
    async with OfflinePolicyLLM() as lm, \
            AgentSession(llm=lm, userdata=state(knowledge, call)) as session:
        await session.start(receptionist())
        result = await session.run(user_input="Are you open on Christmas Day?")
        result.expect.next_event().is_function_call(name="lookup_knowledge")
        result.expect.next_event().is_function_call_output(output=NO_ANSWER)
        result.expect.next_event().is_function_call(
            name="request_help", arguments={"question": "Are you open on Christmas Day?"})
        result.expect.next_event().is_function_call_output(output=contract.ESCALATION_MESSAGE)
        result.expect.next_event().is_message(role="assistant")
        result.expect.no_more_events()
        assert result.expect[-1].event().item.text_content == f"{contract.ESCALATION_MESSAGE} {ANYTHING_ELSE}"
    assert call.requests == ["Are you open on Christmas Day?"]


@pytest.mark.asyncio
@pytest.mark.parametrize("arguments", ['{"question": "   "}', '{"question": "' + "x" * 600 + '"}'])
async def test_lookup_refuses_an_empty_or_oversized_question(knowledge, arguments):
    async with ScriptedLLM("lookup_knowledge", arguments) as lm, \
            AgentSession(llm=lm, userdata=state(knowledge)) as session:
        await session.start(receptionist())
        result = await session.run(user_input="(noise)")
        result.expect.next_event().is_function_call(name="lookup_knowledge")
        out = result.expect.next_event().is_function_call_output().event().item
        assert out.is_error and "question" in out.output and "repeat" in out.output, out


@pytest.mark.asyncio
@pytest.mark.parametrize("arguments", ["{}", '{"question": 42}', '{"question": null}',
                                       "not json"])
async def test_malformed_tool_arguments_are_an_error_not_a_crash(knowledge, arguments):
    call = StubCall()
    async with ScriptedLLM("request_help", arguments) as lm, \
            AgentSession(llm=lm, userdata=state(knowledge, call)) as session:
        await session.start(receptionist())
        result = await session.run(user_input="(noise)")
        result.expect.skip_next_event_if(type="function_call")   # unparsable JSON has no call event
        out = result.expect.next_event().is_function_call_output().event().item
        assert out.is_error and out.name == "request_help", out
        result.expect.next_event().is_message(role="assistant")
        # the session is still usable
        again = await session.run(user_input="(noise)")
        again.expect[-1].is_message(role="assistant")
    assert call.requests == []


@pytest.mark.asyncio
async def test_request_help_refuses_an_oversized_question(knowledge):
    call = StubCall()
    async with ScriptedLLM("request_help", json.dumps({"question": "y" * 501})) as lm, \
            AgentSession(llm=lm, userdata=state(knowledge, call)) as session:
        await session.start(receptionist())
        result = await session.run(user_input="(a very long question)")
        result.expect.next_event().is_function_call(name="request_help")
        out = result.expect.next_event().is_function_call_output().event().item
        assert out.output.startswith("Sorry, I could not note that question") and call.requests == []


@pytest.mark.asyncio
async def test_offline_policy_asks_again_when_the_question_was_not_understood(knowledge):
    async with OfflinePolicyLLM() as lm, AgentSession(llm=lm, userdata=state(knowledge)) as session:
        await session.start(receptionist())
        result = await session.run(user_input=" ")
        result.expect.skip_next_event_if(type="function_call")
        assert result.expect[-1].event().item.text_content == NOT_HEARD


class SlowIndex(KnowledgeIndex):
    def decide(self, question, vector=None):
        time.sleep(0.6)
        return super().decide(question, vector)


@pytest.mark.asyncio
async def test_filler_when_the_lookup_is_slow(knowledge):
    slow = SlowIndex(knowledge.index.entries)
    async with OfflinePolicyLLM() as lm, AgentSession(llm=lm, userdata=state(slow)) as session:
        await session.start(receptionist())
        result = await session.run(user_input="What time do you close on Sunday?")
        said = [e.item.text_content for e in result.events if e.type == "message"]
        assert said == [FILLER, f"On Sundays we are open from 11am to 4pm. {ANYTHING_ELSE}"]


@pytest.mark.asyncio
async def test_no_filler_when_the_lookup_is_quick(knowledge):
    async with OfflinePolicyLLM() as lm, AgentSession(llm=lm, userdata=state(knowledge)) as session:
        await session.start(receptionist())
        await session.run(user_input="warm the model up")
        result = await session.run(user_input="What time do you close on Sunday?")
        said = [e.item.text_content for e in result.events if e.type == "message"]
        assert said == [f"On Sundays we are open from 11am to 4pm. {ANYTHING_ELSE}"]


class LimitedCall(StubCall):
    """A call record whose number is over its help request limits (issue 16, item 4)."""

    async def request_help(self, question: str, *, kind: str = "question", booking=None) -> HelpRequest:
        raise contract.LimitReached("5 requests from this number are open already")


@pytest.mark.asyncio
async def test_a_caller_over_the_request_limit_is_told_so_and_nothing_is_raised(knowledge):
    call = LimitedCall()
    async with OfflinePolicyLLM() as lm, AgentSession(llm=lm, userdata=state(knowledge, call)) as session:
        await session.start(receptionist())
        result = await session.run(user_input="Are you open on Christmas Day?")
        outputs = [e.item.output for e in result.events if e.type == "function_call_output"]
        assert outputs[-1] == contract.LIMIT_MESSAGE
        assert contract.ESCALATION_MESSAGE not in result.expect[-1].event().item.text_content
    assert call.requests == []
