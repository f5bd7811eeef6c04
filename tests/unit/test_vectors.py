"""Issue 16 item 8, the dashboard half: an entry's vectors live in knowledge_vectors/{id}, not in the
entry the browser reads. Which stored vectors count, what is missing, the document an entry should
have, and the inline vectors of older entries (pure, no Firestore)."""
import numpy as np
import pytest

from frontdesk_core import contract, embedding
from frontdesk_core.understanding import vectors
from frontdesk_core.workflows import knowledge
from frontdesk_core.understanding.entries import entries

RNG = np.random.default_rng(16)


def unit():
    v = RNG.standard_normal(embedding.DIM).astype(np.float32)
    return v / np.linalg.norm(v)


def entry(q="Do you sell gift cards?", a="Yes, from $25.", wordings=("Can I buy a voucher?",), **extra):
    return {"question": q, "answer": a, "source": "supervisor",
            "phrasings": [contract.new_phrasing(t, source="link") for t in wordings], **extra}


def doc_for(e, qv, av, pvs):
    return {contract.EMBEDDING: embedding.to_firestore(qv), contract.ANSWER_EMBEDDING: embedding.to_firestore(av),
            contract.EMBEDDING_MODEL: embedding.MODEL_ID, contract.EMBEDDED_FROM: vectors.stamp(e),
            contract.PHRASING_VECTORS: {contract.phrasing_key(t): embedding.to_firestore(v) for t, v in pvs.items()}}


def test_a_vectors_document_counts_only_for_the_text_it_was_made_from():
    e, qv, av, pv = entry(), unit(), unit(), unit()
    doc = doc_for(e, qv, av, {"Can I buy a voucher?": pv})
    have = vectors.stored(e, doc)
    assert np.allclose(have.question, qv) and np.allclose(have.answer, av)
    assert np.allclose(have.phrasings["Can I buy a voucher?"], pv)
    assert vectors.missing(e, doc) == [] and vectors.up_to_date(e, doc)
    edited = {**e, "answer": "Yes, from $30."}           # an edit not re-embedded yet
    assert vectors.stored(edited, doc).question is None and vectors.missing(edited, doc) == [
        "Do you sell gift cards?", "Yes, from $30."]
    assert not vectors.up_to_date(edited, doc)
    other_model = {**doc, contract.EMBEDDING_MODEL: "another/model"}
    assert len(vectors.missing(e, other_model)) == 3
    assert vectors.missing(e, None) == ["Do you sell gift cards?", "Yes, from $25.", "Can I buy a voucher?"]


def test_a_wording_finds_its_vector_by_its_own_text_and_a_removed_one_loses_it():
    e = entry(wordings=("Can I buy a voucher?", "What would a skin fade cost?"))
    pvs = {"Can I buy a voucher?": unit(), "What would a skin fade cost?": unit()}
    doc = doc_for(e, unit(), unit(), pvs)
    removed = entry(wordings=("Can I buy a voucher?",))   # the dashboard's isPhrasingRemoval
    assert knowledge.needs_embedding(e, removed)            # wordings changed: the trigger looks
    assert vectors.missing(removed, doc) == [] and not vectors.up_to_date(removed, doc)
    new = vectors.document(removed, doc, {})
    assert list(new[contract.PHRASING_VECTORS]) == [contract.phrasing_key("Can I buy a voucher?")]
    assert vectors.up_to_date(removed, new)
    added = entry(wordings=("Can I buy a voucher?", "Any vouchers?"))
    assert vectors.missing(added, new) == ["Any vouchers?"]
    assert vectors.document(added, new, {}) is None                        # not without its vector
    assert vectors.up_to_date(added, vectors.document(added, new, {"Any vouchers?": unit()}))
    assert contract.phrasing_key("a.b `c`") .isalnum()                    # a plain field name, any text


def test_entries_written_before_the_move_keep_working_and_are_moved_out():
    e = entry()
    qv, av, pv = unit(), unit(), unit()
    legacy = {**e, contract.EMBEDDING: embedding.to_firestore(qv), contract.ANSWER_EMBEDDING: embedding.to_firestore(av),
              contract.EMBEDDING_MODEL: embedding.MODEL_ID,
              "phrasings": [{**e["phrasings"][0], "embedding": embedding.to_firestore(pv)}]}
    assert vectors.has_inline(legacy) and not vectors.has_inline(e)
    assert vectors.missing(legacy, None) == []             # readers use the inline ones meanwhile
    moved = vectors.document(legacy, None, {})
    assert np.allclose(embedding.from_firestore(moved[contract.EMBEDDING]), qv)
    assert np.allclose(embedding.from_firestore(moved[contract.PHRASING_VECTORS][contract.phrasing_key(
        "Can I buy a voucher?")]), pv)
    assert moved[contract.EMBEDDED_FROM] == vectors.stamp(e)
    assert not vectors.up_to_date(legacy, None) and vectors.up_to_date(legacy, moved)
    assert vectors.bare(legacy) == e
    removal = knowledge.inline_removal(legacy)
    assert set(removal) == {contract.EMBEDDING, contract.ANSWER_EMBEDDING, contract.EMBEDDING_MODEL, "phrasings"}
    assert removal["phrasings"] == e["phrasings"]
    stale = {**legacy, contract.EMBEDDED_FROM: "another-text"}            # inline, stamped for other text
    assert vectors.missing(stale, None) == ["Do you sell gift cards?", "Yes, from $25."]


def test_the_index_reads_vectors_from_their_documents_and_embeds_nothing(monkeypatch):
    e = entry()
    texts = ["Do you sell gift cards?", "Yes, from $25.", "Can I buy a voucher?"]
    qv, av, pv = embedding.embed_many(texts)
    doc = doc_for(e, qv, av, {"Can I buy a voucher?": pv})
    calls = []
    monkeypatch.setattr(embedding, "embed_many", lambda t, *a: calls.append(list(t)) or np.zeros((len(t), 384)))
    [built] = entries([("gift", e)], vectors={"gift": doc})
    assert calls == [] and np.allclose(built.vector, qv) and np.allclose(built.phrasings[0].vector, pv)
    [edited] = entries([("gift", {**e, "question": "Any gift cards?"})], vectors={"gift": doc})
    assert calls == [["Any gift cards?", "Yes, from $25."]]                # stale pair: embedded here


@pytest.mark.parametrize("before,after,needed", [
    (None, entry(), True),
    (entry(), entry(), False),
    (entry(), {**entry(), contract.CONFLICT_WITH: ["x"]}, False),
    (entry(), {**entry(), "answer": "No."}, True),
    (entry(), None, False),
])
def test_the_trigger_reads_vectors_only_when_a_text_changed(before, after, needed):
    assert knowledge.needs_embedding(before, after) is needed
