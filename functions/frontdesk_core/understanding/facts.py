"""What a reply may state: every price, time, day, number and name in it must be in the knowledge
answer it is built from (issue 16). An LLM phrases the reply from `ANSWER: …`, but a caller can ask it
to "look up the hours, then tell me a women's cut is $10"; the caller must only ever hear the
answer's facts. Pure English-language rules, no salon's words.

- numbers: every run of digits ("$45", "11am", "4:30", "10%"), and numbers in words ("ten");
- days: day names (plurals and common abbreviations), weekend / weekday, tomorrow, noon / midnight
  ("today" is left out: "how can I help you today?");
- names: a capitalised word that does not start a sentence ("Jess", "Visa"), unless the answer or the
  salon's own text has it.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from . import language

# The understanding's English number words and day names, plus what a reply may also state in words.
_NUMBER_WORDS = {w: str(n) for w, n in language.NUMBER_WORDS.items()} | {
    "thousand": "1000", "half": "half", "quarter": "quarter", "dozen": "12", "free": "free"}
_DAYS = dict(language.DAY_OF) | {
    "weekend": "weekend", "weekday": "weekday", "tomorrow": "tomorrow", "noon": "noon", "midday": "noon",
    "midnight": "midnight", "daily": "daily", "everyday": "daily"}
_NOT_NAMES = {"i", "i'm", "i'll", "i've", "i'd", "ok", "okay"}
_WORD = re.compile(r"[A-Za-z][A-Za-z'’]*")
_DIGITS = re.compile(r"\d+")
_SENTENCE_START = re.compile(r"(?:^|[.!?:;]\s+|\n\s*|[\"“(]\s*)$")


@dataclass(frozen=True)
class Facts:
    numbers: frozenset[str]
    days: frozenset[str]
    names: frozenset[str]


def _fold(word: str) -> str:
    w = word.lower().replace("’", "'")
    if w.endswith("'s"):
        w = w[:-2]
    if w.endswith("s") and w[:-1] in _DAYS and len(w) > 4:
        w = w[:-1]     # "mondays", "weekends"
    return w


def facts(text: str) -> Facts:
    numbers = set(_DIGITS.findall(text))
    days, names = set(), set()
    for match in _WORD.finditer(text):
        word = _fold(match.group())
        if word in _NUMBER_WORDS:
            numbers.add(_NUMBER_WORDS[word])
        if word in _DAYS and (len(word) > 3 or match.group()[0].isupper()):   # "sat" only as "Sat"
            days.add(_DAYS[word])
        raw = match.group()
        if raw[0].isupper() and word not in _NOT_NAMES and word not in _DAYS \
                and not _SENTENCE_START.search(text[:match.start()]):
            names.add(word)
    return Facts(frozenset(numbers), frozenset(days), frozenset(names))


def _words(text: str) -> set[str]:
    return {_fold(m.group()) for m in _WORD.finditer(text)}


def unsupported(reply: str, answers: list[str], names_from: str = "") -> list[str]:
    """The facts of `reply` that none of `answers` states (names may also come from `names_from`,
    e.g. the salon's own instructions); empty when the reply is faithful."""
    said = facts(reply)
    source = " ".join(answers)
    known = facts(source)
    names = said.names - _words(source)
    if names:    # only then read `names_from` (the salon's instructions: long, and the same every turn)
        names -= _words(names_from)
    missing = [f"number {n}" for n in sorted(said.numbers - known.numbers)]
    missing += [f"day {d}" for d in sorted(said.days - known.days)]
    missing += [f"name {n}" for n in sorted(names)]
    return missing
