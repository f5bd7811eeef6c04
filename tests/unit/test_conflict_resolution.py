"""What a supervisor's resolution of two conflicting entries writes (workflows/learning.conflict_writes),
over plain dicts; the transaction around it and the trigger are in tests/integration/test_learning.py."""
from datetime import datetime, timezone

from google.cloud import firestore

from frontdesk_core import contract, embedding
from frontdesk_core.workflows import learning

NOW = datetime(2026, 12, 7, 9, tzinfo=timezone.utc)
A_VEC, B_VEC, P_VEC = ([float(i == k) for i in range(embedding.DIM)] for k in range(3))


def entry(question, answer, phrasings=()):
    return {**contract.new_knowledge_entry(question, answer, now=NOW),
            contract.PHRASINGS: [contract.new_phrasing(p, source="link", now=NOW) for p in phrasings]}


A = entry("How much is a men's cut?", "$40.")
B = entry("What do you charge for a gents cut?", "$45.", phrasings=["price of a men's trim"])
B_VECTORS = {contract.EMBEDDING: embedding.to_firestore(B_VEC), contract.EMBEDDING_MODEL: embedding.MODEL_ID,
             contract.EMBEDDED_FROM: contract.vectors_stamp(B["question"], B["answer"]),
             contract.PHRASING_VECTORS: {contract.phrasing_key("price of a men's trim"): embedding.to_firestore(P_VEC)}}


def plan(keep, docs, vectors=B_VECTORS):
    return learning.conflict_writes(["a", "b"], keep, docs, vectors, by="sup-1", by_email="s@salon.test", now=NOW)


def by_target(writes):
    return {(w.op, w.collection, w.doc_id): w.data for w in writes}


def test_keeping_one_answer_merges_the_others_wordings_with_their_vectors_and_deletes_it_with_a_record():
    done, writes = plan("a", {"a": A, "b": B})
    assert done == "kept a, merged b into it"
    w = by_target(writes)
    kept = w[("update", contract.KNOWLEDGE_BASE, "a")]
    assert kept[contract.CONFLICT_WITH] == firestore.ArrayRemove(["b"])
    assert [(p["text"], p["source"]) for p in kept[contract.PHRASINGS].values] == [
        ("What do you charge for a gents cut?", "merge"), ("price of a men's trim", "merge")]
    moved = w[("merge", contract.KNOWLEDGE_VECTORS, "a")][contract.PHRASING_VECTORS]
    assert [list(moved[contract.phrasing_key(t)]) for t in ("What do you charge for a gents cut?",
                                                            "price of a men's trim")] == [B_VEC, P_VEC]
    assert ("delete", contract.KNOWLEDGE_BASE, "b") in w and ("delete", contract.KNOWLEDGE_VECTORS, "b") in w
    record = w[("set", contract.KNOWLEDGE_DELETIONS, contract.deletion_id("b", B))]
    assert record["reason"] == "merged into a" and record["answer"] == "$45."


def test_keeping_both_marks_them_distinct_and_releases_them():
    done, writes = plan(contract.KEEP_BOTH, {"a": A, "b": B}, vectors=None)
    assert done == "kept both as different questions"
    assert by_target(writes) == {
        ("update", contract.KNOWLEDGE_BASE, "a"): {contract.CONFLICT_WITH: firestore.ArrayRemove(["b"]),
                                                  contract.DISTINCT_FROM: firestore.ArrayUnion(["b"])},
        ("update", contract.KNOWLEDGE_BASE, "b"): {contract.CONFLICT_WITH: firestore.ArrayRemove(["a"]),
                                                  contract.DISTINCT_FROM: firestore.ArrayUnion(["a"])}}


def test_a_kept_entry_deleted_meanwhile_only_releases_the_other():
    assert plan("a", {"b": B}, vectors=None) == (
        "a no longer exists; b released",
        [learning.Write("update", contract.KNOWLEDGE_BASE, "b", {contract.CONFLICT_WITH: firestore.ArrayRemove(["a"])})])


def test_a_dropped_entry_deleted_meanwhile_only_releases_the_kept_one():
    done, writes = plan("a", {"a": A}, vectors=None)
    assert by_target(writes) == {("update", contract.KNOWLEDGE_BASE, "a"): {
        contract.CONFLICT_WITH: firestore.ArrayRemove(["b"])}}
