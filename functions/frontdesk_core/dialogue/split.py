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

import re
from dataclasses import dataclass

from . import english as en, lexicon
from .classify import TIMEY, classify
from .labels import SOCIAL

_MARKUP = re.compile(r"<(script|style)\b[^>]{0,200}>.{0,2000}?</\1\s*>|<[^>]{0,200}>|&[a-z]+;|\[[^\]]{0,80}\]|\((?:inaudible|noise|laugh\w*|crosstalk|music|"
                     r"silence|unintelligible|background[^)]*|coughs?|static)\)|[*_#`~|\\{}]", re.I)
MAX_CHARS = 2000   # longer turns are cut: nobody says 10 kB in one breath


@dataclass(frozen=True)
class Part:
    label: str
    text: str          # the caller's own words for this part (fillers at its ends removed)


class _Tok(str):
    """A lower-case token that remembers how the caller's text wrote it (and whether a hyphen joined it
    to the word before)."""
    orig: str
    joined: bool


def _tokens(text: str) -> list[str]:
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


def _chunks(tokens: list[str]) -> list[list[str]]:
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


def _has_verb(clause: list[str]) -> bool:
    return any(t in en.AUX or t in en.COMMON_VERBS or re.search(r"'(s|re|m|d|ve|ll)$|n't$", t)
               for t in clause)


_THINKING = {"think", "guess", "reckon", "suppose", "believe", "know", "say", "said", "mean", "hope", "if",
             "whether", "that"}


def _opener(tokens: list[str], i: int) -> bool:
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
_STATEMENT_SUBJECTS = {"she's", "he's", "you're", "they're", "we're", "i'm", "it's", "she", "he", "they", "we", "i"}


def _subordinate(tokens: list[str], i: int) -> bool:
    nxt = tokens[i + 1:i + 2]
    after = tokens[i + 2:i + 3]
    return (tokens[i] in ("when", "where", "whenever", "wherever") and bool(nxt) and nxt[0] in _STATEMENT_SUBJECTS
            and not (after and (after[0] in en.AUX or after[0] in en.WH)))


def _clauses(chunk: list[str]) -> list[list[str]]:
    """Cut a chunk (no sentence punctuation inside) before each new clause."""
    out, cur = [], []
    i = 0
    while i < len(chunk):
        t = chunk[i]
        if t == ",":
            # a comma cuts only when a new clause or a social formula follows
            if cur and i + 1 < len(chunk) and (_opener(chunk, i + 1) or _social_at(chunk, i + 1)):
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
            if j < len(chunk) and (_opener(chunk, j) or (chunk[j] in en.AUX and j + 1 < len(chunk))) \
                    and (_has_verb(cur) or len(cur) >= 3):
                out.append(cur)
                cur = []
                i = j
                continue
        relative = t in ("who", "which", "whose")   # mid-sentence these attach to the noun before them
        if cur and _opener(chunk, i) and _has_verb(cur) and len(cur) >= 2 and cur[-1] != "or" and not relative \
                and not _subordinate(chunk, i):
            out.append(cur)
            cur = []
        cur.append(t)
        i += 1
    if cur:
        out.append(cur)
    return out


def _social_at(tokens: list[str], i: int, *, end: int | None = None) -> tuple[str, int] | None:
    """The longest social formula starting at tokens[i] (label, length)."""
    end = len(tokens) if end is None else end
    best: tuple[str, int] | None = None
    for label in ("goodbye", "thanks", "greeting", "ack"):
        for phrase in en.SOCIAL[label]:
            n = len(phrase)
            if (best and n <= best[1]) or tuple(tokens[i:i + n]) != phrase or i + n > end:
                continue
            rest = [t for t in tokens[i + n:end] if t not in (",", "?")]
            if len(rest) <= 2 and _address_len(rest, 0) == len(rest):
                rest = []  # "alright duck", "yes ma'am": only a term of address follows
            if phrase in en.ALONE and rest and not (i == 0 and tokens[i + n:i + n + 1] == [","]) \
                    and not _social_at(tokens, i + n, end=end) and not _opens(tokens, i + n):
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
        found = _social_at(clause, i + 2)
        if found and found[0] in ("goodbye", "thanks", "ack"):
            return found[0], i + 2 + found[1]
    return None


def _address_len(tokens: list[str], i: int) -> int:
    """The length of a term of address at tokens[i] ("mate", "our kid"), else 0."""
    for n in (2, 1):
        if i + n <= len(tokens) and tuple(tokens[i:i + n]) in en.ADDRESS:
            return n
    return 0


def _opens(tokens: list[str], i: int) -> bool:
    """A clause opener at i, perhaps after a conjunction ("right and do you ...")."""
    while i < len(tokens):
        if en.PREAMBLE.match(" ".join(tokens[i:i + 6]) + " "):
            return True
        if not (tokens[i] in en.CONJUNCTIONS | {","} or tokens[i] in en.LEAD_FILLERS
                and tokens[i] not in ("please", "question", "quick")):
            break
        i += 1
    return i < len(tokens) and _opener(tokens, i)


def _strip(tokens: list[str]) -> list[str]:
    tokens = [t for t in tokens if not en.is_filler(t)]
    lead = 1 if tokens[:1] and tokens[0] in ("no", "nah", "yeah", "yes", "ok", "okay", "well") else 0
    if len(tokens) > 3 + lead and tuple(tokens[lead:lead + 2]) in en.HEDGES and tokens[lead + 2] not in (",", "?") \
            and not _social_at(tokens, lead + 2):
        tokens = tokens[lead + 2:]   # "(no) I think I need a cut": what is thought is the clause
    while tokens and (tokens[0] in en.LEAD_FILLERS or tokens[0] == ","):
        if tokens[0] == "like" and len(tokens) > 1 and tokens[1] in ("to", "a", "an"):
            break
        if tokens[0] == "sorry" and len(tokens) > 1 and tokens[1] in ("about", "for"):
            # "sorry about the noise": an apology, not a question about noise; "sorry for asking, do you
            # ...": the apology goes, the question stays
            j = next((j for j in range(2, min(len(tokens), 6)) if _opener(tokens, j)), None)
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
        if en.HOLD.match(" ".join(clause[:k])) and (clause[k] in _STATEMENT_SUBJECTS | {"you", "it"}
                                                    or _opens(clause, k)):
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
        if len(clause) <= n or _has_verb(words) or any(
                not w.replace("'", "").isalpha() or not en.is_word(w) or w in _NOT_A_RESPONSE
                or w in en.COMMON_VERBS or w in en.FILLERS or TIMEY.fullmatch(w) for w in words):
            continue
        social = _social_at(clause, n)
        if social and social[0] in ("thanks", "goodbye", "ack"):
            return n
        j = n
        while j < len(clause) and clause[j] in en.CONJUNCTIONS | {","}:
            j += 1
        if j < len(clause) and _opener(clause, j) and _complete(clause[j:]):
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


def _peel(clause: list[str]) -> list[Part]:
    """Social formulas at a clause's start and end become parts of their own."""
    head: list[Part] = []
    tail: list[Part] = []
    clause = _strip(clause)
    while clause:
        if _small_talk(clause):
            head.append(Part("greeting", _text(clause)))
            clause = []
            break
        if _shape(clause) == "goodbye":     # "you have a good one": the wish, subject and all
            head.append(Part("goodbye", _text(clause)))
            clause = []
            break
        hold = _hold_at(clause)
        if hold and hold < len(clause):    # "hang on, my other phone's ringing": the rest on its own
            head.append(Part("not_caught", _text(clause[:hold])))
            clause = _strip(clause[hold:])
            continue
        found = _social_at(clause, 0) or _hedged(clause)
        if not found:
            n = _response_token(clause)
            if not n:
                break
            found = ("ack", n)
        label, n = found
        head.append(Part(label, _text(clause[:n])))
        clause = _strip(clause[n:])
    while clause:
        for start in range(max(0, len(clause) - 6), len(clause)):
            found = _social_at(clause, start)
            if found and found[0] in ("thanks", "goodbye") and start + found[1] == len(clause) and start > 0:
                tail.insert(0, Part(found[0], _text(clause[start:])))
                clause = _strip(clause[:start])
                break
        else:
            break
    clause = _address_tail(clause)
    if clause and _small_talk(clause):
        return head + [Part("greeting", _text(clause))] + tail
    if _no_bother(clause):
        return head + [Part("ack", _text(clause))] + tail
    if clause and (whole := _shape(clause)):
        return head + [Part(whole, _text(clause))] + tail
    body = [] if not clause else [Part(classify(clause), _text(clause))]
    return head + body + tail


def _text(tokens: list[str]) -> str:
    text = ""
    for t in tokens:
        if t != "?":
            text += ("-" if getattr(t, "joined", False) and text else " ") + getattr(t, "orig", t)
    text = text.replace(" ,", ",").strip(" ,")
    if text and tokens and tokens[-1] == "?":
        text += "?"
    return text[:1].upper() + text[1:]


def _unannounced(tokens: list[str]) -> list[str]:
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
                if j < len(tokens) and tokens[j] not in ".?!;" and (_opener(tokens, j) or tokens[j] in en.AUX):
                    i = j
                    break
        else:
            out.append(tokens[i])
            i += 1
    return out


def understand(utterance: str) -> list[Part]:
    """The parts of one caller turn, in order. Empty or noise-only input gives one NOT_CAUGHT part."""
    text = _MARKUP.sub(" ", (utterance or "")[:MAX_CHARS].replace("\n", " "))
    parts: list[Part] = []
    for chunk in _chunks(_unannounced(_tokens(text))):
        for clause in _clauses(chunk):
            parts.extend(p for p in _peel(clause) if p.text)
    merged: list[Part] = []
    for p in parts:   # "ok ok", "thanks thank you": one part
        if merged and merged[-1].label == p.label and p.label in SOCIAL:
            merged[-1] = Part(p.label, f"{merged[-1].text} {p.text[:1].lower()}{p.text[1:]}")
        else:
            merged.append(p)
    return merged or [Part("not_caught", "")]
