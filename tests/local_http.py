"""A local aiohttp server for tests that stand in for a remote API (LiveKit, Together) on loopback."""
from __future__ import annotations

import json
import time
from contextlib import asynccontextmanager
from typing import AsyncIterator

from aiohttp import web


@asynccontextmanager
async def serving(app: web.Application) -> AsyncIterator[int]:
    """Serve `app` on 127.0.0.1 at a free port; yields the port."""
    runner = web.AppRunner(app)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    try:
        yield site._server.sockets[0].getsockname()[1]
    finally:
        await runner.cleanup()


@asynccontextmanager
async def together_at(monkeypatch, fake, model: str = "fake-model") -> AsyncIterator:
    """Serve `fake` (with `models` and `chat` handlers) as an OpenAI-compatible API on loopback and point
    the Together settings at it, as a real key would point them at Together."""
    app = web.Application()
    app.router.add_get("/v1/models", fake.models)
    app.router.add_post("/v1/chat/completions", fake.chat)
    async with serving(app) as port:
        monkeypatch.setenv("TOGETHER_API_KEY", "test-key")
        monkeypatch.setenv("TOGETHER_BASE_URL", f"http://127.0.0.1:{port}/v1")
        monkeypatch.setenv("TOGETHER_MODEL", model)
        yield fake


class FakeChatServer:
    """Base of the tests' stand-ins for an OpenAI-compatible API (Together's): GET /v1/models here,
    POST /v1/chat/completions (`chat`) in each test's subclass, streamed through `ChatStream`."""

    async def models(self, request: web.Request) -> web.Response:
        return web.json_response({"object": "list", "data": [{"id": "fake", "object": "model"}]})


class ChatStream:
    """One streamed chat completion in the OpenAI protocol: delta chunks, then `data: [DONE]`."""

    def __init__(self, out: web.StreamResponse, model: str):
        self.out, self.model = out, model

    @classmethod
    async def open(cls, request: web.Request, model: str = "fake") -> "ChatStream":
        out = web.StreamResponse(headers={"Content-Type": "text/event-stream"})
        await out.prepare(request)
        return cls(out, model)

    async def send(self, delta: dict, finish: str | None = None) -> None:
        chunk = {"id": "chatcmpl-1", "object": "chat.completion.chunk", "created": int(time.time()),
                 "model": self.model, "choices": [{"index": 0, "delta": delta, "finish_reason": finish}]}
        await self.out.write(f"data: {json.dumps(chunk)}\n\n".encode())

    async def say(self, text: str) -> None:
        """The text word by word, as a model streams it, then the end of the message."""
        for word in text.split(" "):
            await self.send({"role": "assistant", "content": word + " "})
        await self.send({}, "stop")

    async def end(self, usage: bool = False) -> web.StreamResponse:
        if usage:   # the final chunk real servers send with token counts
            await self.out.write(b'data: {"id":"chatcmpl-1","object":"chat.completion.chunk","created":0,'
                                 b'"model":"fake","choices":[],"usage":{"prompt_tokens":10,"completion_tokens":5,'
                                 b'"total_tokens":15}}\n\n')
        await self.out.write(b"data: [DONE]\n\n")
        return self.out


def this_turns_tool_results(messages: list[dict]) -> list[str]:
    """The tool results the model has been given since the caller's last words."""
    last_user = max(i for i, m in enumerate(messages) if m["role"] == "user")
    return [m["content"] for m in messages[last_user + 1:] if m["role"] == "tool"]
