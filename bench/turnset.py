"""The labelled caller turns (bench/data/turns/*.txt): loading and scoring turn classification."""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from frontdesk_core.dialogue import understand

TURNS = Path(__file__).resolve().parent / "data" / "turns"
CODES = {"G": "greeting", "T": "thanks", "B": "goodbye", "A": "ack", "Q": "question", "P": "person",
         "K": "booking", "N": "not_caught"}


@dataclass(frozen=True)
class Turn:
    salon: str
    split: str          # dev (the rules were built on it) | heldout
    dialect: str
    text: str
    labels: tuple[str, ...]


def load(directory: Path = TURNS) -> list[Turn]:
    turns = []
    for path in sorted(directory.glob("*.txt")):
        header = path.read_text().splitlines()[0]
        meta = dict(field.strip().split(": ", 1) for field in header.lstrip("# ").split(" · ")[1:])
        for n, line in enumerate(path.read_text().splitlines()[1:], 2):
            if not line.strip() or line.startswith("#"):
                continue
            codes, text = line.split(" | ", 1)
            try:
                labels = tuple(CODES[c] for c in codes.split())
            except KeyError as err:
                raise ValueError(f"{path.name}:{n}: unknown label {err}") from None
            turns.append(Turn(path.stem, meta["split"], meta["dialect"], text, labels))
    return turns


def predicted(turn: Turn) -> tuple[str, ...]:
    return tuple(p.label for p in understand(turn.text))


def score(turns: list[Turn]) -> tuple[int, int, list[tuple[Turn, tuple[str, ...]]]]:
    """(turns whose every part is labelled right, turns, the misses)."""
    misses = [(t, got) for t in turns if (got := predicted(t)) != t.labels]
    return len(turns) - len(misses), len(turns), misses
