"""What the Cloud Functions tests share: the project's delivery settings (the fake provider), helpers
that write requests and answers as the agent and the dashboard do, and the check that the project's
functions deliver to tests/fake_provider.py (functions/.env.demo-test: `make test`'s project, or another
whose functions/.env.<project> points at the fake provider)."""
from __future__ import annotations

import os
from datetime import timedelta
from pathlib import Path

import pytest

from frontdesk_core import contract
from frontdesk_core.delivery import channels
from frontdesk_core.infra import faults
from frontdesk_core.workflows import sweep
from tests.emulator import wait_for
from tests.fake_provider import AUTH_TOKEN, PORT

ROOT = Path(__file__).resolve().parents[2]
SUPERVISOR_PHONE = "+15550999"


def env_file() -> Path:
    return ROOT / f"functions/.env.{os.environ.get('GCLOUD_PROJECT', 'demo-test')}"


@pytest.fixture(scope="module", autouse=True)
def test_project():
    if not env_file().exists() or f":{PORT}/" not in env_file().read_text():
        pytest.fail(f"these tests need functions settings that deliver to the fake provider on port {PORT} "
                    "(functions/.env.demo-test): run `make test`", pytrace=False)


def config() -> channels.Config:
    """The functions' own delivery settings for this project, for calling their logic in-process."""
    env = dict(line.split("=", 1) for line in env_file().read_text().splitlines()
               if line and not line.startswith("#"))
    return channels.Config.from_env({**env, "TWILIO_AUTH_TOKEN": AUTH_TOKEN})


def registry():
    return channels.registry(config(), lambda line: None)


def doc(db, collection, doc_id):
    return db.collection(collection).document(doc_id).get().to_dict()


def add_request(db, phone="+15550101", question="Do you sell gift cards?", *, minutes_ago=0,
                conversation_id=None) -> str:
    ref = db.collection(contract.HELP_REQUESTS).document()
    ref.set(contract.new_help_request(phone, question, conversation_id=conversation_id,
                                      now=contract.utcnow() - timedelta(minutes=minutes_ago)))
    return ref.id


def answer(db, request_id, text="Yes, gift cards from $25."):
    db.collection(contract.HELP_REQUESTS).document(request_id).update(
        contract.resolution(text, answered_by="supervisor-1"))


def followup_sent(db, request_id):
    return wait_for(lambda: (doc(db, contract.HELP_REQUESTS, request_id) or {}).get("followupSent"))


# ---- what the fault tests and their neighbours read and run --------------------------------------

def requests(db):
    return {s.id: s.to_dict() for s in db.collection(contract.HELP_REQUESTS).stream()}


def sms_to(provider, phone):
    return [r.body for r in provider.delivered("sms") if r.to == phone]


def repairer():
    """What functions/main.py gives the scheduled sweep, in-process."""
    from frontdesk_core import embedding
    from frontdesk_core.workflows import grouping, knowledge, learning, repair
    return repair.Repairer(targets=channels_targets(), channels=registry(), caller_channel="sms",
                           find_group=grouping.finder(), suggest=learning.suggest,
                           embed=knowledge.stamped(embedding.knowledge_fields))


def channels_targets():
    return channels.supervisor_targets(config())


def swept(db, minutes=3):
    """A sweep as the scheduler runs it, a few minutes on (past the repair pass's grace)."""
    summary = sweep.run(db, contract.utcnow() + timedelta(minutes=minutes), channels=registry(),
                        caller_channel="sms", repairer=repairer())
    assert summary["errors"] == []
    return summary


def fault_hit(db, point, times=1):
    wait_for(lambda: faults.hits(db, point) >= times)


def notices_of(db, rid):
    """The notices meant to reach a supervisor (a group member's are withdrawn: `cancelled`)."""
    return [s.to_dict() for s in db.collection(contract.NOTIFICATIONS).stream()
            if s.get("helpRequestId") == rid and s.get("status") != "cancelled"]
