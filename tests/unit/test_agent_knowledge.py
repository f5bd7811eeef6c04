"""The agent's index uses stored vectors and embeds only what lacks usable ones (no Firestore here)."""
from dataclasses import replace

import numpy as np

from agent import knowledge as kmod
from agent.knowledge import KnowledgeIndex, _entries
from frontdesk_core import embedding


def doc(q, a, **extra):
    return {"question": q, "answer": a, **extra}


def test_stored_vectors_are_used_and_only_the_rest_is_embedded(monkeypatch):
    stored = embedding.knowledge_fields("Do you sell gift cards?", "Yes, from $25.")
    calls = []
    real = embedding.embed_many
    monkeypatch.setattr(kmod.embedding, "embed_many", lambda texts, *a: calls.append(list(texts)) or real(texts))
    rows = [("with", doc("Do you sell gift cards?", "Yes, from $25.", **stored)),
            ("without", doc("Do you do perms?", "No.")),
            ("other-model", doc("Is there parking?", "Yes.", **{**stored, "embeddingModel": "another/model"})),
            ("broken", doc("Any wifi?", "Yes.", embedding=[1.0, 2.0], answerEmbedding=None,
                           embeddingModel=embedding.MODEL_ID)),
            ("no-answer", {"question": "Half an entry?"}),
            ("blank", doc("  ", "x"))]
    entries = {e.id: e for e in _entries(rows)}
    assert set(entries) == {"with", "without", "other-model", "broken"}
    assert calls == [["Do you do perms?", "No.", "Is there parking?", "Yes.", "Any wifi?", "Yes."]]
    assert np.allclose(entries["with"].vector, embedding.from_firestore(stored["embedding"]))
    assert float(entries["without"].vector @ embedding.embed("Do you do perms?")) > 0.9999


def test_unchanged_entries_keep_their_vectors_and_edited_ones_are_re_embedded(monkeypatch):
    first = {e.id: e for e in _entries([("a", doc("Do you do perms?", "No."))])}
    calls = []
    real = embedding.embed_many
    monkeypatch.setattr(kmod.embedding, "embed_many", lambda texts, *a: calls.append(list(texts)) or real(texts))
    again = {e.id: e for e in _entries([("a", doc("Do you do perms?", "No."))], first)}
    assert again["a"] is first["a"] and calls == []
    # Edited on the dashboard; the stored vector is still the old one until the functions re-embed it.
    old = embedding.knowledge_fields("Do you do perms?", "No.")
    edited = _entries([("a", doc("Do you do perms or waves?", "Yes, perms from $90.", **old))],
                      {"a": _entries([("a", doc("Do you do perms?", "No.", **old))])[0]})
    assert calls and calls[-1][0] == "Do you do perms or waves?"
    assert float(edited[0].vector @ embedding.embed("Do you do perms or waves?")) > 0.9999


def test_index_from_a_file_answers_and_says_why_not(tmp_path):
    path = tmp_path / "kb.json"
    path.write_text('[{"id": "gift", "question": "Do you sell gift cards?", "answer": "Yes, from $25."}]')
    index = KnowledgeIndex.from_file(path)
    assert len(index) == 1
    assert index.lookup("do you guys sell gift cards?").answer == "Yes, from $25."
    assert index.lookup("Do you do perms?") is None


def test_phrasings_use_their_stored_vectors_and_file_strings_are_embedded(monkeypatch):
    stored = embedding.knowledge_fields("Do you sell gift cards?", "Yes, from $25.")
    learned = {"text": "Can I get a voucher?", "source": "link", "requestId": "r1",
               "embedding": embedding.to_firestore(embedding.embed("Can I get a voucher?"))}
    calls = []
    real = embedding.embed_many
    monkeypatch.setattr(kmod.embedding, "embed_many", lambda texts, *a: calls.append(list(texts)) or real(texts))
    [entry] = _entries([("gift", doc("Do you sell gift cards?", "Yes, from $25.", **stored,
                                     phrasings=[learned, "Do you do gift vouchers?", {"text": " "}]))])
    assert [(p.text, p.source) for p in entry.phrasings] == [("Can I get a voucher?", "link"),
                                                             ("Do you do gift vouchers?", "seed")]
    assert calls == [["Do you do gift vouchers?"]]          # only the phrasing without a vector
    assert not entry.held
    [held] = _entries([("gift", doc("Do you sell gift cards?", "Yes.", conflictWith=["other"]))])
    assert held.held


def test_a_learned_wording_is_answered_and_a_held_entry_escalates(tmp_path):
    path = tmp_path / "kb.json"
    path.write_text('[{"id": "men", "question": "How much does a men\'s haircut cost?", "answer": "$45.", '
                    '"phrasings": ["How much for a skin fade?"]}, '
                    '{"id": "women", "question": "How much does a women\'s haircut cost?", "answer": "$75."}]')
    index = KnowledgeIndex.from_file(path)
    assert index.lookup("What would a skin fade cost?").entry_id == "men"
    held = KnowledgeIndex([e if e.id != "men" else replace(e, held=True)
                           for e in index.index.entries])
    decision = held.decide("What would a skin fade cost?")
    assert not decision.answered and "under review" in decision.reason
