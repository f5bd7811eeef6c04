"""The callers' questions (known paraphrases and distinct unknown ones) and the plan of every call."""
from __future__ import annotations

import random
import sys
from dataclasses import dataclass

from agent.evaluation import HOLDOUT, LABELLED, load_labelled
from agent.knowledge import KnowledgeIndex
from frontdesk_core import contract, dialogue, embedding
from frontdesk_core.understanding import same_question


@dataclass
class Question:
    text: str
    escalates: bool
    answer: str | None = None          # the entry's answer the gate gives (known questions)


@dataclass
class Plan:
    phone: str
    questions: list[Question]


def one_question(text: str) -> bool:
    """The dialogue reads `text` as one question, itself, looked up as said (not split in two, not a
    request for a person or a booking, not given a topic from an earlier turn): the audit's premise."""
    plan = dialogue.plan(text)
    return (len(plan.questions) == 1 and not (plan.callback or plan.booking or plan.ask)
            and contract.same_text(dialogue.reply.lookup_text(plan.questions[0]), text))


def question_pools(knowledge: KnowledgeIndex) -> tuple[list[Question], list[Question]]:
    """Known: labelled paraphrases the gate answers from an acceptable entry. Unknown: labelled questions
    the gate escalates, none asking the same thing as another (understanding.same_question)."""
    items, seen = [], set()
    for item in load_labelled(LABELLED) + load_labelled(HOLDOUT):
        key = " ".join(item["question"].split()).casefold()
        if key not in seen:
            seen.add(key)
            items.append(item)
    vectors = embedding.embed_many([i["question"] for i in items])
    known, unknown, unknown_vecs = [], [], []
    for item, vec in zip(items, vectors):
        if not one_question(item["question"]):
            continue
        decision = knowledge.decide(item["question"], vec)
        if item["expect"] == "answer" and decision.answered and decision.entry_id in item["ids"]:
            known.append(Question(item["question"], False, decision.answer))
        elif item["expect"] == "escalate" and not decision.answered:
            if not any(same_question(item["question"], vec, q.text, v) for q, v in zip(unknown, unknown_vecs)):
                unknown.append(Question(item["question"], True))
                unknown_vecs.append(vec)
    return known, unknown


def plan_calls(n: int, share: float, shared: int, known: list[Question], unknown: list[Question],
               rng: random.Random) -> list[Plan]:
    escalating = set(rng.sample(range(n), round(n * share)))
    shared_calls = set(rng.sample(sorted(escalating), min(shared, len(escalating))))
    pool = unknown[:]
    rng.shuffle(pool)
    shared_question = pool.pop() if shared_calls else None
    plans = []
    for i in range(n):
        count = rng.randint(1, 3)
        if i in shared_calls:
            asked = [shared_question]
        elif i in escalating:
            wanted = rng.randint(1, min(2, count))
            if len(pool) < wanted:
                sys.exit(f"not enough distinct unknown questions ({len(unknown)}) for {n} calls; "
                         f"lower --calls or use --shared")
            asked = [pool.pop() for _ in range(wanted)]
        else:
            asked = []
        asked += rng.sample(known, count - len(asked)) if count > len(asked) else []
        rng.shuffle(asked)
        plans.append(Plan(f"+1555{3000000 + i}", asked))
    return plans
