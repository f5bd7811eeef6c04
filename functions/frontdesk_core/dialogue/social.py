"""Social formulas peeled off a clause's ends (greetings, thanks, goodbyes, acknowledgements, with the
terms of address after them), and the shapes that say more than a list: small talk, a response
token, a parting wish, a verdict, line trouble, holding on. What remains is classified (classify.py)."""
from __future__ import annotations

from . import english as en
from .classify import TIMEY, classify
from .grammar import STATEMENT_SUBJECTS, has_verb, opener
from .labels import Part
from .tokens import caller_text

def _by_first_word(phrases) -> dict[str, list[tuple[str, ...]]]:
    out: dict[str, list[tuple[str, ...]]] = {}
    for phrase in phrases:
        out.setdefault(phrase[0], []).append(phrase)   # in their order: ties go to the first, as before
    return out


# en.SOCIAL's formulas by their first word, built once: only those can start at a given token (a
# turn's reading tried every formula at every token, ~1 ms of the agent's loop per turn).
_STARTING = {label: _by_first_word(phrases) for label, phrases in en.SOCIAL.items()}


def social_at(tokens: list[str], i: int, *, end: int | None = None) -> tuple[str, int] | None:
    """The longest social formula starting at tokens[i] (label, length)."""
    end = len(tokens) if end is None else end
    best: tuple[str, int] | None = None
    if i >= len(tokens):
        return None
    for label in ("goodbye", "thanks", "greeting", "ack"):
        for phrase in _STARTING[label].get(tokens[i], ()):
            n = len(phrase)
            if (best and n <= best[1]) or tuple(tokens[i:i + n]) != phrase or i + n > end:
                continue
            rest = [t for t in tokens[i + n:end] if t not in (",", "?")]
            if len(rest) <= 2 and _address_len(rest, 0) == len(rest):
                rest = []  # "alright duck", "yes ma'am": only a term of address follows
            if phrase in en.ALONE and rest and not (i == 0 and tokens[i + n:i + n + 1] == [","]) \
                    and not social_at(tokens, i + n, end=end) and not opens(tokens, i + n):
                continue   # "right cheers", "morning, can I book": yes; "morning appointments": no
            if label == "greeting" and phrase[0] == "how" and rest:
                continue   # "how are you open on Sundays" is a question
            while i + n < end:    # "thanks man", "cheers love", "ta our kid", "yes ma'am"
                if label != "ack" and tokens[i + n] in en.VOCATIVES:
                    n += 1
                elif k := _address_len(tokens[:end], i + n):
                    n += k
                else:
                    break
            best = (label, n)
    return best


def _hedged(clause: list[str]) -> tuple[str, int] | None:
    """A formula after a hedge ("no I think that's everything", "I reckon that's it"): the formula's label,
    hedge and all."""
    i = 1 if clause[:1] and clause[0] in ("no", "nah", "nope", "yeah", "yes", "ok", "okay", "um") else 0
    if tuple(clause[i:i + 2]) in en.HEDGES:
        found = social_at(clause, i + 2)
        if found and found[0] in ("goodbye", "thanks", "ack"):
            return found[0], i + 2 + found[1]
    return None


def _address_len(tokens: list[str], i: int) -> int:
    """The length of a term of address at tokens[i] ("mate", "our kid"), else 0."""
    for n in (2, 1):
        if i + n <= len(tokens) and tuple(tokens[i:i + n]) in en.ADDRESS:
            return n
    return 0


def opens(tokens: list[str], i: int) -> bool:
    """A clause opener at i, perhaps after a conjunction ("right and do you ...")."""
    while i < len(tokens):
        if en.PREAMBLE.match(" ".join(tokens[i:i + 6]) + " "):
            return True
        if not (tokens[i] in en.CONJUNCTIONS | {","} or tokens[i] in en.LEAD_FILLERS
                and tokens[i] not in ("please", "question", "quick")):
            break
        i += 1
    return i < len(tokens) and opener(tokens, i)


def _strip(tokens: list[str]) -> list[str]:
    tokens = [t for t in tokens if not en.is_filler(t)]
    lead = 1 if tokens[:1] and tokens[0] in ("no", "nah", "yeah", "yes", "ok", "okay", "well") else 0
    if len(tokens) > 3 + lead and tuple(tokens[lead:lead + 2]) in en.HEDGES and tokens[lead + 2] not in (",", "?") \
            and not social_at(tokens, lead + 2):
        tokens = tokens[lead + 2:]   # "(no) I think I need a cut": what is thought is the clause
    while tokens and (tokens[0] in en.LEAD_FILLERS or tokens[0] == ","):
        if tokens[0] == "like" and len(tokens) > 1 and tokens[1] in ("to", "a", "an"):
            break
        if tokens[0] == "sorry" and len(tokens) > 1 and tokens[1] in ("about", "for"):
            # "sorry about the noise": an apology, not a question about noise; "sorry for asking, do you
            # ...": the apology goes, the question stays
            j = next((j for j in range(2, min(len(tokens), 6)) if opener(tokens, j)), None)
            if j is None:
                break
            tokens = tokens[j:]
            continue
        if tokens[0] == "just" and len(tokens) > 1 and tokens[1] not in en.AUX | en.WH:
            break
        tokens = tokens[1:]
    while tokens and tokens[-1] in (",", "please", "like", "so", "and", "but", "or", "then", "yeah", "ok"):
        if tokens[-1] in ("yeah", "ok") and (len(tokens) == 1 or tokens[-2] in ("you", "it's", "that's", "all")):
            break
        tokens = tokens[:-1]
    return tokens


def _shape(tokens: list[str]) -> str | None:
    """A whole clause that is a parting wish (goodbye) or a verdict on what was said (ack), by its shape."""
    if tokens[-1:] == ["?"]:
        return None
    words = [t for t in tokens if t not in (",", "?")]
    text = " ".join(words)
    if en.FAREWELL.match(text):
        return "goodbye"
    if en.VERDICT.match(text) and not any(w in en.WH for w in words) and not TIMEY.search(text):
        return "ack"
    return None


_HOLDS = [tuple(h.split()) for h in ("hang on", "hold on", "hang on a sec", "hang on a second", "hold on a sec",
                                     "hold on a second", "hang on a minute", "hold on a minute", "one sec",
                                     "one second", "just a sec", "just a second", "just a minute", "bear with me",
                                     "give me a sec", "give me a second", "two secs", "two seconds", "one moment")]
_HOLDS.sort(key=len, reverse=True)


def _hold_at(clause: list[str]) -> int:
    """The length of "hang on", "one sec", "bear with me" or of line trouble ("you cut out there") opening a
    clause, else 0. Line trouble counts only before a new clause or statement ("... i'm on the subway")."""
    for phrase in _HOLDS:
        if tuple(clause[:len(phrase)]) == phrase:
            return len(phrase)
    for k in range(min(len(clause) - 1, 10), 1, -1):
        if en.HOLD.match(" ".join(clause[:k])) and (clause[k] in STATEMENT_SUBJECTS | {"you", "it"}
                                                    or opens(clause, k)):
            return k
    return 0


def _small_talk(tokens: list[str]) -> bool:
    """"how's your day going", "hope you're keeping well", "merry Christmas", "are you a robot": asking how
    or who the other speaker is, or wishing them well (english.SMALL_TALK, SEASONAL, IDENTITY)."""
    text = " ".join(t for t in tokens if t not in (",", "?"))
    return bool(en.SMALL_TALK.match(text) or en.SEASONAL.match(text) or en.IDENTITY.match(text))


_NOT_A_RESPONSE = en.AUX | en.WH | en.PRONOUN_SUBJECTS | en.DO_SUBJECTS | en.CONJUNCTIONS | {
    "a", "an", "the", "some", "any", "what", "and", "or", "if", "for", "to", "with", "how", "is", "not"}


def _response_token(clause: list[str]) -> int:
    """The length of a response token opening a clause ("mint and do you take card", "sound ta", "no bother
    what about a shave"), else 0: one or two words with no verb, no question or subject word, directly
    followed by a social formula or by a new, complete clause. That slot answers what the agent just said
    (like "right", "lovely"); whatever the word, it asks nothing. A noun the next clause points back to is
    its topic, not a response ("the fade, how much is that")."""
    for n in (1, 2):
        words = clause[:n]
        if len(clause) <= n or has_verb(words) or any(
                not w.replace("'", "").isalpha() or not en.is_word(w) or w in _NOT_A_RESPONSE
                or w in en.COMMON_VERBS or w in en.FILLERS or TIMEY.fullmatch(w) for w in words):
            continue
        social = social_at(clause, n)
        if social and social[0] in ("thanks", "goodbye", "ack"):
            return n
        j = n
        while j < len(clause) and clause[j] in en.CONJUNCTIONS | {","}:
            j += 1
        if j < len(clause) and opener(clause, j) and _complete(clause[j:]):
            return n
    return 0


def _complete(rest: list[str]) -> bool:
    """A clause that says what it is about itself: content beyond the frame of a question ("how much"),
    not only a pronoun pointing back ("how much is that", "do you do them")."""
    words = [t for t in rest if t not in (",", "?")]
    return any(w not in en.FRAME for w in en.content_words(words))


def _no_bother(clause: list[str]) -> bool:
    """"no bother", "no dramas (at all)": "no" and one word with no verb, the whole clause, is the formula
    that waves away thanks or trouble ("no worries"). Not an answer that gives nothing ("no idea")."""
    words = [t for t in clause if t not in (",", "?")]
    if words[-2:] == ["at", "all"]:
        words = words[:-2]
    return (len(words) == 2 and words[0] == "no" and clause[-1] != "?" and words[1].isalpha()
            and words[1] not in en.STOPWORDS and words[1] not in en.COMMON_VERBS and not en.DONT_KNOW.match(" ".join(words))
            and not TIMEY.fullmatch(words[1]))


def _address_tail(tokens: list[str]) -> list[str]:
    """A question without the term of address that ends it ("how much is a skin fade our kid")."""
    for phrase in en.ADDRESS:
        n = len(phrase)
        if len(tokens) > n + 1 and tuple(tokens[-n:]) == phrase and tokens[-n - 1] not in en.NOT_BEFORE_ADDRESS:
            return _strip(tokens[:-n])
    return tokens


def peel(clause: list[str]) -> list[Part]:
    """Social formulas at a clause's start and end become parts of their own."""
    head: list[Part] = []
    tail: list[Part] = []
    clause = _strip(clause)
    while clause:
        if _small_talk(clause):
            head.append(Part("greeting", caller_text(clause)))
            clause = []
            break
        if _shape(clause) == "goodbye":     # "you have a good one": the wish, subject and all
            head.append(Part("goodbye", caller_text(clause)))
            clause = []
            break
        hold = _hold_at(clause)
        if hold and hold < len(clause):    # "hang on, my other phone's ringing": the rest on its own
            head.append(Part("not_caught", caller_text(clause[:hold])))
            clause = _strip(clause[hold:])
            continue
        found = social_at(clause, 0) or _hedged(clause)
        if not found:
            n = _response_token(clause)
            if not n:
                break
            found = ("ack", n)
        label, n = found
        head.append(Part(label, caller_text(clause[:n])))
        clause = _strip(clause[n:])
    while clause:
        for start in range(max(0, len(clause) - 6), len(clause)):
            found = social_at(clause, start)
            if found and found[0] in ("thanks", "goodbye") and start + found[1] == len(clause) and start > 0:
                tail.insert(0, Part(found[0], caller_text(clause[start:])))
                clause = _strip(clause[:start])
                break
        else:
            break
    clause = _address_tail(clause)
    if clause and _small_talk(clause):
        return head + [Part("greeting", caller_text(clause))] + tail
    if _no_bother(clause):
        return head + [Part("ack", caller_text(clause))] + tail
    if clause and (whole := _shape(clause)):
        return head + [Part(whole, caller_text(clause))] + tail
    body = [] if not clause else [Part(classify(clause), caller_text(clause))]
    return head + body + tail
