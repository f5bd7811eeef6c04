"""Issue 16 item 8, the dashboard half, on the emulators (functions running): an entry's vectors live in
knowledge_vectors/{id}, written by the functions, never in the entry every supervisor's browser reads.

Entries are written here with exactly the fields the dashboard writes (the Admin SDK bypasses rules;
tests/rules/ prove the browser may write these and nothing of knowledge_vectors), and the agent's
live index (two listeners: entries and vectors) is checked to learn them."""
from __future__ import annotations

import numpy as np
import pytest
from google.cloud import firestore

from frontdesk_core import contract, embedding
from frontdesk_core.infra import faults
from frontdesk_core.understanding import vectors
from tests.emulator import phrasing_vector, vectors_of, wait_for
from tests.integration.salon import add_request, doc, test_project  # noqa: F401
from tests.integration.salon import fault_hit, swept

pytestmark = pytest.mark.emulator
SUPERVISOR, EMAIL = "supervisor-1", "supervisor@lumen.example"


def inline_fields(entry: dict) -> set[str]:
    """Vector fields left inside an entry (none, once the vectors have moved)."""
    found = set(entry) & set(contract.INLINE_VECTOR_FIELDS)
    return found | {f"phrasings.{p.get('text')}" for p in entry.get(contract.PHRASINGS) or ()
                    if isinstance(p, dict) and contract.EMBEDDING in p}


def dashboard_create(db, entry_id: str, question: str, answer: str) -> None:
    """knowledge.js createEntry: exactly isNewEntry's fields."""
    db.collection(contract.KNOWLEDGE_BASE).document(entry_id).set({
        "question": question, "answer": answer, "createdAt": firestore.SERVER_TIMESTAMP,
        "originatingRequestId": None, "source": "supervisor", "createdBy": SUPERVISOR})


def dashboard_delete(db, entry_id: str) -> None:
    """knowledge.js deleteEntry: the delete and its record in one batch (the rules require both)."""
    ref = db.collection(contract.KNOWLEDGE_BASE).document(entry_id)
    entry = ref.get().to_dict()
    batch = db.batch()
    batch.delete(ref)
    batch.set(db.collection(contract.KNOWLEDGE_DELETIONS).document(contract.deletion_id(entry_id, entry)),
              contract.deletion_record(entry_id, entry, by=SUPERVISOR, by_email=EMAIL, now=contract.utcnow()))
    batch.commit()


def stamps() -> dict:
    return {"updatedAt": firestore.SERVER_TIMESTAMP, "updatedBy": SUPERVISOR, "updatedByEmail": EMAIL}


def close(stored, text: str) -> bool:
    vec = embedding.from_firestore(stored)
    return vec is not None and float(vec @ embedding.embed(text)) > 0.9999


def test_an_entry_written_the_dashboards_way_gets_its_vectors_beside_it_never_inline(salon_db, live_knowledge):
    db, index = salon_db, live_knowledge
    ref = db.collection(contract.KNOWLEDGE_BASE).document("wifi")
    dashboard_create(db, "wifi", "Do you have wifi for clients?", "Yes, the password is at the desk.")
    stored = wait_for(lambda: vectors_of(db, "wifi"), timeout=20)
    entry = ref.get().to_dict()
    assert inline_fields(entry) == set()
    assert stored[contract.EMBEDDING_MODEL] == embedding.MODEL_ID
    assert stored[contract.EMBEDDED_FROM] == vectors.stamp(entry)
    assert close(stored[contract.EMBEDDING], entry["question"]) and close(stored[contract.ANSWER_EMBEDDING], entry["answer"])
    # The agent learns it (embedding it itself until the vectors arrive, then the stored ones).
    wait_for(lambda: index.lookup("Is there wifi for clients?"), timeout=10)
    assert index.lookup("Is there wifi for clients?").answer == "Yes, the password is at the desk."

    # An edit (isEntryEdit): re-embedded beside it, still nothing inline; the agent answers the new text.
    ref.update({"answer": "Yes, free: ask at the desk for the code.", **stamps()})
    wait_for(lambda: vectors_of(db, "wifi")[contract.EMBEDDED_FROM] == vectors.stamp(ref.get().to_dict()), timeout=20)
    assert close(vectors_of(db, "wifi")[contract.ANSWER_EMBEDDING], "Yes, free: ask at the desk for the code.")
    assert inline_fields(ref.get().to_dict()) == set()
    wait_for(lambda: (index.lookup("Is there wifi for clients?") or None)
             and index.lookup("Is there wifi for clients?").answer.startswith("Yes, free"), timeout=10)

    # A caller's wording linked to it: its vector beside the entry, keyed by its text.
    rid = add_request(db, phone="+15550281", question="Can I get online while I wait?")
    db.collection(contract.HELP_REQUESTS).document(rid).update({
        **contract.resolution(ref.get().get("answer"), answered_by=SUPERVISOR),
        contract.KNOWLEDGE_ID: "wifi", contract.KNOWLEDGE_ACTION: contract.LINK})
    wait_for(lambda: phrasing_vector(db, "wifi", "Can I get online while I wait?") is not None, timeout=20)
    assert close(phrasing_vector(db, "wifi", "Can I get online while I wait?"), "Can I get online while I wait?")
    assert inline_fields(ref.get().to_dict()) == set()

    # The supervisor undoes that link (isPhrasingRemoval): the wording's vector goes too.
    ref.update({contract.PHRASINGS: [], **stamps()})
    wait_for(lambda: phrasing_vector(db, "wifi", "Can I get online while I wait?") is None, timeout=20)
    assert vectors_of(db, "wifi")[contract.PHRASING_VECTORS] == {}

    # Deleted with its record (the dashboard's batch): the trigger deletes its vectors.
    dashboard_delete(db, "wifi")
    wait_for(lambda: vectors_of(db, "wifi") is None, timeout=20)
    wait_for(lambda: all(e.id != "wifi" for e in index.index.entries), timeout=10)


def test_an_older_entry_with_inline_vectors_keeps_answering_and_the_sweep_moves_them_out(salon_db, live_knowledge):
    db, index = salon_db, live_knowledge
    question, answer = "Do you do hot stone massage?", "Yes, 60 minutes for $90."
    wording = "Can I book a hot stone massage?"
    fields = embedding.knowledge_fields(question, answer)
    legacy = {**contract.new_knowledge_entry(question, answer, source="supervisor"), **fields,
              contract.PHRASINGS: [{**contract.new_phrasing(wording, source="link"),
                                    contract.EMBEDDING: embedding.to_firestore(embedding.embed(wording))}]}
    ref = db.collection(contract.KNOWLEDGE_BASE).document("stones")
    ref.set(legacy)   # as an entry written before the vectors moved
    wait_for(lambda: index.lookup("Do you do hot stone massages?"), timeout=10)
    assert inline_fields(ref.get().to_dict()) == {*fields, f"phrasings.{wording}"}

    moved = swept(db)["repaired"]   # a sweep a few minutes on, as the scheduler runs it
    assert "stones" in moved["moved"] and "stones" not in moved["embedded"]   # moved, nothing embedded
    entry = ref.get().to_dict()
    assert inline_fields(entry) == set() and [p["text"] for p in entry[contract.PHRASINGS]] == [wording]
    stored = vectors_of(db, "stones")
    assert np.allclose(embedding.from_firestore(stored[contract.EMBEDDING]),
                       embedding.from_firestore(fields[contract.EMBEDDING]))
    assert close(phrasing_vector(db, "stones", wording), wording)
    assert swept(db)["repaired"]["moved"] == []                                 # nothing left to move
    assert index.lookup("Do you do hot stone massages?").answer == answer
    assert index.lookup(wording).answer == answer


def test_a_conflict_kept_one_way_moves_the_dropped_entrys_vectors_and_deletes_its_own(salon_db):
    db, men = salon_db, "seed-price-men-s-haircut"
    dropped, dropped_vectors = doc(db, contract.KNOWLEDGE_BASE, men), vectors_of(db, men)
    dashboard_create(db, "mens-now", "What does a men's haircut cost?", "A men's haircut is $50 since January.")
    conflict_id = contract.conflict_id("mens-now", men)   # found with the vector the trigger just wrote
    wait_for(lambda: doc(db, contract.KNOWLEDGE_CONFLICTS, conflict_id), timeout=20)
    db.collection(contract.KNOWLEDGE_CONFLICTS).document(conflict_id).update(
        {"status": "resolved", "keep": "mens-now", "resolvedBy": SUPERVISOR, "resolvedAt": contract.utcnow()})
    wait_for(lambda: doc(db, contract.KNOWLEDGE_BASE, men) is None, timeout=20)
    assert vectors_of(db, men) is None                    # gone in the same transaction as the entry
    kept = doc(db, contract.KNOWLEDGE_BASE, "mens-now")
    moved = [dropped["question"], *(p["text"] for p in dropped[contract.PHRASINGS])]
    assert [p["text"] for p in kept[contract.PHRASINGS]] == moved and inline_fields(kept) == set()
    stored = vectors_of(db, "mens-now")[contract.PHRASING_VECTORS]
    assert set(stored) == {contract.phrasing_key(t) for t in moved}
    # the dropped entry's own vectors, kept (read as float32 unit vectors: equal to ~1e-7)
    same = lambda a, b: np.allclose(embedding.from_firestore(a), embedding.from_firestore(b), atol=1e-6)  # noqa: E731
    assert same(stored[contract.phrasing_key(dropped["question"])], dropped_vectors[contract.EMBEDDING])
    for text in moved[1:]:
        key = contract.phrasing_key(text)
        assert same(stored[key], dropped_vectors[contract.PHRASING_VECTORS][key])


def test_a_deletion_whose_trigger_was_cut_short_loses_its_vectors_at_the_sweep(salon_db):
    db, entry_id = salon_db, "seed-hours-sunday"
    faults.arm(db, faults.KNOWLEDGE_BEFORE_UNVECTOR)
    dashboard_delete(db, entry_id)
    fault_hit(db, faults.KNOWLEDGE_BEFORE_UNVECTOR)
    assert doc(db, contract.KNOWLEDGE_BASE, entry_id) is None and vectors_of(db, entry_id) is not None   # left
    assert swept(db)["repaired"]["unvectored"] == [entry_id]      # found from the deletion's record
    assert vectors_of(db, entry_id) is None
    assert swept(db)["repaired"]["unvectored"] == []
