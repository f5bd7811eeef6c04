"""The understanding module on hand-picked cases (the salon sets are in test_understanding_salons.py)."""
import shutil

import numpy as np
import pytest

from agent.evaluation import KNOWLEDGE
from agent.knowledge import KnowledgeIndex
from frontdesk_core import embedding
from frontdesk_core.infra import weights
from frontdesk_core.understanding import (Index, KnowledgeEntry, decide, default_model, duplicate_of,
                                          language, same_probability, same_question)

GIFT = ("learned-gift", "Do you sell gift cards?", "Yes, gift cards from $25 at the front desk.")


@pytest.fixture(scope="module")
def index():
    base = KnowledgeIndex.from_file(KNOWLEDGE).index
    q, a = embedding.embed_many([GIFT[1], GIFT[2]])
    return base.with_entries([KnowledgeEntry(GIFT[0], GIFT[1], GIFT[2], q, a)])


def ask(index, question):
    return decide(question, embedding.embed(question), index)


@pytest.mark.parametrize("question,entry_id", [
    ("When do you close on Sundays?", "seed-hours-sunday"),
    ("How much is a blowout?", "seed-price-blowout"),
    ("Can I get a gift card?", "learned-gift"),
    ("how much is a MEN'S cut", "seed-price-men-s-haircut"),       # the entry's own words
])
def test_clear_paraphrases_are_answered_from_their_entry(index, question, entry_id):
    d = ask(index, question)
    assert d.answered and d.entry_id == entry_id, d
    assert d.answer == next(e.answer for e in index.entries if e.id == entry_id)
    assert d.score >= default_model().answer_at


@pytest.mark.parametrize("question", [
    "Are you open on Christmas Day?",      # shares "open" with the hours entries
    "How much is a beard trim?",           # shares "how much", "trim" with haircut prices
    "How much is a haircut?",              # men's, women's or children's?
    "How much should I tip for a balayage?",
    "Do you do eyebrow waxing?",
    "Can I bring my dog?",
])
def test_unknown_or_ambiguous_questions_escalate(index, question):
    d = ask(index, question)
    assert d.action == "escalate" and d.answer is None, d
    assert d.score < default_model().answer_at and d.reason


def test_an_entry_under_review_escalates(index):
    from dataclasses import replace
    held = index.with_entries([replace(e, held=True) for e in index.entries if e.id == "seed-price-blowout"])
    d = ask(held, "How much is a blowout?")
    assert not d.answered and "under review" in d.reason
    assert decide("How much is a blowout?", embedding.embed("How much is a blowout?"), held, hold=False).answered


def test_empty_knowledge_base_escalates():
    d = decide("What are your hours?", embedding.embed("What are your hours?"), Index([]))
    assert d.action == "escalate" and d.reason == "the knowledge base is empty"


def test_a_plain_list_of_candidates_works_like_an_index(index):
    question = "How much is a blowout?"
    assert decide(question, embedding.embed(question), list(index.entries)) == ask(index, question)


def test_vectors_need_not_be_float32(index):
    vec = embedding.embed("How much is a blowout?").astype(np.float64)
    assert decide("How much is a blowout?", vec, index).entry_id == "seed-price-blowout"


def test_same_question_for_grouping_duplicates():
    texts = ["Do you do eyelash extensions?", "Can I get eyelash extensions at your place?",
             "Do you do eyelash tinting?", "Do you sell gift cards?", "do you sell  GIFT cards"]
    vecs = embedding.embed_many(texts)
    assert same_question(texts[3], vecs[3], texts[4], vecs[4])                  # the same words
    assert same_question(texts[0], vecs[0], texts[1], vecs[1])
    assert not same_question(texts[0], vecs[0], texts[2], vecs[2])              # lashes: tint, not set
    assert not same_question(texts[0], vecs[0], texts[3], vecs[3])
    pending = [KnowledgeEntry(f"r{i}", t, None, v) for i, (t, v) in enumerate(zip(texts, vecs))]
    assert duplicate_of(texts[1], vecs[1], pending[:1]) == "r0"
    assert duplicate_of(texts[2], vecs[2], [pending[0], pending[3]]) is None
    assert duplicate_of("do you sell gift cards?", embedding.embed("do you sell gift cards?"), pending) == "r3"
    assert duplicate_of("anything", embedding.embed("anything"), []) is None
    p = same_probability(texts[0], vecs[0], texts[1], vecs[1])
    assert 0 < p < 1


def test_language_knowledge_names_no_business():
    """Function words, numbers, days and times only: a salon's words are learned from its own base."""
    trade = {"salon", "studio", "hair", "haircut", "cut", "stylist", "appointment", "nail", "nails", "spa",
             "barber", "massage", "lash", "brow", "colour", "color", "booking", "book", "shop"}
    assert not trade & language.FUNCTION_WORDS
    assert language.content("Um hi, how much would a skin fade be for my son?") == {"skin", "fade", "son"}
    assert language.numbers("forty five dollars, or 45, or one hundred twenty") == {45, 120}
    assert language.days("open Tue-Thu and weekends") == {"tuesday", "wednesday", "thursday", "saturday", "sunday"}
    assert language.asks_for("what would that set me back") == {"price"}
    assert {"price", "time", "duration"} <= language.states("£18, Mon-Sat 9am-6pm, takes 30 minutes")


def test_model_files_are_refused_when_their_digest_differs(tmp_path):
    source = embedding.model_dir()
    for name in weights.MINILM:
        shutil.copy(source / name, tmp_path / name)
    assert weights.verify(tmp_path, weights.MINILM) == tmp_path
    config = tmp_path / "config.json"
    config.write_text(config.read_text().replace("384", "385", 1))
    weights._verified.clear()
    with pytest.raises(weights.WeightsMismatch, match="refusing to load"):
        weights.verify(tmp_path, weights.MINILM)
    (tmp_path / "tokenizer.json").unlink()
    weights._verified.clear()
    with pytest.raises(weights.WeightsMismatch, match="missing"):
        weights.verify(tmp_path, {"tokenizer.json": weights.MINILM["tokenizer.json"]})


def test_the_vector_cache_never_drops_what_it_returns(monkeypatch):
    monkeypatch.setattr(embedding, "CACHE_SIZE", 4)
    embedding._recent.clear()
    first = embedding.cached_many(["a", "b", "c", "d"])
    # Full: a call naming cached and new texts gets every vector (the old cache raised KeyError here).
    both = embedding.cached_many(["a", "e", "f", "b", "g"])
    assert both.shape == (5, embedding.DIM)
    assert np.allclose(both[0], first[0]) and np.allclose(both[3], first[1])
    assert len(embedding._recent) == 4 and list(embedding._recent)[-1] == "g"
    assert embedding.cached_many([]).shape == (0, embedding.DIM)
