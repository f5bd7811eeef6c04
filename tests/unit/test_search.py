"""The int8 prefilter (search.py) returns exactly what the plain float32 product returns."""
from dataclasses import replace

import numpy as np
import pytest

from agent.evaluation import KNOWLEDGE, LABELLED, load_labelled
from agent.knowledge import KnowledgeIndex
from bench.lookup import synthetic
from frontdesk_core import embedding
from frontdesk_core.understanding import search
from frontdesk_core.understanding import Index, Phrasing, decide


@pytest.fixture(scope="module")
def questions():
    items = load_labelled(LABELLED)
    return [i["question"] for i in items], embedding.embed_many([i["question"] for i in items])


def plain(index: Index) -> Index:
    copy = Index(index.entries)
    copy._coarse = None
    return copy


@pytest.mark.parametrize("phrasings", [0, 2])
def test_the_prefilter_finds_exactly_the_plain_products_nearest(questions, phrasings):
    rng = np.random.default_rng(3)
    extra = synthetic(6000)
    if phrasings:   # entries with more wordings: rows = 3 per entry
        vecs = rng.standard_normal((len(extra), phrasings, embedding.DIM)).astype(np.float32)
        vecs /= np.linalg.norm(vecs, axis=2, keepdims=True)
        extra = [replace(e, phrasings=tuple(Phrasing(f"{e.question} ({k})", v) for k, v in enumerate(vs)))
                 for e, vs in zip(extra, vecs)]
    index = Index(KnowledgeIndex.from_file(KNOWLEDGE).index.entries + extra)
    assert index._coarse is not None
    exact = plain(index)
    texts, vectors = questions
    for text, vec in zip(texts, vectors):
        got, meaning, rows = index.search(vec, 10)
        want, want_meaning, want_rows = exact.search(vec, 10)
        assert list(got) == list(want)
        assert np.allclose(meaning[got], want_meaning[want], atol=1e-6)
        assert decide(text, vec, index) == decide(text, vec, exact)


def test_the_error_bound_holds_for_every_row():
    rng = np.random.default_rng(5)
    rows = rng.standard_normal((search.MIN_ROWS, embedding.DIM)).astype(np.float32)
    rows[::7] *= 0.01                                       # small rows: scales differ per row
    rows /= np.maximum(np.linalg.norm(rows, axis=1, keepdims=True), 1e-3)
    scorer = search.CoarseScores(rows)
    for _ in range(50):
        q = rng.standard_normal(embedding.DIM).astype(np.float32)
        q /= np.linalg.norm(q)
        approx, a, b = scorer(q)
        bound = scorer.bounds(scorer.scale, scorer.l1, a, b)
        assert np.all(np.abs(approx - rows @ q) <= bound)
        assert float(np.median(bound)) < 0.05               # tight enough to leave few candidates


def test_small_indexes_use_the_plain_product():
    assert Index(KnowledgeIndex.from_file(KNOWLEDGE).index.entries)._coarse is None
