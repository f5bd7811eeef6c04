"""Issue 16 item 8, the dashboard half, in a real browser: what Chromium receives from Firestore for the
knowledge base carries no vector (they live in knowledge_vectors, which no browser may read), read on
the wire as it arrives (bench/received.py). The check is shown able to fail: an older entry with
inline vectors puts them on the wire, until the repair pass moves them out."""
from __future__ import annotations

import os

from frontdesk_core import contract, embedding
from frontdesk_core.workflows import knowledge
from playwright.sync_api import expect

from bench.received import FirestoreTraffic, vector_marks
from tests.emulator import vectors_of, wait_for


def test_the_learned_view_receives_every_entry_and_no_vector(page, sign_in, supervisor, salon, admin_db):
    seeded = {s.id: s.to_dict() for s in admin_db.collection(contract.KNOWLEDGE_BASE).stream()}
    assert all(vectors_of(admin_db, i) for i in seeded)          # the seed wrote every entry's vectors
    traffic = FirestoreTraffic(page, os.environ["FIRESTORE_EMULATOR_HOST"])
    sign_in(page, supervisor.email)
    page.get_by_role("link", name="Learned answers").click()
    items = page.locator("#learned-view li[data-id]")
    expect(items).to_have_count(len(seeded))
    wording = next(p["text"] for e in seeded.values() for p in e.get(contract.PHRASINGS) or ())
    wait_for(lambda: all(e["question"] in traffic.text for e in seeded.values()) and wording in traffic.text)
    assert vector_marks(traffic.text) == []

    # A supervisor's new entry: the functions embed it beside it; the browser still gets no vector.
    admin_db.collection(contract.KNOWLEDGE_BASE).document("wifi").set(
        contract.new_knowledge_entry("Do you have wifi?", "Yes, ask at the desk.", source="supervisor"))
    wait_for(lambda: vectors_of(admin_db, "wifi"), timeout=20)
    expect(items).to_have_count(len(seeded) + 1)
    assert "Do you have wifi?" in traffic.text and vector_marks(traffic.text) == []

    # An entry written before the vectors moved: its inline vectors do reach the browser (the check
    # sees them) until the repair pass moves them out; its next snapshot carries none.
    question, answer = "Do you do hot stone massage?", "Yes, 60 minutes for $90."
    ref = admin_db.collection(contract.KNOWLEDGE_BASE).document("stones")
    before = traffic.mark()
    ref.set({**contract.new_knowledge_entry(question, answer, source="supervisor"),
             **embedding.knowledge_fields(question, answer), contract.PHRASINGS: []})
    wait_for(lambda: question in traffic.since(before))
    assert '"__vector__"' in vector_marks(traffic.since(before))
    after = traffic.mark()
    moved = knowledge.repair(admin_db, "stones", ref.get().to_dict(), knowledge.stamped(embedding.knowledge_fields),
                             vectors_of(admin_db, "stones"))
    assert moved.written
    wait_for(lambda: question in traffic.since(after))
    assert vector_marks(traffic.since(after)) == []
    expect(items).to_have_count(len(seeded) + 2)
