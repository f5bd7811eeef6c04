"""What one clause is: a request for a person, a booking, a question for the knowledge base, or
something not caught. (Social formulas were peeled off before; see split.py.)"""
from __future__ import annotations

import re

from . import english as en
from .booking import held_service
from .labels import BOOKING, NOT_CAUGHT, PERSON, QUESTION

_PERSON = re.compile(
    r"\b(?:speak|talk|chat|have a word)(?:ing)? (?:to|with) (?:a |an |the |some |your |one of )?(?:real |actual |live )?(?:\w+ )?"
    r"(?:someone|somebody|anyone|anybody|person|human|people|manager|owner|staff|receptionist|member of staff|"
    r"boss|stylist|operator|representative|rep|agent|guy|lady|girl)\b"
    r"|\b(?:speak|talk|have a word|have a chat) (?:to|with) (?!you\b|u\b|ya\b|y'all\b|them about\b)[a-z]+"
    r"|\b(?:get|put) (?:the |a |your )?(?:\w+ )?(?:manager|owner|person|someone|somebody|stylist|boss) on\b"
    r"|\b(?:manager|owner|boss|someone|somebody|anyone) (?:around|about|available|in) (?:to|for|today|now)\b"
    r"|\b(?:real|actual|live) (?:person|human|people)\b"
    r"|\b(?:call|ring|phone) (?:me|us|her|him) back\b|\bgive (?:me|us) a (?:call|ring|phone|bell|buzz)\b"
    r"|\b(?:have|get|ask) (?:someone|somebody|a person|the manager|the owner|a manager|one of you|them|her|him)"
    r" (?:to )?(?:call|ring|phone|get back to|contact|give (?:me|us) a (?:call|ring|phone|bell|buzz))\b"
    r"|\b(?:put|transfer|connect|pass) me (?:through|to|over)\b|\btransfer me\b"
    r"|\b(?:is there|is anyone|is somebody|is someone) (?:there |available |around )?(?:i can|who can|to) "
    r"(?:talk|speak)\b|\bis there (?:a |an |the |any )?(?:\w+ ){0,2}?(?:i can|i could|who i can|to) (?:talk|speak|chat)"
    r"(?: to| with)?$|\b(?:get|fetch|grab) (?:me )?(?:the|a|your) (?:\w+ )?(?:manager|owner|boss|person|human)"
    r"(?: for a (?:sec|second|minute|moment|bit))?$|"
    # a message for someone, a complaint: a person has to deal with it
    r"\b(?:leave|pass|give|take|pass on) (?:a |them a |her a |him a )?message\b|\btell \w+ (?:that )?i (?:called|rang|phoned)\b"
    r"|\bcomplain(?:t|ts|ing)?\b(?! (?:policy|procedure|process|form))|\b(?:get|give) me (?:a |the )?(?:human|person|manager|operator)\b"
    r"|\b(?:a |some )?(?:real |actual )?(?:person|human|someone|somebody|anyone) (?:i can|i could|to) (?:speak|talk)\b"
    r"|\b(?:can|could|may) i (?:have|get) (?:a )?call ?back\b|\brequest a call ?back\b|\bcallback\b"
    r"|\bi (?:want|need|would like|'d like) (?:a |to speak to a |to talk to a )?(?:human|person|manager)\b")

# Whether someone is there, asked of a person ("is the gaffer in", "is Jess around today", "is she about"):
# the caller wants to talk to them. Not of a thing or of the salon ("is it in", "are you in on Sunday").
_THERE = re.compile(
    r"^(?:is|are|will|would) (?:the |your |ur |there (?=(?:anyone|anybody|someone|somebody)\b))?(?!(?:it|that|this|there|you|ya|u|y'all|we|i|these|those|they|"
    r"any|anything|something)\b)[a-z']+(?: [a-z']+)?(?: be)? (?:in|around|about|there|in work|at work|free to talk|"
    r"available to talk)(?: today| now| at the moment| right now| this (?:morning|afternoon|evening)| tomorrow)?"
    r"(?: (?:the|she|he|who|that) [a-z' ]+)?$"   # who they are: "... the lad with the beard", "... she did my nails"
    # described by what they do: "is the lady who does nails in today"
    r"|^(?:is|are) (?:the |your )[a-z']+(?: [a-z']+)? (?:who|that) (?:[a-z']+ ){1,7}?(?:in|around|about|there|working)"
    r"(?: today| now| at the moment| tomorrow)?$"
    # a person by name working: "is kim working today", "will sam be on tomorrow"
    r"|^(?:is|will) (?!(?:it|that|this|there|you|ya|u|y'all|we|i|the|a|an|your|my)\b)[a-z']+(?: [a-z']+)?(?: be)? "
    r"(?:working|on|in work|at work)(?: today| tomorrow| this (?:morning|afternoon|evening|week|weekend)"
    r"| on (?:monday|tuesday|wednesday|thursday|friday|saturday|sunday))?(?: (?:the|she|he|who|that) [a-z' ]+)?$")
# Asking about the caller's own appointment, neither a new one nor a change: confirming it, its time.
# The salon's calendar knows; someone calls back. (Saying one is running late asks nothing.)
_OWN_BOOKING = re.compile(
    r"\bconfirm(?:ing)? (?:my|our|her|his|the) (?:\w+ )?(?:appointment|booking|appt|slot|time)\b"
    r"|\b(?:what time|when) (?:is|'s) (?:my|our|her|his) (?:\w+ )?(?:appointment|booking|appt|slot)\b"
    r"|\bwhat time (?:my|our|her|his) (?:\w+ )?(?:appointment|booking|appt|slot) is\b"
    r"|\b(?:check|checking) (?:on |what time )?(?:my|our|her|his) (?:\w+ )?(?:appointment|booking|appt|slot)\b"
    r"|\b(?:is|are) (?:my|our|her|his) (?:\w+ )?(?:appointment|booking|appt|slot)s? (?:still )?(?:on|booked|confirmed|"
    r"going ahead|happening|ok)\b")
# Saying one already has an appointment ("I've got an appointment at 2 and ..."): not asking for one.
_HAS_BOOKING = re.compile(r"^(?:i|we)(?:'ve| have)?(?: already)? (?:got|have) (?:an?|my|the|our) (?:\w+ )?"
                          r"(?:appointment|booking|appt|slot)\b")
_CANCEL = re.compile(r"\bcancel(?:l?ing)?\b(?! ?(?:policy|fee|charge))")
_RESCHEDULE = re.compile(
    r"\b(?:re-?schedule|re-?book|re-?arrange|prepone|preponed|preponing)\b|\b(?:move|change|switch|shift|push back|bring forward|push|bump)\b"
    r"(?: \w+){0,3} (?:appointment|booking|appt|slot|time)\b"
    r"|\b(?:move|change|swap|switch|shift|push|bring) (?:my|our|the|her|his) (?:\w+ ){0,2}(?:to|back|forward|till|until)\b"
    # whatever is moved, moved to another day or time ("move my skin fade from tuesday to wednesday")
    r"|\b" + en.MOVE_VERBS + r" (?:my|our|the|her|his|it|that|this)\b(?: [\w']+){0,6}? "
    r"(?:to|till|until) (?:the |a |next |this |on )?(?:monday|tuesday|wednesday|thursday|friday|saturday|sunday|"
    r"today|tomorrow|tonight|morning|afternoon|evening|weekend|week|later|earlier|\d)")
_BOOK = re.compile(
    r"\b(?:book|schedule|make|set up|arrange|get|grab|have|reserve)\b(?: \w+){0,3} "
    r"(?:appointment|booking|appt|slot|session|spot)\b"
    r"|\b(?:book|schedule|pencil) (?:me|myself|us|her|him|them|my|a|an|in|for|it|one|something|that|with|two|three)\b"
    r"|\bbook(?:ing)? (?:a|an) \w+"
    r"|\b(?:fit|squeeze|get|pop|slot) (?:me|us|her|him|them|my \w+) in\b"
    r"|\b(?:(?:any|have|got) (?:\w+ ){0,3}(?:availability|openings?|slots?|space|spaces|appointments?)|"
    r"(?:have|got) anything|(?:come|pop|get) in|(?:can|could) (?:i|we) (?:get|have|grab) (?:a|an|my|some)|"
    r"any chance (?:of|i could|i can|we could|to|you could|you can)|is it possible to (?:get|have|come|grab|squeeze)|"
    r"(?:get|have) (?:\w+ ){1,3}booked)\b"
    r"(?= .*\b(?:today|tonight|tomorrow|monday|tuesday|wednesday|thursday|friday|saturday|sunday|"
    r"weekend|week|morning|afternoon|evening|\d))")
# First-person intent: "I'd like a cut", "I want to get my hair done", "looking to book".
_INTENT = re.compile(
    r"^(?:i'd|i would|i|we'd|we|my \w+(?: would)?|i'm|i am|we're)(?: really| just| also)? "
    r"(?:like|love|want|wanna|need|needs|wants|looking|hoping|gonna|going(?= to)|fixing(?= to)|after)\b(?: to)?(?! know| ask| check| find"
    r"| see if| understand| learn| confirm| speak| talk| (?:a |the |some )?(?:price|prices|quote|info|information|"
    r"details|idea)\b)")
# What makes a booking clause a question about booking instead ("how do I book", "can I book online").
_BOOKING_INFO = re.compile(
    r"\b(?:online|website|web site|app|over the phone|by phone|in advance|ahead|walk-?ins?|walk in|need to book|"
    r"have to book|required|policy|fee|fees|deposit|notice|how far|take bookings|accept bookings|"
    r"take appointments|do you book|how do|how can|how would|is it possible to book|how long|how late|"
    r"how early|what happens|penalty|charge (?:for|if)|refund)\b")
_TIMEY = re.compile(r"\b(?:today|tonight|tomorrow|monday|tuesday|wednesday|thursday|friday|saturday|sunday|"
                    r"weekend|next week|this week|morning|afternoon|evening|\d{1,2}(?::\d\d)?(?:am|pm)?|"
                    r"noon|o'clock|half past)\b")
TIMEY = _TIMEY
_KNOWLEDGE_VERBS = re.compile(r"\b(?:know|ask|check|find out|tell me|see if|understand|wondering|wonder)\b")
# A statement about a thing: a noun subject and its verb ("the bus is after pulling in", "network is very
# poor", "the car's in the shop"). With no question word it tells the agent something; it asks nothing.
_NOUN_STATEMENT = re.compile(r"^(?:the |a |an |this |that |his |her |their )?(?:[a-z]+ ){0,2}?[a-z]+(?:'s| is| was| are| were"
                             r"| has| had| will| isn't| wasn't| won't)\b(?! (?:there|it|that|this|he|she|they|you)\b)")
_DECLARATIVE = re.compile(r"^(?:i|i'm|i've|i was|we|we're|my|our|she|he|it|it's|they|they're|this is|you're|"
                          r"that's|there's|there was|yesterday|last|bet|(?:you|ya|u) (?:sound|seem|look|must be))\b"
                          r"|^sorry (?:about|for)\b")


def classify(tokens: list[str]) -> str:
    """One clause's label; `tokens` are lower-case words (fillers at the ends already removed)."""
    words = [t for t in tokens if t not in (",", "?")]
    content = en.content_words(words)
    text = " ".join(words)
    asked = tokens[-1:] == ["?"]
    m = en.PREAMBLE.match(text + " ")
    if m:
        asked, text = True, text[m.end():].strip()
        words = text.split()
        if not words:
            return NOT_CAUGHT   # "just wondering": the question is still to come
    if en.HOLD.match(text) or en.DONT_KNOW.match(text) or en.REPEAT.match(text):
        return NOT_CAUGHT  # "hang on a sec", "you're breaking up"
    if words and words[0] in en.WH and len(words) >= 2 and not content:
        return QUESTION    # "where y'all at", "when are you"
    if _THERE.match(text):
        return PERSON
    if not words or (not content and not _TIMEY.search(text)):
        return NOT_CAUGHT
    if _PERSON.search(text) or _OWN_BOOKING.search(text) and not _BOOKING_INFO.search(text):
        return PERSON
    first = words[0]
    wh = first in en.WH
    if (_CANCEL.search(text) or _RESCHEDULE.search(text) or en.MISS.search(text)
            or en.INSTEAD.search(text) and _TIMEY.search(text)) and not _BOOKING_INFO.search(text) and not wh:
        return BOOKING
    if _BOOK.search(text) and not _BOOKING_INFO.search(text) and not _HAS_BOOKING.match(text) \
            and not held_service(text) \
            and (not wh or re.search(r"\b(?:fit|squeeze|book) me\b", text)):
        return BOOKING
    intent = _INTENT.match(text)
    if intent and not _KNOWLEDGE_VERBS.search(text):
        # "I'd like a haircut tomorrow", "I need to come in on Friday": wanting the service itself
        return BOOKING if (_TIMEY.search(text) or re.search(r"\b(?:come in|get in|appointment|book)\b", text)
                           or re.search(r"\b(?:a|an|my|some)\b", text[intent.end():])) else QUESTION
    if wh or asked or first in en.AUX or first in ("any", "anything", "anyone", "price", "prices", "cost"):
        return QUESTION
    if (_DECLARATIVE.match(text) or _NOUN_STATEMENT.match(text) and not any(w in en.WH for w in words)) \
            and not intent:
        return NOT_CAUGHT   # a statement about the caller's day: context, not something to look up
    return QUESTION if content else NOT_CAUGHT
