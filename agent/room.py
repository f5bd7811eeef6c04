"""`make call-room`: a real LiveKit room with the receptionist dispatched into it, and a join token.

  python -m agent call-room [--room NAME] [--phone +15550100] [--identity tester]

Needs LIVEKIT_URL, LIVEKIT_API_KEY, LIVEKIT_API_SECRET (exit 2 and says which are missing), and a worker
running with the same settings (`python -m agent start`). The caller's phone goes into the room's
metadata and the tester's participant attributes, where the worker looks for it (SIP calls carry it as
`sip.phoneNumber`).
"""
from __future__ import annotations

import json
import os
import secrets
import sys
from dataclasses import dataclass
from datetime import timedelta
from urllib.parse import urlencode

from livekit import api

from frontdesk_core import contract

REQUIRED = ("LIVEKIT_URL", "LIVEKIT_API_KEY", "LIVEKIT_API_SECRET")
AGENT_NAME_ENV = "FRONTDESK_AGENT_NAME"
DEFAULT_AGENT_NAME = "frontdesk-receptionist"


def agent_name() -> str:
    return os.environ.get(AGENT_NAME_ENV) or DEFAULT_AGENT_NAME


def missing_config(env=os.environ) -> list[str]:
    return [name for name in REQUIRED if not env.get(name)]


def join_token(key: str, secret: str, room: str, identity: str, phone: str,
               ttl: timedelta = timedelta(hours=1)) -> str:
    """A tester's token: may join `room`, publish and subscribe; carries the caller's phone."""
    return (api.AccessToken(key, secret)
            .with_identity(identity)
            .with_name(f"Caller {phone}")
            .with_attributes({"phone": phone})
            .with_grants(api.VideoGrants(room_join=True, room=room, can_publish=True,
                                         can_subscribe=True, can_publish_data=True))
            .with_ttl(ttl)
            .to_jwt())


@dataclass
class RoomCall:
    room: str
    dispatch_id: str
    token: str
    url: str

    @property
    def playground(self) -> str:
        return "https://meet.livekit.io/custom?" + urlencode({"liveKitUrl": self.url, "token": self.token})


async def create(url: str, key: str, secret: str, *, room: str, phone: str, identity: str) -> RoomCall:
    """Create the room (caller's phone in its metadata), dispatch the agent, make the join token."""
    phone = contract.phone(phone)
    metadata = json.dumps({"phone": phone})
    lk = api.LiveKitAPI(url, key, secret)
    try:
        await lk.room.create_room(api.CreateRoomRequest(name=room, metadata=metadata, empty_timeout=600))
        dispatch = await lk.agent_dispatch.create_dispatch(
            api.CreateAgentDispatchRequest(agent_name=agent_name(), room=room, metadata=metadata))
    finally:
        await lk.aclose()
    return RoomCall(room, dispatch.id, join_token(key, secret, room, identity, phone), url)


async def main(room: str | None, phone: str, identity: str) -> int:
    missing = missing_config()
    if missing:
        print(f"LiveKit is not configured: set {', '.join(missing)} (LiveKit Cloud or a self-hosted "
              "server), start the worker with `python -m agent start`, then run this again.",
              file=sys.stderr)
        return 2
    room = room or f"frontdesk-{secrets.token_hex(4)}"
    try:
        call = await create(os.environ["LIVEKIT_URL"], os.environ["LIVEKIT_API_KEY"],
                            os.environ["LIVEKIT_API_SECRET"], room=room, phone=phone, identity=identity)
    except Exception as err:  # unreachable server, bad key: say so plainly
        print(f"Could not set up the room on {os.environ['LIVEKIT_URL']}: {err}", file=sys.stderr)
        return 1
    print(f"Room:       {call.room}\nAgent:      {agent_name()} (dispatch {call.dispatch_id})\n"
          f"Caller:     {phone} as {identity}\nJoin token: {call.token}\nTry it:     {call.playground}")
    return 0
