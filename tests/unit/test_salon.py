from datetime import datetime, timezone

from frontdesk_core import contract
from frontdesk_core.contract import salon
from tools.seed import load_profile

PROFILE = load_profile()


def test_profile_has_what_a_caller_asks_about():
    assert PROFILE["name"] and PROFILE["address"]
    assert set(PROFILE["hours"]) == set(salon.DAYS)
    assert all(s["price"] > 0 for s in PROFILE["services"])
    assert len(PROFILE["policies"]) >= 5


def test_at_least_25_valid_knowledge_entries_with_unique_ids():
    docs = salon.knowledge_documents(PROFILE, datetime(2026, 12, 1, tzinfo=timezone.utc))
    assert len(docs) >= 25
    for doc in docs.values():
        contract.validate_knowledge_entry(doc)
        assert doc["source"] == "seed" and doc["originatingRequestId"] is None
    questions = [d["question"] for d in docs.values()]
    assert len(set(questions)) == len(questions)


def test_entries_state_the_profile_facts():
    docs = salon.knowledge_documents(PROFILE, datetime(2026, 12, 1, tzinfo=timezone.utc))
    assert docs["seed-hours-monday"]["answer"] == "We are closed on Mondays."
    assert docs["seed-hours-saturday"]["answer"] == "On Saturdays we are open from 9am to 5pm."
    assert "$45" in docs["seed-price-men-s-haircut"]["answer"]
    assert PROFILE["address"] in docs["seed-address"]["answer"]


def test_instructions_name_the_salon_and_forbid_guessing():
    text = salon.instructions(PROFILE)
    assert PROFILE["name"] in text and contract.ESCALATION_MESSAGE in text and "Never guess" in text


def test_seed_prices_and_hours_carry_a_review_date_and_phrasings():
    now = datetime(2026, 12, 1, tzinfo=timezone.utc)
    docs = salon.knowledge_documents(PROFILE, now)
    assert (docs["seed-price-men-s-haircut"][contract.REVIEW_BY] - now).days == 90
    assert (docs["seed-hours-monday"][contract.REVIEW_BY] - now).days == 180
    assert docs["seed-policy-tipping"][contract.REVIEW_BY] is None
    assert all(2 <= len(d[contract.PHRASINGS]) <= 4 for d in docs.values())
    assert {p["source"] for d in docs.values() for p in d[contract.PHRASINGS]} == {"seed"}
