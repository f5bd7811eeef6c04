"""What a supervisor's answer writes (workflows/teaching.py), decided over plain dicts: every rule of
teaching and of the follow-up's channel, without an emulator (the transaction that reads and applies
it is covered in tests/integration/test_functions.py and test_learning.py)."""
from datetime import datetime, timezone

from frontdesk_core import contract
from frontdesk_core.workflows import teaching

NOW = datetime(2026, 12, 7, 9, tzinfo=timezone.utc)
VECTORS = {contract.EMBEDDING: "q-vector", contract.EMBEDDING_MODEL: "minilm"}


def answered(**fields):
    return {**contract.new_help_request("+15550100", "Do you do perms?", now=NOW, conversation_id="c1"),
            "status": "resolved", "responseText": "Yes, from $120.", "respondedAt": NOW, "answeredBy": "sup-1",
            **fields}


def entry(question="Can I get a perm?", answer="We do perms.", phrasings=()):
    return {**contract.new_knowledge_entry(question, answer, now=NOW), contract.PHRASINGS: list(phrasings)}


def state(request, *, primary=None, teach=None, teach_exists=True, **read):
    chosen = teaching.target("r1", request, primary)
    chosen = teaching.after_reading(chosen, "r1", request, teach_exists)
    return teaching.AnswerState("r1", request, target=chosen, teach=teach if teach_exists else None, **read)


def plan(s, **kw):
    return teaching.plan(s, caller_channel="sms", now=NOW, **kw)


def writes(p):
    return {(w.op, w.collection, w.doc_id): w.data for w in p.writes}


def test_an_answer_with_no_choice_is_learned_under_the_requests_id_and_followed_up_by_text():
    p = plan(state(answered()), embedding=VECTORS)
    w = writes(p)
    learned = w[("create", contract.KNOWLEDGE_BASE, "r1")]
    assert (learned["question"], learned["answer"], learned["originatingRequestId"]) == (
        "Do you do perms?", "Yes, from $120.", "r1")
    assert learned[contract.PHRASINGS] == [] and contract.EMBEDDING not in learned   # the browser reads it
    beside = w[("set", contract.KNOWLEDGE_VECTORS, "r1")]
    assert beside[contract.EMBEDDING] == "q-vector" and beside[contract.PHRASING_VECTORS] == {}
    followup = w[("create", contract.FOLLOWUPS, "r1")]
    assert followup["channel"] == "sms" and "Yes, from $120." in followup["body"]
    assert p.resolved and p.learned and p.followup_channel == "sms"


def test_without_vectors_its_vectors_document_carries_the_nulls_the_repair_pass_looks_for():
    beside = writes(plan(state(answered())))[("set", contract.KNOWLEDGE_VECTORS, "r1")]
    assert beside[contract.EMBEDDING] is None and beside[contract.EMBEDDING_MODEL] is None


def test_new_beside_near_entries_is_marked_distinct_from_them():
    request = answered(knowledgeAction="new", knowledgeId="e1",
                       suggestions=[{"knowledgeId": "e2", "near": True}, {"knowledgeId": "e3", "near": False}])
    learned = writes(plan(state(request)))[("create", contract.KNOWLEDGE_BASE, "r1")]
    assert learned[contract.DISTINCT_FROM] == ["e1", "e2"]


def test_link_adds_the_callers_wording_to_the_chosen_entry_and_creates_nothing():
    p = plan(state(answered(knowledgeAction="link", knowledgeId="e1"), teach=entry()))
    w = writes(p)
    assert list(w) == [("update", contract.KNOWLEDGE_BASE, "e1"), ("create", contract.FOLLOWUPS, "r1")]
    added = w[("update", contract.KNOWLEDGE_BASE, "e1")][contract.PHRASINGS].values
    assert [(x["text"], x["source"], x["requestId"]) for x in added] == [("Do you do perms?", "link", "r1")]
    assert not p.learned


def test_the_callers_wording_gets_its_vector_beside_the_entry():
    p = plan(state(answered(knowledgeAction="link", knowledgeId="e1"), teach=entry()), embedding=VECTORS)
    beside = writes(p)[("merge", contract.KNOWLEDGE_VECTORS, "e1")]
    assert beside[contract.PHRASING_VECTORS] == {contract.phrasing_key("Do you do perms?"): "q-vector"}


def test_update_replaces_the_answer_stamped_with_the_supervisor_who_answered():
    request = answered(knowledgeAction="update", knowledgeId="e1")
    update = writes(plan(state(request, teach=entry()), answerer_email="sup@salon.test"))[
        ("update", contract.KNOWLEDGE_BASE, "e1")]
    assert (update["answer"], update["updatedBy"], update["updatedByEmail"], update["updatedAt"]) == (
        "Yes, from $120.", "sup-1", "sup@salon.test", NOW)


def test_a_wording_the_entry_has_already_changes_nothing():
    taught = entry(question="Do you do perms?", answer="Yes, from $120.")
    p = plan(state(answered(knowledgeAction="link", knowledgeId="e1"), teach=taught))
    assert [w.collection for w in p.writes] == [contract.FOLLOWUPS] and not p.log


def test_a_group_member_teaches_what_its_primary_taught_as_a_group_wording():
    member = answered(resolvedViaGroup="p1", groupId="p1", question="Can you perm my hair?")
    linked = state(member, primary=answered(knowledgeAction="link", knowledgeId="e1"), teach=entry())
    assert (linked.target.teach_id, linked.target.source) == ("e1", "group")
    learned_by_primary = state(member, primary=answered(), teach=entry())
    assert learned_by_primary.target.teach_id == "p1"   # the entry the primary's answer created
    added = writes(plan(linked))[("update", contract.KNOWLEDGE_BASE, "e1")][contract.PHRASINGS].values
    assert added[0]["source"] == "group"


def test_a_linked_entry_deleted_meanwhile_is_learned_as_a_new_entry():
    p = plan(state(answered(knowledgeAction="link", knowledgeId="gone"), teach_exists=False))
    assert ("create", contract.KNOWLEDGE_BASE, "r1") in writes(p) and p.learned


def test_a_caller_still_on_the_call_hears_it_there():
    p = plan(state(answered(), call_live=True))
    assert writes(p)[("create", contract.FOLLOWUPS, "r1")]["channel"] == "call" and p.followup_channel == "call"


def test_a_repeat_plans_nothing():
    p = plan(state(answered(), create_exists=True, followup_exists=True))
    assert p.resolved and p.writes == [] and not p.learned and p.followup_channel is None


def test_an_unanswered_or_invalid_request_plans_nothing():
    assert plan(teaching.AnswerState("r1", {**answered(), "status": "pending"})) == teaching.Plan(resolved=False)
    assert plan(teaching.AnswerState("r1")) == teaching.Plan(resolved=False)
    invalid = plan(teaching.AnswerState("r1", invalid="customerPhone: 'x' is not an E.164 number"))
    assert not invalid.resolved and invalid.writes == [] and invalid.log[0].startswith("not learned: customerPhone")
