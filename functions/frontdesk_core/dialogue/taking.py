"""A booking being taken over several turns: the prompts for its details, what the caller has said
for it so far, and the next detail to ask for (each at most twice)."""
from __future__ import annotations

import re
from dataclasses import replace
from typing import Sequence

from . import booking as bk
from .english import FRAME, REPEAT, WH, AUX, content_words, lower_words
from .labels import BOOKING, GOODBYE, NOT_CAUGHT, PERSON, QUESTION, THANKS, Part
from .split import understand

# Booking details the agent asks for (each at most twice); the prompt says which detail it asks.
ASK = {
    ("service", "when"): "Sure, I can take a booking request. What would you like to have done, and which "
                         "day and time would suit you?",
    ("service",): "Sure. What would you like to have done?",
    ("when",): "Which day and time would suit you?",
    ("when:reschedule",): "Sure. Which day and time would you like to move it to?",
    ("when:cancel",): "Sure. Which day is the appointment you'd like to cancel?",
    ("name",): "And what name should I put that under?",
}


PROMPTS = {text: slots for slots, text in ASK.items()}


Line = tuple[str, str]   # (role "caller" | "agent", text): the call so far


def prompt_in(text: str) -> tuple[str, ...] | None:
    """The booking details an agent line asked for (it ends with one of the prompts), if any."""
    return next((slots for prompt, slots in PROMPTS.items() if text.endswith(prompt)), None)


def slot_of(slots: tuple[str, ...]) -> str:
    return slots[0].split(":")[0]


def details_of_turn(utterance: str, history: Sequence[Line] = ()) -> bk.Booking:
    said = " ".join(p.text for p in understand(utterance) if p.label == BOOKING) or utterance
    details = bk.booking_details(said).merge(bk.Booking(name=bk.name_of(utterance)))
    if details.action != bk.BOOK and not details.service:
        # "can I move it": the appointment the caller said they hold, in this turn or an earlier one
        earlier = [utterance] + [text for role, text in reversed(history) if role == "caller"]
        details = replace(details, service=next(filter(None, map(bk.held_service, earlier)), None))
    return details


def booking_so_far(history: Sequence[Line]) -> tuple[bk.Booking, list[str]] | None:
    """The booking being taken when the agent's last line asked for a detail: what the caller said
    for it since it began, and the details already asked for."""
    prompts: list[int] = []
    i = len(history) - 1
    while i >= 1 and history[i][0] == "agent" and prompt_in(history[i][1]) and history[i - 1][0] == "caller":
        prompts.insert(0, i)
        if i >= 3 and history[i - 2][0] == "agent" and prompt_in(history[i - 2][1]):
            i -= 2
            continue
        break
    if not prompts:
        return None
    details = details_of_turn(history[prompts[0] - 1][1], history[:prompts[0] - 1])
    asked = [s for j in prompts for s in prompt_in(history[j][1])]
    for before, after in zip(prompts, prompts[1:]):
        slot = slot_of(prompt_in(history[before][1]))
        said = bk.booking_details(history[after - 1][1], asked=slot, action=action_now(details, history[after - 1][1]))
        if gave_up(history[after - 1][1]):
            asked.append(slot)          # "dunno": not asked again
        details = replace(details.merge(said), action=said.action)
    return details, asked


def action_now(details: bk.Booking, answer: str) -> str:
    """The action once `answer` is heard: a cancellation the caller then moves ("I can't make Friday" ...
    "can we do Saturday instead") is a reschedule; otherwise the first clear action stands."""
    if details.action == bk.CANCEL and bk.action_of(answer) == bk.RESCHEDULE:
        return bk.RESCHEDULE
    return details.action


def asks(text: str) -> bool:
    words = text.lower().split()
    return text.endswith("?") or bool(words) and (words[0] in WH or words[0] in AUX)


_FREE = {"free", "available", "availability", "open", "openings", "opening", "got", "have", "times", "time", "slots",
         "slot", "space", "spaces", "earliest", "soonest", "next", "first", "works", "suits", "best", "good", "better"}


def availability(question: str) -> bool:
    """Asking, while a booking is taken, what is free ("what's free", "what have you got", "when's best
    for you"): the salon confirms the time, so the detail is left to it and the booking goes on."""
    words = lower_words(question)
    own = [w for w in content_words(words) if w not in FRAME]
    return bool(words) and words[0] in WH and all(w in _FREE for w in own)


def gave_up(answer: str) -> bool:
    """An answer that says the caller has no such detail ("dunno", "not sure")."""
    return all(p.label == NOT_CAUGHT for p in understand(answer))


def next_ask(details: bk.Booking, asked: list[str]) -> str | None:
    """The prompt for the next missing detail. Each is asked once on its own; one asked only
    together with another ("what, and when?") may be asked once more alone."""
    def open_(slot: str) -> bool:
        return asked.count(slot) < 2   # asked at most twice: an answer may give another detail instead
    want = []
    when = "when" if details.action == bk.BOOK else f"when:{details.action}"
    if details.action == bk.BOOK and not details.service and open_("service"):
        want.append("service")
    if not details.when and open_(when):
        want.append(when)
    if want:
        return ASK[tuple(want)] if tuple(want) in ASK and not asked else ASK[(want[0],)]
    if not details.name and open_("name"):
        return ASK[("name",)]
    return None


def continue_booking(parts: Sequence[Part], utterance: str, history: Sequence[Line],
                     last_agent: str) -> tuple[str | None, bk.Booking | None, bool] | None:
    """While the agent is taking a booking (its last line asked for a detail): (the next prompt, the
    booking when complete, whether the caller also thanked). None when the caller moved on (a question,
    a person, a goodbye): the booking is left and the turn is read as usual."""
    ongoing = booking_so_far(history)
    if ongoing is None:
        return None
    details, asked = ongoing
    slot = slot_of(prompt_in(last_agent))
    if all(x.label == NOT_CAUGHT for x in parts) and asked_again(parts):
        return next(prompt for prompt in PROMPTS if last_agent.endswith(prompt)), None, False   # "pardon?"
    said = bk.booking_details(utterance, asked=slot, action=action_now(details, utterance))
    moved_on = any(x.label in (PERSON, GOODBYE, BOOKING)
                   or (x.label == QUESTION and asks(x.text) and not availability(x.text))
                   for x in parts)   # a real question, not a bare answer ("the same time")
    if not (said.service or said.when or said.name or not moved_on):
        return None
    if gave_up(utterance) or any(x.label == QUESTION and availability(x.text) for x in parts):
        asked = asked + [slot]   # "dunno", "what's free?": this detail is not asked again
    details = replace(details.merge(said), action=said.action)
    ask = next_ask(details, asked)
    return ask, (details if ask is None else None), THANKS in {x.label for x in parts}


def asked_again(parts: Sequence[Part]) -> bool:
    """"What was that?", "pardon", "can you repeat that": the caller asks the agent to say it again."""
    return any(REPEAT.match(re.sub(r"[^\w' ]", "", x.text.lower()).strip()) for x in parts)
