"""The decisions every "same meaning?" question in the product goes through.

- `decide`: which entry answers a caller's question, or none, with a calibrated probability;
- `same_question` / `duplicate_of`: whether two questions ask the same thing (grouping duplicate
  requests, a caller asking again);
- `suggest`: the entries closest to an escalated question (the supervisor's suggestions);
- `conflicts`: the entry a new answer contradicts.

Fast path: the nearest entries by meaning (a few, from the index) are each judged by the calibrated
model; clear matches answer and clear unknowns escalate at once. Only the uncertain middle goes to a
judge (an LLM asked "does this entry answer it?"), and only when one is configured; the checks that the
kinds of fact, days and numbers agree stay on whatever the judge says.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Callable, Sequence

import numpy as np

from ..contract import same_text
from . import language, model as models
from .features import answer_features, same_features
from .index import Index, KnowledgeEntry, knows_wording

# (question, entry question, entry answer) -> True (answers it) | False | None (no verdict).
Judge = Callable[[str, str, str], "bool | None"]

_TYPE_MISSING, _DAY_MISSING, _NUMBER_MISSING, _UNKNOWN = (
    models.ANSWER_FEATURES.index(f) for f in ("type_missing", "day_missing", "number_missing", "unknown"))


@dataclass(frozen=True)
class Decision:
    action: str                    # "answer" | "escalate"
    entry_id: str | None = None    # the entry answering (or the best candidate, when escalating)
    answer: str | None = None      # set only when action == "answer"
    score: float = 0.0             # calibrated probability that the best candidate answers the question
    reason: str = ""               # why, in a few words (for logs and `ask --json`)

    @property
    def answered(self) -> bool:
        return self.action == "answer"


@dataclass(frozen=True)
class Candidate:
    entry: KnowledgeEntry
    probability: float
    features: np.ndarray
    position: int              # the entry's place in the index


def judged(question: str, vec: np.ndarray, index: Index, model: models.Model | None = None,
           k: int | None = None) -> list[Candidate]:
    """The nearest entries by meaning, each with the model's probability that it answers the
    question, most probable first."""
    model = model or models.default()
    if not len(index):
        return []
    vec = np.asarray(vec, dtype=np.float32)
    nearest, meaning, _ = index.search(vec, k or model.shortlist)
    ranked = [int(j) for j in nearest]
    out = []
    for rank, j in enumerate(ranked):
        x = answer_features(question, vec, index, j, rank, meaning, ranked)
        out.append(Candidate(index.entries[j], model.answer_probability(x), x, j))
    out.sort(key=lambda c: -c.probability)
    return out


def decide(question: str, question_vec: np.ndarray, candidates: "Index | Sequence[KnowledgeEntry]",
           model: models.Model | None = None, *, hold: bool = True, judge: Judge | None = None) -> Decision:
    """Answer only when sure. `candidates`: an Index (the agent's live base) or a list of entries.
    `hold=False` ignores reviews in progress (for asking which entry would answer).

    What supervisors taught only adds answers: the base as installed is asked first, then the base with
    the wordings they linked; if the two name different entries nobody can be sure, so it escalates."""
    model = model or models.default()
    index = candidates if isinstance(candidates, Index) else Index(list(candidates))
    vec = np.asarray(question_vec, dtype=np.float32)
    installed = _decide(question, vec, index.untaught, model, hold, judge)
    if index.untaught is index:
        return installed
    taught = _decide(question, vec, index, model, hold, judge)
    if installed.answered and taught.answered and installed.entry_id != taught.entry_id:
        return Decision("escalate", taught.entry_id, None, taught.score,
                        f"ambiguous between {installed.entry_id} and {taught.entry_id} (a taught wording)")
    return installed if installed.answered else taught


# Two sentences with the same content words, days, numbers and kind of fact asked for, this close in
# meaning, are one question reworded (plurals, articles, "do you do" / "can I get"). One content word
# is too little to tell ("how do I get to the salon" / "what can I get done at your salon"). On the salon
# sets such pairs of different questions stayed below 0.52.
REWORDED_AT = 0.7


def reworded(a: str, a_vec: np.ndarray, b: str, b_vec: np.ndarray) -> bool:
    terms = language.content(a)
    return (len(terms) >= 2 and terms == language.content(b) and language.days(a) == language.days(b)
            and language.numbers(a) == language.numbers(b) and language.asks_for(a) == language.asks_for(b)
            and float(np.dot(a_vec, b_vec)) >= REWORDED_AT)


def _words_it(question: str, vec: np.ndarray, index: Index, c: Candidate) -> bool:
    """The question is one of the entry's wordings, or one of them reworded."""
    if knows_wording(c.entry, question):
        return True
    return any(reworded(question, vec, index.row_text(r), index.row_vector(r)) for r in index.rows_of(c.position))


SHORTER_AT = 0.8    # cosine of a shorter question with the one entry question that has all its words


def _only_entry_naming(question: str, vec: np.ndarray, index: Index, found: list[Candidate]) -> Candidate | None:
    """The one entry whose own question has every content word the caller said ("do you do acrylics"
    for "Do you do acrylic nails?"), asking for the same kind of fact, when no other entry's question or
    wording has them all. Not when the caller excludes something ("no cut"): their words then say
    less than the entry's."""
    said = language.content(question)
    if not said or language.NEGATIONS & set(language.words(question)):
        return None
    having = index.rows_with(said)
    entries = {int(index.row_entry[r]) for r in having}
    if len(entries) != 1:
        return None
    (j,) = entries
    c = next((c for c in found if c.position == j), None)
    if c is None:
        return None
    for r in sorted(having):
        text = index.row_text(r)
        if (language.asks_for(text) == language.asks_for(question) and language.days(text) == language.days(question)
                and language.numbers(question) <= language.numbers(text) and float(index.row_vector(r) @ vec) >= SHORTER_AT):
            return c
    return None


def _fits_as_well(question: str, index: Index, best: Candidate, found: list[Candidate]) -> Candidate | None:
    """A candidate with another answer that the caller's words fit as well as the best one's, when the
    best one's question says more than the caller did ("How much is a haircut?" for men's, women's and
    children's prices): nobody can know which was meant."""
    said = language.content(question)
    unsaid = language.content(best.entry.question) - said
    if not said or not unsaid:
        return None
    for c in found:
        if c is not best and not same_text(c.entry.answer, best.entry.answer):
            if said <= index.entry_terms[c.position]:
                return c
    return None


def _decide(question: str, vec: np.ndarray, index: Index, model: models.Model, hold: bool,
            judge: Judge | None) -> Decision:
    found = [c for c in judged(question, vec, index, model) if c.entry.answer is not None]
    if not found:
        return Decision("escalate", reason="the knowledge base is empty")
    best = found[0]
    p = round(best.probability, 4)

    def escalate(reason: str) -> Decision:
        return Decision("escalate", best.entry.id, None, p, reason)

    # Asked as one entry words it: the same words, or the same content words, days and numbers in
    # nearly the same sentence ("buzz cuts" for a taught "a buzz cut").
    verbatim = {c.entry.answer: c for c in found if _words_it(question, vec, index, c)}
    if not verbatim:
        only = _only_entry_naming(question, vec, index, found)
        if only is not None:
            verbatim = {only.entry.answer: only}
    if len(verbatim) > 1:     # two entries word it with different answers: nobody can choose
        first, second = list(verbatim.values())[:2]
        if hold and (first.entry.held or second.entry.held):
            return escalate(f"{first.entry.id} is under review (conflicting answers)")
        return escalate(f"ambiguous between {first.entry.id} and {second.entry.id}")
    if len(verbatim) == 1:
        (best,) = verbatim.values()
        if best.entry.held and hold:
            return Decision("escalate", best.entry.id, None, 1.0,
                            f"{best.entry.id} is under review (conflicting answers)")
        return Decision("answer", best.entry.id, best.entry.answer, 1.0, "asked as the entry words it")
    rival = next((c for c in found[1:] if not same_text(c.entry.answer, best.entry.answer)), None)
    if best.probability < model.answer_at:
        if judge is None or best.probability < model.judge_from:
            return escalate("not sure enough")
        # The checks a judge cannot lift: the answer states the kind of fact, the day and the number
        # asked for, every word the caller used is known to the base, and no other answer is as plausible.
        if best.features[[_TYPE_MISSING, _DAY_MISSING, _NUMBER_MISSING]].any():
            return escalate("not sure enough (the answer does not state what was asked)")
        if best.features[_UNKNOWN] > 0:
            return escalate("not sure enough (words the knowledge base never uses)")
        if rival is not None and rival.probability >= model.judge_from:
            return escalate(f"ambiguous between {best.entry.id} and {rival.entry.id}")
        other = _fits_as_well(question, index, best, found)
        if other is not None:
            return escalate(f"ambiguous between {best.entry.id} and {other.entry.id}")
        if judge(question, best.entry.question, best.entry.answer) is not True:
            return escalate("not sure enough (the judge did not confirm)")
        reason = "confirmed by the judge"
    else:
        reason = "confident match"
    if rival is not None and best.probability - rival.probability < model.margin:
        return escalate(f"ambiguous between {best.entry.id} and {rival.entry.id}")
    if best.entry.held and hold:
        return escalate(f"{best.entry.id} is under review (conflicting answers)")
    return Decision("answer", best.entry.id, best.entry.answer, p, reason)


def same_probability(a: str, a_vec: np.ndarray, b: str, b_vec: np.ndarray,
                     model: models.Model | None = None, idf=None) -> float:
    model = model or models.default()
    return model.same_probability(same_features(a, a_vec, b, b_vec, idf))


def same_question(a: str, a_vec: np.ndarray, b: str, b_vec: np.ndarray,
                  model: models.Model | None = None, idf=None) -> bool:
    """Whether two questions ask the same thing (grouping duplicates, a caller asking again). Strict,
    since a false "same" buries a caller's question: calibrated to merge no pair of different questions
    on the salons it was fitted on."""
    if same_text(a, b) or reworded(a, a_vec, b, b_vec):
        return True
    model = model or models.default()
    return same_probability(a, a_vec, b, b_vec, model, idf) >= model.same_at


def duplicate_of(question: str, question_vec: np.ndarray, candidates: Sequence[KnowledgeEntry],
                 model: models.Model | None = None) -> str | None:
    """The id of the candidate asking the same thing as `question` (the most probable, if several)."""
    model = model or models.default()
    best = None
    for c in candidates:
        if same_text(question, c.question) or reworded(question, question_vec, c.question, c.vector):
            return c.id
        p = same_probability(question, question_vec, c.question, c.vector, model)
        if p >= model.same_at and (best is None or p > best[0]):
            best = (p, c.id)
    return best[1] if best else None


@dataclass(frozen=True)
class Suggestion:
    entry: KnowledgeEntry
    score: float
    near: bool


def suggest(question: str, question_vec: np.ndarray, index: Index, k: int = 3,
            model: models.Model | None = None) -> list[Suggestion]:
    """The k entries most likely to answer a question, best first: what a supervisor may answer an
    escalated question with. `near`: probably that entry's question, so a new answer to it should
    update that entry or be said to be different."""
    model = model or models.default()
    return [Suggestion(c.entry, round(c.probability, 4), c.probability >= model.near_at)
            for c in judged(question, question_vec, index, model)[:k] if c.entry.answer is not None]


def conflicts(question: str, question_vec: np.ndarray, answer: str, index: Index,
              model: models.Model | None = None) -> list[KnowledgeEntry]:
    """Entries a new answer contradicts: the one the agent would confidently answer its question
    with, when that answer is a different one. An entry already held for review still counts."""
    d = decide(question, question_vec, index, model, hold=False)
    if not d.answered or same_text(d.answer, answer):
        return []
    return [e for e in index.entries if e.id == d.entry_id]
