"""The salon profile and the knowledge entries derived from it (pure: no I/O)."""
from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any, Iterator

from .. import contract

DAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")


def _clock(hhmm: str) -> str:
    hour, minute = (int(part) for part in hhmm.split(":"))
    suffix = "am" if hour < 12 else "pm"
    hour = hour % 12 or 12
    return f"{hour}{suffix}" if minute == 0 else f"{hour}:{minute:02d}{suffix}"


def day_hours(profile: dict[str, Any], day: str) -> str:
    span = profile["hours"].get(day)
    if not span:
        return f"We are closed on {day.capitalize()}s."
    return f"On {day.capitalize()}s we are open from {_clock(span[0])} to {_clock(span[1])}."


def hours_summary(profile: dict[str, Any]) -> str:
    parts = []
    for day in DAYS:
        span = profile["hours"].get(day)
        parts.append(f"{day.capitalize()} {_clock(span[0])}–{_clock(span[1])}" if span
                     else f"{day.capitalize()} closed")
    return "; ".join(parts) + "."


def _slug(text: str) -> str:
    return "-".join("".join(c if c.isalnum() else " " for c in text.lower()).split())


def knowledge(profile: dict[str, Any]) -> Iterator[tuple[str, str, str]]:
    """(id, question, answer) for every fact the salon's profile states."""
    name = profile["name"]
    yield "seed-hours", "What are your opening hours?", f"Our hours are: {hours_summary(profile)}"
    for day in DAYS:
        yield f"seed-hours-{day}", f"What are your hours on {day.capitalize()}?", day_hours(profile, day)
    yield "seed-address", "Where is the salon located?", f"{name} is at {profile['address']}."
    yield "seed-directions", "How do I get there and where can I park?", profile["directions"]
    yield "seed-phone", "What is your phone number?", f"You can reach us at {profile['phone']}."
    names = ", ".join(s["name"] for s in profile["services"])
    yield "seed-services", "What services do you offer?", f"We offer {names}."
    for service in profile["services"]:
        yield (f"seed-price-{_slug(service['name'])}",
               f"How much does a {service['name']} cost?",
               f"A {service['name']} ({service['aka']}) is ${service['price']} and takes about "
               f"{service['minutes']} minutes.")
    for policy in profile["policies"]:
        yield f"seed-policy-{_slug(policy['topic'])}", policy["question"], policy["answer"]


def phrasings(profile: dict[str, Any]) -> dict[str, list[str]]:
    """Other wordings of the seed entries' questions, written as callers speak (profile "phrasings":
    entry id -> texts); an id that names no entry is a mistake in the profile, said plainly."""
    given = profile.get("phrasings") or {}
    ids = {entry_id for entry_id, _, _ in knowledge(profile)}
    unknown = sorted(set(given) - ids)
    if unknown:
        raise ValueError(f"phrasings for entries the profile does not make: {', '.join(unknown)}")
    return {entry_id: [contract.question(t) for t in texts] for entry_id, texts in given.items()}


def review_by(profile: dict[str, Any], entry_id: str, now: datetime) -> datetime | None:
    """When a seed entry is due for a supervisor's look: prices and hours change (profile
    "reviewAfterDays": {"prices": n, "hours": n}); other entries carry no date."""
    days = profile.get("reviewAfterDays") or {}
    kind = "prices" if entry_id.startswith("seed-price-") else "hours" if entry_id.startswith("seed-hours") else None
    return now + timedelta(days=int(days[kind])) if kind in days else None


def knowledge_documents(profile: dict[str, Any], now: datetime) -> dict[str, dict[str, Any]]:
    """Knowledge-base documents by id, built through the contract (so they are valid); phrasings
    without their vectors (the writer adds them)."""
    extra = phrasings(profile)
    return {entry_id: {**contract.new_knowledge_entry(q, a, now=now, source="seed"),
                       contract.PHRASINGS: [contract.new_phrasing(t, source="seed", now=now)
                                            for t in extra.get(entry_id, ())],
                       contract.REVIEW_BY: review_by(profile, entry_id, now)}
            for entry_id, q, a in knowledge(profile)}


def greeting(profile: dict[str, Any] | None) -> str:
    """The line a call opens with."""
    name = (profile or {}).get("name")
    return f"Thanks for calling {name}, how can I help?" if name else "Thanks for calling, how can I help?"


def instructions(profile: dict[str, Any]) -> str:
    """The receptionist's instructions for this salon."""
    return (
        f"You are the friendly receptionist of {profile['name']}, {profile['address']}. "
        f"Hours: {hours_summary(profile)} "
        "A caller may say several things in one turn: answer greetings and thanks in kind, and handle "
        "every question in it. For each question call lookup_knowledge with that question alone, in "
        "the caller's words, and answer only from what it returns. If it finds no confident answer, call "
        "request_help with that question alone and tell the caller exactly: "
        f'"{contract.ESCALATION_MESSAGE}" Never guess or invent prices, times or policies. '
        "When the caller asks for a person, call request_callback. When they want to book, reschedule "
        "or cancel an appointment, ask for what is missing of the service, the day and time and their "
        "name, then call request_booking; the salon confirms it. When they say goodbye, say goodbye "
        "and call end_call. After an answer, ask whether there is anything else you can help with."
    )
