"""What the receptionist does with a caller's turn, and what it says.

`plan` reads the turn (and the call so far, for a booking being taken and for "anything else?")
and says what to look up and what to raise; `compose` turns the results into one reply. Answers are
only ever the knowledge decision's words; the lines here are the receptionist's own.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Sequence

from ..contract import ESCALATION_MESSAGE
from . import booking as bk
from . import english as en
from .english import AUX, COMMON_VERBS, FRAME, IDENTITY, SMALL_TALK, WH, content_words, lower_words
from .labels import ACK, BOOKING, GOODBYE, GREETING, NOT_CAUGHT, PERSON, QUESTION, THANKS
from .split import Part, understand
from .taking import Line, asked_again, continue_booking, details_of_turn, next_ask, prompt_in

ANYTHING_ELSE = "Is there anything else I can help with?"
NOT_CAUGHT_REPLY = "Sorry, could you say that again?"
GREETING_REPLY = "Hello! How can I help you today?"
SMALL_TALK_REPLY = "I'm doing well, thanks for asking! How can I help you today?"
IDENTITY_REPLY = ("I'm the salon's virtual receptionist: I can answer questions, pass on a booking request, "
                  "or ask someone from the salon to call you back. How can I help?")
WELCOME = "You're welcome!"
GOODBYE_REPLY = "Thanks for calling. Goodbye!"
GO_AHEAD = "Sure, what can I help you with?"
CALLBACK_REPLY = "Of course. I'll ask someone from the salon to call you back at this number."
_NEGATIVE = {"no", "nope", "nah", "not really"}


@dataclass
class Plan:
    parts: list[Part]
    questions: list[str] = field(default_factory=list)   # each looked up; escalated when unknown
    callback: str | None = None                          # the caller's words asking for a person
    booking: bk.Booking | None = None                    # ready to raise
    ask: str | None = None                               # a booking detail to ask for instead
    greet: bool = False
    small_talk: bool = False                             # the greeting asked how the agent is
    identity: bool = False                               # the caller asked who or what the agent is
    thank: bool = False
    close: bool = False
    go_ahead: bool = False
    anything_else: bool = False                          # an acknowledgement: offer more help
    not_caught: bool = False
    repeat: bool = False                                 # "what was that?": the agent's last words again
    again: bool = False                                  # `questions` are the last turn's, asked again
    resolved: dict[str, str] = field(default_factory=dict)   # the caller's words -> the question in `questions`


_POINTERS = {"that", "it", "this"}
_GERUND = {bk.BOOK: "booking", bk.RESCHEDULE: "rescheduling", bk.CANCEL: "cancelling"}


def _points_back(question: str) -> bool:
    """A question about something said before it: a pronoun ("that", "it", "this") not followed by its
    noun, and at most one word of its own besides the frame of a question ("how much is that", "how long
    does it take", "is there a fee for that")."""
    words = lower_words(question)
    pointer = [i for i, w in enumerate(words) if w in _POINTERS
               and (i + 1 == len(words) or words[i + 1] in AUX or words[i + 1] in COMMON_VERBS
                    or words[i + 1] in ("take", "takes", "cost", "costs", "last", "lasts", "include", "includes",
                                        "included", "extra", "with", "without", "including", "plus", "for"))]
    own = [w for w in content_words(words) if w not in FRAME]
    return bool(pointer) and len(own) <= 1


_CHARGES = {"fee", "fees", "charge", "charges", "penalty", "cost", "costs", "deposit", "notice", "refund"}


def _elliptical(question: str) -> str | None:
    """A question that leaves out what it is about: only its frame ("how much", "how long") — "bare" — or
    a charge and nothing it is charged for ("is there a fee") — "charge"."""
    words = lower_words(question)
    if not words or not (words[0] in WH or words[0] in AUX) or any(w in _POINTERS for w in words) \
            or re.search(r"\b(?:for|of|on|with|about|if|when|to)\b", question.lower()):
        return None
    own = [w for w in content_words(words) if w not in FRAME]
    if not own:
        return "bare"
    return "charge" if len(own) == 1 and own[0] in _CHARGES else None


def _last_topic(history: Sequence[Line]) -> str | None:
    """What the caller last spoke of: the content of their last question that had its own, or the act of
    their last booking, cancellation or reschedule ("cancelling"), whichever came later."""
    for i in range(len(history) - 1, -1, -1):
        role, text = history[i]
        if role != "caller" or i and history[i - 1][0] == "agent" and prompt_in(history[i - 1][1]):
            continue     # an answer to "which day?" or "what name?" is a detail, not a topic
        for part in reversed(understand(text)):
            if part.label == BOOKING:
                return _GERUND[bk.action_of(part.text)]
            if part.label == QUESTION and not _points_back(part.text) and not fragment(part.text):
                words = [w for w in content_words(lower_words(part.text)) if w not in FRAME]
                if words:
                    return " ".join(words)
    return None


def _asks_after(greeting: str) -> bool:
    """A greeting that asks how the agent is ("how are you", "how's your day going", "you alright")."""
    text = greeting.lower().replace("’", "'")
    return bool(SMALL_TALK.match(text) or re.search(r"\bhow\b|^(?:are )?(?:you|ya|u) (?:ok|okay|alright|all right|"
                                                     r"doing|good|well)\b", text))


def plan(utterance: str, history: Sequence[Line] = ()) -> Plan:
    parts = understand(utterance)
    p = Plan(parts)
    last_agent = next((text for role, text in reversed(history) if role == "agent"), "")
    taken = continue_booking(parts, utterance, history, last_agent)
    if taken is not None:
        p.ask, p.booking, p.thank = taken
        return p
    _read_parts(p, utterance, history)
    _resolve_pointers(p, history)
    _social_reply(p, history, last_agent)
    return p


def _read_parts(p: Plan, utterance: str, history: Sequence[Line]) -> None:
    """Each part's place in the plan: a question to look up, a call back, a booking, a social formula."""
    for part in p.parts:
        if part.label == QUESTION and part.text not in p.questions:
            p.questions.append(part.text)
        elif part.label == PERSON:
            p.callback = p.callback or part.text
        elif part.label == BOOKING and p.booking is None and p.ask is None:
            details = details_of_turn(utterance, history)
            p.ask = next_ask(details, [])
            p.booking = details if p.ask is None else None
        elif part.label == GREETING:
            p.greet = True
            words = re.sub(r"[^\w' ]", "", part.text.lower()).split()   # "hi, are you a robot" is one part
            p.identity = p.identity or any(IDENTITY.match(" ".join(words[i:])) for i in range(len(words)))
            p.small_talk = p.small_talk or (_asks_after(part.text) and not p.identity)
        elif part.label == THANKS:
            p.thank = True
        elif part.label == GOODBYE:
            p.close = True


def _resolve_pointers(p: Plan, history: Sequence[Line]) -> None:
    """A question pointing back to the call's last topic is asked, and raised, with it: "is there a fee for
    that" after a cancellation is "is there a fee for cancelling"; the supervisor reads what was asked."""
    topic = None
    for i, question in enumerate(p.questions):
        if _points_back(question):
            topic = topic if topic is not None else _last_topic(history)
            if topic:
                p.questions[i] = re.sub(r"\b(?:that|it|this)\b(?!.*\b(?:that|it|this)\b)", topic, question,
                                        count=1, flags=re.I)
                p.resolved[question] = p.questions[i]
        elif (kind := _elliptical(question)):
            topic = topic if topic is not None else _last_topic(history)
            # "is there a fee" after a cancellation: for cancelling; "how much" after a question: for its topic
            if topic and (kind == "bare" or topic in _GERUND.values()):
                p.questions[i] = f"{question.rstrip('?')} for {topic}" + ("?" if question.endswith("?") else "")
                p.resolved[question] = p.questions[i]


def _social_reply(p: Plan, history: Sequence[Line], last_agent: str) -> None:
    """"No" to "anything else?" closes; a turn not caught is asked again (or the last answers said again
    when the caller asks "what was that?"); an acknowledgement offers more help."""
    labels = [x.label for x in p.parts]
    negative = any(x.label == ACK and x.text.lower() in _NEGATIVE for x in p.parts)
    if negative and last_agent.endswith(ANYTHING_ELSE) and not (p.questions or p.callback or p.ask or p.booking):
        p.close = True      # "no" to "anything else?"
    if labels and all(label == NOT_CAUGHT for label in labels):
        p.not_caught = True
        p.repeat = asked_again(p.parts)
        if p.repeat:
            # answers are said again from the knowledge base, not from memory: the last turn's questions are
            # looked up again (and never escalated again: they were, if they had to be)
            last = max((i for i, (role, _) in enumerate(history) if role == "caller"), default=None)
            if last is not None:
                p.questions = [q for q in plan(history[last][1], history[:last]).questions]
                p.again = bool(p.questions)
    elif ACK in labels and not (p.questions or p.callback or p.booking or p.ask or p.close or p.greet or p.thank):
        if last_agent.endswith(ANYTHING_ELSE) and not negative:
            p.go_ahead = True
        else:
            p.anything_else = not last_agent.endswith(ANYTHING_ELSE)
            p.not_caught = not p.anything_else   # "ok" to "anything else?": ask again, plainly


@dataclass
class Results:
    answers: list[str] = field(default_factory=list)   # the knowledge decision's words, in order
    escalated: bool = False                              # at least one part went to a supervisor
    callback: str | None = None                          # what the callback tool said
    booking: str | None = None                           # what the booking tool said
    invalid: bool = False                                # a part the tools refused (too long, empty)


def compose(p: Plan, r: Results, history: Sequence[Line] = ()) -> str:
    """One reply for the whole turn."""
    lines: list[str] = []
    helped = bool(r.answers or r.escalated or r.callback or r.booking)
    if p.greet and not p.close:
        if p.identity:
            lines.append(IDENTITY_REPLY if not (helped or p.ask) else "I'm the salon's virtual receptionist.")
        elif p.small_talk:
            lines.append(SMALL_TALK_REPLY if not (helped or p.ask) else "I'm well, thanks!")
        else:
            lines.append(GREETING_REPLY if not (helped or p.ask) else "Hello!")
    lines.extend(r.answers)
    if r.escalated:
        lines.append(ESCALATION_MESSAGE)
    if r.callback:
        lines.append(r.callback)
    if r.booking:
        lines.append(r.booking)
    if p.ask:
        lines.append(p.ask)
    if r.invalid and not helped:
        lines.append(NOT_CAUGHT_REPLY)
    if p.thank and not helped:
        lines.append(WELCOME)
    if p.close:
        lines.append(GOODBYE_REPLY)
    elif p.go_ahead:
        lines.append(GO_AHEAD)
    elif p.not_caught and not lines:
        last_agent = next((text for role, text in reversed(history) if role == "agent"), "")
        lines.append(f"Sorry! {last_agent}" if p.repeat and last_agent else NOT_CAUGHT_REPLY)
    elif (helped or p.anything_else or (p.thank and not p.ask)) and not p.ask:
        last_agent = next((text for role, text in reversed(history) if role == "agent"), "")
        if helped or not last_agent.endswith(ANYTHING_ELSE):
            lines.append(ANYTHING_ELSE)
    if not lines:
        # the caller's first words, a bare fragment the base does not know ("howzit", "heya"): a greeting
        opening = not any(role == "caller" for role, _ in history) and p.questions \
            and all(fragment(q) for q in p.questions)
        lines.append(GREETING_REPLY if p.greet or opening else NOT_CAUGHT_REPLY)
    return " ".join(lines)


_FRAME = FRAME


def covered(question: str, answers: Sequence[str]) -> bool:
    """Whether an answer already given in this turn speaks of everything `question` names ("do you do
    BIAB and how much is an infill": the BIAB answer gives the infill's price). Then it is not escalated."""
    words = [w.rstrip("s") for w in content_words(lower_words(question)) if w not in _FRAME]
    said = {w.rstrip("s") for a in answers for w in lower_words(a)}
    return bool(words) and all(w in said for w in words)


_DIALECT = re.compile(r"\b(?:" + "|".join(en.DIALECT) + r")\b", re.I)
_DIALECT_THE = re.compile(r"\bthe (" + "|".join(en.DIALECT_THE) + r")\s*([?.!]?)$", re.I)


def lookup_text(question: str) -> str:
    """A question as the knowledge decision is asked it: dialect forms of "you" made plain ("y'all",
    "you guys", "ya"); the request a supervisor sees keeps the caller's own words."""
    text = re.sub(r"\b(?:you guys|y'all|you all|you lot|youse|yous|ye|ya|u)\b", "you", question, flags=re.I)
    # dialect spellings of function words ("tae" -> "to", "dae" -> "do", "the day" closing it -> "today")
    text = _DIALECT.sub(lambda m: en.DIALECT[m.group(0).lower()], text)
    text = _DIALECT_THE.sub(lambda m: en.DIALECT_THE[m.group(1).lower()] + m.group(2), text)
    text = re.sub(r"\bd'you\b", "do you", text, flags=re.I)
    # "what's the parking situation": a vague frame noun around what is asked about
    text = re.sub(r"\b(?:what's|what is|whats|how's|how is|hows) the ((?:\w+ ){0,2}\w+) "
                  r"(?:situation|deal|story|set ?up|arrangements?)(?: like)?\b", r"what about \1", text, flags=re.I)
    # discourse tails that add nothing to what is asked ("... at the same time", "... as well")
    text = re.sub(r"\s*\b(?:at the same time|as well|while i'm there|while i am there|too|also|or whatever|"
                  r"or anything(?: like that)?|or something(?: like that)?|and that|and stuff|and all that|or what)"
                  r"\s*([?.!]?)$",
                  r"\1", text, flags=re.I)
    # "like" as a filler before what is asked about ("is there like a fee", "do you have like a discount")
    text = re.sub(r"\b(there|is|are|it's|have|got|do|take|for|about|cost|costs|just|need) like "
                  r"(?!(?:to|it|that|this|them|me|you|her|him|us)\b)(?=\$?\w)", r"\1 ", text, flags=re.I)
    # "whereabouts" (as speech-to-text may split it: "where abouts") asks where
    text = re.sub(r"\bwhere ?abouts\b", "where", text, flags=re.I)
    return re.sub(r"\b(where|how|what|when) you (located|at|open|based)\b", r"\1 are you \2", text, flags=re.I)


_YOU = {"you", "your", "yours", "ya", "y'all", "u", "yous", "youse", "ye", "yourself", "yourselves"}
_ASKING = AUX | WH | {"any", "anything", "anyone", "anybody", "price", "prices", "cost", "costs"}


def fragment(question: str) -> bool:
    """A "question" without the shape of one: up to four words, no question mark, no question word or
    auxiliary opening it, nothing said to "you", and no verb but "is" ("mint", "sound", "aye nae bother",
    "howzit my bru", "aye that's magic", "ear piercing"). Looked up, and answered when the knowledge base
    knows it; never escalated: what the base does not know in such words is a reply to the agent in words
    the rules do not know, or a topic too bare to hand a supervisor, and the caller is asked again."""
    words = lower_words(question)
    if not 1 <= len(words) <= 4 or question.rstrip().endswith("?") or words[0] in _ASKING:
        return False
    if any(w in _YOU or w in COMMON_VERBS or w in AUX or w in WH for w in words):
        return False
    return not any(re.search(r"'(?:re|m|d|ve|ll)$|n't$", w) for w in words) and \
        (len(words) > 2 or not any(w.endswith("'s") for w in words))


def unknowns(looked_up: Sequence[tuple[str, str | None]]) -> list[str]:
    """The questions of a turn to escalate, from (question, answer or None) per lookup: those the
    knowledge base did not answer, no answer of the same turn covers, and that are more than a bare
    fragment (`fragment`)."""
    answers = [a for _, a in looked_up if a]
    return [q for q, a in looked_up if a is None and not covered(q, answers) and not fragment(q)]
