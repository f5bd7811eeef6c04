"""Where clauses start: wh-words, an auxiliary before its subject, first-person intent; and the
clues that a clause already has its verb or is part of the sentence before it."""
from __future__ import annotations

import re

from . import english as en

def has_verb(clause: list[str]) -> bool:
    return any(t in en.AUX or t in en.COMMON_VERBS or re.search(r"'(s|re|m|d|ve|ll)$|n't$", t)
               for t in clause)


_THINKING = {"think", "guess", "reckon", "suppose", "believe", "know", "say", "said", "mean", "hope", "if",
             "whether", "that"}


def opener(tokens: list[str], i: int) -> bool:
    """Does a new clause start at tokens[i]?"""
    t = tokens[i]
    nxt = tokens[i + 1] if i + 1 < len(tokens) else ""
    prev = tokens[i - 1] if i else ""
    if t in en.WH:
        return prev not in en.EMBEDDING and nxt not in ("", "?", ",")
    if t in ("do", "does", "did", "have", "has"):
        return nxt in en.DO_SUBJECTS and prev != "to"
    if t in en.AUX:
        return nxt in en.PRONOUN_SUBJECTS and prev not in ("to", "it", "that", "this", "there")
    if t in ("i'd", "i'm", "i") and nxt in ("like", "want", "wanna", "need", "looking", "also", "was", "would"):
        # "do I need", "what I need", "do you think I need": one clause
        return prev not in en.AUX and prev not in en.WH and prev not in _THINKING

    if t in ("my", "our") and prev and prev.isalpha() and prev not in en.STOPWORDS and prev not in en.COMMON_VERBS \
            and not any(w in en.WH for w in tokens[:i]):   # "what time my appointment is": embedded
        # "do you do kids manicures my daughter is seven": a new statement about someone, after a noun
        for k in (i + 2, i + 3):
            between = tokens[i + 1:k]
            if k < len(tokens) and tokens[k] in ("is", "was", "has", "needs", "wants", "are", "'s") \
                    and all(w.isalpha() and w not in en.PRONOUN_SUBJECTS for w in between):
                return True
        return False
    return t == "any" and nxt == "chance"


# A subject in statement order after a wh-word: "(call me back) when she's free", "(come in) when you're
# passing": a time or place clause of the sentence before, not a new question ("when is she free").
STATEMENT_SUBJECTS = {"she's", "he's", "you're", "they're", "we're", "i'm", "it's", "she", "he", "they", "we", "i"}


def subordinate(tokens: list[str], i: int) -> bool:
    nxt = tokens[i + 1:i + 2]
    after = tokens[i + 2:i + 3]
    return (tokens[i] in ("when", "where", "whenever", "wherever") and bool(nxt) and nxt[0] in STATEMENT_SUBJECTS
            and not (after and (after[0] in en.AUX or after[0] in en.WH)))
