"""A chunk of a run-on turn (speech-to-text writes no punctuation) cut before each new clause, and
announcements ("one more thing") dropped before the question they announce."""
from __future__ import annotations

from . import english as en
from .grammar import has_verb, opener, subordinate
from .social import social_at

def clauses(chunk: list[str]) -> list[list[str]]:
    """Cut a chunk (no sentence punctuation inside) before each new clause."""
    out, cur = [], []
    i = 0
    while i < len(chunk):
        t = chunk[i]
        if t == ",":
            # a comma cuts only when a new clause or a social formula follows
            if cur and i + 1 < len(chunk) and (opener(chunk, i + 1) or social_at(chunk, i + 1)):
                out.append(cur)
                cur = []
            else:
                cur.append(t)
            i += 1
            continue
        if t in en.CONJUNCTIONS and cur and i + 1 < len(chunk):
            j = i + 1
            while j < len(chunk) and chunk[j] in en.CONJUNCTIONS | en.FILLERS:
                j += 1
            # after "and", an auxiliary always starts a clause ("... and is gratuity included")
            if j < len(chunk) and (opener(chunk, j) or (chunk[j] in en.AUX and j + 1 < len(chunk))) \
                    and (has_verb(cur) or len(cur) >= 3):
                out.append(cur)
                cur = []
                i = j
                continue
        relative = t in ("who", "which", "whose")   # mid-sentence these attach to the noun before them
        if cur and opener(chunk, i) and has_verb(cur) and len(cur) >= 2 and cur[-1] != "or" and not relative \
                and not subordinate(chunk, i):
            out.append(cur)
            cur = []
        cur.append(t)
        i += 1
    if cur:
        out.append(cur)
    return out


def unannounced(tokens: list[str]) -> list[str]:
    """Tokens without "one more thing", "quick question (for you)" where a clause opener follows them: the
    question is what follows ("oh and one last thing, how much is a kids' cut")."""
    out: list[str] = []
    i = 0
    while i < len(tokens):
        for phrase in en.ANNOUNCE:
            n = len(phrase)
            if tuple(tokens[i:i + n]) == phrase:
                j = i + n
                while j < len(tokens) and tokens[j] in (",", "for", "you", "then", "though", "sorry", ":"):
                    j += 1
                if j < len(tokens) and tokens[j] not in ".?!;" and (opener(tokens, j) or tokens[j] in en.AUX):
                    i = j
                    break
        else:
            out.append(tokens[i])
            i += 1
    return out
