"""Firestore reads per new help request and per answer, as the knowledge base and the history grow
(issue 16 item 8). Run inside the Firestore emulator, with nothing else writing to the project:

    firebase emulators:exec --only firestore --project demo-reads ".venv/bin/python -m bench.reads"

It runs the functions' own code in this process, exactly what the triggers run for those events,
against a client whose RPCs are counted (bench/readcount.py: one read per document a get or a query
returns, at least one per query, a missing document too):
- a new request: `on_help_request_created` (check, limits, notices, grouping, suggestions) and its
  share of the figures (`stats.count_request`);
- an answer: `on_help_request_updated` (learn, follow-up and its delivery, the group), its figures,
  and the knowledge trigger of the entry it creates (change record, revision, its vectors checked in
  knowledge_vectors, conflict check).
Each figure is the mean over --events events after one warm-up event (a function instance's first
event reads the knowledge base whole once: printed as "cold"). For contrast, "before" is what the
previous code read per event: the 30-day rescan of `stats.compute` and the whole base per suggestion
and per conflict check (the same queries, counted the same way).
"""
from __future__ import annotations

import argparse
import itertools
import os
import random
import sys
import time
from datetime import timedelta

import numpy as np

from bench.readcount import ReadCounter
from frontdesk_core import contract, embedding
from frontdesk_core.delivery import channels
from frontdesk_core.infra.firebase import db as client
from frontdesk_core.understanding import kbcache, vectors
from frontdesk_core.workflows import escalation, grouping, knowledge, learning, resolution, stats
from google.cloud import firestore
from google.cloud.firestore import FieldFilter

WINDOW_DAYS, HISTORY_DAYS = 30, 60
TOPICS = ["hair dye", "parking", "gift cards", "kids cuts", "beard trims", "perms", "nail art", "wax",
          "brows", "lashes", "massage", "facials", "extensions", "braids", "keratin", "toner"]


def unit(rng: np.random.Generator) -> np.ndarray:
    v = rng.standard_normal(embedding.DIM).astype(np.float32)
    return v / np.linalg.norm(v)


def write_all(db, collection: str, docs) -> None:
    batch, n = db.batch(), 0
    for doc_id, data in docs:
        batch.set(db.collection(collection).document(doc_id), data)
        n += 1
        if n % 400 == 0:
            batch.commit()
            batch = db.batch()
    batch.commit()


def grow_entries(db, have: int, want: int, rng) -> None:
    """Entries with their vectors beside them (random: the reads do not depend on what they say)."""
    now = contract.utcnow()
    entries = {f"kb-{i:05d}": {**contract.new_knowledge_entry(f"Question {i} about {TOPICS[i % len(TOPICS)]}?",
                                                              f"Answer {i}.", now=now), "phrasings": []}
               for i in range(have, want)}
    write_all(db, contract.KNOWLEDGE_BASE, entries.items())
    write_all(db, contract.KNOWLEDGE_VECTORS, ((i, {
        contract.EMBEDDING: embedding.to_firestore(unit(rng)),
        contract.ANSWER_EMBEDDING: embedding.to_firestore(unit(rng)),
        contract.EMBEDDING_MODEL: embedding.MODEL_ID, contract.EMBEDDED_FROM: vectors.stamp(e),
        contract.PHRASING_VECTORS: {}}) for i, e in entries.items()))
    write_all(db, kbcache.CHANGES, ((f"kb-{i:05d}", {"changedAt": firestore.SERVER_TIMESTAMP, "deleted": False})
                                    for i in range(have, want)))


def shrink_entries(db, have: int, want: int) -> None:
    batch = db.batch()
    for n, i in enumerate(range(want, have), 1):
        batch.delete(db.collection(contract.KNOWLEDGE_BASE).document(f"kb-{i:05d}"))
        batch.delete(db.collection(contract.KNOWLEDGE_VECTORS).document(f"kb-{i:05d}"))
        batch.set(db.collection(kbcache.CHANGES).document(f"kb-{i:05d}"),
                  {"changedAt": firestore.SERVER_TIMESTAMP, "deleted": True})
        if n % 200 == 0:
            batch.commit()
            batch = db.batch()
    batch.commit()


def grow_history(db, have: int, want: int, rng) -> None:
    """Answered requests over the last 60 days, each with its call (two turns)."""
    now = contract.utcnow()

    def request(i):
        asked = now - timedelta(minutes=int(rng.integers(60, HISTORY_DAYS * 24 * 60)))
        phone = f"+1555{i % 10_000_000:07d}"
        return f"h-{i:06d}", {**contract.new_help_request(phone, f"Old question {i}?", now=asked),
                              "status": "resolved", "responseText": "Yes.", "followupSent": True,
                              "respondedAt": asked + timedelta(minutes=5), "conversationId": f"c-{i:06d}"}

    def call(i):
        started = now - timedelta(minutes=int(rng.integers(60, HISTORY_DAYS * 24 * 60)))
        return f"c-{i:06d}", {**contract.new_conversation(f"+1555{i % 10_000_000:07d}", channel="text", now=started),
                              "endedAt": started + timedelta(minutes=2), "helpRequestIds": [f"h-{i:06d}"],
                              "turns": [contract.turn("caller", f"Old question {i}?", now=started),
                                        contract.turn("agent", "Let me check with my supervisor.", now=started)]}

    write_all(db, contract.HELP_REQUESTS, (request(i) for i in range(have, want)))
    write_all(db, contract.CONVERSATIONS, (call(i) for i in range(have, want)))


def new_request(db, counter, phone: str, question: str, registry) -> tuple[str, int]:
    ref = db.collection(contract.HELP_REQUESTS).document()
    data = contract.new_help_request(phone, question)
    ref.set(data)
    counter.take()
    escalation.on_created(db, ref.id, data, targets=[("log", "supervisor")], channels=registry,
                          find_group=grouping.finder(), suggest=learning.suggest)
    stats.count_request(db, ref.id, contract.utcnow(), "UTC")
    return ref.id, counter.take()


def answer(db, counter, request_id: str, registry) -> int:
    ref = db.collection(contract.HELP_REQUESTS).document(request_id)
    ref.update(contract.resolution(f"Yes, answer for {request_id}.", answered_by="supervisor-1"))
    after = ref.get().to_dict()
    counter.take()
    resolution.on_answered(db, request_id, after, channels=registry, caller_channel="log",
                           embed=knowledge.stamped(embedding.knowledge_fields))
    stats.count_request(db, request_id, contract.utcnow(), "UTC")
    entry = db.collection(contract.KNOWLEDGE_BASE).document(request_id)
    reads = counter.take()
    created = entry.get().to_dict()       # what the knowledge trigger is handed (not counted: the event)
    counter.take()
    kbcache.record_change(db, request_id, deleted=False)
    learning.record_revision(db, request_id, None, created, f"ev-{request_id}", contract.utcnow())
    synced = knowledge.on_written(db, request_id, None, created, knowledge.stamped(embedding.knowledge_fields))
    if synced.written:
        kbcache.record_change(db, request_id, deleted=False)
    if knowledge.newly_embedded(None, created):
        learning.detect_conflicts(db, request_id, created, contract.utcnow(), vector=synced.question)
    return reads + counter.take()


def before_reads(db, counter) -> tuple[int, int]:
    """What the previous code read per event: stats.compute's four queries, and the whole base
    (load_index) once per suggestion or conflict check."""
    now = contract.utcnow()
    since = now - timedelta(days=WINDOW_DAYS)
    requests = db.collection(contract.HELP_REQUESTS)
    counter.take()
    where = lambda col, *f: col.where(filter=FieldFilter(*f))   # noqa: E731
    for query in (where(requests, "status", "==", contract.PENDING).order_by("timestamp"),
                  where(requests, "respondedAt", ">=", since), where(requests, "timestamp", ">=", since),
                  where(db.collection(contract.CONVERSATIONS), "startedAt", ">=", since)):
        for _ in query.stream():
            pass
    rescan = counter.take()
    for _ in db.collection(contract.KNOWLEDGE_BASE).stream():
        pass
    return rescan, counter.take()


PHONES = itertools.count(1)   # a number of its own for each event (the limits per number stay out of it)


def phone() -> str:
    return f"+1555800{next(PHONES):04d}"


def measure(db, counter, events: int, registry, rng) -> dict:
    kbcache.CACHE = kbcache.KnowledgeCache()   # a new function instance
    counter.take()
    topic = lambda: TOPICS[int(rng.integers(len(TOPICS)))]   # noqa: E731
    rid, cold = new_request(db, counter, phone(), f"Do you do {topic()} on holidays?", registry)
    answer(db, counter, rid, registry)
    created, answered = [], []
    for n in range(events):
        rid, reads = new_request(db, counter, phone(), f"Is there a {topic()} offer number {n}?", registry)
        created.append(reads)
        answered.append(answer(db, counter, rid, registry))
    rescan, base = before_reads(db, counter)
    return {"cold": cold, "new": float(np.mean(created)), "answer": float(np.mean(answered)),
            "before_new": rescan + base + float(np.mean(created)),
            "before_answer": rescan + base + float(np.mean(answered))}


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--entries", default="100,1000,10000")
    parser.add_argument("--history", default="1000,100000")
    parser.add_argument("--events", type=int, default=5)
    parser.add_argument("--measure-only", type=int, metavar="ENTRIES", default=None,
                        help="the data is there already (ENTRIES entries, the history): measure, shrinking the base")
    args = parser.parse_args(argv)
    if not os.environ.get("FIRESTORE_EMULATOR_HOST"):
        sys.exit("run inside the Firestore emulator (see the module's docstring)")
    db = client()
    counter = ReadCounter(db)
    registry = channels.registry(channels.Config.from_env({}), lambda line: None)
    rng = np.random.default_rng(7)
    random.seed(7)
    embedding.cached_many(["warm up"])
    sizes = [int(x) for x in args.entries.split(",")]
    print(f"{'entries':>8} {'requests':>9} | {'per new request':>15} {'per answer':>10} | {'cold':>6} | "
          f"{'before: new':>11} {'before: answer':>14}")
    if args.measure_only:
        h = db.collection(contract.HELP_REQUESTS).count().get()[0][0].value
        entries = args.measure_only
        for n in sorted(sizes, reverse=True):
            if n < entries:
                shrink_entries(db, entries, n)
                entries = n
            r = measure(db, counter, args.events, registry, rng)
            print(f"{n:>8} {h:>9} | {r['new']:>15.1f} {r['answer']:>10.1f} | {r['cold']:>6} | "
                  f"{r['before_new']:>11.0f} {r['before_answer']:>14.0f}", flush=True)
        return 0
    entries = history = 0
    for h in (int(x) for x in args.history.split(",")):
        started = time.monotonic()
        grow_history(db, history, h, rng)
        history = h
        counter.take()
        stats.refresh(db, contract.utcnow(), "UTC")   # the counters, as in a running system (the 6-hourly recount)
        recount = counter.take()
        counter.take()
        stats.maintain(db, contract.utcnow(), "UTC")  # every sweep between recounts
        print(f"  history {h}: the sweep's recount (every 6 h) {recount} reads; its other runs "
              f"{counter.take()} reads", flush=True)
        for n in (sizes if entries <= min(sizes) else sorted(sizes, reverse=True)):
            (grow_entries(db, entries, n, rng) if n > entries else shrink_entries(db, entries, n))
            entries = n
            r = measure(db, counter, args.events, registry, rng)
            print(f"{n:>8} {h:>9} | {r['new']:>15.1f} {r['answer']:>10.1f} | {r['cold']:>6} | "
                  f"{r['before_new']:>11.0f} {r['before_answer']:>14.0f}", flush=True)
        print(f"  (history {h}: set-up and runs {time.monotonic() - started:.0f} s)", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
