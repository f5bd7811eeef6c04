"""What a caller's turn is, before anything is looked up: its parts, what each part is, and what to
reply (pure: no I/O, no model, no salon's vocabulary).

    parts = understand("hi there how much is a mens cut and are you open sunday thanks")
    # [Part(GREETING, "hi there"), Part(QUESTION, "how much is a mens cut"),
    #  Part(QUESTION, "are you open sunday"), Part(THANKS, "thanks")]

The rules are English-language rules (clause openers, auxiliaries, social formulas, first-person
intent to book), never a salon's word list: which entry answers a question is the knowledge
decision's job (agent/knowledge.py), not this package's.
"""
from .booking import Booking, booking_details
from .labels import ACK, BOOKING, GOODBYE, GREETING, LABELS, NOT_CAUGHT, PERSON, QUESTION, THANKS
from .reply import Plan, Results, compose, plan
from .split import Part, understand

__all__ = ["ACK", "BOOKING", "Booking", "GOODBYE", "GREETING", "LABELS", "NOT_CAUGHT", "PERSON", "Part",
           "Plan", "QUESTION", "Results", "THANKS", "booking_details", "compose", "plan", "understand"]
