"""agent/cpu.py: a text the agent embedded a moment ago is not embedded again; an escalation's turn
decides its question once, started before the model asks for it; a warmed process has its heap frozen."""
import asyncio
import gc
import uuid

import numpy as np
import pytest
from livekit.agents import AgentSession

from agent import cpu
from agent.policy import OfflinePolicyLLM
from agent.receptionist import Receptionist
from frontdesk_core import embedding

from .test_agent_tools import StubCall, knowledge, state  # noqa: F401 - the fixture


def test_the_same_words_are_embedded_once_and_give_the_same_vector(monkeypatch):
    runs = []
    real = embedding.embed_many
    monkeypatch.setattr(embedding, "embed_many", lambda texts, *a, **k: runs.append(list(texts)) or real(texts))
    words = f"do you sell gift cards {uuid.uuid4().hex[:8]}"    # not in the process's cache yet

    async def twice():
        first = await cpu.embed(words)
        return first, await cpu.embed(words)

    first, second = asyncio.run(twice())
    assert runs == [[words]]
    assert np.array_equal(first, second) and float(first @ embedding.embed(words)) > 0.9999


@pytest.mark.asyncio
async def test_an_escalated_question_is_decided_once_and_before_the_model_asks(knowledge, monkeypatch):  # noqa: F811
    """The turn's lookup starts at its first step (Receptionist._look_ahead), before lookup_knowledge
    is called; request_help then reuses that turn's decision instead of deciding again."""
    order: list[tuple[str, str]] = []
    decide = cpu.decide

    async def noted_decide(index, text):
        order.append(("decision started", text))
        return await decide(index, text)

    class NotedReceptionist(Receptionist):
        async def _decide(self, context, text):
            order.append(("tool asks", text))
            return await super()._decide(context, text)

    monkeypatch.setattr(cpu, "decide", noted_decide)
    question = "Are you open on Christmas Day?"
    async with OfflinePolicyLLM() as lm, AgentSession(llm=lm, userdata=state(knowledge, StubCall())) as session:
        await session.start(NotedReceptionist(instructions="test"))
        result = await session.run(user_input=question)
        result.expect.contains_function_call(name="request_help")
    assert order == [("decision started", question), ("tool asks", question), ("tool asks", question)], order


def test_a_warmed_process_keeps_its_loaded_heap_out_of_the_collectors_reach():
    """cpu.warm (and a worker's prewarm) freezes what is loaded: a full collection no longer walks the
    models, LiveKit and the clients with the GIL held (bench/load: 50-140 ms stalls of every call)."""
    asyncio.run(cpu.warm())
    assert gc.get_freeze_count() > 10_000
