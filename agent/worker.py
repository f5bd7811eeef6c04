"""The LiveKit worker: the same Receptionist in real rooms (web or SIP calls).

`python -m agent dev|start|console` run it as LiveKit's CLI does. `dev`/`start` need LIVEKIT_URL,
LIVEKIT_API_KEY and LIVEKIT_API_SECRET (LiveKit Cloud or a self-hosted server); `console` talks through
this machine's microphone and speaker (PortAudio) and needs none of them. Speech: `agent/speech/options.py`
(FRONTDESK_STT / FRONTDESK_TTS: `local` or LiveKit Inference model names; local unless Inference is
configured). The worker registers as FRONTDESK_AGENT_NAME (default "frontdesk-receptionist"), so rooms
get it by explicit dispatch (`make call-room`, a SIP dispatch rule naming it).

No call is taken before the knowledge base has loaded: the worker process follows the base itself
(`BaseReadiness`) and, until it has loaded, reports itself full (`load_fnc`, so LiveKit sends calls
to other workers) and rejects any job offered (`on_request`; a dev worker has no load threshold), saying
so in the log. A job process loads its own index in prewarm, retrying in the background when Firestore
is not up, and waits for it before greeting.
"""
from __future__ import annotations

import asyncio
import json
import logging
import os
import sys
import threading

from livekit.agents import AgentServer, JobContext, JobProcess, JobRequest, cli

from frontdesk_core import contract, embedding
from frontdesk_core.contract import salon
from frontdesk_core.infra.firebase import db

from . import cpu
from .knowledge import KnowledgeIndex
from .listening import Listener
from .room import REQUIRED, agent_name
from .session import Call, instructions_for, load_profile
from .speech import options as speech_options

log = logging.getLogger("frontdesk.worker")
CONSOLE_PHONE = "+15550100"
FULL = 1.0            # the load reported while the base is not loaded: at or above any threshold
JOB_LOAD_WAIT = 15.0  # how long an accepted job waits for its process's index before giving up


def prewarm(proc: JobProcess) -> None:
    """Once per worker process: the embedding model, the local speech models when used (verified
    against their digests), the knowledge index's listener (the base loads in the background, retried
    while Firestore is not up; the first call waits for it and loads the salon profile)."""
    embedding.model()
    if speech_options.uses_local(speech_options.speech_choice()):
        from . import speech
        speech.load()
    client = db()
    proc.userdata["knowledge"] = KnowledgeIndex.from_firestore(client, timeout=None)
    cpu.settle_heap()


class BaseReadiness:
    """In the worker's own process: has the knowledge base loaded? (A listener on `knowledge_base`
    that only notes its first snapshot, kept alive like the index's.) Started on first use."""

    def __init__(self, client_factory=db):
        self._client_factory = client_factory
        self._loaded = threading.Event()
        self._listener: Listener | None = None
        self._start_lock = threading.Lock()

    def _start(self) -> None:
        with self._start_lock:
            if self._listener is None:
                from .knowledge import _probe, _subscribe
                log.warning("refusing calls until the knowledge base is loaded")
                self._listener = Listener("base-readiness", self._client_factory(), _subscribe, _probe,
                                          self._on_snapshot).start()

    def _on_snapshot(self, snapshots, changes, read_time) -> None:
        if not self._loaded.is_set():
            log.warning("knowledge base loaded (%d entries): taking calls", len(snapshots))
            self._loaded.set()

    @property
    def loaded(self) -> bool:
        self._start()
        return self._loaded.is_set()

    def load(self, default: float) -> float:
        """The worker's load for LiveKit: `default` once loaded, FULL before."""
        return default if self.loaded else max(default, FULL)

    async def on_request(self, request: JobRequest) -> None:
        if await asyncio.to_thread(lambda: self.loaded):
            await request.accept()
        else:
            log.warning("refused call %s: the knowledge base is not loaded yet", request.id)
            await request.reject(terminate=False)

    def close(self) -> None:
        if self._listener is not None:
            self._listener.close()


readiness = BaseReadiness()


def worker_load(server: AgentServer) -> float:
    from livekit.agents.worker import _DefaultLoadCalc
    return readiness.load(_DefaultLoadCalc.get_load(server))


server = AgentServer(setup_fnc=prewarm, load_fnc=worker_load)


async def ready_knowledge(proc: JobProcess, timeout: float = JOB_LOAD_WAIT) -> KnowledgeIndex | None:
    """This process's index once loaded (and the salon profile with it), or None after `timeout`."""
    knowledge: KnowledgeIndex = proc.userdata["knowledge"]
    if not await asyncio.to_thread(knowledge.wait_loaded, timeout):
        return None
    if "profile" not in proc.userdata:
        proc.userdata["profile"] = await asyncio.to_thread(load_profile, db())
    return knowledge


def _phone(value) -> str | None:
    try:
        return contract.phone(value) if value else None
    except contract.ContractError:
        return None


SIP_KIND = 3   # livekit.rtc.ParticipantKind.PARTICIPANT_KIND_SIP


def _metadata_phone(metadata: str | None) -> str | None:
    try:
        meta = json.loads(metadata or "{}")
    except ValueError:
        return None
    return _phone(meta.get("phone")) if isinstance(meta, dict) else None


def caller_number(participants, room_metadata: str | None = None, job_metadata: str | None = None) -> str | None:
    """The caller's E.164 number, from what the server set before anything a participant can write.

    A caller ID can be spoofed, and this number is where the salon texts answers, so the sources go
    from most to least trusted: the room's metadata `{"phone": …}` and the dispatch's (only a holder
    of the API secret sets them: `make call-room`, a SIP dispatch rule); then the `sip.phoneNumber`
    attribute of a SIP participant (set by LiveKit's SIP service from the trunk, never by the caller's
    client); last a web caller's `phone` attribute from its join token. `sip.phoneNumber` on a
    participant that is not a SIP participant is ignored (any client may be allowed to set its own
    attributes)."""
    for metadata in (room_metadata, job_metadata):
        if number := _metadata_phone(metadata):
            return number
    for participant in participants:
        if getattr(participant, "kind", None) == SIP_KIND:
            if number := _phone((getattr(participant, "attributes", None) or {}).get("sip.phoneNumber")):
                return number
    for participant in participants:
        if getattr(participant, "kind", None) != SIP_KIND:
            if number := _phone((getattr(participant, "attributes", None) or {}).get("phone")):
                return number
    return None


def session_options(env=os.environ) -> dict:
    """STT/TTS/VAD names for a voice session, from the environment."""
    return speech_options.speech_choice(env)


@server.rtc_session(agent_name=agent_name(), on_request=readiness.on_request)
async def entrypoint(ctx: JobContext) -> None:
    knowledge = await ready_knowledge(ctx.proc)
    if knowledge is None:
        log.warning("knowledge base not loaded in this process after %.0f s; not taking the call",
                    JOB_LOAD_WAIT)
        return
    if ctx.is_fake_job():   # `console`: this machine's microphone is the caller, no room to join
        number = _phone(os.environ.get("FRONTDESK_CONSOLE_PHONE", CONSOLE_PHONE))
    else:
        await ctx.connect()
        participant = await ctx.wait_for_participant()
        number = caller_number([participant, *ctx.room.remote_participants.values()],
                               ctx.room.metadata, ctx.job.metadata)
    if number is None:
        log.warning("caller has no phone number (SIP attribute, `phone` attribute or room metadata); "
                    "help requests could not be followed up, ending")
        return
    async def hangup() -> None:   # the caller said goodbye: end the job, which leaves the room
        ctx.shutdown(reason="the caller said goodbye")

    profile = ctx.proc.userdata["profile"]
    call = Call(db(), number, knowledge, instructions_for(profile),
                channel="voice", room=ctx.room,
                speech=speech_options.session_speech(session_options()),
                greeting=salon.greeting(profile), hangup=hangup)
    ctx.add_shutdown_callback(call.close)
    await call.start()                    # the agent greets the caller (on_enter)


def run(command: str) -> int:
    """Hand over to LiveKit's CLI (it reads the command line itself). livekit-agents exits 0 when it
    is not configured: refuse clearly instead (the console needs no server)."""
    missing = [name for name in REQUIRED if not os.environ.get(name)]
    if missing and command not in ("console", "download-files"):
        print(f"LiveKit is not configured: set {', '.join(missing)} (see README).", file=sys.stderr)
        return 2
    cli.run_app(server)
    return 0
