"""The LiveKit worker: the same Receptionist in real rooms (web or SIP calls).

`python -m agent dev|start|console` run it as LiveKit's CLI does. Needs LIVEKIT_URL, LIVEKIT_API_KEY
and LIVEKIT_API_SECRET (LiveKit Cloud or a self-hosted server). Speech: FRONTDESK_STT / FRONTDESK_TTS
name LiveKit Inference models ("provider/model[:language]"); FRONTDESK_VAD=none turns voice activity
detection off (default: the VAD built into livekit-agents). The worker registers as FRONTDESK_AGENT_NAME
(default "frontdesk-receptionist"), so rooms get it by explicit dispatch (`make call-room`, a SIP
dispatch rule naming it).
"""
from __future__ import annotations

import asyncio
import json
import logging
import os
import sys

from livekit.agents import AgentServer, AgentSession, JobContext, JobProcess, cli

from frontdesk_core import contract, embedding, salon
from frontdesk_core.firebase import db

from .calls import CallRecord
from .delivery import LiveDelivery
from .knowledge import KnowledgeIndex
from .receptionist import Receptionist
from .room import REQUIRED, agent_name
from .session import instructions_for, load_profile, make_llm, record_turns

log = logging.getLogger("frontdesk.worker")
DEFAULT_STT = "deepgram/nova-3:en"
DEFAULT_TTS = "cartesia/sonic-2"


def prewarm(proc: JobProcess) -> None:
    """Once per worker process: the model, the knowledge index (and its listener), the salon profile."""
    embedding.model()
    client = db()
    proc.userdata["knowledge"] = KnowledgeIndex.from_firestore(client)
    proc.userdata["profile"] = load_profile(client)


server = AgentServer(setup_fnc=prewarm)


def _phone(value) -> str | None:
    try:
        return contract.phone(value) if value else None
    except contract.ContractError:
        return None


def caller_number(participants, room_metadata: str | None = None) -> str | None:
    """The caller's E.164 number: SIP participants carry `sip.phoneNumber`; web callers a `phone`
    attribute, or the room's metadata `{"phone": ...}` (set by `make call-room`)."""
    for participant in participants:
        attributes = getattr(participant, "attributes", None) or {}
        for key in ("sip.phoneNumber", "phone"):
            if number := _phone(attributes.get(key)):
                return number
    try:
        meta = json.loads(room_metadata or "{}")
    except ValueError:
        meta = {}
    return _phone(meta.get("phone")) if isinstance(meta, dict) else None


def session_options(env=os.environ) -> dict:
    """STT/TTS/VAD for a voice session, from the environment."""
    options: dict = {"stt": env.get("FRONTDESK_STT", DEFAULT_STT),
                     "tts": env.get("FRONTDESK_TTS", DEFAULT_TTS)}
    if env.get("FRONTDESK_VAD", "").lower() == "none":
        options["vad"] = None
    return options


@server.rtc_session(agent_name=agent_name())
async def entrypoint(ctx: JobContext) -> None:
    await ctx.connect()
    participant = await ctx.wait_for_participant()
    number = caller_number([participant, *ctx.room.remote_participants.values()],
                           ctx.room.metadata or ctx.job.metadata)
    if number is None:
        log.warning("caller has no phone number (SIP attribute, `phone` attribute or room metadata); "
                    "help requests could not be followed up, ending")
        return
    client = db()
    record = CallRecord(client, number, channel="voice", room=ctx.room.name)
    session = AgentSession(llm=make_llm(), **session_options())
    delivery = LiveDelivery(client, lambda text: session.say(text).wait_for_playout())

    async def shutdown() -> None:
        await delivery.close()
        await asyncio.to_thread(record.close)

    ctx.add_shutdown_callback(shutdown)
    record_turns(session, record)
    async def hangup() -> None:   # the caller said goodbye: end the job, which leaves the room
        ctx.shutdown(reason="the caller said goodbye")

    profile = ctx.proc.userdata["profile"]
    agent = Receptionist(instructions=instructions_for(profile), knowledge=ctx.proc.userdata["knowledge"],
                         call=record, delivery=delivery, greeting=salon.greeting(profile), hangup=hangup)
    await session.start(agent=agent, room=ctx.room)   # the agent greets the caller (on_enter)


def run(argv: list[str]) -> int:
    """livekit-agents exits 0 when it is not configured; refuse clearly instead."""
    missing = [name for name in REQUIRED if not os.environ.get(name)]
    if missing and argv[0] != "download-files":
        print(f"LiveKit is not configured: set {', '.join(missing)} (see README).", file=sys.stderr)
        return 2
    sys.argv = [sys.argv[0], *argv]
    cli.run_app(server)
    return 0
