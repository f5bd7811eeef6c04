"""Leave-one-salon-out figures with callers' questions embedded by their fold's adapted MiniLM (entries keep
the base vectors), the calibrated model refitted on those vectors; `--base` for the same table without it.
  .venv/bin/python bench/trained/adapter_loso.py [--base]      (after query_adapter.py for the 4 folds)"""
import time, argparse
from common import ROOT, FOLDS, ARTIFACTS
import numpy as np
from frontdesk_core import embedding
from frontdesk_core.understanding import training, decision
from bench.understanding import cached_embed, base_model

ap = argparse.ArgumentParser(); ap.add_argument("--folds", nargs="*", type=int, default=[1, 2, 3, 4])
ap.add_argument("--base", action="store_true", help="no adapter (the baseline on the same folds)")
ap.add_argument("--dir", default=str(ARTIFACTS))
args = ap.parse_args()

class Adapted(embedding.MiniLM):
    def __init__(self, deltas):
        super().__init__()
        z = np.load(deltas)
        for li, layer in enumerate(self.layers):
            wqkv, bqkv, wo, bo, g1, b1, wi, bi, wo2, bo2, g2, b2 = layer
            d = lambda k: (z[k + ".lora_B"] @ z[k + ".lora_A"]).T.astype(np.float32)
            p = f"encoder.layer.{li}."
            wqkv = wqkv + np.concatenate([d(p + "attention.self.query"), d(p + "attention.self.key"), d(p + "attention.self.value")], 1)
            wo = wo + d(p + "attention.output.dense"); wi = wi + d(p + "intermediate.dense"); wo2 = wo2 + d(p + "output.dense")
            self.layers[li] = (wqkv, bqkv, wo, bo, g1, b1, wi, bi, wo2, bo2, g2, b2)

salons = training.load_all(ROOT / "tests" / "data")
fold_of = {n: k for k, v in FOLDS.items() for n in v.split()}
training.embed_salons(salons, cached_embed)     # base vectors for everything first
if not args.base:
    models = {}
    for s in salons:
        k = fold_of[s.name]
        if k not in models: models[k] = Adapted(f"{args.dir}/fold{k}.npz")
        entry_side = {t for e in s.entries for t in (e["question"], e["answer"], *e.get("phrasings", ()))}
        qs = sorted({q["question"] for q in s.questions} | {g["question"] for g in s.groups} - entry_side)
        qs = [t for t in qs if t not in entry_side]
        for t, v in zip(qs, models[k].embed_many(qs)):
            s.vectors[t] = v
base = base_model()
t0 = time.time()
for s in salons:
    if fold_of[s.name] not in args.folds: continue
    m = training.fit([o for o in salons if o is not s], base)
    sc = training.score(s, s.index(), s.questions, m)
    b, a = training.learning_curve(s, m)
    g = training.grouping(s, m)
    # top-1 and an oracle: the best this salon's own threshold could do at 0 wrong
    index = s.index(); best = []
    for q in s.questions:
        c = decision.judged(q["question"], s.vectors[q["question"]], index, m)[0]
        best.append((c.probability, q["expect"] == "answer" and c.entry.id in q["ids"], q["expect"] == "answer"))
    para = sum(1 for _, _, p in best if p)
    top1 = sum(1 for _, ok, _ in best if ok)
    wrongmax = max([p for p, ok, _ in best if not ok] or [0])
    oracle = sum(1 for p, ok, _ in best if ok and p > wrongmax)
    print(f"{s.name:11s} {sc.summary()} | links {100*b.answered_share:.1f}->{100*a.answered_share:.1f} ({a.wrong}w) | "
          f"group {g[0]}/{g[1]} merged {g[2]}/{g[3]} | top1 {100*top1/para:.0f}% oracle {100*oracle/para:.0f}% | at {m.answer_at:.3f} {time.time()-t0:.0f}s", flush=True)
