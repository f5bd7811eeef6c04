"""The README's labelled-set figures, reproduced through `python -m agent ask --kb FILE --json`.

  .venv/bin/python bench/labelled.py [tests/data/labelled.jsonl tests/data/holdout.jsonl]

Each set's questions go to `ask` on stdin, one per line; its JSON lines are scored against the labels
(agent/evaluation.py): wrong answers, paraphrases answered, unknowns escalated. Prints what went astray;
exits 1 on a wrong answer. (The figures for salons the model was not fitted on: bench/understanding.py.)
"""
from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from agent.evaluation import HOLDOUT, KNOWLEDGE, LABELLED, load_labelled, score  # noqa: E402


def main(paths: list[str]) -> int:
    ok = True
    for path in [Path(p) for p in paths] or [LABELLED, HOLDOUT]:
        items = load_labelled(path)
        done = subprocess.run([sys.executable, "-m", "agent", "ask", "--kb", str(KNOWLEDGE), "--json"],
                              input="".join(i["question"] + "\n" for i in items), capture_output=True,
                              text=True, cwd=ROOT, check=True)
        decisions = [json.loads(line) for line in done.stdout.splitlines()]
        s = score(items, decisions)
        print(f"{path.relative_to(ROOT)}: {s.summary()}")
        for miss in s.misses:
            print(f"    {miss}")
        ok &= s.wrong == 0
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
