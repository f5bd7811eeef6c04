"""A caller's turn as tokens: markup and noise out, dialect spellings and dropped g's read as the
standard words (each token keeps the caller's spelling), cut at sentence punctuation."""
from __future__ import annotations

import re

from . import english as en, lexicon

MARKUP = re.compile(r"<(script|style)\b[^>]{0,200}>.{0,2000}?</\1\s*>|<[^>]{0,200}>|&[a-z]+;|\[[^\]]{0,80}\]|\((?:inaudible|noise|laugh\w*|crosstalk|music|"
                     r"silence|unintelligible|background[^)]*|coughs?|static)\)|[*_#`~|\\{}]", re.I)


MAX_CHARS = 2000   # longer turns are cut: nobody says 10 kB in one breath


class _Tok(str):
    """A lower-case token that remembers how the caller's text wrote it (and whether a hyphen joined it
    to the word before)."""
    orig: str
    joined: bool


def tokens(text: str) -> list[str]:
    text = text.replace("’", "'").replace("‘", "'")
    text = re.sub(r"\b(\d{1,2})\s*([apAP])\.?\s?[mM]\b\.?", r"\1\2m", text)    # "3 p.m." -> "3pm"
    out = []
    for m in en.WORD.finditer(text.lower()):
        tok = _Tok(m.group(0))
        original = text[m.start():m.end()]
        tok.orig = original if original.lower() == tok else tok
        tok.joined = m.start() > 1 and text[m.start() - 1] == "-" and text[m.start() - 2].isalnum()  # "walk-ins"
        out.append(tok)
    return _standard(out)


def _standard(tokens: list[str]) -> list[str]:
    """Dialect spellings of function words read as the standard ones ("tae" -> "to", "the day" closing a
    clause -> "today"); each token keeps the caller's spelling for the text a supervisor reads."""
    def closes(i: int) -> bool:
        return i + 1 == len(tokens) or tokens[i + 1] in ".?!;,"

    def respelt(word: str, orig: str, joined: bool) -> _Tok:
        tok = _Tok(word)
        tok.orig, tok.joined = orig, joined
        return tok

    out: list[str] = []
    for i, t in enumerate(tokens):
        if t == "the" and i + 1 < len(tokens) and tokens[i + 1] in en.DIALECT_THE and closes(i + 1):
            continue                                   # folded into the next token
        if t in en.DIALECT_THE and i and tokens[i - 1] == "the" and closes(i):
            out.append(respelt(en.DIALECT_THE[t], f"{tokens[i - 1].orig} {t.orig}", False))
        elif t in en.DIALECT:
            out.append(respelt(en.DIALECT[t], t.orig, t.joined))
        elif restored := lexicon.g_restored(t):     # "workin", "lookin'": the -ing word
            out.append(respelt(restored, t.orig, t.joined))
        else:
            out.append(t)
    return out


def chunks(tokens: list[str]) -> list[list[str]]:
    out, cur = [], []
    for t in tokens:
        if t in ".?!;":
            if cur:
                out.append(cur + (["?"] if t == "?" else []))
            cur = []
        else:
            cur.append(t)
    if cur:
        out.append(cur)
    return out


def caller_text(tokens: list[str]) -> str:
    text = ""
    for t in tokens:
        if t != "?":
            text += ("-" if getattr(t, "joined", False) and text else " ") + getattr(t, "orig", t)
    text = text.replace(" ,", ",").strip(" ,")
    if text and tokens and tokens[-1] == "?":
        text += "?"
    return text[:1].upper() + text[1:]
