"""One question crosses the whole system on the emulators: caller -> agent -> help request ->
supervisor answer -> functions -> learned answer + follow-up -> the next caller is answered."""
from __future__ import annotations

import json
import os
import subprocess
import sys
import urllib.request

from google.cloud.firestore import FieldFilter

from frontdesk_core import contract
from frontdesk_core.dialogue.reply import ANYTHING_ELSE

from tests.emulator import FUNCTIONS, turns_of, wait_for

pytestmark = __import__("pytest").mark.emulator


def place_call(phone: str, *questions: str) -> str:
    done = subprocess.run([sys.executable, "-m", "agent", "call", "--phone", phone, *questions],
                          capture_output=True, text=True, timeout=60, env=os.environ)
    assert done.returncode == 0, done.stderr
    return done.stdout


def requests(db, **where):
    query = db.collection(contract.HELP_REQUESTS)
    for field, value in where.items():
        query = query.where(filter=FieldFilter(field, "==", value))
    return list(query.stream())


def test_functions_are_loaded():
    backends = json.load(urllib.request.urlopen(f"{FUNCTIONS}/backends", timeout=5))
    names = {t["name"] for b in backends["backends"] for t in b["functionTriggers"]}
    assert {"on_help_request_created", "on_help_request_updated"} <= names


def test_unknown_question_is_escalated_answered_learned_and_followed_up(salon_db):
    db = salon_db
    out = place_call("+15550100", "What are your hours on Saturday?", "Do you sell gift cards?")
    assert "On Saturdays we are open from 9am to 5pm." in out
    assert contract.ESCALATION_MESSAGE in out

    # One pending request, written through the contract, linked to the call's conversation.
    [snap] = requests(db)
    request_id, request = snap.id, snap.to_dict()
    assert request["status"] == "pending" and request["question"] == "Do you sell gift cards?"
    assert request["customerPhone"] == "+15550100" and request["followupSent"] is False
    conversation = db.collection(contract.CONVERSATIONS).document(request["conversationId"]).get().to_dict()
    said = [(t["role"], t["text"]) for t in turns_of(db, request["conversationId"])]
    assert [text for role, text in said if role == "caller"] == [
        "What are your hours on Saturday?", "Do you sell gift cards?"]
    assert ("agent", f"On Saturdays we are open from 9am to 5pm. {ANYTHING_ELSE}") in said
    assert said[-1] == ("agent", f"{contract.ESCALATION_MESSAGE} {ANYTHING_ELSE}")
    assert said[0] == ("agent", "Thanks for calling Lumen & Co. Hair Studio, how can I help?")   # the greeting
    assert conversation["helpRequestIds"] == [request_id]

    # The supervisor was told.
    notification = wait_for(lambda: db.collection(contract.NOTIFICATIONS).document(f"{request_id}-log").get().to_dict())
    assert notification["body"] == "Hey, I need help answering: Do you sell gift cards?"

    # The supervisor answers; the functions learn it and follow up within 10 s.
    answer = "Yes, gift cards in any amount from $25, at the front desk or by phone."
    db.collection(contract.HELP_REQUESTS).document(request_id).update(
        contract.resolution(answer, answered_by="supervisor-test"))
    wait_for(lambda: db.collection(contract.HELP_REQUESTS).document(request_id).get().get("followupSent"),
             timeout=10)
    learned = db.collection(contract.KNOWLEDGE_BASE).document(request_id).get().to_dict()
    assert learned["question"] == "Do you sell gift cards?" and learned["answer"] == answer
    assert learned["originatingRequestId"] == request_id and learned["source"] == "supervisor"
    followup = db.collection(contract.FOLLOWUPS).document(request_id).get().to_dict()
    assert followup["status"] == "sent" and followup["to"] == "+15550100" and answer in followup["body"]
    turns = turns_of(db, request["conversationId"])
    assert turns[-1]["kind"] == "followup" and answer in turns[-1]["text"]

    # Next caller, other words: answered from what was learned, no new request.
    out = place_call("+15550199", "Can I get a gift card?")
    assert answer in out and contract.ESCALATION_MESSAGE not in out
    assert len(requests(db)) == 1


def test_bad_phone_is_refused_before_anything_is_written(salon_db):
    done = subprocess.run([sys.executable, "-m", "agent", "call", "--phone", "555-0100", "Hi?"],
                          capture_output=True, text=True, timeout=60)
    assert done.returncode == 2 and "E.164" in done.stderr
    assert requests(salon_db) == []
    assert list(salon_db.collection(contract.CONVERSATIONS).stream()) == []
