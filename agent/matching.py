"""Deciding whether a caller's question is one the knowledge base answers (pure, no I/O).

Honest lexical matching: questions become sets of content-word stems (with a few salon synonyms
folded together), weighted by how rare each stem is across the knowledge base, and compared with a
weighted Dice coefficient. An entry answers only when the overlap clears a threshold *and* every
rare word (a day, a service, a topic) on either side is shared, so "Sunday hours" never answers with
Saturday's. It is deliberately cautious: when unsure, the agent escalates.
"""
from __future__ import annotations

import math
import re
from dataclasses import dataclass
from typing import Iterable

STOPWORDS = frozenset("""
a an the and or but if of to in on at for from by with about as into over under is are was were be been
being am do does did doing have has had having i me my we our us you your yours he she it its they them
their this that these those what which who whom whose when where why how can could would should will
shall may might must please tell know want like just there here any some get got many also so salon
than then too very s t not no yes okay ok hi hello hey thanks thank one
""".split())

# Words callers use for the same thing. Folded to one stem before comparing.
SYNONYMS = {
    "open": "hour", "opening": "hour", "close": "hour", "closing": "hour", "time": "hour",
    "much": "price", "cost": "price", "charge": "price", "pay": "price", "fee": "price", "rate": "price",
    "expensive": "price", "cheap": "price",
    "located": "address", "location": "address", "where": "address",
    "cut": "haircut", "trim": "haircut",
    "kid": "child", "children": "child", "son": "child", "daughter": "child",
    "men": "man", "guy": "man", "woman": "women", "lady": "women", "ladies": "women",
    "buy": "purchase", "sell": "purchase", "offer": "purchase",
    "book": "appointment", "booking": "appointment", "reserve": "appointment",
    "reservation": "appointment", "schedule": "appointment",
    "cancel": "cancellation", "canceling": "cancellation", "cancelling": "cancellation",
    "color": "colour", "dye": "colour", "coloring": "colour",
}


def stem(word: str) -> str:
    word = SYNONYMS.get(word, word)
    for suffix in ("ies", "es", "s"):
        if len(word) > 4 and word.endswith(suffix) and not word.endswith("ss"):
            word = word[: -len(suffix)] + ("y" if suffix == "ies" else "")
            break
    return SYNONYMS.get(word, word)


def terms(text: str) -> frozenset[str]:
    words = re.findall(r"[a-z0-9]+", text.lower().replace("'s", ""))
    return frozenset(stem(w) for w in words if w not in STOPWORDS)


@dataclass(frozen=True)
class Entry:
    id: str
    question: str
    answer: str


@dataclass(frozen=True)
class Match:
    entry: Entry
    score: float


class Matcher:
    """Scores questions against a fixed set of entries; rebuild it when the entries change."""

    THRESHOLD = 0.6       # weighted Dice needed to answer
    RARE = 1.5            # an entry term this rare (IDF) must appear in the question

    def __init__(self, entries: Iterable[Entry]):
        self.entries = [e for e in entries if terms(e.question)]
        self._terms = {e.id: terms(e.question) for e in self.entries}
        n = max(len(self.entries), 1)
        df: dict[str, int] = {}
        for ts in self._terms.values():
            for t in ts:
                df[t] = df.get(t, 0) + 1
        self._idf = {t: math.log(1 + n / c) for t, c in df.items()}
        self._unseen = math.log(1 + n)   # a word no entry uses is as informative as the rarest

    def _weight(self, term: str) -> float:
        return self._idf.get(term, self._unseen)

    def score(self, question: str, entry: Entry) -> float:
        q, e = terms(question), self._terms.get(entry.id, terms(entry.question))
        if not q or not e:
            return 0.0
        shared = sum(self._weight(t) for t in q & e)
        total = sum(self._weight(t) for t in q) + sum(self._weight(t) for t in e)
        if any(self._rare(t) for t in e - q) or any(self._rare(t) and t in self._idf for t in q - e):
            # A distinguishing word (a day, a service, a topic the base knows) is on one side only:
            # the two are probably about different things, so the score is halved.
            return shared / total
        return 2 * shared / total

    def _rare(self, term: str) -> bool:
        return self._weight(term) >= self.RARE

    def best(self, question: str) -> Match | None:
        """The entry that confidently answers `question`, or None."""
        scored = [Match(e, self.score(question, e)) for e in self.entries]
        scored.sort(key=lambda m: m.score, reverse=True)
        if not scored or scored[0].score < self.THRESHOLD:
            return None
        return scored[0]
