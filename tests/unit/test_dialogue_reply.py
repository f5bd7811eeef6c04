"""frontdesk_core.dialogue's reply plan (pure, no model): what the receptionist does with a caller's turn
and says, across the turns of a call: bookings taken detail by detail, small talk, several answers in
one reply, a question that points back at the call's last topic."""
from __future__ import annotations

from frontdesk_core.dialogue import BOOKING, QUESTION, Results, compose, plan, reply, taking, understand
from tests.unit.test_dialogue import labels


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


def test_moving_it_moves_the_appointment_the_caller_said_they_hold():
    history = [("agent", "Thanks for calling, how can I help?"),
               ("caller", "hi it's darragh i've a skin fade booked for tuesday but i'm after getting called into work"),
               ("agent", "Sorry to hear that. How can I help?")]
    p = reply.plan("could i move it to wednesday", history)
    assert p.booking is None and p.ask                     # the name is still to come
    history += [("caller", "could i move it to wednesday"), ("agent", taking.ASK[("name",)])]
    p = reply.plan("darragh walsh", history)
    assert (p.booking.action, p.booking.service, p.booking.name) == ("reschedule", "skin fade", "Darragh Walsh")


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


def test_dialect_words_are_kept_for_the_supervisor_and_made_plain_for_the_lookup():
    (part,) = understand("is there anywhere tae park near yous")
    assert part.text == "Is there anywhere tae park near yous"
    assert reply.lookup_text(part.text) == "Is there anywhere to park near you"
    assert reply.lookup_text("Is she working the day?") == "Is she working today?"

