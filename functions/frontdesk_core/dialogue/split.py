"""Splitting a caller's turn into parts and telling what each part is.

1. Markup and bracketed noise go; the text is cut at sentence punctuation (not "4.50").
2. A run-on (speech-to-text writes no punctuation) is cut before a new clause: a conjunction followed
   by a clause opener ("... and are you open"), or an opener after a clause that already has its verb
   ("how much is a cut are you open sunday"). Openers: wh-words, an auxiliary before its subject
   ("do you", "is there"), first-person intent ("I'd like", "I need").
3. Social formulas (greetings, thanks, goodbyes, acknowledgements) are peeled off each clause's ends,
   with the terms of address after them; where a shape says more than a list, the shape: small talk
   (how the other speaker or their day is), a response token (one or two words with no verb opening a
   clause before a formula or a complete new clause: "mint and ...", "sound ta"), a parting wish, a verdict
   on what was said. Announcements ("one more thing") and hedges ("I think") before a clause are dropped,
   and a term of address ending a question ("... our kid").
4. Each remaining clause is classified (classify.py).
"""
from __future__ import annotations

from .clauses import clauses, unannounced
from .labels import SOCIAL, Part
from .social import peel
from .tokens import MARKUP, MAX_CHARS, chunks, tokens

__all__ = ["MAX_CHARS", "Part", "understand"]


def understand(utterance: str) -> list[Part]:
    """The parts of one caller turn, in order. Empty or noise-only input gives one NOT_CAUGHT part."""
    text = MARKUP.sub(" ", (utterance or "")[:MAX_CHARS].replace("\n", " "))
    parts: list[Part] = []
    for chunk in chunks(unannounced(tokens(text))):
        for clause in clauses(chunk):
            parts.extend(p for p in peel(clause) if p.text)
    merged: list[Part] = []
    for p in parts:   # "ok ok", "thanks thank you": one part
        if merged and merged[-1].label == p.label and p.label in SOCIAL:
            merged[-1] = Part(p.label, f"{merged[-1].text} {p.text[:1].lower()}{p.text[1:]}")
        else:
            merged.append(p)
    return merged or [Part("not_caught", "")]
