"""A local aiohttp server for tests that stand in for a remote API (LiveKit, Together) on loopback."""
from __future__ import annotations

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
