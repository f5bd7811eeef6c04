"""One contract everywhere: the dashboard's constants are generated from the contract package and fresh, and every
limit and enum firestore.rules enforces is the contract's."""
from __future__ import annotations

import re
from pathlib import Path

from frontdesk_core import contract
from tools import contract_js

RULES = (Path(__file__).resolve().parents[2] / "firestore.rules").read_text()


def test_the_dashboards_contract_module_is_generated_and_fresh():
    assert contract_js.OUT.read_text() == contract_js.render(), \
        "hosting/src/contract.js is stale: run .venv/bin/python -m tools.contract_js"


def _limits(field: str) -> set[int]:
    return {int(n) for n in re.findall(rf"isText\([\w.]*\b{field}, (\d+)\)", RULES)}


def test_every_text_limit_in_the_rules_is_the_contracts():
    expected = {"question": contract.QUESTION_MAX, "answer": contract.ANSWER_MAX,
                "responseText": contract.ANSWER_MAX, "unresolvedReason": contract.REASON_MAX,
                "knowledgeId": contract.DOC_ID_MAX}
    for field, limit in expected.items():
        assert _limits(field) == {limit}, f"{field}: rules say {_limits(field)}, the contract {limit}"
    limited = set(re.findall(r"isText\([\w.]*?\.?(\w+), \d+\)", RULES))
    assert limited <= set(expected), \
        f"a rules limit the contract does not name: {limited - set(expected)}"


def _listed(pattern: str) -> set[str]:
    return {w for group in re.findall(pattern, RULES) for w in re.findall(r"'([^']*)'", group)}


def test_every_enum_in_the_rules_is_the_contracts():
    assert _listed(r"knowledgeAction in (\[[^\]]*\])") == set(contract.KNOWLEDGE_ACTIONS)
    statuses = _listed(r"\.status (?:==|!=|in) ('[^']*'|\[[^\]]*\])")
    assert statuses and statuses <= set(contract.STATUSES) | {contract.CONFLICT_OPEN, contract.CONFLICT_RESOLVED}
    kinds = _listed(r"\.kind (?:==|!=|in) ('[^']*'|\[[^\]]*\])")
    assert kinds and kinds <= set(contract.KINDS)
