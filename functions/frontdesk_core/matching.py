"""Does the knowledge base answer this question? The confidence gate (pure: no I/O, no model).

Used by the agent (`lookup_knowledge`, `python -m agent ask`) and by the Cloud Functions (grouping
duplicate questions). Callers embed with `frontdesk_core.embedding`; this module only compares.

Why not one cosine threshold: all-MiniLM-L6-v2 rates "How much is a beard trim?" closer to "How much
does a men's haircut cost?" (0.67) than "What's your address?" to "Where is the salon located?" (0.24).
On the labelled set (tests/data) no single threshold gave zero wrong answers with more than a third of
the paraphrases answered. So the decision combines four signals:

1. Meaning: cosine of the question with the entry's question and with its answer (mean of the two),
   over the whole index; the best few candidates go on.
2. Lexical agreement, re-ranking those candidates: the share of the question's content words (stemmed,
   salon synonyms folded into one concept, weighted by rarity in the base) that the entry's question or
   answer contains.
3. Vetoes, each lifted only by a very close meaning match:
   - an unknown word: a content word that no entry uses anywhere ("beard", "Christmas", "fax") means the
     question is about something the base does not know;
   - a topic word of another entry: a word that names another entry's subject and is absent from this
     one ("tip" asked next to "balayage") means the question mixes subjects or points elsewhere.
4. Ambiguity: when the best entry is more specific than the question (its question has a distinguishing
   word the caller did not say, like "men's") and a close rival with a different answer exists, nobody
   can know which was meant: escalate ("How much is a haircut?").

Every threshold was calibrated on tests/data/labelled.jsonl; `python -m agent ask` prints the same
decision line by line, and tests/unit/test_matching_labelled.py holds it to the bar.
"""
from __future__ import annotations

import functools
import math
import re
from dataclasses import dataclass, field, replace
from typing import Iterable, Sequence

import numpy as np

from .contract import same_text
from .search import coarse_scores

# ---- words --------------------------------------------------------------------------------------

# Function words, and the filler and generic words callers wrap questions in: they never decide what a
# question is about.
STOPWORDS = frozenset("""
a an the and or but if of to in on at for from by with about as into over under is are was were be been
being am do does did doing done have has had having i me my mine we our ours us you your yours he him his
she her it its they them their this that these those what which who whom whose when where why how can
could would should will shall may might must please tell know want like just there here any some get got
also so than then too very not no yes okay ok hi hello hey thanks thank one guys um uh er well
wondering wonder need needed let give kind exactly really still many come coming go going
morning afternoon evening night tonight weekend week until till nearby near back first without
run running
people way best customer business work working keep during expect put down form don't dont doesn't
won't wont lot little bit right now usually normally sure thing something anything someone anyone
place take taking accept accepting use using make made able anymore ever even again around
im i'm i'd i'll we're you're it's that's what's where's how's whats wheres hows there's theres
mean thinking looking hoping trying maybe said say ask asking question wanted year years old
zero two three four five six seven eight nine ten eleven twelve fifteen twenty thirty
show up happen happens happened
salon studio hair appointment appointments stylist stylists
""".split())
_NUMBER = re.compile(r"^\d+(st|nd|rd|th|s)?$")

# Salon vocabulary: words callers use for the same thing, folded into one concept before comparing.
CONCEPTS: dict[str, tuple[str, ...]] = {
    "price": ("much", "cost", "costs", "price", "prices", "pricing", "priced", "charge", "charges", "charged",
              "fee", "fees", "rate", "rates", "expensive", "cheap", "$"),
    "hours": ("hour", "hours", "open", "opening", "opens", "close", "closing", "closes", "closed", "time",
              "times", "late"),
    "address": ("address", "located", "location", "locate", "street", "gps", "find"),
    "phone": ("phone", "number", "call", "calling", "reach", "telephone"),
    "man": ("men", "man", "men's", "guy", "guys", "husband", "boyfriend", "gentleman", "male", "dad",
            "father"),
    "woman": ("women", "woman", "women's", "lady", "ladies", "female", "wife", "girlfriend", "mom",
              "mother"),
    "child": ("children", "child", "children's", "kid", "kids", "kids'", "son", "daughter", "toddler",
              "boy", "girl", "year-old"),
    "haircut": ("haircut", "haircuts", "cut", "cuts", "trim", "trims"),
    "color": ("color", "colour", "coloring", "colouring", "colored", "dye", "dyed", "dyeing"),
    "blowout": ("blowout", "blow-dry", "blowdry", "blow", "dry"),
    "book": ("book", "booking", "schedule", "reserve", "reservation", "online", "website"),
    "cancel": ("cancel", "cancellation", "cancelling", "canceling", "notice"),
    "noshow": ("miss", "missed", "misses", "noshow", "noshows"),
    "tip": ("tip", "tips", "tipping", "gratuity"),
    "access": ("accessible", "accessibility", "wheelchair", "step-free", "entrance", "entry"),
    "parking": ("park", "parking", "garage", "car"),
    "wedding": ("wedding", "bridal", "bride"),
    "pay": ("pay", "payment", "paying", "card", "cards", "credit", "debit"),
    "satisfied": ("happy", "unhappy", "satisfied", "dissatisfied", "redo", "fix", "adjust"),
    "purchase": ("buy", "sell", "sells", "purchase", "carry"),
    "product": ("product", "products", "brand", "brands", "shampoo"),
    "smoothing": ("smoothing", "straightening", "straighten"),
    "patch": ("patch", "allergy", "skin"),
    "conditioning": ("conditioning", "conditioner", "mask"),
}
_CONCEPT_OF = {w: c for c, words in CONCEPTS.items() for w in words}
# Phrases whose words alone would mislead ("call off" is not about the phone number).
PHRASES = {"no-show": "noshow", "no show": "noshow", "call off": "cancel", "called off": "cancel",
           "calling off": "cancel", "back out": "cancel", "backing out": "cancel", "pull out": "cancel",
           "these days": "", "nowadays": ""}
_PHRASE = re.compile(r"\b(" + "|".join(re.escape(p) for p in sorted(PHRASES, key=len, reverse=True)) + r")\b")
_WORD = re.compile(r"\$|[a-z0-9]+(?:'[a-z0-9]+)*'?")

try:  # Snowball (Porter 2) when installed; a light suffix stripper otherwise.
    import snowballstemmer as _snowball
    _stemmer = _snowball.stemmer("english")

    def stem(word: str) -> str:
        return _stemmer.stemWord(word)
except ImportError:  # pragma: no cover
    def stem(word: str) -> str:
        for suffix in ("ing", "ies", "es", "ed", "s"):
            if len(word) > len(suffix) + 3 and word.endswith(suffix) and not word.endswith("ss"):
                return word[: -len(suffix)]
        return word


_STOP_STEMS = frozenset(stem(w.replace("'", "")) for w in STOPWORDS)


@functools.lru_cache(maxsize=65536)
def terms(text: str) -> frozenset[str]:
    """The content of a text: concepts and stems of its words, stop words, filler and numbers removed."""
    text = _PHRASE.sub(lambda m: PHRASES[m.group(0)], text.lower().replace("’", "'")).replace("-", " ")
    out = set()
    for raw in _WORD.findall(text):
        word = raw.rstrip("'")
        bare = word.removesuffix("'s")
        if word in STOPWORDS or bare in STOPWORDS or _NUMBER.match(bare):
            continue
        concept = _CONCEPT_OF.get(word) or _CONCEPT_OF.get(bare)
        if concept is None:
            base = stem(bare.replace("'", ""))
            if not base or base in _STOP_STEMS:
                continue
            concept = _CONCEPT_OF.get(base, base)
        out.add(concept)
    return frozenset(out)


# ---- entries and the index ----------------------------------------------------------------------

@dataclass(frozen=True, eq=False)
class Phrasing:
    """Another wording of an entry's question (seed, a supervisor's link, a grouped caller)."""
    text: str
    vector: np.ndarray
    source: str = "seed"


@dataclass(frozen=True, eq=False)
class KnowledgeEntry:
    """One thing the base knows. `answer` is None for candidates that are only questions (e.g. pending
    help requests being grouped); vectors are unit float32 (384,) from `frontdesk_core.embedding`.
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


@dataclass(frozen=True)
class Decision:
    action: str                    # "answer" | "escalate"
    entry_id: str | None = None    # the entry answering (or the best candidate, when escalating)
    answer: str | None = None      # set only when action == "answer"
    score: float = 0.0             # the re-ranked score of the best candidate
    reason: str = ""               # why, in a few words (for logs and `ask --json`)

    @property
    def answered(self) -> bool:
        return self.action == "answer"


@dataclass(frozen=True)
class Gate:
    """The calibrated thresholds (see tests/data/labelled.jsonl and the README's figures)."""
    candidates: int = 10           # re-rank this many nearest entries
    lexical_weight: float = 0.3    # adjusted = meaning + weight * lexical coverage
    answer_at: float = 0.5         # adjusted score needed to answer
    unknown_word_ok_at: float = 0.8    # meaning needed to answer despite a word the base never uses
    topic_word_ok_at: float = 0.8      # ... despite another entry's distinctive or topic word
    distinctive_df: int = 3            # a word in at most this many entries distinguishes them
    ambiguity_margin: float = 0.05     # a rival this close makes an under-specified question ambiguous


GATE = Gate()


@dataclass
class Index:
    """Entries with their vectors as matrices, and the word statistics the gate needs.

    Each entry is one row per wording (its question, then its phrasings), rows of one entry adjacent;
    an entry's meaning score is its best row's. Its vocabulary (`_terms`) is every wording plus the
    answer, so a word a supervisor's link taught is no longer "unknown" and counts as covered.
    Immutable once built: `with_entries` / `without` return a new index (cheap: vectors are stacked,
    nothing is embedded), so readers never see a half-updated one.
    """
    entries: list[KnowledgeEntry] = field(default_factory=list)

    def __post_init__(self) -> None:
        rows, starts = [], []
        for e in self.entries:
            starts.append(len(rows))
            # mean(cos(q, wording), cos(q, answer)) = q . (wording + answer) / 2: one product per row.
            for vec in (e.vector, *(p.vector for p in e.phrasings)):
                rows.append((vec + e.answer_vector) / 2 if e.answer_vector is not None else vec)
        self._m = np.stack(rows).astype(np.float32) if rows else np.zeros((0, 384), np.float32)
        self._starts = np.asarray(starts, dtype=np.intp)
        self._plain = len(rows) == len(self.entries)       # no phrasings: one row per entry
        self._ends = np.append(self._starts[1:], len(rows)).astype(np.intp)
        self._coarse = coarse_scores(self._m)          # None below a few thousand rows
        if self._coarse is not None:                   # per entry: its rows' largest error terms
            scale, l1 = self._coarse.scale, self._coarse.l1
            if not self._plain:
                scale, l1 = np.maximum.reduceat(scale, self._starts), np.maximum.reduceat(l1, self._starts)
            self._coarse_scale, self._coarse_l1 = scale, l1
        self._qterms = [terms(e.question) for e in self.entries]
        answers = [terms(e.answer) if e.answer else frozenset() for e in self.entries]
        # Lexical agreement is judged per wording (with the answer): a phrasing counts as a whole, so
        # the incidental words of several learned wordings never add up to cover a new question.
        self._row_terms, self._wording_terms = [], []
        wordings = []
        for qt, at, e in zip(self._qterms, answers, self.entries):
            own = [qt, *(terms(p.text) for p in e.phrasings)]
            self._wording_terms += own
            self._row_terms += [w | at for w in own]
            wordings.append(frozenset().union(*own))
        self._terms = [w | at for w, at in zip(wordings, answers)]
        self._df: dict[str, int] = {}
        self._qdf: dict[str, int] = {}
        for ts, ws in zip(self._terms, wordings):
            for t in ts:
                self._df[t] = self._df.get(t, 0) + 1
            for t in ws:
                self._qdf[t] = self._qdf.get(t, 0) + 1

    def __len__(self) -> int:
        return len(self.entries)

    def with_entries(self, new: Iterable[KnowledgeEntry]) -> "Index":
        new = list(new)
        ids = {e.id for e in new}
        return Index([e for e in self.entries if e.id not in ids] + new)

    def without(self, ids: Iterable[str]) -> "Index":
        ids = set(ids)
        return Index([e for e in self.entries if e.id not in ids])

    def _idf(self, term: str) -> float:
        return math.log(1 + (len(self.entries) or 1) / self._df.get(term, 0.5))

    def search(self, vec: np.ndarray, k: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """The k entries with the best meaning score, best first; every entry's meaning score (its best
        wording's mean cosine with the question and with the answer; the wording alone for
        question-only entries) and every row's. Exact for those k entries and their rows; on a big
        index (search.py) entries that cannot be among them are -inf and their rows NaN."""
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

    @staticmethod
    def nearest(scores: np.ndarray, k: int) -> np.ndarray:
        """Indices of the k best scores, best first."""
        if len(scores) <= k:
            return np.argsort(-scores)
        top = np.argpartition(scores, -k)[-k:]
        return top[np.argsort(-scores[top])]


# ---- the decision -------------------------------------------------------------------------------

def _rank(question: str, question_vec: np.ndarray, index: Index, gate: Gate):
    """Meaning against every entry, the nearest re-ranked by lexical agreement (best first), the
    question's content terms and those no entry knows."""
    vec = np.asarray(question_vec, dtype=np.float32)
    nearest, meaning, rows = index.search(vec, gate.candidates)
    qt = terms(question)
    weight = {t: index._idf(t) for t in qt}
    total = sum(weight.values()) or 1.0
    unknown = sorted(t for t in qt if t not in index._df)
    ranked = []
    for j in nearest:
        best = -1.0
        for r in range(index._starts[j], index._ends[j]):
            if r > index._starts[j] and any(index._df.get(t, 0) > 1 and index._qdf.get(t, 0) <= gate.distinctive_df
                                            for t in index._wording_terms[r] - qt):
                continue  # a phrasing speaks for its entry only if the caller said what sets it apart
            covered = sum(w for t, w in weight.items() if t in index._row_terms[r]) / total
            best = max(best, float(rows[r]) + gate.lexical_weight * covered)
        ranked.append((best, int(j)))
    ranked.sort(reverse=True)
    return meaning, ranked, qt, unknown


def decide(question: str, question_vec: np.ndarray,
           candidates: "Index | Sequence[KnowledgeEntry]", gate: Gate = GATE, *,
           hold: bool = True) -> Decision:
    """Answer only when sure. `candidates`: an Index (the agent's live base) or a list of entries.
    `hold=False` ignores reviews in progress (for asking which entry would answer)."""
    index = candidates if isinstance(candidates, Index) else Index(list(candidates))
    if not len(index):
        return Decision("escalate", reason="the knowledge base is empty")
    meaning, ranked, qt, unknown = _rank(question, question_vec, index, gate)
    adjusted, best = ranked[0]
    entry = index.entries[best]
    sem = float(meaning[best])

    def escalate(reason: str) -> Decision:
        return Decision("escalate", entry.id, None, round(adjusted, 4), reason)

    if adjusted < gate.answer_at:
        return escalate("no close match")
    if not qt and sem < gate.unknown_word_ok_at:
        return escalate("no content words to check")
    if unknown and sem < gate.unknown_word_ok_at:
        return escalate(f"unknown to the base: {', '.join(unknown)}")
    foreign = sorted(t for t in qt if t not in index._terms[best] and (
        0 < index._df.get(t, 0) <= gate.distinctive_df or index._qdf.get(t)))
    if foreign and sem < gate.topic_word_ok_at:
        return escalate(f"names what other entries are about: {', '.join(foreign)}")
    unsaid = [t for t in index._qterms[best] - qt if index._qdf.get(t, 0) < len(index)]
    if unsaid:
        for score, j in ranked[1:]:
            if score < adjusted - gate.ambiguity_margin:
                break
            rival = index.entries[j]
            if rival.answer != entry.answer and (index._qterms[j] - qt):
                return escalate(f"ambiguous between {entry.id} and {rival.id}")
    if entry.held and hold:
        return escalate(f"{entry.id} is under review (conflicting answers)")
    if entry.answer is None:  # a question-only candidate (duplicate grouping): "same question"
        return Decision("answer", entry.id, None, round(adjusted, 4), "same question")
    return Decision("answer", entry.id, entry.answer, round(adjusted, 4), "confident match")


DUPLICATE_AT = 0.6   # cosine two questions with the same content words need to count as one question


def same_question(a: str, a_vec: np.ndarray, b: str, b_vec: np.ndarray) -> bool:
    """Whether two questions ask the same thing (grouping duplicates, a caller asking again).

    Stricter than answering, because a false "same" would bury a caller's question: the same words
    (case, spacing and punctuation aside), or exactly the same content words (concepts) and a close meaning.
    Calibrated on pairs from the labelled set: with identical concepts, no pair of different questions
    reached 0.5; 104 of 287 pairs of paraphrases of one entry reach 0.6 (the rest become separate
    requests, which a supervisor answers once per group).
    """
    if same_text(a, b):
        return True
    ta, tb = terms(a), terms(b)
    return bool(ta) and ta == tb and float(np.dot(a_vec, b_vec)) >= DUPLICATE_AT


def duplicate_of(question: str, question_vec: np.ndarray,
                 candidates: Sequence[KnowledgeEntry]) -> str | None:
    """The id of the candidate asking the same thing as `question` (the closest, if several)."""
    same = [(float(np.dot(question_vec, c.vector)), c.id) for c in candidates
            if same_question(question, question_vec, c.question, c.vector)]
    return max(same)[1] if same else None


NEAR_AT = 0.8   # re-ranked score from which a question is "nearly" an entry's (see `suggest`)


@dataclass(frozen=True)
class Suggestion:
    entry: KnowledgeEntry
    score: float
    near: bool


def suggest(question: str, question_vec: np.ndarray, index: Index, k: int = 3,
            gate: Gate = GATE) -> list[Suggestion]:
    """The k entries closest to a question (by meaning, re-ranked by lexical agreement), best first:
    what a supervisor may answer an escalated question with. `near`: the question is nearly that
    entry's, so a new answer to it should update that entry or be said to be different. On the labelled
    sets, the right entry reaches 0.8 for 74 % of paraphrases ranked first and 3.6 % of unknown
    questions reach it (scripts: bench/learning.py's data)."""
    if not len(index):
        return []
    _, ranked, _, _ = _rank(question, question_vec, index, gate)
    return [Suggestion(index.entries[j], round(score, 4), score >= NEAR_AT)
            for score, j in ranked[:k] if index.entries[j].answer is not None]


def conflicts(question: str, question_vec: np.ndarray, answer: str, index: Index,
              gate: Gate = GATE) -> list[KnowledgeEntry]:
    """Entries a new answer contradicts: the one the agent would confidently answer its question
    with, when that answer is a different one. (Only that one: entries that are merely near ask
    something else as often as not — "men's haircut" is near "women's haircut".) An entry already
    held for review still counts."""
    d = decide(question, question_vec, index, gate, hold=False)
    if not d.answered or same_text(d.answer, answer):
        return []
    return [e for e in index.entries if e.id == d.entry_id]
