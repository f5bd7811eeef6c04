"""agent/cpu.py: a text the agent embedded a moment ago is not embedded again (an escalation decides
twice on the same words: lookup_knowledge, then request_help)."""
import asyncio
import uuid

import numpy as np

from agent import cpu
from frontdesk_core import embedding


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
