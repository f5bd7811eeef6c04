"""The calibrated models: logistic weights over features.py's evidence, and the thresholds that turn a
probability into an action. Fitted by `tools/train_understanding.py` on many salons' labelled questions
(tests/data/salons/*, tests/data/*.jsonl) and committed as model.json; bench/understanding.py reports
them leave-one-salon-out (each salon judged by a model fitted without it).
"""
from __future__ import annotations

import json
from dataclasses import asdict, dataclass
from pathlib import Path

import numpy as np

from .features import ANSWER_FEATURES, SAME_FEATURES, logistic

MODEL_FILE = Path(__file__).with_name("model.json")


@dataclass(frozen=True)
class Model:
    answer_weights: tuple[float, ...]
    answer_at: float           # probability needed to answer
    margin: float              # ... and this far above the best entry with another answer
    same_weights: tuple[float, ...]
    same_at: float             # probability needed to call two questions the same
    near_at: float             # probability from which a question is "nearly" an entry's (suggestions)
    shortlist: int = 8         # candidates judged per question (nearest by meaning)
    judge_from: float = 1.0    # with a judge configured: ask it from this probability up to answer_at

    def answer_probability(self, x: np.ndarray) -> float:
        return logistic(float(np.dot(self.answer_weights, x)))

    def same_probability(self, x: np.ndarray) -> float:
        return logistic(float(np.dot(self.same_weights, x)))

    def to_json(self) -> str:
        data = asdict(self)
        data["answer_features"], data["same_features"] = list(ANSWER_FEATURES), list(SAME_FEATURES)
        return json.dumps(data, indent=1) + "\n"

    @classmethod
    def from_json(cls, text: str) -> "Model":
        data = json.loads(text)
        if data.pop("answer_features") != list(ANSWER_FEATURES) or data.pop("same_features") != list(SAME_FEATURES):
            raise ValueError("model.json was fitted on other features: run tools/train_understanding.py")
        data["answer_weights"] = tuple(data["answer_weights"])
        data["same_weights"] = tuple(data["same_weights"])
        return cls(**data)


_loaded: Model | None = None


def default() -> Model:
    """The committed model (read once per process)."""
    global _loaded
    if _loaded is None:
        _loaded = Model.from_json(MODEL_FILE.read_text())
    return _loaded
