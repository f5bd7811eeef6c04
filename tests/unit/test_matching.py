import pytest

from agent.matching import Entry, Matcher
from frontdesk_core import salon
from tools.seed import load_profile

ENTRIES = [Entry(i, q, a) for i, q, a in salon.knowledge(load_profile())]
MATCHER = Matcher(ENTRIES + [Entry("learned-gift", "Do you sell gift cards?", "Yes, from $25.")])


@pytest.mark.parametrize("question,entry_id", [
    ("What are your hours?", "seed-hours"),
    ("Are you open on Saturday?", "seed-hours-saturday"),
    ("When do you close on Sundays?", "seed-hours-sunday"),
    ("How much is a men's haircut?", "seed-price-men-s-haircut"),
    ("How much is a blowout?", "seed-price-blowout"),
    ("What's your address?", "seed-address"),
    ("Do you take walk-ins?", "seed-policy-walk-ins"),
    ("Can I buy a gift card?", "learned-gift"),
])
def test_paraphrases_find_their_entry(question, entry_id):
    match = MATCHER.best(question)
    assert match is not None and match.entry.id == entry_id


@pytest.mark.parametrize("question", [
    "Are you open on Christmas Day?",      # shares "open" with the hours entries
    "How much is a beard trim?",           # shares "much", "trim" with haircut prices
    "How much is a haircut?",              # men's or women's? not sure: escalate
    "Can I cancel my appointment?",        # near booking and cancellation policy, answers neither
    "Do you do eyebrow waxing?",
    "Can I bring my dog?",
])
def test_unsure_questions_get_no_answer(question):
    assert MATCHER.best(question) is None


def test_empty_knowledge_base_answers_nothing():
    assert Matcher([]).best("What are your hours?") is None
