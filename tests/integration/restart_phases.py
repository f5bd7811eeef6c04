"""The two halves of the restart fault test (run inside their own emulator suites; see test_restart.py).

  write:  a call escalates two questions; one is answered and followed up; the other stays pending.
  verify: after the suite was stopped (data exported) and started again (data imported), nothing is
          lost: the pending request is still pending and can be answered; the answered one is intact.
"""
from __future__ import annotations

import json
import subprocess
import sys

from frontdesk_core import contract
from frontdesk_core.infra.firebase import db
from tests.emulator import wait_for
from tools.seed import seed

QUESTIONS = ["Do you do eyelash extensions?", "Can I bring my dog?"]


def by_question(client) -> dict[str, tuple[str, dict]]:
    return {s.get("question"): (s.id, s.to_dict()) for s in client.collection(contract.HELP_REQUESTS).stream()}


def write() -> dict:
    client = db()
    seed(client)
    subprocess.run([sys.executable, "-m", "agent", "call", "--phone", "+15550181", *QUESTIONS], check=True,
                   capture_output=True)
    requests = by_question(client)
    answered_id = requests[QUESTIONS[0]][0]
    client.collection(contract.HELP_REQUESTS).document(answered_id).update(
        contract.resolution("Yes, from $90.", answered_by="supervisor-1"))
    wait_for(lambda: client.collection(contract.HELP_REQUESTS).document(answered_id).get().get("followupSent"))
    return {q: rid for q, (rid, _) in requests.items()}


def verify() -> dict:
    client = db()
    requests = by_question(client)
    answered_id, answered = requests[QUESTIONS[0]]
    pending_id, pending = requests[QUESTIONS[1]]
    assert answered["status"] == "resolved" and answered["followupSent"] is True, answered
    assert client.collection(contract.KNOWLEDGE_BASE).document(answered_id).get().exists
    assert pending["status"] == "pending", pending
    # The restarted functions still do their work.
    client.collection(contract.HELP_REQUESTS).document(pending_id).update(
        contract.resolution("Only guide dogs, sorry.", answered_by="supervisor-1"))
    wait_for(lambda: client.collection(contract.HELP_REQUESTS).document(pending_id).get().get("followupSent"),
             timeout=30)
    return {"answered": answered_id, "pending_then_answered": pending_id}


if __name__ == "__main__":
    print(json.dumps({"write": write, "verify": verify}[sys.argv[1]]()))
