"""frontdesk_core.dialogue: splitting a turn, classifying its parts, booking details, the reply plan
(pure, no model), and the labelled caller turns held to their bar."""
from __future__ import annotations

import pytest

from bench.turnset import load, score
from frontdesk_core.dialogue import (ACK, BOOKING, GOODBYE, GREETING, NOT_CAUGHT, PERSON, QUESTION, THANKS,
                                     Results, booking_details, compose, plan, understand)
from frontdesk_core.dialogue import reply, taking


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


def converse(turns, booking_reply="Noted."):
    """Plan and compose a call's turns as the policy would (no lookups here)."""
    history, plans = [], []
    for text in turns:
        p = plan(text, history)
        said = compose(p, Results(booking=booking_reply if p.booking else None), history)
        history += [("caller", text), ("agent", said)]
        plans.append((p, said))
    return plans


def test_a_booking_asks_for_what_is_missing_then_is_raised_once_with_every_detail():
    (p1, s1), (p2, s2), (p3, s3), (p4, s4) = converse(
        ["I'd like to make an appointment", "a cut and colour please", "friday afternoon", "Jo Smith"])
    assert s1 == taking.ASK[("service", "when")] and p1.booking is None
    assert s2 == taking.ASK[("when",)] and p2.booking is None
    assert s3 == taking.ASK[("name",)] and p3.booking is None
    assert p4.booking.as_dict() == {"action": "book", "service": "cut and colour", "when": "friday afternoon",
                                    "name": "Jo Smith"}
    assert s4 == f"Noted. {reply.ANYTHING_ELSE}"


def test_a_booking_asks_each_detail_at_most_twice_and_a_question_mid_booking_is_answered():
    # an answer that gives another detail instead: that one is taken and the question asked once more
    plans = converse(["can i book a trim", "tomorrow", "make that saturday", "Sam", "sam"])
    assert [s for _, s in plans][:3] == [taking.ASK[("when",)], taking.ASK[("name",)], taking.ASK[("name",)]]
    assert plans[3][0].booking.as_dict() == {"action": "book", "service": "trim", "when": "saturday", "name": "Sam"}
    assert plans[4][0].booking is None      # the booking is over: "sam" is not another one
    plans = converse(["can i book a trim", "dunno", "no idea"])   # nothing given: not asked again
    assert plans[2][0].booking is not None
    plans = converse(["can i move my appointment to thursday", "the same time", "sam okafor"])
    assert [s for _, s in plans][:2] == [taking.ASK[("name",)], taking.ASK[("name",)]]   # not a name: asked again
    assert plans[2][0].booking.name == "Sam Okafor" and not plans[1][0].questions
    p, _ = converse(["i'd like to book a haircut", "actually how much is a haircut"])[1]
    assert p.booking is None and p.questions == ["How much is a haircut"]


def test_small_talk_gets_its_reply_and_never_a_lookup():
    for text, said in [("hello", reply.GREETING_REPLY), ("thanks", f"{reply.WELCOME} {reply.ANYTHING_ELSE}"),
                       ("bye", reply.GOODBYE_REPLY), ("um", reply.NOT_CAUGHT_REPLY),
                       ("ok", reply.ANYTHING_ELSE)]:
        p = plan(text)
        assert not (p.questions or p.callback or p.booking), text
        assert compose(p, Results()) == said, text
    assert plan("bye").close and plan("no", [("agent", f"X. {reply.ANYTHING_ELSE}")]).close
    assert not plan("no").close


def test_anything_else_follows_an_answer_not_every_line():
    after = [("agent", f"We open at 9. {reply.ANYTHING_ELSE}")]
    assert compose(plan("thanks", after), Results(), after) == reply.WELCOME
    assert compose(plan("hi"), Results()) == reply.GREETING_REPLY
    assert compose(plan("how much is a cut"), Results(answers=["$40."])) == f"$40. {reply.ANYTHING_ELSE}"


def test_several_answers_and_one_escalation_line_in_one_reply():
    from frontdesk_core.contract import ESCALATION_MESSAGE
    p = plan("hi how much is a cut and do you do beard trims and are you open sunday thanks bye")
    assert len(p.questions) == 3 and p.greet and p.thank and p.close
    said = compose(p, Results(answers=["A cut is $40.", "Sundays 11 to 4."], escalated=True))
    assert said == f"A cut is $40. Sundays 11 to 4. {ESCALATION_MESSAGE} {reply.GOODBYE_REPLY}"


def test_a_part_an_earlier_answer_covers_is_not_escalated():
    assert reply.unknowns([("Do you do BIAB", "Yes, BIAB is £38 and an infill is £34."),
                           ("How much is an infill", None), ("Do you do gel removal", None)]) == \
        ["Do you do gel removal"]


def test_dialect_you_is_made_plain_for_the_lookup_only():
    assert reply.lookup_text("where y'all located") == "where are you located"
    assert reply.lookup_text("do you guys do balayage") == "do you do balayage"
    assert reply.lookup_text("What's the parking situation like?") == "what about parking?"
    assert reply.lookup_text("can i get my gels taken off at the same time") == "can i get my gels taken off"


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


def test_moving_it_moves_the_appointment_the_caller_said_they_hold():
    history = [("agent", "Thanks for calling, how can I help?"),
               ("caller", "hi it's darragh i've a skin fade booked for tuesday but i'm after getting called into work"),
               ("agent", "Sorry to hear that. How can I help?")]
    p = reply.plan("could i move it to wednesday", history)
    assert p.booking is None and p.ask                     # the name is still to come
    history += [("caller", "could i move it to wednesday"), ("agent", taking.ASK[("name",)])]
    p = reply.plan("darragh walsh", history)
    assert (p.booking.action, p.booking.service, p.booking.name) == ("reschedule", "skin fade", "Darragh Walsh")


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


def test_small_talk_is_answered_in_kind():
    assert compose(plan("how's your day going"), Results()) == reply.SMALL_TALK_REPLY
    assert compose(plan("hi are you a robot"), Results()) == reply.IDENTITY_REPLY
    assert compose(plan("hi how are you"), Results()) == reply.SMALL_TALK_REPLY
    assert compose(plan("hi"), Results()) == reply.GREETING_REPLY


def test_a_bare_fragment_the_base_does_not_know_is_never_escalated():
    assert reply.unknowns([("Mint", None), ("Ear piercing", None), ("Do you do ear piercing", None),
                           ("Piercing?", None)]) == ["Do you do ear piercing", "Piercing?"]
    after = [("caller", "how much is a cut"), ("agent", f"A cut is $40. {reply.ANYTHING_ELSE}")]
    p = plan("sound", after)
    assert p.questions == ["Sound"]                      # looked up: the base may know it
    assert compose(p, Results(), after) == reply.NOT_CAUGHT_REPLY
    assert reply.unknowns([("Aye nae bother", None), ("Howzit my bru", None), ("Parking near you", None),
                           ("Prices for gel nails", None), ("Open on sundays", None)]) == \
        ["Parking near you", "Prices for gel nails", "Open on sundays"]   # said to "you", asking, or a verb
    opening = [("agent", "Thanks for calling, how can I help?")]
    assert compose(plan("howzit", opening), Results(), opening) == reply.GREETING_REPLY


def test_a_question_leaving_out_what_it_is_about_takes_the_calls_last_topic():
    cancelled = [("caller", "hi i need to cancel"), ("agent", taking.ASK[("when:cancel",)]),
                 ("caller", "under the name of o'brien"), ("agent", f"Thanks. I've passed it on. {reply.ANYTHING_ELSE}")]
    assert plan("is there a fee", cancelled).questions == ["Is there a fee for cancelling"]
    assert plan("do you take card", cancelled).questions == ["Do you take card"]
    asked = [("caller", "do you do lash lifts"), ("agent", f"Yes. {reply.ANYTHING_ELSE}")]
    assert plan("how much", asked).questions == ["How much for lash lifts"]
    assert plan("is there a fee", asked).questions == ["Is there a fee"]     # a charge, but not for an act
    assert plan("how much").questions == ["How much"]


def test_asking_what_is_free_while_a_booking_is_taken_leaves_the_time_to_the_salon():
    history = [("caller", "hiya i want to book in for a haircut"), ("agent", taking.ASK[("when",)])]
    p = plan("dunno what's free", history)
    assert not p.questions and p.ask == taking.ASK[("name",)]


def test_asked_to_say_it_again_the_agent_does():
    h = [("caller", "how much is a fade"), ("agent", f"A fade is $35. {reply.ANYTHING_ELSE}")]
    for turn in ("sorry what was that", "can you repeat that", "pardon", "what did you say"):
        p = plan(turn, h)
        assert p.questions == ["How much is a fade"] and p.again, turn   # the answer is looked up again
        assert compose(p, Results(answers=["A fade is $35."]), h) == f"A fade is $35. {reply.ANYTHING_ELSE}", turn
    h = [("caller", "can i book a fade"), ("agent", taking.ASK[("when",)])]
    p = plan("pardon", h)                                    # while a booking is taken: the prompt again
    assert not p.questions and compose(p, Results(), h) == taking.ASK[("when",)]
    h = [("caller", "hello"), ("agent", reply.GREETING_REPLY)]
    assert compose(plan("pardon", h), Results(), h) == f"Sorry! {reply.GREETING_REPLY}"
    assert compose(plan("um", h), Results(), h) == reply.NOT_CAUGHT_REPLY


def test_a_preamble_on_its_own_announces_the_question():
    assert labels("great so just wondering do you do waxing") == [ACK, NOT_CAUGHT, QUESTION]
    assert [(p.label, p.text) for p in understand("right so basically i was wondering if you do eyebrows")] == \
        [(ACK, "Right"), (QUESTION, "I was wondering if you do eyebrows")]


def test_a_cancellation_then_moved_is_a_reschedule():
    history = [("caller", "hi i won't be able to make my lash lift on friday"), ("agent", taking.ASK[("name",)])]
    p = plan("can we do saturday instead", history)
    assert p.ask == taking.ASK[("name",)] and p.booking is None
    history += [("caller", "can we do saturday instead"), ("agent", taking.ASK[("name",)])]
    p = plan("it's priya", history)
    assert (p.booking.action, p.booking.when, p.booking.name) == ("reschedule", "saturday", "Priya")


def test_a_question_pointing_back_is_looked_up_with_the_calls_last_topic():
    cancelled = [("caller", "i need to cancel my gel nails on friday"), ("agent", taking.ASK[("name",)]),
                 ("caller", "it's under beth"), ("agent", f"Thanks, Beth. I've passed on your request. {reply.ANYTHING_ELSE}")]
    p = plan("is there like a fee for that", cancelled)
    assert p.questions == ["Is there like a fee for cancelling"]        # looked up, and raised, as what was asked
    assert reply.lookup_text(p.questions[0]) == "Is there a fee for cancelling"
    asked = [("caller", "do you do lash lifts"), ("agent", f"Yes. {reply.ANYTHING_ELSE}")]
    assert plan("how long does it take", asked).questions == ["How long does lash lifts take"]
    assert plan("how long does it take").questions == ["How long does it take"]
    assert plan("is it open on sunday", asked).questions == ["Is it open on sunday"]
    assert plan("how much is that with a tint", asked).questions == ["How much is lash lifts with a tint"]


def test_whereabouts_asks_where():
    assert reply.lookup_text("where abouts are you") == "where are you"
    assert reply.lookup_text("Whereabouts is the salon") == "where is the salon"


def test_fillers_and_dialect_you_inside_a_question_are_dropped_for_the_lookup():
    assert reply.lookup_text("what do ye charge for a wash") == "what do you charge for a wash"
    assert reply.lookup_text("d'you do gel nails or anything") == "do you do gel nails"
    assert reply.lookup_text("do you do like gel nails") == "do you do gel nails"
    assert reply.lookup_text("how much is it for like two people") == "how much is it for two people"
    assert reply.lookup_text("would you like to come") == "would you like to come"
    assert labels("is it possible to get a cut today") == [BOOKING]
    assert labels("is it possible to get a cut") == [QUESTION]


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


def test_dialect_words_are_kept_for_the_supervisor_and_made_plain_for_the_lookup():
    (part,) = understand("is there anywhere tae park near yous")
    assert part.text == "Is there anywhere tae park near yous"
    assert reply.lookup_text(part.text) == "Is there anywhere to park near you"
    assert reply.lookup_text("Is she working the day?") == "Is she working today?"
