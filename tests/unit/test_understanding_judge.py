"""The judge for the uncertain middle, on the OpenAI-compatible API Together speaks, against a local
server with scripted verdicts: it can only confirm what the fast path found plausible, never widen it."""
from __future__ import annotations

import asyncio
import json
import threading

import pytest
from aiohttp import web

from agent.evaluation import KNOWLEDGE
from agent.judge import OpenAIJudge, make_judge
from agent.knowledge import KnowledgeIndex
from frontdesk_core.understanding import default_model, judge as prompt
from tests.local_http import serving

MIDDLE = "Where are you located?"   # the right entry, below the answer bar


class ScriptedJudge:
    """POST /v1/chat/completions (not streamed): replies with `verdict` and records what it was asked."""

    def __init__(self, verdict: str):
        self.verdict = verdict
        self.asked: list[dict] = []

    async def chat(self, request: web.Request) -> web.Response:
        body = await request.json()
        self.asked.append(body)
        return web.json_response({
            "id": "j1", "object": "chat.completion", "created": 0, "model": body["model"],
            "choices": [{"index": 0, "finish_reason": "stop",
                         "message": {"role": "assistant", "content": self.verdict}}],
            "usage": {"prompt_tokens": 50, "completion_tokens": 1, "total_tokens": 51}})


@pytest.fixture
def judge_server():
    """A scripted judge on a loopback port, served from its own thread (the judge is called from the
    lookup's worker thread, synchronously, as in the agent)."""
    servers = {}

    def start(verdict: str):
        fake = ScriptedJudge(verdict)
        loop = asyncio.new_event_loop()
        ready, stop = threading.Event(), asyncio.Event()
        port = []

        async def run():
            app = web.Application()
            app.router.add_post("/v1/chat/completions", fake.chat)
            async with serving(app) as p:
                port.append(p)
                ready.set()
                await stop.wait()

        thread = threading.Thread(target=loop.run_until_complete, args=(run(),), daemon=True)
        thread.start()
        ready.wait(5)
        servers[fake] = (loop, stop, thread)
        return fake, f"http://127.0.0.1:{port[0]}/v1"

    yield start
    for loop, stop, thread in servers.values():
        loop.call_soon_threadsafe(stop.set)
        thread.join(5)


def index_with(judge):
    return KnowledgeIndex.from_file(KNOWLEDGE, judge=judge)


def test_a_yes_confirms_a_plausible_answer_and_is_asked_only_about_it(judge_server):
    fake, url = judge_server("yes")
    knowledge = index_with(OpenAIJudge(base_url=url, api_key="k", model="judge-model"))
    no_judge = index_with(None).decide(MIDDLE)
    assert not no_judge.answered and default_model().judge_from <= no_judge.score < default_model().answer_at
    d = knowledge.decide(MIDDLE)
    assert d.answered and d.entry_id == "seed-address" and d.reason == "confirmed by the judge"
    [asked] = fake.asked
    assert asked["model"] == "judge-model" and asked["max_tokens"] == 2 and asked["temperature"] == 0
    assert MIDDLE in asked["messages"][1]["content"] and d.answer in asked["messages"][1]["content"]
    # Clear cases never reach the judge.
    assert knowledge.decide("How much is a blowout?").answered
    assert knowledge.decide("Can I bring my dog?").action == "escalate"
    assert len(fake.asked) == 1


@pytest.mark.parametrize("question", [
    "How much is a haircut?",                   # men's, women's or children's: ambiguous
    "Will you be open on Easter Sunday?",       # a word the base never uses
    "How early should I arrive for a patch test?",   # asks a time the answer does not state
    "Can I bring my dog?",                      # nowhere near the bar
    "How much is a beard trim?",
])
def test_a_judge_that_says_yes_to_everything_cannot_make_a_wrong_answer(judge_server, question):
    fake, url = judge_server("Yes.")
    d = index_with(OpenAIJudge(base_url=url, api_key="k", model="m")).decide(question)
    assert d.action == "escalate" and d.answer is None, d


def test_no_an_unclear_reply_or_an_unreachable_judge_escalates(judge_server):
    for verdict in ("no", "Well, it depends", ""):
        fake, url = judge_server(verdict)
        d = index_with(OpenAIJudge(base_url=url, api_key="k", model="m")).decide(MIDDLE)
        assert d.action == "escalate" and len(fake.asked) == 1, verdict
    down = OpenAIJudge(base_url="http://127.0.0.1:9/v1", api_key="k", model="m", timeout=1.0)
    assert down("q", "eq", "ea") is None
    assert index_with(down).decide(MIDDLE).action == "escalate"


def test_the_judge_is_the_together_model_only_when_a_key_is_set(monkeypatch):
    assert make_judge({}) is None
    judge = make_judge({"TOGETHER_API_KEY": "k", "TOGETHER_MODEL": "big", "TOGETHER_BASE_URL": "http://x/v1"})
    assert judge.model == "big" and str(judge.client.base_url).startswith("http://x/v1")
    assert make_judge({"TOGETHER_API_KEY": "k", "TOGETHER_JUDGE_MODEL": "small"}).model == "small"


def test_verdicts_are_read_strictly():
    assert prompt.verdict("yes") is True and prompt.verdict(" Yes, it does") is True
    assert prompt.verdict("NO.") is False
    assert prompt.verdict("yesterday") is None and prompt.verdict(None) is None and prompt.verdict("maybe") is None
    assert json.dumps(prompt.messages("q", "eq", "ea"))
