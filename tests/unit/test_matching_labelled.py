"""The labelled set through the very decision the agent makes: the README's figures, held to the bar.

tests/data/labelled.jsonl calibrated the gate; tests/data/holdout.jsonl was written afterwards.
`python -m agent ask --kb tests/data/knowledge.json --json` reproduces the same lines (bench/labelled.py).
"""
import pytest

from agent.evaluation import HOLDOUT, KNOWLEDGE, LABELLED, load_labelled, score
from agent.knowledge import KnowledgeIndex
from frontdesk_core import embedding


@pytest.fixture(scope="module")
def index():
    return KnowledgeIndex.from_file(KNOWLEDGE)


def run(index, path):
    items = load_labelled(path)
    vectors = embedding.embed_many([i["question"] for i in items])
    decisions = [index.decide(i["question"], v) for i, v in zip(items, vectors)]
    return items, score(items, ({"action": d.action, "knowledge_id": d.entry_id} for d in decisions))


def test_labelled_set_is_big_enough_and_consistent(index):
    items = load_labelled(LABELLED)
    ids = {e.id for e in index.index.entries}
    paraphrases = [i for i in items if i["expect"] == "answer"]
    unknowns = [i for i in items if i["expect"] == "escalate"]
    assert len(paraphrases) >= 150 and len(unknowns) >= 100
    assert sum(i.get("kind") == "hard" for i in unknowns) >= 50
    assert all(set(i["ids"]) <= ids for i in paraphrases)
    assert len({i["question"] for i in items}) == len(items)


def test_calibration_set_meets_the_bar(index):
    _, s = run(index, LABELLED)
    print(s.summary())
    assert s.wrong == 0, s.misses
    assert s.unknowns == s.escalated, s.misses            # an answered unknown is a wrong answer too
    assert s.answered_share >= 0.90, s.misses
    assert s.escalated_share >= 0.95


def test_holdout_set_meets_the_bar(index):
    _, s = run(index, HOLDOUT)
    print(s.summary())
    assert s.wrong == 0, s.misses
    assert s.answered_share >= 0.90, s.misses
    assert s.escalated_share >= 0.95, s.misses
