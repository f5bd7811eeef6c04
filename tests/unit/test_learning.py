"""Phrasings, suggestions and conflicts in the gate (pure), and the learning curve held to the bar."""
from dataclasses import replace

import pytest

from agent.evaluation import KNOWLEDGE, load_labelled
from agent.knowledge import KnowledgeIndex
from bench.learning import HELDOUT, LEARNING, evaluate, replay_week
from frontdesk_core import contract, embedding
from frontdesk_core.understanding import (Index, conflicts, decide, default_model, knows_wording, suggest,
                                          with_phrasing)

MEN = "seed-price-men-s-haircut"


@pytest.fixture(scope="module")
def base():
    return KnowledgeIndex.from_file(KNOWLEDGE).index


def entry(index, entry_id):
    return next(e for e in index.entries if e.id == entry_id)


def teach(index, entry_id, text, source="link"):
    return index.with_entries([with_phrasing(entry(index, entry_id), text, embedding.embed(text), source)])


def ask(index, question):
    return decide(question, embedding.embed(question), index)


def test_seed_entries_ship_with_two_to_four_caller_phrasings(base):
    assert all(2 <= len(e.phrasings) <= 4 for e in base.entries)
    assert all(p.source == "seed" for e in base.entries for p in e.phrasings)


def test_a_linked_wording_teaches_that_entry_only(base):
    assert not ask(base, "What do you charge for buzz cuts?").answered
    taught = teach(base, MEN, "What do you charge for a buzz cut?")
    d = ask(taught, "What do you charge for buzz cuts?")
    assert d.answered and d.entry_id == MEN
    # the learned wording does not make the entry answer questions it does not answer
    for question in ("How much is a buzz cut for my grandson?", "Do you sell buzz cut clippers?",
                     "How much is a beard buzz?"):
        assert not ask(taught, question).answered, question


def test_a_lesson_never_takes_an_answer_away(base):
    # A wording taught to the Wednesday entry must not stop the general hours question being answered.
    before = ask(base, "When do you close on Sundays?")
    taught = teach(base, "seed-hours-wednesday", "When do you close on Wednesdays?")
    after = ask(taught, "When do you close on Sundays?")
    assert before.answered and after.answered and after.entry_id == before.entry_id


def test_a_phrasing_that_says_more_than_the_caller_does_not_speak_for_its_entry(base):
    # "Are you open Wednesday evening?" is a Wednesday wording: "When are you open?" is not about
    # Wednesday, so that phrasing must not pull the question to the Wednesday entry.
    taught = teach(base, "seed-hours-wednesday", "Are you open Wednesday evening?")
    d = ask(taught, "When are you open?")
    assert d.entry_id != "seed-hours-wednesday" or not d.answered


def test_known_wordings_are_not_added_twice(base):
    men = entry(base, MEN)
    assert knows_wording(men, "how much does a MEN'S haircut cost")
    assert with_phrasing(men, "How much is a men's cut?!", embedding.embed("x"), "link") is men


def test_suggestions_rank_the_right_entry_first_and_flag_near(base):
    q = "What's the price of a men's haircut now?"
    found = suggest(q, embedding.embed(q), base)
    assert [s.entry.id for s in found][0] == MEN and found[0].score > 3 * found[1].score
    q = "How much is a men's cut these days?"
    found = suggest(q, embedding.embed(q), base)
    assert found[0].entry.id == MEN and found[0].near and found[0].score >= default_model().near_at
    q = "Do you sell gift cards?"
    assert not any(s.near for s in suggest(q, embedding.embed(q), base))
    assert suggest(q, embedding.embed(q), Index([])) == []


def test_a_contradicting_answer_names_only_the_entry_the_agent_would_use(base):
    q = "How much does a men's haircut cost?"
    vec = embedding.embed(q)
    assert [e.id for e in conflicts(q, vec, "It is $50 now.", base)] == [MEN]
    assert conflicts(q, vec, entry(base, MEN).answer.upper(), base) == []       # the same answer
    assert conflicts("How much is a haircut?", embedding.embed("How much is a haircut?"), "$60.", base) == []
    held = base.with_entries([replace(entry(base, MEN), held=True)])
    assert [e.id for e in conflicts(q, vec, "It is $50 now.", held)] == [MEN]   # still named while held
    assert "under review" in decide(q, vec, held).reason


def test_same_text_ignores_case_spacing_and_punctuation_not_numbers():
    assert contract.same_text("do you do  BRIDAL trials", "Do you do bridal trials?")
    assert not contract.same_text("It's $4.50", "It's $450")


def test_the_learning_curve_meets_the_bar(base):
    items = load_labelled(LEARNING)
    week = [i for i in items if i["split"] == "week"]
    heldout = [i for i in items if i["split"] == "heldout"]
    assert len(week) >= 50 and sum(i["expect"] == "answer" for i in heldout) >= 50
    assert not {i["question"] for i in week} & {i["question"] for i in heldout}
    vectors = embedding.embed_many([i["question"] for i in heldout])
    before = evaluate(base, heldout, vectors)
    after_base, links, _, wrong = replay_week(base, week, embedding.embed_many([i["question"] for i in week]))
    after = evaluate(after_base, heldout, vectors)
    print(HELDOUT, before.summary(), "->", after.summary())
    assert wrong == [] and links > 0
    assert before.wrong == after.wrong == 0 and after.escalated == after.unknowns
    # The project's own learning set: the lessons add answers and never a wrong one (the salon sets'
    # learning curves are in test_understanding_salons.py).
    assert after.answered_share - before.answered_share >= 0.05
