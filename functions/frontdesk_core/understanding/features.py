"""The evidence for "does entry j answer this question?" and "do these two questions ask the same
thing?", as numbers a calibrated model weighs (model.py). Pure: vectors in, floats out.

Meaning alone does not generalise across businesses (cosines run higher or lower with a base's topics
and wording), so each meaning score also comes relative to the base: the gap to the best other entry and
to the shortlist's tail. Words are weighed by their rarity in this base, the kinds of fact asked for are
checked against what the answer states, and named days and numbers must agree.
"""
from __future__ import annotations

import math

import numpy as np

from . import language
from .index import Index

ANSWER_FEATURES = (
    "bias", "meaning", "wording", "answer", "gap", "spread", "rank0", "covered", "said", "unknown",
    "foreign", "type_missing", "type_met", "day_missing", "day_met", "number_missing", "learned",
    "short", "meaning_x_covered", "close",
)

SAME_FEATURES = (
    "bias", "cosine", "covered_min", "covered_max", "jaccard", "unshared", "type_differs",
    "day_differs", "number_differs", "short",
)


def _weighted_share(terms: frozenset[str], within: frozenset[str], weight) -> float:
    total = sum(weight(t) for t in terms)
    return sum(weight(t) for t in terms if t in within) / total if total else 0.0


def answer_features(question: str, vec: np.ndarray, index: Index, j: int, rank: int,
                    meaning: np.ndarray, ranked: list[int]) -> np.ndarray:
    """Features of candidate j (the `rank`-th nearest by meaning) for a question."""
    entry = index.entries[j]
    m = float(meaning[j])
    wordings = index.wording_scores(vec, j)
    rows = index.rows_of(j)
    taught = np.array([index.row_sources[r] in index.TAUGHT for r in rows])
    own = float(wordings[~taught].max())           # the entry's own question and seed wordings
    learned = float(wordings[taught].max()) if taught.any() else 0.0   # wordings supervisors linked
    qt = language.content(question)
    idf = index.idf
    asked = language.asks_for(question)
    qdays = language.days(question)

    def also_answers(i: int) -> bool:
        # Another entry that states the day and the kind of fact asked for ("What are your opening
        # hours?" lists Sunday's for "what time do you open on Sunday") is not a rival: either answers.
        other = index.entries[i]
        return (bool(qdays) and qdays <= index.entry_days[i] and bool(asked)
                and asked <= language.states(other.answer or "") | language.asks_for(other.question))

    others = [float(meaning[i]) for i in ranked
              if i != j and index.entries[i].answer != entry.answer and not also_answers(i)]
    gap = m - (others[0] if others else m - 0.3)
    spread = m - float(meaning[ranked[-1]]) if len(ranked) > 1 else 0.3
    covered = _weighted_share(qt, index.entry_terms[j], idf)
    said = max((_weighted_share(index.row_terms[r], qt, idf) for r in rows), default=0.0)
    unknown = _weighted_share(qt, frozenset(t for t in qt if t not in index.df), idf)
    foreign = _weighted_share(qt, frozenset(t for t in qt if t in index.df and t not in index.entry_terms[j]), idf)

    answer = entry.answer or ""
    stated = language.states(answer) | language.asks_for(entry.question)
    type_missing = float(bool(asked - stated))
    type_met = float(bool(asked) and not (asked - stated))

    edays = index.entry_days[j]
    day_missing = float(bool(qdays) and bool(edays) and not qdays <= edays)
    day_met = float(bool(qdays) and qdays <= edays)
    qnums, enums = language.numbers(question), index.entry_numbers[j]
    number_missing = float(bool(qnums) and bool(enums) and not (qnums & enums))
    short = 1.0 / (1 + len(qt))
    return np.array([1.0, m, own, index.answer_score(vec, j), gap, spread,
                     float(rank == 0), covered, said, unknown, foreign, type_missing, type_met, day_missing,
                     day_met, number_missing, learned, short, m * covered,
                     max(0.0, own - 0.75) / 0.25], dtype=np.float64)


def same_features(a: str, a_vec: np.ndarray, b: str, b_vec: np.ndarray, idf=None) -> np.ndarray:
    """Features of a pair of questions. `idf`: word rarity (a base's), or every word alike."""
    weight = idf or (lambda t: 1.0)
    ta, tb = language.content(a), language.content(b)
    ab, ba = _weighted_share(ta, tb, weight), _weighted_share(tb, ta, weight)
    union = ta | tb
    jaccard = len(ta & tb) / len(union) if union else 1.0
    unshared = sum(weight(t) for t in union - (ta & tb)) / (1 + sum(weight(t) for t in union))
    da, db = language.days(a), language.days(b)
    na, nb = language.numbers(a), language.numbers(b)
    return np.array([1.0, float(np.dot(a_vec, b_vec)), min(ab, ba), max(ab, ba), jaccard, unshared,
                     float(language.asks_for(a) != language.asks_for(b)), float(da != db),
                     float(na != nb), 1.0 / (1 + min(len(ta), len(tb)))], dtype=np.float64)


def logistic(z: float) -> float:
    return 1.0 / (1.0 + math.exp(-max(-30.0, min(30.0, z))))
