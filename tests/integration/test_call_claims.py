"""One caller on two calls at once asks the same question: one help request, linked to both calls
(issue 16 item 9, the agent's part). Each call runs in its own thread with its own event loop and
Firestore client, as two LiveKit jobs would; a barrier makes both read "no open request" before
either writes, so the claim is all that stands between them and two requests."""
from __future__ import annotations

import asyncio
import threading

import pytest
from google.cloud.firestore import FieldFilter

from agent.calls import CallRecord
from frontdesk_core import contract
from tests.emulator import wait_for

PHONE = "+15550311"
QUESTION = "Do you do hair tinsel?"


@pytest.fixture(autouse=True)
def announced(salon_db):
    """After each test, every request raised has been announced on every channel (and an answered one
    followed up): a message still on its way would reach the next test's provider."""
    yield
    for request_id, request in mine(salon_db).items():
        if request["status"] == contract.RESOLVED:   # its follow-up too
            wait_for(lambda: doc(salon_db, contract.HELP_REQUESTS, request_id)["followupSent"], timeout=30)
        for channel in ("log", "webhook", "sms"):
            wait_for(lambda: (doc(salon_db, contract.NOTIFICATIONS, f"{request_id}-{channel}") or {})
                     .get("status") == "sent", timeout=30)


def doc(db, collection: str, doc_id: str) -> dict | None:
    return db.collection(collection).document(doc_id).get().to_dict()


def mine(db) -> dict[str, dict]:
    query = db.collection(contract.HELP_REQUESTS).where(filter=FieldFilter("customerPhone", "==", PHONE))
    return {s.id: s.to_dict() for s in query.stream()}


def linked(db, conversation_id: str) -> list[str]:
    return db.collection(contract.CONVERSATIONS).document(conversation_id).get().get("helpRequestIds")


def two_calls_at_once(db, questions: tuple[str, str], monkeypatch) -> list[tuple[str, bool, str]]:
    """Both calls read the caller's open requests, wait for each other, then raise their question.
    Returns (request id, created, conversation id) per call."""
    both_read = threading.Barrier(2, timeout=30)
    others = CallRecord._others

    async def read_then_wait(self):
        found = await others(self)
        await asyncio.to_thread(both_read.wait)
        return found

    monkeypatch.setattr(CallRecord, "_others", read_then_wait)
    results: list = [None, None]

    def call(i: int) -> None:
        async def run():
            record = CallRecord(db, PHONE, channel="text")
            try:
                request = await record.request_help(questions[i])
                results[i] = (request.id, request.created, record.conversation_id)
            finally:
                await record.close()
        try:
            asyncio.run(run())
        except BaseException as err:  # reported by the assertion below
            results[i] = err

    threads = [threading.Thread(target=call, args=(i,)) for i in (0, 1)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    assert all(isinstance(r, tuple) for r in results), results
    return results


def test_two_calls_asking_the_same_question_at_once_raise_one_request(salon_db, monkeypatch):
    results = two_calls_at_once(salon_db, (QUESTION, "do you do HAIR tinsel"), monkeypatch)
    requests = mine(salon_db)
    assert len(requests) == 1, requests
    [request_id] = requests
    assert sorted(created for _, created, _ in results) == [False, True]
    assert {rid for rid, _, _ in results} == {request_id}
    for _, _, conversation_id in results:                  # both calls are linked to it
        assert linked(salon_db, conversation_id) == [request_id]
    claim = salon_db.collection(contract.REQUEST_CLAIMS).document(contract.claim_id(PHONE, QUESTION)).get()
    assert claim.get("requestId") == request_id


def test_a_stale_claim_is_taken_over_once_its_request_is_answered(salon_db, monkeypatch):
    [first_id, _, _], _ = two_calls_at_once(salon_db, (QUESTION, QUESTION), monkeypatch)
    salon_db.collection(contract.HELP_REQUESTS).document(first_id).update(
        contract.resolution("Yes, we do hair tinsel.", answered_by="supervisor-test"))
    # The claim still names the answered request; asking again later raises a new one, once.
    results = two_calls_at_once(salon_db, (QUESTION, QUESTION), monkeypatch)
    requests = mine(salon_db)
    assert len(requests) == 2 and first_id in requests
    [second_id] = [i for i in requests if i != first_id]
    assert {rid for rid, _, _ in results} == {second_id}
    claim = salon_db.collection(contract.REQUEST_CLAIMS).document(contract.claim_id(PHONE, QUESTION)).get()
    assert claim.get("requestId") == second_id


def test_different_questions_from_one_number_at_once_are_two_requests(salon_db, monkeypatch):
    results = two_calls_at_once(salon_db, (QUESTION, "Can I bring my parrot?"), monkeypatch)
    assert len(mine(salon_db)) == 2 and all(created for _, created, _ in results)
