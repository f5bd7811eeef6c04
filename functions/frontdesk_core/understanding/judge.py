"""The judge's question, asked of an LLM for the uncertain middle only: "does this entry answer what the
caller asked? yes or no". Pure: the messages to send and how to read the reply.

The judge never widens what may be said: it only sees the single best candidate, its verdict counts
only above `Model.judge_from`, and the checks that the answer states the kind of fact, the day and the
number asked for stay on (decision.py). Anything but a clear "yes" is a no.
"""
from __future__ import annotations

import re

SYSTEM = (
    "You check a salon receptionist's knowledge base. Given a caller's question and one entry "
    "(its question and its answer), reply with exactly one word: yes if the entry's answer fully answers "
    "what the caller asked, no otherwise. Say no when the caller asks about a different service, person, "
    "day, price or detail than the answer states, when the answer only touches the topic, or when you "
    "are unsure.")


def messages(question: str, entry_question: str, entry_answer: str) -> list[dict]:
    return [{"role": "system", "content": SYSTEM},
            {"role": "user", "content": f"Caller: {question}\nEntry question: {entry_question}\n"
                                        f"Entry answer: {entry_answer}\nDoes the entry answer the caller? yes or no"}]


_VERDICT = re.compile(r"^\W*(yes|no)\b", re.I)


def verdict(reply: str | None) -> bool | None:
    """True for a reply that starts with "yes", False for "no", None for anything else."""
    m = _VERDICT.match(reply or "")
    return None if m is None else m.group(1).lower() == "yes"
