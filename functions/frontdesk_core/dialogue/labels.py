"""The kinds of part a caller's turn is made of, and a part itself."""
from __future__ import annotations

from dataclasses import dataclass

GREETING, THANKS, GOODBYE, ACK = "greeting", "thanks", "goodbye", "ack"
QUESTION, PERSON, BOOKING, NOT_CAUGHT = "question", "person", "booking", "not_caught"
LABELS = (GREETING, THANKS, GOODBYE, ACK, QUESTION, PERSON, BOOKING, NOT_CAUGHT)
SOCIAL = (GREETING, THANKS, GOODBYE, ACK)


@dataclass(frozen=True)
class Part:
    label: str
    text: str          # the caller's own words for this part (fillers at its ends removed)
