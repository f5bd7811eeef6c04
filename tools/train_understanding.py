"""Fit the understanding models on every salon's labelled data and write them to model.json.

  .venv/bin/python -m tools.train_understanding [--data tests/data]

The committed model.json is this command's output; tests/unit/test_understanding.py checks that it is
up to date with the data. Figures for salons the fitting never saw come from bench/understanding.py
(leave-one-salon-out), never from this in-sample fit.
"""
from __future__ import annotations

import argparse
import sys
from pathlib import Path

from bench.understanding import DATA, base_model, cached_embed
from frontdesk_core.understanding import model as models, training


def main(argv: list[str]) -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--data", type=Path, default=DATA)
    args = ap.parse_args(argv)
    salons = training.load_all(args.data)
    training.embed_salons(salons, cached_embed)
    fitted = training.fit(salons, base_model())
    models.MODEL_FILE.write_text(fitted.to_json())
    print(f"{models.MODEL_FILE}: fitted on {', '.join(s.name for s in salons)}; "
          f"answer_at {fitted.answer_at:.3f}, same_at {fitted.same_at:.3f}, near_at {fitted.near_at:.3f}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
