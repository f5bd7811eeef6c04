"""The claim key for "this caller's open question" (contract.claim_id): the same number and wording
give the same key whatever the case, spacing and punctuation; another number or question does not."""
import json
from datetime import timedelta
from pathlib import Path

import pytest

from frontdesk_core import contract


def test_one_key_per_caller_and_wording():
    key = contract.claim_id("+15550311", "Do you do hair tinsel?")
    assert key == contract.claim_id("+15550311", "  do you do HAIR   tinsel ")
    assert key != contract.claim_id("+15550312", "Do you do hair tinsel?")
    assert key != contract.claim_id("+15550311", "Do you do hair extensions?")
    assert len(key) == 40 and key.isalnum()     # a valid document id, no caller text in it


def test_a_bad_number_is_refused_before_anything_is_claimed():
    with pytest.raises(contract.ContractError):
        contract.claim_id("555-0311", "Do you do hair tinsel?")


def test_a_claim_names_its_request():
    claim = contract.new_claim("+15550311", "Do you do hair tinsel?", "req-1")
    assert claim["requestId"] == "req-1" and claim["customerPhone"] == "+15550311"


def test_a_claim_is_deleted_by_firestores_ttl_a_week_on():
    """It holds a caller's number and words: the TTL policy on `expiresAt` removes it once it is stale."""
    now = contract.utcnow()
    claim = contract.new_claim("+15550311", "Do you do hair tinsel?", "req-1", now=now)
    assert claim[contract.EXPIRES_AT] - now == timedelta(days=7) == contract.CLAIM_KEPT
    policy = json.loads((Path(__file__).resolve().parents[2] / "firestore.indexes.json").read_text())
    assert {"collectionGroup": contract.REQUEST_CLAIMS, "fieldPath": contract.EXPIRES_AT, "ttl": True,
            "indexes": []} in policy["fieldOverrides"]
