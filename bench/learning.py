"""Learning curve: a week of calls in which a supervisor links each escalated paraphrase to its entry.

  .venv/bin/python bench/learning.py [--verbose]

tests/data/learning.jsonl holds caller paraphrases of the seed entries in words the seed base does not
use (slang, other names for a service), split into the week's calls and held-out paraphrases, plus hard
negatives that reuse that vocabulary. The base starts as the salon's seed (with its seed phrasings,
tests/data/knowledge.json). The week replays its calls in order through the agent's decision; each
escalated paraphrase is linked by the supervisor to its right entry, which adds the caller's wording as
a phrasing, exactly as the functions do (understanding.with_phrasing). Printed before and after the week:
recall on the held-out paraphrases, wrong answers (held-out, the labelled sets and every unknown), and
the share of unknown questions still escalated (learning.jsonl's negatives plus the labelled sets').
"""
from __future__ import annotations

import argparse
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "functions")]

from agent.evaluation import DATA, HOLDOUT, KNOWLEDGE, LABELLED, Score, load_labelled, score  # noqa: E402
from agent.knowledge import KnowledgeIndex  # noqa: E402
from frontdesk_core import embedding
from frontdesk_core.understanding import Index, decide, with_phrasing

LEARNING = DATA / "learning.jsonl"
HELDOUT = "held-out paraphrases + their hard negatives"


def evaluate(index: Index, items: list[dict], vectors) -> Score:
    decisions = [decide(i["question"], v, index) for i, v in zip(items, vectors)]
    return score(items, ({"action": d.action, "knowledge_id": d.entry_id} for d in decisions))


def replay_week(index: Index, week: list[dict], vectors) -> tuple[Index, int, int, list[str]]:
    """Returns the base after the week, the links made, the calls answered, and any wrong answers."""
    by_id = {e.id: e for e in index.entries}
    links = answered = 0
    wrong = []
    for item, vec in zip(week, vectors):
        d = decide(item["question"], vec, index)
        if d.answered:
            answered += 1
            if d.entry_id not in item["ids"]:
                wrong.append(f"WRONG {d.entry_id}: {item['question']}")
            continue
        target = item["ids"][0]                       # the supervisor links the request to its entry
        by_id[target] = with_phrasing(by_id[target], item["question"], vec, "link")
        index = index.with_entries([by_id[target]])
        links += 1
    return index, links, answered, wrong


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--verbose", action="store_true", help="list what went astray")
    args = parser.parse_args()
    items = load_labelled(LEARNING)
    week = [i for i in items if i["split"] == "week"]
    heldout = [i for i in items if i["split"] == "heldout"]
    labelled = load_labelled(LABELLED) + load_labelled(HOLDOUT)
    sets = {HELDOUT: heldout, "labelled + holdout sets": labelled}
    vectors = {name: embedding.embed_many([i["question"] for i in rows]) for name, rows in sets.items()}
    week_vecs = embedding.embed_many([i["question"] for i in week])

    base = KnowledgeIndex.from_file(KNOWLEDGE).index
    before = {name: evaluate(base, rows, vectors[name]) for name, rows in sets.items()}
    after_base, links, answered, wrong = replay_week(base, week, week_vecs)
    after = {name: evaluate(after_base, rows, vectors[name]) for name, rows in sets.items()}

    print(f"base: {len(base)} entries, {sum(len(e.phrasings) for e in base.entries)} seed phrasings")
    print(f"week: {len(week)} calls, {answered} answered by the agent, {links} escalated and linked "
          f"by the supervisor, {len(wrong)} wrong answers")
    for name in sets:
        print(f"{name}:\n  before: {before[name].summary()}\n  after:  {after[name].summary()}")
    h0, h1 = before[HELDOUT], after[HELDOUT]
    unknown_before = sum(s.escalated for s in before.values()), sum(s.unknowns for s in before.values())
    unknown_after = sum(s.escalated for s in after.values()), sum(s.unknowns for s in after.values())
    wrong_before = sum(s.wrong_answers for s in before.values())
    wrong_after = sum(s.wrong_answers for s in after.values()) + len(wrong)
    print(f"\nheld-out paraphrase recall: {h0.answered_share:.1%} -> {h1.answered_share:.1%} "
          f"({(h1.answered_share - h0.answered_share) * 100:+.1f} points)")
    print(f"wrong answers: {wrong_before} before, {wrong_after} after")
    print(f"unknown questions escalated: {unknown_before[0]}/{unknown_before[1]} "
          f"({unknown_before[0] / unknown_before[1]:.1%}) before, {unknown_after[0]}/{unknown_after[1]} "
          f"({unknown_after[0] / unknown_after[1]:.1%}) after")
    if args.verbose:
        for name in sets:
            print(f"\n{name}, after:")
            for line in after[name].misses:
                print("  " + line)
        for line in wrong:
            print("  week: " + line)


if __name__ == "__main__":
    main()
