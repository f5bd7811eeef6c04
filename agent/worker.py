"""The LiveKit worker: the same Receptionist in real rooms (web or SIP calls).

`python -m agent dev|start|console` run it as LiveKit's CLI does. Needs LIVEKIT_URL, LIVEKIT_API_KEY
and LIVEKIT_API_SECRET (LiveKit Cloud or a self-hosted server); speech runs through LiveKit Inference
models named by FRONTDESK_STT / FRONTDESK_TTS.
"""
from __future__ import annotations

import asyncio
import logging
import os
import sys

from livekit.agents import AgentServer, AgentSession, JobContext, JobProcess, cli

from frontdesk_core import contract
from frontdesk_core.firebase import db

from .calls import CallRecord
from .knowledge import KnowledgeIndex
from .receptionist import Receptionist
from .session import instructions_for, load_profile, make_llm, record_turns

log = logging.getLogger("frontdesk.worker")
REQUIRED = ("LIVEKIT_URL", "LIVEKIT_API_KEY", "LIVEKIT_API_SECRET")

def prewarm(proc: JobProcess) -> None:
    """Once per worker process: the knowledge index (and its listener) and the salon profile."""
    client = db()
    proc.userdata["knowledge"] = KnowledgeIndex.from_firestore(client)
    proc.userdata["profile"] = load_profile(client)


server = AgentServer(setup_fnc=prewarm)


def caller_number(ctx: JobContext) -> str | None:
    """The caller's E.164 number: SIP calls carry it as an attribute; web callers may set `phone`."""
    for participant in ctx.room.remote_participants.values():
        for key in ("sip.phoneNumber", "phone"):
            try:
                return contract.phone(participant.attributes.get(key, ""))
            except contract.ContractError:
                continue
    return None


@server.rtc_session()
async def entrypoint(ctx: JobContext) -> None:
    await ctx.connect()
    await ctx.wait_for_participant()
    number = caller_number(ctx)
    if number is None:
        log.warning("caller has no phone number; help requests cannot be followed up, ending")
        return
    record = CallRecord(db(), number, channel="voice", room=ctx.room.name)
    ctx.add_shutdown_callback(lambda: asyncio.to_thread(record.close))
    session = AgentSession(
        llm=make_llm(),
        stt=os.environ.get("FRONTDESK_STT", "deepgram/nova-3:en"),
        tts=os.environ.get("FRONTDESK_TTS", "cartesia/sonic-2"),
    )
    record_turns(session, record)
    agent = Receptionist(instructions=instructions_for(ctx.proc.userdata["profile"]),
                         knowledge=ctx.proc.userdata["knowledge"], call=record)
    await session.start(agent=agent, room=ctx.room)
    await session.generate_reply(instructions="Greet the caller and ask how you can help.")


def run(argv: list[str]) -> int:
    """livekit-agents exits 0 when it is not configured; refuse clearly instead."""
    missing = [name for name in REQUIRED if not os.environ.get(name)]
    if missing and argv[0] != "download-files":
        print(f"LiveKit is not configured: set {', '.join(missing)} (see README).", file=sys.stderr)
        return 2
    sys.argv = [sys.argv[0], *argv]
    cli.run_app(server)
    return 0
