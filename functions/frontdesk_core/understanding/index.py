"""Knowledge entries and the index the decisions read: vectors as matrices, word statistics per base.

Each entry is one row per wording (its question, then its phrasings), rows of one entry adjacent; an
entry's meaning score is its best row's mean cosine with the caller's question and with its answer.
Word statistics (which words the base uses, in how many entries) come from the base itself, so what
counts as a rare, telling word is learned per business, never from a list.
Immutable once built: `with_entries` / `without` return a new index (cheap: vectors are stacked,
nothing is embedded), so readers never see a half-updated one.
"""
from __future__ import annotations

import math
from dataclasses import dataclass, field, replace
from typing import Iterable

import numpy as np

from ..contract import PHRASING_SOURCES, same_text
from . import language
from .search import coarse_scores

DIM = 384


@dataclass(frozen=True, eq=False)
class Phrasing:
    """Another wording of an entry's question (seed, a supervisor's link, a grouped caller)."""
    text: str
    vector: np.ndarray
    source: str = "seed"


@dataclass(frozen=True, eq=False)
class KnowledgeEntry:
    """One thing the base knows. `answer` is None for candidates that are only questions (pending help
    requests being grouped); vectors are unit float32 (384,) from `frontdesk_core.embedding`.
    `held`: the entry is under review (conflicting answers): questions it would answer escalate."""
    id: str
    question: str
    answer: str | None
    vector: np.ndarray
    answer_vector: np.ndarray | None = None
    phrasings: tuple[Phrasing, ...] = ()
    held: bool = False


def knows_wording(entry: KnowledgeEntry, text: str) -> bool:
    """Whether `text` is already the entry's question or one of its phrasings (case, spacing and
    punctuation aside)."""
    return any(same_text(text, t) for t in (entry.question, *(p.text for p in entry.phrasings)))


def with_phrasing(entry: KnowledgeEntry, text: str, vector: np.ndarray, source: str) -> KnowledgeEntry:
    """The entry with one more wording (unchanged if it already has it)."""
    if knows_wording(entry, text):
        return entry
    return replace(entry, phrasings=(*entry.phrasings, Phrasing(text, vector, source)))


@dataclass
class Index:
    entries: list[KnowledgeEntry] = field(default_factory=list)

    def __post_init__(self) -> None:
        wording, combined, starts, sources = [], [], [], []
        for e in self.entries:
            starts.append(len(wording))
            for vec, source in ((e.vector, "question"), *((p.vector, p.source) for p in e.phrasings)):
                wording.append(vec)
                sources.append(source)
                # mean(cos(q, wording), cos(q, answer)) = q . (wording + answer) / 2: one product per row.
                combined.append((vec + e.answer_vector) / 2 if e.answer_vector is not None else vec)
        empty = np.zeros((0, DIM), np.float32)
        self._w = np.stack(wording).astype(np.float32) if wording else empty
        self._m = np.stack(combined).astype(np.float32) if combined else empty
        self._a = np.stack([e.answer_vector if e.answer_vector is not None else e.vector
                            for e in self.entries]).astype(np.float32) if self.entries else empty
        self._has_answer = np.array([e.answer is not None for e in self.entries], dtype=bool)
        self._starts = np.asarray(starts, dtype=np.intp)
        self._plain = len(wording) == len(self.entries)       # no phrasings: one row per entry
        self._ends = np.append(self._starts[1:], len(wording)).astype(np.intp)
        self.row_sources = sources
        self._coarse = coarse_scores(self._m)          # None below a few thousand rows
        if self._coarse is not None:                   # per entry: its rows' largest error terms
            scale, l1 = self._coarse.scale, self._coarse.l1
            if not self._plain:
                scale, l1 = np.maximum.reduceat(scale, self._starts), np.maximum.reduceat(l1, self._starts)
            self._coarse_scale, self._coarse_l1 = scale, l1
        # Words: per wording, per answer, and per entry (every wording plus the answer), with how many
        # entries use each word.
        self.row_texts = [t for e in self.entries for t in (e.question, *(p.text for p in e.phrasings))]
        self.row_entry = np.repeat(np.arange(len(self.entries)), self._ends - self._starts)
        self.row_terms = [language.content(t) for t in self.row_texts]
        self._term_rows: dict[str, set[int]] = {}
        for r, ts in enumerate(self.row_terms):
            for t in ts:
                self._term_rows.setdefault(t, set()).add(r)
        self.answer_terms = [language.content(e.answer) if e.answer else frozenset() for e in self.entries]
        self.entry_terms = [frozenset().union(*self.row_terms[s:t], a)
                            for s, t, a in zip(self._starts, self._ends, self.answer_terms)]
        # Days and numbers an entry names anywhere (its wordings and its answer).
        texts = [" ".join((e.question, e.answer or "", *(p.text for p in e.phrasings))) for e in self.entries]
        self.entry_days = [language.days(t) for t in texts]
        self.entry_numbers = [language.numbers(t) for t in texts]
        self.df: dict[str, int] = {}
        for ts in self.entry_terms:
            for t in ts:
                self.df[t] = self.df.get(t, 0) + 1

    def __len__(self) -> int:
        return len(self.entries)

    # Wordings a supervisor's answer added; "seed" wordings came with the base.
    TAUGHT = tuple(source for source in PHRASING_SOURCES if source != "seed")

    @property
    def untaught(self) -> "Index":
        """The same base without the wordings supervisors taught (the base as it was installed), so a
        lesson can only add answers: what the installed base answers stays answered."""
        if not hasattr(self, "_untaught"):
            if not any(src in self.TAUGHT for src in self.row_sources):
                self._untaught = self
            else:
                self._untaught = Index([replace(e, phrasings=tuple(p for p in e.phrasings if p.source not in self.TAUGHT))
                                        for e in self.entries])
        return self._untaught

    def row_text(self, r: int) -> str:
        return self.row_texts[r]

    def row_vector(self, r: int) -> np.ndarray:
        return self._w[r]

    def rows_with(self, terms: frozenset[str]) -> set[int]:
        """The rows (wordings) that have every one of these content words."""
        found: set[int] | None = None
        for t in terms:
            rows = self._term_rows.get(t, set())
            found = set(rows) if found is None else found & rows
            if not found:
                return set()
        return found or set()

    def rows_of(self, j: int) -> range:
        return range(int(self._starts[j]), int(self._ends[j]))

    def with_entries(self, new: Iterable[KnowledgeEntry]) -> "Index":
        new = list(new)
        ids = {e.id for e in new}
        return Index([e for e in self.entries if e.id not in ids] + new)

    def without(self, ids: Iterable[str]) -> "Index":
        ids = set(ids)
        return Index([e for e in self.entries if e.id not in ids])

    def idf(self, term: str) -> float:
        """Rarity of a word in this base; a word no entry uses is rarest of all."""
        return math.log(1 + (len(self.entries) or 1) / self.df.get(term, 0.5))

    def search(self, vec: np.ndarray, k: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """The k entries with the best meaning score, best first; every entry's meaning score and every
        row's. Exact for those k entries and their rows; on a big index (search.py) entries that cannot
        be among them are -inf and their rows NaN."""
        if self._coarse is None:
            rows = self._m @ vec
            meaning = rows if self._plain else np.maximum.reduceat(rows, self._starts)
            return self.nearest(meaning, k), meaning, rows
        approx, a, b = self._coarse(vec)
        if not self._plain:
            approx = np.maximum.reduceat(approx, self._starts)
        # An entry's best row is within its rows' largest error bound of its best approximate score.
        bound = self._coarse.bounds(self._coarse_scale, self._coarse_l1, a, b)
        n = len(self.entries)
        floor = np.partition(approx - bound, n - k)[n - k] if n > k else -np.inf
        candidates = np.flatnonzero(approx + bound >= floor)   # the k best are surely among these
        counts = self._ends[candidates] - self._starts[candidates]
        offsets = np.cumsum(counts) - counts
        row_ids = np.repeat(self._starts[candidates] - offsets, counts) + np.arange(offsets[-1] + counts[-1])
        exact = self._m[row_ids] @ vec
        rows = np.full(len(self._m), np.nan, dtype=np.float32)
        rows[row_ids] = exact
        best = exact if self._plain else np.maximum.reduceat(exact, offsets)
        meaning = np.full(n, -np.inf, dtype=np.float32)
        meaning[candidates] = best
        return candidates[self.nearest(best, k)], meaning, rows

    def wording_scores(self, vec: np.ndarray, j: int) -> np.ndarray:
        """Cosine of the question with each wording of entry j."""
        return self._w[self._starts[j]:self._ends[j]] @ vec

    def answer_score(self, vec: np.ndarray, j: int) -> float:
        return float(self._a[j] @ vec)

    @staticmethod
    def nearest(scores: np.ndarray, k: int) -> np.ndarray:
        """Indices of the k best scores, best first."""
        if len(scores) <= k:
            return np.argsort(-scores)
        top = np.argpartition(scores, -k)[-k:]
        return top[np.argsort(-scores[top])]
