"""Scoring the confidence gate against a labelled set (tests/data/*.jsonl).

A labelled line: {"question", "expect": "answer", "ids": [acceptable entry ids]} or
{"question", "expect": "escalate"}. A wrong answer is an answer from an entry not in `ids`; an answered
unknown is counted apart (it would be wrong too).
"""
from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterable, Mapping

DATA = Path(__file__).resolve().parent.parent / "tests" / "data"
KNOWLEDGE = DATA / "knowledge.json"
LABELLED = DATA / "labelled.jsonl"
HOLDOUT = DATA / "holdout.jsonl"


def load_labelled(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text().splitlines() if line.strip()]


@dataclass
class Score:
    paraphrases: int = 0
    answered: int = 0              # answered with an acceptable entry
    wrong: int = 0                 # answered with an entry that does not answer it
    unknowns: int = 0
    escalated: int = 0             # unknowns escalated
    misses: list[str] = field(default_factory=list)   # human-readable lines for what went astray

    @property
    def answered_share(self) -> float:
        return self.answered / self.paraphrases if self.paraphrases else 0.0

    @property
    def escalated_share(self) -> float:
        return self.escalated / self.unknowns if self.unknowns else 0.0

    @property
    def wrong_answers(self) -> int:
        """Paraphrases answered from the wrong entry, plus unknowns answered at all."""
        return self.wrong + self.unknowns - self.escalated

    def summary(self) -> str:
        return (f"paraphrases answered {self.answered}/{self.paraphrases} ({self.answered_share:.1%}), "
                f"wrong answers {self.wrong_answers} "
                f"({self.wrong} paraphrases, {self.unknowns - self.escalated} unknowns), "
                f"unknowns escalated {self.escalated}/{self.unknowns} ({self.escalated_share:.1%})")


def score(labelled: Iterable[Mapping], decisions: Iterable[Mapping]) -> Score:
    """`decisions`: one per labelled line, shaped like `ask --json` output (action, knowledge_id)."""
    s = Score()
    for item, d in zip(labelled, decisions, strict=True):
        answered = d["action"] == "answer"
        if item["expect"] == "answer":
            s.paraphrases += 1
            if answered and d["knowledge_id"] in item["ids"]:
                s.answered += 1
            elif answered:
                s.wrong += 1
                s.misses.append(f"WRONG {d['knowledge_id']}: {item['question']}")
            else:
                s.misses.append(f"escalated: {item['question']}")
        else:
            s.unknowns += 1
            if answered:
                s.misses.append(f"ANSWERED UNKNOWN with {d['knowledge_id']}: {item['question']}")
            else:
                s.escalated += 1
    return s
