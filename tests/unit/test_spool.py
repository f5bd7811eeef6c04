"""The agent's spool (agent/spool.py) without Firestore: what a kept write looks like on disk, and
what a caller hears when the request was kept rather than written (issue 16 item 6). The outage
itself, with a real emulator stopped and restarted, is tests/integration/test_firestore_outage.py."""
from __future__ import annotations

import asyncio
import json
from datetime import datetime, timedelta, timezone

import pytest
from google.api_core import exceptions as gexc
from google.cloud import firestore
from livekit.agents import AgentSession

from agent import spool
from agent.calls import HelpRequest
from agent.policy import OfflinePolicyLLM
from agent.receptionist import CallState, Receptionist
from frontdesk_core import contract
from frontdesk_core.dialogue.reply import ANYTHING_ELSE

from .test_agent_tools import StubCall, knowledge  # noqa: F401 - the fixture


def test_a_kept_write_comes_back_as_it_was_made(tmp_path):
    at = datetime(2026, 12, 6, 22, 30, 1, 123456, tzinfo=timezone(timedelta(hours=-8)))
    data = {"timestamp": at, "status": "pending", "nested": {"at": at, "n": [1, "two", None]},
            "helpRequestIds": firestore.ArrayUnion(["abc"])}
    kept = spool.Spool(tmp_path).keep([spool.write(spool.CREATE, "help_requests/abc", data)], "test")
    [w] = json.loads(kept.read_text())["writes"]
    assert w["op"] == "create" and w["path"] == "help_requests/abc"
    back = spool.decode(w["data"])
    assert back["timestamp"] == at and back["nested"] == {"at": at, "n": [1, "two", None]}
    assert isinstance(back["helpRequestIds"], firestore.ArrayUnion) and back["helpRequestIds"].values == ["abc"]
    assert not list(tmp_path.glob("*.tmp"))   # written whole, then renamed


def test_each_project_has_its_own_spool(tmp_path, monkeypatch):
    monkeypatch.setenv("FRONTDESK_SPOOL_DIR", str(tmp_path))
    assert spool.the_spool("demo-a").path == tmp_path / "demo-a" != spool.the_spool("demo-b").path


def test_batches_are_written_back_in_the_order_kept(tmp_path):
    kept = spool.Spool(tmp_path)
    paths = [kept.keep([spool.write(spool.SET, f"conversations/c/turns/{i:06d}", {"i": i})], "test")
             for i in range(30)]
    assert kept.files() == paths and kept.kept == 30


@pytest.mark.parametrize("err,kept", [
    (asyncio.TimeoutError(), True), (gexc.ServiceUnavailable("down"), True), (gexc.DeadlineExceeded("slow"), True),
    (gexc.InvalidArgument("bad"), False), (gexc.PermissionDenied("no"), False), (ValueError("bug"), False),
])
def test_only_an_unreachable_firestore_is_worth_keeping_for(err, kept):
    assert spool.unreachable(err) is kept


class KeptCall(StubCall):
    """A call record whose requests were kept on disk: Firestore did not answer."""

    async def request_help(self, question: str, *, kind: str = "question", booking=None) -> HelpRequest:
        request = await super().request_help(question, kind=kind, booking=booking)
        return HelpRequest(request.id, created=True, spooled=True)


@pytest.mark.asyncio
async def test_a_kept_request_is_said_to_be_noted_not_with_a_supervisor(knowledge):  # noqa: F811
    call = KeptCall()
    async with OfflinePolicyLLM() as lm, \
            AgentSession(llm=lm, userdata=CallState(knowledge=knowledge, record=call)) as session:
        await session.start(Receptionist(instructions="test"))
        result = await session.run(user_input="Are you open on Christmas Day?")
        said = result.expect[-1].event().item.text_content
    assert said == f"{contract.NOTED_MESSAGE} {ANYTHING_ELSE}"
    assert "supervisor" not in said and call.requests == ["Are you open on Christmas Day?"]
