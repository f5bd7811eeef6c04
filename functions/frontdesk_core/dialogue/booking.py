"""The details of a booking, reschedule or cancel request, taken from what the caller said.

Shaped as a calendar would want them later: the action, the service, the day and time as said
("tomorrow at 3pm"), the caller's name. Nothing is resolved to a date here: a later calendar issue
does that against the salon's own hours.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, replace

from . import english as en, lexicon

BOOK, RESCHEDULE, CANCEL = "book", "reschedule", "cancel"
ACTIONS = (BOOK, RESCHEDULE, CANCEL)

_DAYS = "monday|tuesday|wednesday|thursday|friday|saturday|sunday"
_MONTHS = ("january|february|march|april|may|june|july|august|september|october|november|december|"
           "jan|feb|mar|apr|jun|jul|aug|sep|sept|oct|nov|dec")
_NUM = "one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve"
_WHEN = re.compile(
    rf"\b(?:the day after tomorrow|(?:this|next|on|coming|following) (?:{_DAYS}|week|weekend)s?"
    rf"(?: (?:morning|afternoon|evening|night))?|(?:{_DAYS})s?(?: (?:morning|afternoon|evening|night))?"
    rf"|tomorrow(?: (?:morning|afternoon|evening|night))?|today|tonight|this (?:morning|afternoon|evening|weekend)"
    rf"|(?:the )?\d{{1,2}}(?:st|nd|rd|th)(?: of (?:{_MONTHS}))?|(?:{_MONTHS}) \d{{1,2}}(?:st|nd|rd|th)?"
    rf"|\d{{1,2}}/\d{{1,2}}|next week|this week|(?:in )?the (?:morning|afternoon|evening)|first thing"
    rf"|(?:later|earlier) (?:in the (?:day|week|afternoon|evening|morning)|that day|on)"
    rf"|after work|after school|lunch ?time|end of the day|any ?time|whenever|first available|"
    rf"earliest (?:available|possible|slot)|as soon as possible|asap"
    rf"|(?:back|forward|later|earlier) (?:by )?(?:an|one|two|half an|a couple of) hours?|an hour (?:later|earlier)"
    rf"|(?:(?:at|around|about|for|after|before|by) )?(?:\d{{1,2}}(?::\d\d)?(?:am|pm)|\d{{1,2}}:\d\d|noon|midday)"
    rf"|(?:at|around|about|after|before|by) (?:\d{{1,2}}|{_NUM})(?: ?(?:thirty|fifteen|forty five|o'clock))?"
    rf"(?: ?(?:am|pm|in the (?:morning|afternoon|evening)))?"
    rf"|half (?:past )?(?:\d{{1,2}}|{_NUM})|quarter (?:past|to) (?:\d{{1,2}}|{_NUM})|(?:{_NUM}) o'clock)\b")
_DAY = re.compile(rf"\b(?:{_DAYS}|today|tonight|tomorrow|weekend|week|\d{{1,2}}(?:st|nd|rd|th)|\d{{1,2}}/\d{{1,2}})")
_TIME = re.compile(rf"\b(?:\d{{1,2}}(?::\d\d)?(?:am|pm)?|noon|midday|half|quarter|o'clock|{_NUM})\b")
_NAME = re.compile(r"\b(?:my name is|my name's|name is|name's|the name is|this is|it's|it is|i'm|i am|"
                   r"(?:under )?the name of|(?:sur|last |first |second )name(?:'s| is)|"
                   r"under(?: the name)?|for|call me)\s+([a-z][a-z'-]+)(?: ([a-z][a-z'-]+))?")
_NOT_NAMES = en.STOPWORDS | en.FILLERS | {
    "running", "calling", "looking", "free", "available", "sorry", "late", "not", "trying", "after", "hoping",
    "interested", "wondering", "new", "here", "good", "fine", "afraid", "sure", "going", "gonna", "still",
    "booked", "ringing", "phoning", "after", "me", "myself", "her", "him", "us", "tomorrow", "today",
    "appointment", "booking", "cut", "haircut", "the", "two", "three", "next", "this", "morning",
    "afternoon", "evening", "great", "perfect", "fine", "correct", "right", "okay", "ok", "yes", "no", "yeah",
    "actually", "hair", "nails", "someone", "somebody", "anyone", "under", "calling", "called", "same", "time",
    "usual", "then", "that", "one", "please", "fine", "whenever", "earlier", "later", *_DAYS.split("|")}
_SERVICE_AFTER = re.compile(
    r"\b(?:appointment|booking|slot|book(?: me| myself| us| her| him)?(?: in)?|get(?: me)?|have|like|need|want|"
    r"wanna|for|do|done|schedule|reschedule|cancel|move|switch|swap|shift|push|bump|prepone|make|fancy)\s+(?:for\s+)?(?:(?:a|an|my|some|the|her|his|our|"
    r"two|three)\b)?\s*([a-z][a-z' &-]*)")
_SERVICE_STOP = re.compile(
    rf"\b(?:at|on|for|from|this|next|with|please|if|around|about|tomorrow|today|tonight|in|by|before|after|"
    rf"sometime|some time|when|and (?:i|my|can|could|is|are|do|what)|so|because|cos|but|or|maybe|instead|"
    rf"my name|{_DAYS}|appointment|booking|slot|time|is|are|was|thanks|thank|please|then)\b.*$")
_GENERIC = {"back", "forward", "later", "earlier", "appointment", "booking", "slot", "time", "me", "in", "it", "one", "something", "that", "this",
            "session", "spot", "day", "date", "myself", "us", "book", "a", "an", "the", "go", "come",
            "to", "get", "have", "do", "be", "see", "just", "thing", "bit", "ask", "know", "check"}


@dataclass(frozen=True)
class Booking:
    action: str = BOOK
    service: str | None = None
    when: str | None = None
    name: str | None = None

    def as_dict(self) -> dict:
        return {"action": self.action, "service": self.service, "when": self.when, "name": self.name}

    def merge(self, other: "Booking") -> "Booking":
        """Details said later fill or correct earlier ones ("make that Saturday"); a time added to a
        day keeps both ("Friday" + "half two"); the first clear action stands."""
        when = self.when
        if other.when:
            days = [bool(_DAY.search(w)) for w in (self.when or "", other.when)]
            when = other.when if not self.when or all(days) or not any(days) and _TIME.search(self.when or "") \
                else f"{self.when} {other.when}"
        return replace(self, service=other.service or self.service, when=when, name=other.name or self.name)

    def summary(self) -> str:
        what = self.service or "an appointment"
        if self.action == CANCEL:
            head = f"cancel {'the ' + self.service if self.service else 'an appointment'}"
        elif self.action == RESCHEDULE:
            head = f"reschedule {'the ' + self.service if self.service else 'an appointment'}"
            return f"{head}{' to ' + self.when if self.when else ''}"
        else:
            head = f"book {_article(what)}" if self.service else "book an appointment"
        return f"{head}{' ' + _on(self.when) if self.when else ''}"


def _article(noun: str) -> str:
    if noun.split()[0] in ("my", "our", "her", "his", "some", "a", "an", "the") or noun.endswith("s"):
        return noun
    return ("an " if noun[0] in "aeiou" else "a ") + noun


def _on(when: str) -> str:
    first = when.split()[0]
    return when if first in ("on", "at", "this", "next", "tomorrow", "today", "tonight", "in", "around",
                             "after", "before", "by", "the", "first", "lunchtime", "lunch") else f"on {when}"


def _clean(text: str) -> str:
    text = re.sub(r"\b(\d{1,2})\s*([ap])\.?\s?m\b\.?", r"\1\2m", text.lower().replace("’", "'"))
    words = [w for w in re.findall(r"[a-z0-9:/'$&-]+", text) if w not in en.FILLERS]
    return " ".join(words)


_MOVE = re.compile(r"\b(?:re-?schedule|re-?book|re-?arrange|prepone)\b|\b(?:move|change|switch|swap|shift|push|bring|bump)\b"
                   r"(?: \w+){0,3} (?:appointment|booking|appt|slot|time|to|back|forward|till|until)\b"
                   rf"|\b{en.MOVE_VERBS} (?:my|our|the|her|his|it|that|this)\b"
                   rf"(?: [\w']+){{0,6}}? (?:to|till|until) (?:the |a |next |this |on )?"
                   rf"(?:{_DAYS}|today|tomorrow|tonight|morning|afternoon|evening|weekend|week|later|earlier|\d)")


def action_of(text: str) -> str:
    t = _clean(text)
    if _MOVE.search(t) or en.INSTEAD.search(t) and when_of(t):
        return RESCHEDULE      # "I can't make Friday, can I move it to Monday": moved, not cancelled
    if re.search(r"\bcancel", t) or en.MISS.search(t):
        return CANCEL
    return BOOK


def when_of(text: str) -> str | None:
    spans = [m.group(0) for m in _WHEN.finditer(_clean(text))]
    spans = [s for i, s in enumerate(spans) if s not in spans[:i]]
    return " ".join(spans) or None


# Words of a one-word social formula or a term of address, in any spelling ("aye", "cheers", "hen"):
# a bare answer made of them thanks or agrees; it names nobody.
_SOCIAL_WORDS = ({p[0] for label in ("thanks", "ack", "goodbye", "greeting") for p in en.SOCIAL[label] if len(p) == 1}
                 | en.VOCATIVES | {a[0] for a in en.ADDRESS if len(a) == 1}
                 | {spelt for spelt, word in en.DIALECT.items() if (word,) in en.SOCIAL["ack"]})


def name_of(text: str, *, asked: bool = False) -> str | None:
    t = _clean(text)
    pos = 0
    while m := _NAME.search(t, pos):
        pos = m.start() + 1
        first, second = m.group(1), m.group(2)
        if first in _NOT_NAMES or first.endswith("ing") or lexicon.g_restored(first):   # "i'm fixin to"
            continue
        if m.group(0).startswith("for ") and not asked:
            continue   # "for Friday", "for a cut": a name only when asked for one
        words = [first] + ([second] if second and second not in _NOT_NAMES and not second.endswith("ing") else [])
        return " ".join(w.capitalize() for w in words)
    letters = re.search(r"(?:^|\s)((?:[a-z] ){2,}[a-z])(?:\s|$)", t)
    if asked and letters:          # spelled out: "j e s s"
        return letters.group(1).replace(" ", "").capitalize()
    if asked and not when_of(t):   # "half ten" answers with a time, not a name
        rest = [w for w in t.split() if w not in ("yes", "yeah", "sure", "ok", "okay", "please", "thanks", "so",
                                                  "it", "it's", "its", "is", "just", "name", "my", "the")]
        if 1 <= len(rest) <= 3 and all(w.isalpha() and w not in _NOT_NAMES and w not in _SOCIAL_WORDS for w in rest):
            return " ".join(w.capitalize() for w in rest)
    return None


def service_of(text: str, *, asked: bool = False) -> str | None:
    t = _clean(text)
    t = _WHEN.sub(" , ", t)
    t = _NAME.sub(lambda m: m.group(0) if m.group(1) in _NOT_NAMES else " , ", t)   # not "for my trim"
    pos = 0
    while m := _SERVICE_AFTER.search(t, pos):
        pos = m.start() + 1     # overlapping: "like an appointment for a perm" tries "for a perm" too
        phrase = _SERVICE_STOP.sub("", m.group(1)).strip(" ,&-")
        if t[m.start(1) + len(phrase):].startswith(" in "):
            continue            # "book my daughter in for a trim": the person, not the service
        words = [w for w in phrase.split() if w not in en.FILLERS]
        while words and words[-1] in ("and", "or", "a", "an", "the", "my", "some", "to", "&"):
            words.pop()
        while words and words[0] in ("to", "get", "have", "come", "do", "book", "in", "be", "go", "make",
                                     "reschedule", "cancel", "move", "change", "schedule", "booking", "push",
                                     "bump", "shift", "switch", "swap", "bring", "prepone"):
            words.pop(0)
            while words and words[0] in ("a", "an", "my", "some", "the", "in", "for", "me"):
                words.pop(0)
        words = words[:4]
        while words and words[-1] in ("and", "or", "a", "an", "the", "my", "some", "to", "&", "done", "back",
                                      "forward"):
            words.pop()
        if words and words[0] not in _GENERIC and not all(w in _GENERIC | en.STOPWORDS for w in words):
            return " ".join(words)
    if asked:   # an answer to "what would you like to have done?": the words themselves
        words = [w for w in t.replace(",", " ").split()
                 if w == "and" or w not in en.STOPWORDS | en.FILLERS | {"just", "please", "thanks", "ta"}]
        while words and words[0] == "and":
            words.pop(0)
        while words and words[-1] == "and":
            words.pop()
        if 1 <= len(words) <= 4:
            return " ".join(words)
    return None


# An appointment the caller says they hold: "I've a skin fade booked for Tuesday", "I got a volume fill on
# Thursday", "I've got brow lamination on Friday". What a later "can I move it" moves.
_HELD = re.compile(
    rf"\b(?:i|we)(?:'ve got|'ve| have got| have| got)(?: already)? (?:(?:a|an|my|our|the) )?"
    rf"((?:[a-z'-]+ ){{0,3}}?[a-z'-]+) (?:booked|appointment|appt|(?:on|for|at|this|next) (?:(?:the |this |next )?"
    rf"(?:{_DAYS}|\d)|tomorrow|today))")


def held_service(text: str) -> str | None:
    """The service of an appointment the caller says they already have, if any."""
    m = _HELD.search(_clean(text))
    if not m:
        return None
    words = [w for w in m.group(1).split() if w not in en.FILLERS]
    return " ".join(words) if words and not all(w in _GENERIC | en.STOPWORDS for w in words) else None


def booking_details(text: str, *, asked: str | None = None, action: str | None = None) -> Booking:
    """What `text` says about a booking; `asked` is the slot the agent just asked for ("service",
    "when", "name"), which lets a bare answer ("just a trim", "Sam") count. A reschedule's day and
    time are where it moves to ("from Wednesday to Thursday": Thursday)."""
    action = action or action_of(text)
    # "Thursday instead of Wednesday": the day it is to be, not the one it was
    text = re.sub(r"\binstead of (?:the |my |our )?(?:[\w']+ ){0,2}?(?:[\w']+)(?= for\b| at\b| on\b| please\b|,|$)", "", _clean(text))
    when = when_of(text)
    if action == RESCHEDULE and re.search(r"\bto\b", _clean(text)):
        tail = re.split(r"\bto\b", _clean(text))[-1]
        clock = re.match(rf"\s*((?:\d{{1,2}}(?::\d\d)?|{_NUM})(?: ?o'clock)?)\b", tail)
        when = when_of(tail) or (f"at {clock.group(1)}" if clock else None) or when
    return Booking(action=action, service=service_of(text, asked=asked == "service"), when=when,
                   name=name_of(text, asked=asked == "name"))
