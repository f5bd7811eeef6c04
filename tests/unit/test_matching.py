"""The confidence gate on hand-picked cases (the labelled set is in test_matching_labelled.py)."""
import numpy as np
import pytest

from agent.evaluation import KNOWLEDGE
from agent.knowledge import KnowledgeIndex
from frontdesk_core import embedding
from frontdesk_core.matching import Index, KnowledgeEntry, decide, duplicate_of, same_question, terms

GIFT = ("learned-gift", "Do you sell gift cards?", "Yes, gift cards from $25 at the front desk.")


@pytest.fixture(scope="module")
def index():
    base = KnowledgeIndex.from_file(KNOWLEDGE).index
    q, a = embedding.embed_many([GIFT[1], GIFT[2]])
    return base.with_entries([KnowledgeEntry(GIFT[0], GIFT[1], GIFT[2], q, a)])


def ask(index, question):
    return decide(question, embedding.embed(question), index)


@pytest.mark.parametrize("question,entry_id", [
    ("What are your hours?", "seed-hours"),
    ("Are you open on Saturday?", "seed-hours-saturday"),
    ("When do you close on Sundays?", "seed-hours-sunday"),
    ("How much is a men's haircut?", "seed-price-men-s-haircut"),
    ("What does a guy's haircut cost?", "seed-price-men-s-haircut"),
    ("How much is a blowout?", "seed-price-blowout"),
    ("Do you take walk-ins?", "seed-policy-walk-ins"),
    ("Can I buy a gift card?", "learned-gift"),
])
def test_paraphrases_find_their_entry(index, question, entry_id):
    d = ask(index, question)
    assert d.answered and d.entry_id == entry_id, d
    assert d.answer == next(e.answer for e in index.entries if e.id == entry_id)


@pytest.mark.parametrize("question,why", [
    ("Are you open on Christmas Day?", "unknown"),         # shares "open" with the hours entries
    ("How much is a beard trim?", "unknown"),              # shares "how much", "trim" with haircut prices
    ("How much is a haircut?", "ambiguous"),               # men's, women's or children's?
    ("How much should I tip for a balayage?", "other entries"),   # two subjects, no entry has both
    ("Do you do eyebrow waxing?", ""),
    ("Can I bring my dog?", ""),
])
def test_unsure_questions_escalate_and_say_why(index, question, why):
    d = ask(index, question)
    assert d.action == "escalate" and d.answer is None, d
    assert why in d.reason


def test_empty_knowledge_base_escalates():
    d = decide("What are your hours?", embedding.embed("What are your hours?"), Index([]))
    assert d.action == "escalate" and d.reason == "the knowledge base is empty"


def test_a_plain_list_of_candidates_works_like_an_index(index):
    question = "How much is a blowout?"
    assert decide(question, embedding.embed(question), list(index.entries)) == ask(index, question)


def test_same_question_for_grouping_duplicates():
    a, b, c = "Do you sell gift cards?", "do you sell  gift cards", "Do you sell hair extensions?"
    va, vb, vc = embedding.embed_many([a, b, c])
    assert same_question(a, va, b, vb)
    assert not same_question(a, va, c, vc)
    texts = ["Do you do eyelash extensions?", "Can I get eyelash extensions at your place?",
             "Do you do hair extensions?", "Do you do eyelash tinting?", "Do you sell gift cards?"]
    vecs = embedding.embed_many(texts)
    pending = [KnowledgeEntry(f"r{i}", t, None, v) for i, (t, v) in enumerate(zip(texts, vecs))]
    assert duplicate_of(texts[1], vecs[1], pending[:1]) == "r0"
    assert duplicate_of(texts[2], vecs[2], pending[:1]) is None         # hair, not eyelash
    assert duplicate_of(texts[3], vecs[3], [pending[0], pending[4]]) is None
    assert duplicate_of("Can I buy a gift card?", embedding.embed("Can I buy a gift card?"), pending) == "r4"
    assert duplicate_of("anything", embedding.embed("anything"), []) is None


def test_words_fold_into_salon_concepts():
    assert terms("How much does a guy's haircut cost?") == terms("what's the price of a men's cut")
    assert terms("Um, hi, I was wondering, are you guys open?") == {"hours"}
    assert "christma" in terms("Are you open on Christmas Day?") or "christmas" in terms("Christmas")


def test_vectors_need_not_be_float32_or_unit_exactly(index):
    vec = embedding.embed("How much is a blowout?").astype(np.float64)
    assert decide("How much is a blowout?", vec, index).entry_id == "seed-price-blowout"
