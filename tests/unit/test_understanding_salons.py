"""Understanding at salons the model never saw: each salon judged by a model fitted on the others.

The figures bench/understanding.py prints, held here to floors they reach today, so a change that makes
the agent answer wrongly, escalate known answers, unlearn lessons or merge different questions fails.
(Issue 13's bars — 90 % answered at 0 wrong on every unseen salon — are not reached with the models
that ship in registry packages: the README's "Understanding" section has the figures.)
"""
import numpy as np
import pytest

from agent.evaluation import DATA
from bench.understanding import base_model
from frontdesk_core import embedding
from frontdesk_core.understanding import model as models, training


@pytest.fixture(scope="module")
def salons():
    loaded = training.load_all(DATA)
    training.embed_salons(loaded, embedding.embed_many)
    return loaded


@pytest.fixture(scope="module")
def judged(salons):
    """salon -> (now, before links, after links, grouping), each by the model fitted without it."""
    out = {}
    for s in salons:
        fitted = training.fit([o for o in salons if o is not s], base_model())
        out[s.name] = (training.score(s, s.index(), s.questions, fitted), *training.learning_curve(s, fitted),
                       training.grouping(s, fitted))
    return out


def test_the_salon_sets_are_big_enough_and_consistent(salons):
    others = [s for s in salons if s.name != "lumen"]
    assert len(others) >= 3
    for s in others:
        ids = {e["id"] for e in s.entries}
        paraphrases = [q for q in s.questions if q["expect"] == "answer"]
        unknowns = [q for q in s.questions if q["expect"] == "escalate"]
        assert len(ids) == len(s.entries) >= 30, s.name
        assert len(unknowns) >= 60 and sum(q.get("kind") == "hard" for q in unknowns) >= len(unknowns) / 2, s.name
        assert all(set(q["ids"]) <= ids for q in paraphrases), s.name
        assert {q["split"] for q in paraphrases} == {"week", "heldout"}, s.name
        assert len({q["question"] for q in s.questions}) == len(s.questions), s.name
        assert len({g["group"] for g in s.groups}) >= 12, s.name


def test_unseen_salons_get_almost_no_wrong_answers_and_unknowns_escalate(judged):
    for name, (now, *_rest) in judged.items():
        print(name, now.summary())
        assert now.wrong <= 2, (name, now.misses)
        assert now.escalated_share >= 0.97, (name, now.misses)
        assert now.answered_share >= 0.03, name
    # 16 salons, 4 505 decisions: 4 wrong today (each a hard negative the answer does not state).
    assert sum(now.wrong for now, *_ in judged.values()) <= 4


def test_lessons_add_answers_and_never_take_one_away(judged):
    for name, (_, before, after, _g) in judged.items():
        print(name, before.summary(), "->", after.summary())
        assert after.answered >= before.answered, name
        assert after.escalated == after.unknowns or after.escalated_share >= 0.97, name
    assert sum(after.answered - before.answered for _, before, after, _g in judged.values()) >= 15
    assert sum(after.wrong for _, _b, after, _g in judged.values()) <= 4


def test_grouping_merges_next_to_no_different_questions(judged):
    merged = sum(g[2] for *_, g in judged.values())
    pairs = sum(g[3] for *_, g in judged.values())
    grouped = sum(g[0] for *_, g in judged.values())
    print(f"grouped {grouped} of {sum(g[1] for *_, g in judged.values())} same-question pairs, "
          f"merged {merged} of {pairs} different")
    assert merged <= 4 and grouped >= 8


def test_the_committed_model_is_the_one_the_data_fits(salons):
    fitted = training.fit(salons, base_model())
    committed = models.default()
    assert np.allclose(fitted.answer_weights, committed.answer_weights, atol=1e-4)
    assert np.allclose(fitted.same_weights, committed.same_weights, atol=1e-4)
    assert abs(fitted.answer_at - committed.answer_at) < 1e-4 and abs(fitted.same_at - committed.same_at) < 1e-4
