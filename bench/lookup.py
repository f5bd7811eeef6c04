"""Lookup latency: embedding + confidence gate over 1k and 10k entries, and the model's load time.

  .venv/bin/python bench/lookup.py [--runs 3] [--loads 5]

The index holds the 34 seed entries (real vectors) plus synthetic entries with generated salon-like
questions; their vectors cluster around the seed's (`--vectors clustered`, the default: many entries near
every real question, which is what makes the exact search's second stage work) or are random
(`--vectors random`). Sizes: 1 000 and 10 000 entries, and 10 000 entries with two phrasings each
(30 000 rows). The queries are the 264 questions of tests/data/labelled.jsonl, each timed alone: embed
(one question) + decide. The machine is shared: the load average is printed beside the figures.
"""
from __future__ import annotations

import argparse
import os
import random
import subprocess
import sys
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "functions")]

from agent.evaluation import KNOWLEDGE, LABELLED, load_labelled  # noqa: E402
from agent.knowledge import KnowledgeIndex  # noqa: E402
from frontdesk_core import embedding
from frontdesk_core.understanding import Index, KnowledgeEntry, Phrasing, decide

WORDS = ("gloss toner fringe bangs perm curl wave braid updo lash brow wax nail tint serum mask scalp "
         "trim layer bob pixie fade shave beard gift card voucher parking holiday weekend student senior "
         "discount refund deposit policy stylist junior senior master bridal prom party kids color").split()


def synthetic(n: int, seed: int = 7, phrasings: int = 0,
              around: list[KnowledgeEntry] | None = None) -> list[KnowledgeEntry]:
    """n generated entries. Their vectors are random unit vectors, or, with `around`, each a random
    seed entry's vector (question, answer) pushed a fixed distance in a random direction (cosine ~0.8 to
    it): a dense base where thousands of entries sit near real questions, the hard case for search."""
    rng = np.random.default_rng(seed)
    words = random.Random(seed)
    vecs = rng.standard_normal((n, 2 + phrasings, embedding.DIM)).astype(np.float32)
    vecs /= np.linalg.norm(vecs, axis=2, keepdims=True)
    if around:
        centres = np.stack([np.stack([e.vector, e.answer_vector]) for e in around])
        pick = centres[rng.integers(len(around), size=n)]                       # (n, 2, D)
        pick = np.concatenate([pick, np.repeat(pick[:, :1], phrasings, axis=1)], axis=1)
        vecs = pick + 0.75 * vecs
        vecs /= np.linalg.norm(vecs, axis=2, keepdims=True)
    out = []
    for i in range(n):
        a, b, c = words.sample(WORDS, 3)
        out.append(KnowledgeEntry(f"syn-{i}", f"Do you offer {a} {b} for {c} clients ({i})?",
                                  f"Yes, {a} {b} is available for {c} clients.", vecs[i, 0], vecs[i, 1],
                                  tuple(Phrasing(f"Can I get {a} {b} for {c} ({i}, {k})?", vecs[i, 2 + k])
                                        for k in range(phrasings))))
    return out


def pct(xs, p):
    return float(np.percentile(np.asarray(xs) * 1000, p))


def load_times(n: int) -> list[tuple[float, float]]:
    """(seconds, peak RSS MB) of fresh processes that load what an agent loads: the embedding model (its
    digests checked), the understanding model and the seed base, and decide one question."""
    code = ("import time, resource; t=time.perf_counter(); from frontdesk_core import embedding; "
            "from agent.knowledge import KnowledgeIndex; from agent.evaluation import KNOWLEDGE; "
            "k = KnowledgeIndex.from_file(KNOWLEDGE, judge=None); k.decide('What are your hours?'); "
            "print(time.perf_counter()-t, resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024)")
    env = {**os.environ, "PYTHONPATH": f"{ROOT / 'functions'}:{ROOT}"}
    runs = [subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env,
                           check=True).stdout.split() for _ in range(n)]
    return [(float(t), float(rss)) for t, rss in runs]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=3, help="passes over the questions per size")
    parser.add_argument("--loads", type=int, default=5, help="fresh processes timed for the model load")
    parser.add_argument("--vectors", choices=("clustered", "random"), default="clustered",
                        help="synthetic entries near the seed's meanings (hard) or anywhere (easy)")
    args = parser.parse_args()

    runs = load_times(args.loads)
    loads = [t for t, _ in runs]
    print(f"load average {os.getloadavg()[0]:.2f}; runtime {embedding.runtime()}; "
          f"threads {os.environ.get('FRONTDESK_EMBED_THREADS', '1')}")
    print(f"model load (fresh process: import, digests, models, seed base, first decision), {args.loads} runs: "
          f"median {np.median(loads):.2f} s, min {min(loads):.2f} s, max {max(loads):.2f} s; "
          f"peak RSS {max(rss for _, rss in runs):.0f} MB")

    seed_entries = KnowledgeIndex.from_file(KNOWLEDGE).index.entries
    questions = [item["question"] for item in load_labelled(LABELLED)]
    for q in questions[:20]:
        embedding.embed(q)                                            # warm caches
    embed_t = []
    for _ in range(args.runs):
        for q in questions:
            t = time.perf_counter()
            embedding.embed(q)
            embed_t.append(time.perf_counter() - t)
    print(f"embedding alone ({len(embed_t)} questions): p50 {pct(embed_t, 50):.2f} ms, "
          f"p95 {pct(embed_t, 95):.2f} ms")

    vectors = embedding.embed_many(questions)
    around = seed_entries if args.vectors == "clustered" else None
    for size, phrasings in ((1_000, 0), (10_000, 0), (10_000, 2)):
        index = Index(seed_entries + synthetic(size - len(seed_entries), phrasings=phrasings, around=around))
        for q, v in zip(questions[:20], vectors):
            decide(q, v, index)
        gate_t, lookup_t = [], []
        for _ in range(args.runs):
            for q, v in zip(questions, vectors):
                t = time.perf_counter()
                decide(q, v, index)
                gate_t.append(time.perf_counter() - t)
                t = time.perf_counter()
                decide(q, embedding.embed(q), index)
                lookup_t.append(time.perf_counter() - t)
        label = f"{size:>6} entries" + (f" x {phrasings + 1} wordings" if phrasings else "")
        print(f"{label}: lookup (embed + search + gate) p50 {pct(lookup_t, 50):.2f} ms, "
              f"p95 {pct(lookup_t, 95):.2f} ms; search + gate alone p50 {pct(gate_t, 50):.2f} ms, "
              f"p95 {pct(gate_t, 95):.2f} ms")


if __name__ == "__main__":
    main()
