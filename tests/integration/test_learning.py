"""Knowledge that grows with every call, on the emulators: suggestions, answering with an existing
entry (its wording becomes a phrasing), grouped callers' wordings, conflicts held until resolved,
answer updates and edits that keep phrasings and leave a revision."""
from __future__ import annotations

import uuid

import pytest
from firebase_admin import auth

from agent.knowledge import KnowledgeIndex
from frontdesk_core import contract
from frontdesk_core.infra.firebase import app
from tests.emulator import phrasing_vector, vectors_of, wait_for
from tests.integration.test_call_flow import place_call, requests

pytestmark = pytest.mark.emulator
MEN = "seed-price-men-s-haircut"


def doc(db, collection, doc_id):
    return db.collection(collection).document(doc_id).get().to_dict()


def entry(db, entry_id):
    return doc(db, contract.KNOWLEDGE_BASE, entry_id)


def add_request(db, question, phone="+15550141"):
    ref = db.collection(contract.HELP_REQUESTS).document()
    ref.set(contract.new_help_request(phone, question))
    return ref.id


def answer(db, request_id, text, **choice):
    db.collection(contract.HELP_REQUESTS).document(request_id).update(
        {**contract.resolution(text, answered_by="supervisor-1"), **choice})
    wait_for(lambda: doc(db, contract.HELP_REQUESTS, request_id).get("followupSent"), timeout=15)


def wordings(db, entry_id):
    return [(p["text"], p["source"]) for p in entry(db, entry_id).get(contract.PHRASINGS) or ()]


def supervisor_entries(db):
    return [s.id for s in db.collection(contract.KNOWLEDGE_BASE).stream() if s.get("source") != "seed"]


def test_linking_an_escalated_wording_teaches_it_and_the_next_call_is_answered(salon_db):
    out = place_call("+15550141", "What would a skin fade cost?")
    assert contract.ESCALATION_MESSAGE in out
    [snap] = requests(salon_db)
    rid = snap.id
    suggestions = wait_for(lambda: doc(salon_db, contract.HELP_REQUESTS, rid).get(contract.SUGGESTIONS))
    assert len(suggestions) == 3 and all({"knowledgeId", "question", "answer", "score", "near"} <= set(s)
                                         for s in suggestions)

    # The supervisor picks the men's haircut entry (it need not be among the suggestions).
    men = entry(salon_db, MEN)
    answer(salon_db, rid, men["answer"], knowledgeId=MEN, knowledgeAction="link")
    assert ("What would a skin fade cost?", "link") in wordings(salon_db, MEN)
    learned = [p for p in entry(salon_db, MEN)[contract.PHRASINGS] if p["source"] == "link"]
    assert learned[0]["requestId"] == rid and len(phrasing_vector(salon_db, MEN, "What would a skin fade cost?")) == 384
    assert "embedding" not in learned[0]                        # its vector is beside the entry, not in it
    assert supervisor_entries(salon_db) == []                   # no second entry

    # The next caller says it in those words: answered from the entry, no new request.
    out = place_call("+15550142", "How much is a skin fade?")
    assert men["answer"] in out and contract.ESCALATION_MESSAGE not in out
    assert len(requests(salon_db)) == 1


def test_a_groups_wordings_become_phrasings_of_what_it_learned(salon_db):
    wordings_ = ["Do you do bridal trials?", "Can I get a bridal trial?", "do you do  BRIDAL trials"]
    ids = [add_request(salon_db, w, phone=f"+1555015{i}") for i, w in enumerate(wordings_)]
    primary = ids[0]
    wait_for(lambda: all(doc(salon_db, contract.HELP_REQUESTS, r).get("groupId") == primary for r in ids[1:]))
    answer(salon_db, primary, "Yes, bridal trials are $80.")
    for rid in ids[1:]:
        wait_for(lambda: doc(salon_db, contract.HELP_REQUESTS, rid).get("followupSent"), timeout=15)
    wait_for(lambda: ("Can I get a bridal trial?", "group") in wordings(salon_db, primary))
    # the third says the first's words: nothing new to learn from it
    assert wordings(salon_db, primary) == [("Can I get a bridal trial?", "group")]
    assert supervisor_entries(salon_db) == [primary]


def test_a_contradicting_answer_is_held_for_review_until_one_answer_is_kept(salon_db):
    rid = add_request(salon_db, "What does a men's haircut cost?")
    answer(salon_db, rid, "A men's haircut is $50 since January.")
    conflict_id = contract.conflict_id(rid, MEN)
    conflict = wait_for(lambda: doc(salon_db, contract.KNOWLEDGE_CONFLICTS, conflict_id))
    assert conflict["status"] == "open" and conflict["entries"] == sorted([rid, MEN])
    wait_for(lambda: entry(salon_db, MEN).get(contract.CONFLICT_WITH) == [rid])
    assert entry(salon_db, rid)[contract.CONFLICT_WITH] == [MEN]

    index = KnowledgeIndex.from_firestore(salon_db)
    try:
        held = index.decide("How much does a men's haircut cost?")
        assert not held.answered and "under review" in held.reason
        assert index.decide("How much is a women's haircut?").answered    # the rest still answers

        # The supervisor keeps the new answer: the old entry's wordings move to it, the old goes.
        seed_wordings = [t for t, _ in wordings(salon_db, MEN)]
        men_before = entry(salon_db, MEN)
        salon_db.collection(contract.KNOWLEDGE_CONFLICTS).document(conflict_id).update(
            {"status": "resolved", "keep": rid, "resolvedBy": "supervisor-1",
             "resolvedAt": contract.utcnow()})
        wait_for(lambda: entry(salon_db, MEN) is None)
        kept = entry(salon_db, rid)
        assert kept[contract.CONFLICT_WITH] == []
        assert [p["text"] for p in kept[contract.PHRASINGS]] == [
            "How much does a men's haircut cost?", *seed_wordings]
        assert {p["source"] for p in kept[contract.PHRASINGS]} == {"merge"}
        decision = wait_for(lambda: (d := index.decide("How much does a men's haircut cost?")).answered and d)
        assert decision.answer == "A men's haircut is $50 since January."
        # the merge's delete leaves the same record a supervisor's delete must (issue 16 item 11)
        record = doc(salon_db, contract.KNOWLEDGE_DELETIONS, contract.deletion_id(MEN, men_before))
        assert record["entryId"] == MEN and record["question"] == men_before["question"]
        assert record["answer"] == men_before["answer"] and record["deletedBy"] == "supervisor-1"
        assert record["reason"] == f"merged into {rid}" and record["deletedAt"] is not None
    finally:
        index.close()


def test_both_right_marks_the_pair_distinct(salon_db):
    rid = add_request(salon_db, "How much does a men's haircut cost?")
    answer(salon_db, rid, "A men's haircut with a hot towel finish is $60.")
    conflict_id = contract.conflict_id(rid, MEN)
    wait_for(lambda: doc(salon_db, contract.KNOWLEDGE_CONFLICTS, conflict_id))
    salon_db.collection(contract.KNOWLEDGE_CONFLICTS).document(conflict_id).update(
        {"status": "resolved", "keep": "both", "resolvedBy": "supervisor-1", "resolvedAt": contract.utcnow()})
    wait_for(lambda: entry(salon_db, MEN).get(contract.DISTINCT_FROM) == [rid])
    assert entry(salon_db, MEN)[contract.CONFLICT_WITH] == []
    assert entry(salon_db, rid)[contract.DISTINCT_FROM] == [MEN]


def test_new_answer_beside_a_near_entry_stands_apart_without_a_conflict(salon_db):
    rid = add_request(salon_db, "How much does a men's haircut cost now?")
    wait_for(lambda: doc(salon_db, contract.HELP_REQUESTS, rid).get(contract.SUGGESTIONS))
    answer(salon_db, rid, "Men's cuts with a stylist-in-training are $25.", knowledgeId=MEN, knowledgeAction="new")
    learned = wait_for(lambda: entry(salon_db, rid))
    assert MEN in learned[contract.DISTINCT_FROM]
    wait_for(lambda: (vectors_of(salon_db, rid) or {}).get("embedding") is not None)
    assert list(salon_db.collection(contract.KNOWLEDGE_CONFLICTS).stream()) == []


def test_update_replaces_the_answer_keeps_phrasings_and_records_who(salon_db):
    app()
    email = f"ana-{uuid.uuid4().hex[:8]}@lumen.example"
    user = auth.create_user(email=email, password="correct-horse-battery")
    rid = add_request(salon_db, "How much is a gents cut?")
    before = entry(salon_db, MEN)
    before_vectors = vectors_of(salon_db, MEN)
    db_request = salon_db.collection(contract.HELP_REQUESTS).document(rid)
    db_request.update({**contract.resolution("A men's haircut is now $50.", answered_by=user.uid),
                       "knowledgeId": MEN, "knowledgeAction": "update"})
    wait_for(lambda: doc(salon_db, contract.HELP_REQUESTS, rid).get("followupSent"), timeout=15)
    after = entry(salon_db, MEN)
    assert after["answer"] == "A men's haircut is now $50." and after["updatedBy"] == user.uid
    assert [p["text"] for p in after[contract.PHRASINGS]] == [
        *(p["text"] for p in before[contract.PHRASINGS]), "How much is a gents cut?"]
    revisions = wait_for(lambda: [s.to_dict() for s in salon_db.collection(contract.KNOWLEDGE_BASE)
                                  .document(MEN).collection(contract.REVISIONS).stream()])
    assert len(revisions) == 1
    assert revisions[0]["before"]["answer"] == before["answer"]
    assert revisions[0]["after"]["answer"] == "A men's haircut is now $50."
    assert revisions[0]["by"] == user.uid and revisions[0]["byEmail"] == email
    # re-embedded for the new answer, phrasings untouched
    wait_for(lambda: vectors_of(salon_db, MEN)["answerEmbedding"] != before_vectors["answerEmbedding"])
    assert entry(salon_db, MEN)[contract.PHRASINGS] == after[contract.PHRASINGS]


def test_an_update_after_someone_elses_edit_names_the_supervisor_who_answered(salon_db):
    """Issue 16 item 11: the revision (and the entry's stamp) used to keep the last editor's email."""
    app()
    editor, answerer = (auth.create_user(email=f"{who}-{uuid.uuid4().hex[:8]}@lumen.example", password="pw-123456")
                        for who in ("editor", "answerer"))
    kb = salon_db.collection(contract.KNOWLEDGE_BASE).document(MEN)
    kb.update({"answer": "A men's haircut is $46.", "updatedAt": contract.utcnow(), "updatedBy": editor.uid,
               "updatedByEmail": editor.email})
    revisions = kb.collection(contract.REVISIONS)
    wait_for(lambda: len(list(revisions.stream())) == 1)
    rid = add_request(salon_db, "How much is a gents cut?")
    salon_db.collection(contract.HELP_REQUESTS).document(rid).update(
        {**contract.resolution("A men's haircut is now $50.", answered_by=answerer.uid),
         "knowledgeId": MEN, "knowledgeAction": "update"})
    wait_for(lambda: len(list(revisions.stream())) == 2, timeout=15)
    update = next(r.to_dict() for r in revisions.stream() if r.to_dict()["after"]["answer"].endswith("$50."))
    assert update["by"] == answerer.uid and update["byEmail"] == answerer.email
    assert update["before"]["answer"] == "A men's haircut is $46."
    assert entry(salon_db, MEN)["updatedByEmail"] == answerer.email


def test_a_bad_knowledge_choice_is_reverted(salon_db):
    rid = add_request(salon_db, "Do you sell gift cards?")
    salon_db.collection(contract.HELP_REQUESTS).document(rid).update(
        {**contract.resolution("Yes."), "knowledgeAction": "merge-everything", "knowledgeId": MEN})
    reverted = wait_for(lambda: (d := doc(salon_db, contract.HELP_REQUESTS, rid)).get("rejectedChange") and d)
    assert reverted["status"] == "pending" and "knowledgeAction" in reverted["rejectedChange"]["reason"]
    assert supervisor_entries(salon_db) == []


def test_removing_a_wrong_wording_is_recorded_and_the_agent_forgets_it(salon_db):
    rid = add_request(salon_db, "What would a skin fade cost?")
    women = "seed-price-women-s-haircut"                 # linked to the wrong entry
    answer(salon_db, rid, entry(salon_db, women)["answer"], knowledgeId=women, knowledgeAction="link")
    index = KnowledgeIndex.from_firestore(salon_db)
    try:
        wait_for(lambda: (d := index.decide("How much is a skin fade?")).answered and d.entry_id == women)
        kept = [p for p in entry(salon_db, women)[contract.PHRASINGS] if p["source"] != "link"]
        salon_db.collection(contract.KNOWLEDGE_BASE).document(women).update(
            {contract.PHRASINGS: kept, "updatedAt": contract.utcnow(), "updatedBy": "supervisor-1"})
        revisions = wait_for(lambda: [s.to_dict() for s in salon_db.collection(contract.KNOWLEDGE_BASE)
                                      .document(women).collection(contract.REVISIONS).stream()])
        assert revisions[0]["removedPhrasings"] == ["What would a skin fade cost?"]
        assert revisions[0]["by"] == "supervisor-1"
        wait_for(lambda: not index.decide("How much is a skin fade?").answered)
    finally:
        index.close()
