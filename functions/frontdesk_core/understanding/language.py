"""English, not any salon: the language-level knowledge the understanding module may use.

Function words and the filler of spoken questions, a stemmer, numbers written as words, days of the week,
times of day, money and durations, and what kind of fact a question asks for (a price, a time, a place,
a length of time). Nothing here names a service, a product or one salon's wording: what a word means for
a particular business is learned from that business's own knowledge base (its word statistics) and from
the calibrated model, never from a list.
"""
from __future__ import annotations

import functools
import re

import snowballstemmer

_stemmer = snowballstemmer.stemmer("english")

# English function words, plus the filler and politeness of a phone call ("um", "you guys", "I was
# wondering", "quick question"): they never tell what a question is about.
FUNCTION_WORDS = frozenset("""
a an the and or but if of to in on at for from by with about as into onto over under through between
after before up down out off than then so too very not no nor yes yeah yep yup nope
is are was were be been being am do does did doing done have has had having get gets got getting
i me my mine myself we us our ours you your yours yourself yourselves he him his she her hers it its
they them their theirs this that these those here there where when why how what which who whom whose
can could would should will shall may might must cannot can't couldn't wouldn't shouldn't won't
don't doesn't didn't isn't aren't wasn't weren't haven't hasn't hadn't
im i'm i'd i'll i've we're we'd we'll we've you're you'd you'll you've it's that's there's what's
where's how's who's they're they'll
any some all each every either neither other another such own same just only also even still ever
please thanks thank cheers hi hello hey hiya morning afternoon evening okay ok alright right well
um uh er erm hmm ah oh like so basically actually literally really kinda sorta gonna wanna gotta
y'all ya ye yous mate love hun dear folks
wonder wondering wondered know knew tell ask asking asked question quick curious mean meant say said
want wanted need needed let lemme give looking look hoping hope trying try thinking think
thing things something anything everything nothing someone anyone somebody anybody
lot bit little much many more most less few
one ones sort kind way
cost costs costing price prices priced pricing charge charges charged fee fees
""".split())   # the price words ask for a kind of fact (`asks_for`), not about a subject

# Words that exclude what follows ("just a blow dry, no cut").
NEGATIONS = frozenset({"no", "without", "minus", "except", "excluding", "not", "instead"})

# English plurals no stemmer folds ("a man's haircut" is "a men's haircut").
IRREGULAR = {"men": "man", "women": "woman", "children": "child", "people": "person", "feet": "foot",
             "teeth": "tooth", "mice": "mouse", "geese": "goose", "wives": "wife", "lives": "life"}

_WORD = re.compile(r"[a-z0-9]+(?:['’][a-z0-9]+)*|[$£€]")

NUMBER_WORDS = {
    "zero": 0, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7,
    "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13, "fourteen": 14,
    "fifteen": 15, "sixteen": 16, "seventeen": 17, "eighteen": 18, "nineteen": 19, "twenty": 20,
    "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60, "seventy": 70, "eighty": 80, "ninety": 90,
    "hundred": 100,
}

DAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
DAY_OF = {**{d: d for d in DAYS}, **{d + "s": d for d in DAYS},
           **{d[:3]: d for d in DAYS}, "tues": "tuesday", "weds": "wednesday", "thurs": "thursday",
           "thur": "thursday"}
_DAY_FULL = {**{d: d for d in DAYS}, **{d + "s": d for d in DAYS}}   # "sun", "sat", "wed" are words too
_DAY_GROUPS = {"weekend": ("saturday", "sunday"), "weekends": ("saturday", "sunday"),
               "weekday": DAYS[:5], "weekdays": DAYS[:5]}

_MONEY = re.compile(r"[$£€]\s?\d|\d\s?(?:dollars?|bucks|pounds?|quid|euros?|cents?|pence|p\b)|"
                    r"\b(?:free|no charge|complimentary)\b", re.I)
_CLOCK = re.compile(r"\b\d{1,2}(?::\d{2}|\.\d{2})?\s?(?:am|pm|a\.m\.|p\.m\.)|\b\d{1,2}:\d{2}\b|"
                    r"\bnoon\b|\bmidday\b|\bmidnight\b", re.I)
_DURATION = re.compile(r"\b\d+(?:\.\d+)?\s?(?:-\s?\d+\s?)?(?:min|mins|minutes?|hrs?|hours?|days?|weeks?|"
                       r"months?)\b|\b(?:an?|one|two|three|half an?) (?:hour|minute|day|week|month)s?\b", re.I)
_PLACE = re.compile(r"\b\d+[a-z]?\s+[a-z]+(?:\s[a-z]+)?\s(?:street|st|road|rd|avenue|ave|lane|ln|drive|dr|"
                    r"boulevard|blvd|way|place|pl|square|sq|parade|terrace|row|court|ct|highway|hwy)\b|"
                    r"\b(?:suite|unit|floor|level|shop)\s\d+|\bnext to\b|\bopposite\b|\bacross from\b|"
                    r"\bpostcode\b|\bzip\b", re.I)

# What kind of fact a question asks for, by the English that asks for it.
_ASKS = {
    "price": re.compile(r"\bhow much\b|\bcosts?\b|\bprices?d?\b|\bpricing\b|\bcharges?d?\b|\bfees?\b|"
                        r"\brates?\b|\bexpensive\b|\bcheap(?:er|est)?\b|\bafford|\bset me back\b|"
                        r"\bquid\b|\bbucks\b|\bdollars\b|\bpounds\b|\beuros?\b|[$£€]", re.I),
    "time": re.compile(r"\bwhat time\b|\bwhen\b|\bhours\b|\bopen(?:ing)?\b|\bclos(?:e|es|ed|ing)\b|"
                       r"\blate\b|\bearly\b|\buntil\b|\btill\b|\bwhat days?\b", re.I),
    "duration": re.compile(r"\bhow long\b|\bhow many (?:minutes|hours|days|weeks)\b|\blast(?:s)?\b", re.I),
    "place": re.compile(r"\bwhere\b|\baddress\b|\blocat|\bdirections?\b|\bfind you\b|\bget to you\b", re.I),
}


def normalise(text: str) -> str:
    return text.lower().replace("’", "'").replace("‘", "'")


@functools.lru_cache(maxsize=65536)
def stem(word: str) -> str:
    return _stemmer.stemWord(word)


def words(text: str) -> list[str]:
    return _WORD.findall(normalise(text))


def _canonical(word: str) -> str | None:
    """A content word's comparable form, or None for function words and bare numbers."""
    word = word.replace("’", "'")
    if word in FUNCTION_WORDS:
        return None
    bare = word[:-2] if word.endswith("'s") else word.rstrip("'")
    if bare in FUNCTION_WORDS or not bare:
        return None
    if bare in _DAY_FULL:
        return _DAY_FULL[bare]
    if bare.isdigit() or bare in NUMBER_WORDS or bare in "$£€":
        return None
    bare = bare.replace("'", "")
    stemmed = stem(IRREGULAR.get(bare, bare))
    return IRREGULAR.get(stemmed, stemmed)          # "mens" stems to "men"


@functools.lru_cache(maxsize=65536)
def content(text: str) -> frozenset[str]:
    """The content of a text: stems of its words, function words, filler and bare numbers removed
    (days of the week kept, each as its full name)."""
    out, previous = set(), ""
    for w in words(text):
        # "you guys" is how a caller says "you"; "what do you charge guys" is about men.
        c = None if w == "guys" and previous in ("you", "u") else _canonical(w)
        if c:
            out.add(c)
        previous = w
    return frozenset(out)


_DAY_NAME = r"(?:%s)" % "|".join(sorted(DAY_OF, key=len, reverse=True))
_DAY_RANGE = re.compile(rf"\b({_DAY_NAME})\s*(?:-|–|—|to|through|thru|till|til|until)\s*({_DAY_NAME})\b")


@functools.lru_cache(maxsize=65536)
def days(text: str) -> frozenset[str]:
    """The days of the week a text names: "weekends" names Saturday and Sunday, "Tue-Sat" and "Monday
    to Friday" every day between."""
    out = set()
    for w in words(text):
        if w in DAY_OF:
            out.add(DAY_OF[w])
        elif w in _DAY_GROUPS:
            out.update(_DAY_GROUPS[w])
    for first, last in _DAY_RANGE.findall(normalise(text)):
        i, j = DAYS.index(DAY_OF[first]), DAYS.index(DAY_OF[last])
        out.update(DAYS[k % 7] for k in range(i, i + (j - i) % 7 + 1))
    return frozenset(out)


@functools.lru_cache(maxsize=65536)
def numbers(text: str) -> frozenset[int]:
    """The numbers a text names, in digits or words ("forty five" -> 45), prices and times included."""
    out: set[int] = {int(m) for m in re.findall(r"\d+", normalise(text))}
    current = None
    for w in words(text) + [""]:
        value = NUMBER_WORDS.get(w)
        if value is None:
            if current is not None:
                out.add(current)
            current = None
        elif w == "hundred":
            current = (current or 1) * 100
        elif current is not None and ((current >= 100 and current % 100 == 0) or
                                      (current >= 20 and current % 10 == 0 and value < 10)):
            current += value
        else:
            if current is not None:
                out.add(current)
            current = value
    return frozenset(out)


@functools.lru_cache(maxsize=65536)
def asks_for(text: str) -> frozenset[str]:
    """What kind of fact a question asks for: price, time, duration, place (none, some or several)."""
    text = normalise(text)
    return frozenset(kind for kind, pattern in _ASKS.items() if pattern.search(text))


@functools.lru_cache(maxsize=65536)
def states(text: str) -> frozenset[str]:
    """What kind of facts a text (an answer) states: price, time, duration, place."""
    found = set()
    if _MONEY.search(text):
        found.add("price")
    if _CLOCK.search(text) or days(text) or re.search(r"\b(?:open|closed)\b", text, re.I):
        found.add("time")
    if _DURATION.search(text):
        found.add("duration")
    if _PLACE.search(text):
        found.add("place")
    return frozenset(found)
