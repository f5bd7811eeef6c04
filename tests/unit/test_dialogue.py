"""frontdesk_core.dialogue: splitting a turn, classifying its parts, booking details (pure, no model),
and the labelled caller turns held to their bar (the reply plan: test_dialogue_reply.py)."""
from __future__ import annotations

import pytest

from bench.turnset import load, score
from frontdesk_core.dialogue import (ACK, BOOKING, GOODBYE, GREETING, NOT_CAUGHT, PERSON, QUESTION, THANKS,
                                     booking_details, understand)


def labels(text: str) -> list[str]:
    return [p.label for p in understand(text)]


@pytest.mark.parametrize("text, expected", [
    ("Hi there!", [GREETING]),
    ("How much is a mens cut and are you open on Sunday?", [QUESTION, QUESTION]),
    ("Can I book a haircut for tomorrow at 3?", [BOOKING]),
    ("Can I talk to a real person?", [PERSON]),
    ("ok thanks, bye", [ACK, THANKS, GOODBYE]),
    # run-ons as speech-to-text writes them, fillers, UK English
    ("hi there how much is a mens cut are you open sunday thanks", [GREETING, QUESTION, QUESTION, THANKS]),
    ("um so like do you guys do balayage and how much is it", [QUESTION, QUESTION]),
    ("how much is a sixty minute massage and is gratuity included", [QUESTION, QUESTION]),
    ("cheers mate, ta-ta", [THANKS, GOODBYE]),
    ("could you get someone to ring me back", [PERSON]),
    # one clause, not two
    ("how long does it take to do my hair", [QUESTION]),
    ("do you know what time you open", [QUESTION]),
    ("how far in advance do i need to book", [QUESTION]),
    ("is it walk in or do i need to book", [QUESTION]),
    # booking questions the knowledge base may answer are questions, not bookings
    ("how do i book", [QUESTION]),
    ("what's your cancellation policy", [QUESTION]),
    ("is there a fee if i cancel", [QUESTION]),
    ("i need to cancel my appointment", [BOOKING]),
    ("is it possible to move my colour to the afternoon", [BOOKING]),
    # nothing to act on
    ("[inaudible]", [NOT_CAUGHT]),
    ("the uh", [NOT_CAUGHT]),
    ("hang on a sec", [NOT_CAUGHT]),
    ("sorry you're breaking up", [NOT_CAUGHT]),
    ("sorry you cut out", [NOT_CAUGHT]),
    ("asdfgh qwrtp", [NOT_CAUGHT]),
])
def test_a_turn_is_split_into_its_parts(text, expected):
    assert labels(text) == expected


def test_parts_keep_the_callers_own_words():
    parts = understand("Hi! Um, are you open on Christmas Day? How much is a Men's cut, thanks")
    assert [p.text for p in parts] == ["Hi", "Are you open on Christmas Day?", "How much is a Men's cut", "Thanks"]


@pytest.mark.parametrize("text", ["", "   ", "\n\t", "<script>alert(1)</script>", "<b></b>", "&nbsp;",
                                  "[noise] (inaudible)", "???", "...", "*#~|"])
def test_empty_noise_and_markup_are_not_caught(text):
    assert labels(text) == [NOT_CAUGHT]


def test_markup_is_dropped_and_ten_kilobytes_are_cut_not_crashed():
    assert [(p.label, p.text) for p in understand("<b>Do you sell gift cards?</b>")] == \
        [(QUESTION, "Do you sell gift cards?")]
    parts = understand("do you do perms " * 700)          # ~11 kB without punctuation
    assert parts and all(len(p.text) <= 2000 for p in parts)
    assert sum(len(p.text) for p in parts) <= 2000


@pytest.mark.parametrize("text, action, service, when, name", [
    ("Can I book a haircut for tomorrow at 3?", "book", "haircut", "tomorrow at 3", None),
    ("hi this is sarah i'd like to book a cut and colour for friday", "book", "cut and colour", "friday", "Sarah"),
    ("i want to cancel my appointment tomorrow, it's under James Wilson", "cancel", None, "tomorrow", "James Wilson"),
    ("could you fit me in for a blow dry this afternoon", "book", "blow dry", "this afternoon", None),
    ("can i book my daughter in for a trim on saturday", "book", "trim", "on saturday", None),
    ("i need to reschedule my appointment", "reschedule", None, None, None),
    ("can i move my appointment from wednesday to thursday", "reschedule", None, "thursday", None),
    ("could we push my appointment back an hour it's under dana", "reschedule", None, "back an hour", "Dana"),
])
def test_booking_details_are_taken_from_what_was_said(text, action, service, when, name):
    got = booking_details(text)
    assert (got.action, got.service, got.when, got.name) == (action, service, when, name)


@pytest.mark.parametrize("text, expected", [
    # small talk, by its shape: how the other speaker is, or how their time is going
    ("um how's your day going eh", [GREETING]),
    ("how's your week been so far", [GREETING]),
    ("hope you're keeping well", [GREETING]),
    ("morning, how's things", [GREETING]),
    ("how's your pedicure priced", [QUESTION]),
    # a response token opening a turn, whatever the word: before a formula or a new, complete clause
    ("lush cheers", [ACK, THANKS]),
    ("champion ta bye", [ACK, THANKS, GOODBYE]),
    ("belter and what time do you shut", [ACK, QUESTION]),
    ("no bother what about a hot stone massage how much is that", [ACK, QUESTION]),
    ("no dramas mate", [ACK]),
    ("the fade how much is that", [QUESTION]),          # a topic the next clause points back to
    ("tomorrow and what time", [QUESTION]),              # a day is never a response token
    ("no idea", [NOT_CAUGHT]),
    # whether someone is in: the caller wants them
    ("is the gaffer in can i have a word with him", [PERSON, PERSON]),
    ("is sam about today", [PERSON]),
    ("are you in on sunday", [QUESTION]),
    ("is there parking about", [QUESTION]),
    ("is kim working today", [PERSON]),
    ("is the lady who does nails in today", [PERSON]),
    ("can i leave a message for jess", [PERSON]),
    ("i want to make a complaint", [PERSON]),
    ("what's your complaints policy", [QUESTION]),
    ("is the card machine working", [QUESTION]),
    # what is moved to another day is rescheduled, whatever it is called
    ("i need to shift my pedicure from monday to thursday", [BOOKING]),
    # line noise with a tail
    ("sorry you cut out there our kid", [NOT_CAUGHT]),
    ("sorry you were breaking up there", [NOT_CAUGHT]),
    ("it keeps cutting out", [NOT_CAUGHT]),
    # a parting wish, a verdict on what was said, a formula with a term of address
    ("you have a good one", [GOODBYE]),
    ("enjoy the rest of your week", [GOODBYE]),
    ("that'd be great thanks", [ACK, THANKS]),
    ("works for me", [ACK]),
    ("yes ma'am", [ACK]),
    ("does that include tax", [QUESTION]),
    ("is there a manager i can speak to", [PERSON]),
    # declining more help by saying one is fine; hedges; announcing one more question
    ("nah you're alright", [GOODBYE]),
    ("i'm alright thanks", [GOODBYE, THANKS]),
    ("no i think that's everything", [GOODBYE]),
    ("do you think i need a patch test", [QUESTION]),
    ("no i think i need a cut", [BOOKING]),
    ("oh and one last thing how much is a kids cut", [QUESTION]),
    ("right one more question for you do you do waxing", [ACK, QUESTION]),
    # a statement about someone after the question
    ("do you do kids manicures my daughter is seven", [QUESTION, NOT_CAUGHT]),
    ("is it ok to bring my daughter she is seven", [QUESTION]),
    # about the agent, wishes, apologies, holding on, remarks: nothing to look up
    ("are you a robot", [GREETING]),
    ("am i talking to a real person", [GREETING]),
    ("can i talk to a real person", [PERSON]),
    ("merry christmas love", [GREETING]),
    ("happy hour deals", [QUESTION]),
    ("bet you're rushed off your feet", [NOT_CAUGHT]),
    ("you sound very professional", [NOT_CAUGHT]),
    ("sorry about the noise", [NOT_CAUGHT]),
    ("sorry for the bother what time do you close", [QUESTION]),
    ("hang on what time do you close", [NOT_CAUGHT, QUESTION]),
    # the caller's own appointment: asking about it needs the salon; having one asks nothing
    ("just calling to confirm my appointment for tomorrow", [PERSON]),
    ("can you confirm what time my appointment is", [PERSON]),
    ("i've got an appointment at 2 and i'm running late", [NOT_CAUGHT]),
    ("have you got any appointments tomorrow", [BOOKING]),
    ("can i get two cuts booked for friday", [BOOKING]),
    # what the caller was told or heard about the salon asks whether it is so
    ("i was told you do free consultations", [QUESTION]),
    ("my friend said you do gel nails", [QUESTION]),
    ("i heard it was busy", [NOT_CAUGHT]),
    ("i'm after a price for a full head of highlights", [QUESTION]),
    ("i'm after a skin fade on friday", [BOOKING]),
    # booking changes by their shape
    ("can i bump my appointment to next week", [BOOKING]),
    ("could i do thursday instead", [BOOKING]),
    ("i won't be able to make it on saturday", [BOOKING]),
    ("what happens if i can't make it", [QUESTION]),
    ("is it cheaper if i do gel instead", [QUESTION]),
    # a time clause in statement order belongs to the request before it; "when is she free" asks
    ("can you get her to give us a phone back when she's free", [PERSON]),
    ("i need a cut when are you free", [BOOKING, QUESTION]),
    # line trouble, then what the caller is doing: nothing to look up
    ("sorry you cut out there i'm on the subway", [NOT_CAUGHT, NOT_CAUGHT]),
    ("hello sorry you're breaking up i'm going over the bridge", [GREETING, NOT_CAUGHT, NOT_CAUGHT]),
    # a thing named and found acceptable, then a new question
    ("oh okay debit's fine then do you have a loyalty card", [ACK, QUESTION]),
    # the caller's side of small talk ("how's she going": the situation, as "how's it going")
    ("hi there how's she goin", [GREETING]),
    ("not too bad thanks", [GREETING, THANKS]),
    # a dropped g is read by the vocabulary ("workin" is no word, "working" is; "thin" stays "thin")
    ("is miss tammy workin today she did my nails last time", [PERSON]),
    ("how y'all doin today", [GREETING]),
    ("do you do thin hair", [QUESTION]),
    # a statement about a thing asks nothing; with a question word it asks
    ("the bus is after pulling in", [NOT_CAUGHT]),
    ("the price is how much", [QUESTION]),
    # holding an appointment is not booking one
    ("hello this is kavya i have abhyanga booked on friday", [GREETING, NOT_CAUGHT]),
    ("i want to prepone it to thursday", [BOOKING]),
    ("god bless ye", [THANKS]),
    ("can you hear me okay now", [NOT_CAUGHT]),
    ("how are you po", [GREETING]),
])
def test_shapes_not_word_lists(text, expected):
    assert labels(text) == expected


def test_a_term_of_address_ends_a_question_but_not_a_noun_phrase():
    assert [p.text for p in understand("how much is a beard trim our kid")] == ["How much is a beard trim"]
    assert [p.text for p in understand("how much is a cut for our kid")] == ["How much is a cut for our kid"]
    assert [p.text for p in understand("cheers pet, ta-ra")] == ["Cheers pet", "Ta-ra"]
    assert [p.text for p in understand("do you take walk-ins")] == ["Do you take walk-ins"]


def test_a_time_given_for_a_name_is_not_a_name():
    assert booking_details("half ten", asked="name").name is None
    assert booking_details("it's gaz", asked="name").name == "Gaz"
    assert booking_details("it's under the name of harris", asked="name").name == "Harris"
    assert booking_details("surname's patel", asked="name").name == "Patel"
    assert booking_details("j e s s", asked="name").name == "Jess"      # spelled out
    assert booking_details("aye cheers hen", asked="name").name is None   # thanks and a term of address
    assert booking_details("gemma stewart", asked="name").name == "Gemma Stewart"


@pytest.mark.parametrize("text, action, service, when", [
    ("hiya i need to move my skin fade from tuesday to wednesday", "reschedule", "skin fade", "wednesday"),
    ("i need to push my nails back to 4", "reschedule", "nails", "at 4"),
    ("could i switch my massage to the afternoon", "reschedule", "massage", "the afternoon"),
    ("could i do thursday instead", "reschedule", None, "thursday"),
    ("i can't make my appointment tomorrow", "cancel", None, "tomorrow"),
    ("i can't make friday can i move it to monday", "reschedule", None, "monday"),
    ("could i do thursday instead of wednesday for my trim", "reschedule", "trim", "thursday"),
])
def test_booking_changes_by_their_shape(text, action, service, when):
    b = booking_details(text)
    assert (b.action, b.service, b.when) == (action, service, when)


def test_a_preamble_on_its_own_announces_the_question():
    assert labels("great so just wondering do you do waxing") == [ACK, NOT_CAUGHT, QUESTION]
    assert [(p.label, p.text) for p in understand("right so basically i was wondering if you do eyebrows")] == \
        [(ACK, "Right"), (QUESTION, "I was wondering if you do eyebrows")]


# ---- the labelled caller turns (bench/data/turns) ----------------------------------------------

TURNS = load()


def test_the_labelled_set_is_big_enough_and_covers_both_dialects():
    assert len(TURNS) >= 300
    assert {t.dialect for t in TURNS} == {"us", "uk"} and len({t.salon for t in TURNS}) >= 6
    assert {t.split for t in TURNS} >= {"dev", "heldout-1", "heldout-2"}


@pytest.mark.parametrize("split, bar", [("dev", 0.98), ("heldout-1", 0.97), ("heldout-2", 0.95)])
def test_turn_classification_holds_its_bar(split, bar):
    ok, n, misses = score([t for t in TURNS if t.split == split])
    assert ok / n >= bar, [(t.text, t.labels, got) for t, got in misses]


def test_the_stats_count_only_caller_turns_that_ask_something():
    from frontdesk_core.workflows.stats import _asks
    assert [_asks(t) for t in ("hours?", "can I talk to a person", "book me in tomorrow", "hi", "thanks bye",
                               "um", None)] == [True, True, True, False, False, False, False]


@pytest.mark.parametrize("text,expected", [
    ("could i move it tae next tuesday", [BOOKING]),           # Scots "tae": a reschedule
    ("is chloe in the day", [PERSON]),                          # "the day" closing it: today
    ("see ye", [GOODBYE]),
])
def test_dialect_function_words_read_as_the_standard_ones(text, expected):
    assert labels(text) == expected

