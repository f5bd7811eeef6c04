"""Firestore stops in the middle of a call, then comes back (issue 16 item 6).

The test runs a Firestore emulator of its own (`firebase emulators:start --only firestore`, its data
exported when it is stopped and imported when it starts again), so stopping it really drops the
agent's connection and touches no other suite. A text call (`python -m agent call`, stdin piped) asks
a known question, then the emulator is stopped and the caller asks one the base does not know: the
caller hears the honest line (noted, the salon will get back to them; no supervisor claimed) and the
request is in the agent's spool on disk with its id and time. The emulator starts again; while the
caller is still on the line the agent writes the spool: exactly one request, with the original id and
timestamp, linked to the call's conversation, and the call ends cleanly.
"""
from __future__ import annotations

import json
import os
import queue
import signal
import subprocess
import sys
import threading
import time
import urllib.request
from datetime import datetime
from pathlib import Path

import pytest
from google.auth.credentials import AnonymousCredentials
from google.cloud import firestore
from google.cloud.firestore import FieldFilter

from agent.receptionist import FILLER
from frontdesk_core import contract
from tests.emulator import require_emulators, wait_for
from tests.firestore_process import free_port
from tools.seed import seed

PROJECT = "demo-outage"
PHONE = "+15550341"
UNKNOWN = "Do you sell gift cards?"
ROOT = Path(__file__).resolve().parents[2]


class OwnFirestore:
    """A Firestore emulator this test starts and stops; its data survives a stop (export/import)."""

    def __init__(self, folder: Path):
        self.folder, self.data, self.port = folder, folder / "data", free_port()
        self.host = f"127.0.0.1:{self.port}"
        self.config = folder / "firebase.json"
        self.config.write_text(json.dumps({"firestore": {}, "emulators": {
            "hub": {"host": "127.0.0.1", "port": free_port()}, "logging": {"host": "127.0.0.1", "port": free_port()},
            "firestore": {"host": "127.0.0.1", "port": self.port}, "ui": {"enabled": False},
            "singleProjectMode": True}}))
        self.proc: subprocess.Popen | None = None
        # firebase-tools inherits PATH (its java, node_modules/.bin) from the suite, not its emulators
        self.env = {k: v for k, v in os.environ.items() if not k.endswith("_EMULATOR_HOST")
                    and not k.startswith("FIREBASE_EMULATOR")}

    def start(self) -> None:
        imported = ["--import", str(self.data)] if (self.data / "firebase-export-metadata.json").exists() else []
        log = open(self.folder / "emulator.log", "a")
        self.proc = subprocess.Popen(
            ["firebase", "--config", str(self.config), "emulators:start", "--only", "firestore",
             "--project", PROJECT, *imported, "--export-on-exit", str(self.data)],
            cwd=self.folder, env=self.env, stdout=log, stderr=log, start_new_session=True)
        wait_for(self.answers, timeout=120, interval=0.5)

    def answers(self) -> bool:
        try:
            with urllib.request.urlopen(f"http://{self.host}/", timeout=2) as response:
                return response.status == 200
        except OSError:
            return False

    def stop(self) -> None:
        if self.proc is None or self.proc.poll() is not None:
            return
        os.killpg(self.proc.pid, signal.SIGINT)        # firebase-tools exports, then stops the JVM
        try:
            self.proc.wait(90)
        except subprocess.TimeoutExpired:
            os.killpg(self.proc.pid, signal.SIGKILL)
            self.proc.wait(10)
        assert not self.answers()

    def client(self) -> firestore.Client:
        """An Admin client on this emulator (the client reads the emulator's address when it is made)."""
        suite = os.environ["FIRESTORE_EMULATOR_HOST"]
        os.environ["FIRESTORE_EMULATOR_HOST"] = self.host
        try:
            return firestore.Client(project=PROJECT, credentials=AnonymousCredentials())
        finally:
            os.environ["FIRESTORE_EMULATOR_HOST"] = suite


class TextCall:
    """`python -m agent call` against the test's own emulator, one caller line at a time."""

    def __init__(self, firestore_host: str, spool: Path):
        env = {**os.environ, "FIRESTORE_EMULATOR_HOST": firestore_host, "GCLOUD_PROJECT": PROJECT,
               "FRONTDESK_SPOOL_DIR": str(spool), "FRONTDESK_FIRESTORE_DEADLINE_S": "2",
               "FRONTDESK_SPOOL_RETRY_S": "1"}
        self.proc = subprocess.Popen([sys.executable, "-m", "agent", "call", "--phone", PHONE], cwd=ROOT, env=env,
                                     stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                                     text=True, bufsize=1)
        self.lines: queue.Queue[str] = queue.Queue()
        self.errors: list[str] = []    # read as it comes: the agent logs while Firestore is away
        threading.Thread(target=lambda: [self.lines.put(line.rstrip("\n")) for line in self.proc.stdout],
                         daemon=True).start()
        threading.Thread(target=lambda: [self.errors.append(line) for line in self.proc.stderr], daemon=True).start()

    def next_agent_line(self, timeout: float = 60) -> str:
        deadline = time.monotonic() + timeout
        while (left := deadline - time.monotonic()) > 0:
            line = self.lines.get(timeout=left)
            if line.startswith("agent>") and line.removeprefix("agent>").strip() != FILLER:
                return line.removeprefix("agent>").strip()
        raise AssertionError("the agent said nothing")

    def say(self, text: str) -> str:
        self.proc.stdin.write(text + "\n")
        self.proc.stdin.flush()
        return self.next_agent_line()

    def hang_up(self) -> tuple[int, list[str], str]:
        self.proc.stdin.close()
        code = self.proc.wait(120)
        time.sleep(0.5)                 # the reader threads take the last lines
        rest = []
        while not self.lines.empty():
            rest.append(self.lines.get())
        return code, rest, "".join(self.errors[-40:])


@pytest.fixture
def own_firestore(tmp_path):
    require_emulators()   # the suite's environment (java, firebase-tools on PATH), not its Firestore
    emulator = OwnFirestore(tmp_path)
    emulator.start()
    yield emulator
    emulator.stop()


def test_a_question_asked_while_firestore_is_down_is_noted_kept_and_written_once_it_is_back(own_firestore, tmp_path):
    db = own_firestore.client()
    seed(db)
    spool = tmp_path / "spool"
    call = TextCall(own_firestore.host, spool)
    try:
        assert call.next_agent_line().startswith("Thanks for calling")        # the greeting
        assert "$" in call.say("How much is a men's haircut?")                # Firestore is up
        own_firestore.stop()                                                  # the connection is gone

        heard = call.say(UNKNOWN)
        assert heard.startswith(contract.NOTED_MESSAGE), heard                # honest, no supervisor claimed
        assert contract.ESCALATION_MESSAGE not in heard and "internal error" not in heard.lower()
        spool = spool / PROJECT                                               # one folder per project
        kept = [json.loads(p.read_text()) for p in sorted(spool.glob("*.json"))]
        [request_write] = [w for batch in kept for w in batch["writes"] if w["op"] == "create"]
        request_id = request_write["path"].removeprefix(f"{contract.HELP_REQUESTS}/")
        asked_at = datetime.fromisoformat(request_write["data"]["timestamp"]["$time"])
        assert request_write["data"]["question"] == UNKNOWN and request_write["data"]["status"] == contract.PENDING

        own_firestore.start()                                                 # back, with its data
        db = own_firestore.client()
        wait_for(lambda: not list(spool.glob("*.json")), timeout=90, interval=0.5)   # the agent wrote it
        code, rest, err = call.hang_up()
    finally:
        if call.proc.poll() is None:
            call.proc.kill()
    assert code == 0, err
    [ended] = [line for line in rest if line.startswith("Call ended.")]
    conversation_id = ended.split("Conversation ", 1)[1].split(";")[0].rstrip(".")

    requests = list(db.collection(contract.HELP_REQUESTS).where(filter=FieldFilter("customerPhone", "==", PHONE)).stream())
    assert [r.id for r in requests] == [request_id]                           # exactly one, its own id
    request = requests[0].to_dict()
    assert request["timestamp"] == asked_at and request["question"] == UNKNOWN   # the time it was asked
    assert request["conversationId"] == conversation_id
    conversation = db.collection(contract.CONVERSATIONS).document(conversation_id).get().to_dict()
    assert conversation["helpRequestIds"] == [request_id]
    assert conversation["endedAt"] is not None
    assert list(spool.glob("*.json")) == []
