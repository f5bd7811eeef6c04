"""Lookup latency: embedding + confidence gate over 1k and 10k entries, and the model's load time.

  .venv/bin/python bench/lookup.py [--runs 3] [--loads 5]

The index holds the 34 seed entries (real vectors) plus synthetic entries (unit random vectors and
generated salon-like questions: the search cost does not depend on what the vectors mean). The queries are
the 264 questions of tests/data/labelled.jsonl, each timed alone: embed (one question) + decide. Bounded:
a few seconds per size. The machine is shared: the load average is printed beside the figures.
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
from frontdesk_core import embedding  # noqa: E402
from frontdesk_core.matching import Index, KnowledgeEntry, decide  # noqa: E402

WORDS = ("gloss toner fringe bangs perm curl wave braid updo lash brow wax nail tint serum mask scalp "
         "trim layer bob pixie fade shave beard gift card voucher parking holiday weekend student senior "
         "discount refund deposit policy stylist junior senior master bridal prom party kids color").split()


def synthetic(n: int, seed: int = 7) -> list[KnowledgeEntry]:
    rng = np.random.default_rng(seed)
    words = random.Random(seed)
    vecs = rng.standard_normal((n, 2, embedding.DIM)).astype(np.float32)
    vecs /= np.linalg.norm(vecs, axis=2, keepdims=True)
    out = []
    for i in range(n):
        a, b, c = words.sample(WORDS, 3)
        out.append(KnowledgeEntry(f"syn-{i}", f"Do you offer {a} {b} for {c} clients ({i})?",
                                  f"Yes, {a} {b} is available for {c} clients.", vecs[i, 0], vecs[i, 1]))
    return out


def pct(xs, p):
    return float(np.percentile(np.asarray(xs) * 1000, p))


def load_times(n: int) -> list[float]:
    code = ("import time; t=time.perf_counter(); from frontdesk_core import embedding; "
            "embedding.embed('What are your hours?'); print(time.perf_counter()-t)")
    env = {**os.environ, "PYTHONPATH": str(ROOT / "functions")}
    return [float(subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env,
                                 check=True).stdout) for _ in range(n)]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=3, help="passes over the questions per size")
    parser.add_argument("--loads", type=int, default=5, help="fresh processes timed for the model load")
    args = parser.parse_args()

    loads = load_times(args.loads)
    print(f"load average {os.getloadavg()[0]:.2f}; runtime {embedding.runtime()}; "
          f"threads {os.environ.get('FRONTDESK_EMBED_THREADS', '1')}")
    print(f"model load (fresh process: import + load + first embedding), {args.loads} runs: "
          f"median {np.median(loads):.2f} s, min {min(loads):.2f} s, max {max(loads):.2f} s")

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
    for size in (1_000, 10_000):
        index = Index(seed_entries + synthetic(size - len(seed_entries)))
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
        print(f"{size:>6} entries: lookup (embed + search + gate) p50 {pct(lookup_t, 50):.2f} ms, "
              f"p95 {pct(lookup_t, 95):.2f} ms; search + gate alone p50 {pct(gate_t, 50):.2f} ms, "
              f"p95 {pct(gate_t, 95):.2f} ms")


if __name__ == "__main__":
    main()
