"""`make call-room` and the worker's configuration, offline: no LiveKit server is reachable here, so the
server side is a local fake speaking LiveKit's Twirp protocol (protobuf over HTTP)."""
from __future__ import annotations

import json
import subprocess
import sys

import pytest
import pytest_asyncio
from aiohttp import web
from livekit import api

from agent import room
from agent.speech.options import session_speech
from agent.worker import caller_number, session_options
from tests.local_http import serving


class FakeLiveKit:
    def __init__(self):
        self.rooms: list[api.CreateRoomRequest] = []
        self.dispatches: list[api.CreateAgentDispatchRequest] = []
        self.auth: list[str] = []

    async def create_room(self, request: web.Request) -> web.Response:
        self.auth.append(request.headers.get("Authorization", ""))
        req = api.CreateRoomRequest.FromString(await request.read())
        self.rooms.append(req)
        return web.Response(body=api.Room(name=req.name, metadata=req.metadata).SerializeToString(),
                            content_type="application/protobuf")

    async def create_dispatch(self, request: web.Request) -> web.Response:
        req = api.CreateAgentDispatchRequest.FromString(await request.read())
        self.dispatches.append(req)
        return web.Response(body=api.AgentDispatch(id="AD_test", agent_name=req.agent_name, room=req.room,
                                                   metadata=req.metadata).SerializeToString(),
                            content_type="application/protobuf")


@pytest_asyncio.fixture
async def livekit_server():
    fake = FakeLiveKit()
    app = web.Application()
    app.router.add_post("/twirp/livekit.RoomService/CreateRoom", fake.create_room)
    app.router.add_post("/twirp/livekit.AgentDispatchService/CreateDispatch", fake.create_dispatch)
    async with serving(app) as port:
        fake.url = f"ws://127.0.0.1:{port}"
        yield fake


@pytest.mark.asyncio
async def test_call_room_creates_the_room_dispatches_the_agent_and_makes_a_token(livekit_server):
    call = await room.create(livekit_server.url, "devkey", "a" * 32, room="r1", phone="+1 555 0142",
                             identity="tester")
    [created] = livekit_server.rooms
    assert created.name == "r1" and json.loads(created.metadata) == {"phone": "+15550142"}
    [dispatch] = livekit_server.dispatches
    assert dispatch.agent_name == room.DEFAULT_AGENT_NAME and dispatch.room == "r1"
    assert livekit_server.auth[0].startswith("Bearer ")
    claims = api.TokenVerifier("devkey", "a" * 32).verify(call.token)
    assert claims.identity == "tester" and claims.video.room == "r1" and claims.video.room_join
    assert claims.attributes == {"phone": "+15550142"}
    assert call.dispatch_id == "AD_test" and "token=" in call.playground


def test_call_room_without_livekit_says_what_is_missing_and_exits_2():
    env = {"PATH": "/usr/bin:/bin", "PYTHONPATH": "."}
    done = subprocess.run([sys.executable, "-m", "agent", "call-room"], capture_output=True, text=True,
                          timeout=60, env=env)
    assert done.returncode == 2
    assert "LIVEKIT_URL, LIVEKIT_API_KEY, LIVEKIT_API_SECRET" in done.stderr


def test_worker_refuses_to_start_without_livekit():
    done = subprocess.run([sys.executable, "-m", "agent", "start"], capture_output=True, text=True,
                          timeout=60, env={"PATH": "/usr/bin:/bin", "PYTHONPATH": "."})
    assert done.returncode == 2 and "LiveKit is not configured" in done.stderr


class P:
    def __init__(self, kind=0, **attributes):
        self.kind, self.attributes = kind, attributes


def sip(**attributes):
    return P(kind=3, **attributes)   # livekit.rtc.ParticipantKind.PARTICIPANT_KIND_SIP


def test_caller_number_from_room_metadata_then_sip_participant_then_web_attributes():
    assert caller_number([sip(**{"sip.phoneNumber": "+15550111"})]) == "+15550111"
    assert caller_number([P(phone="not a number"), P(phone="+1 (555) 0122")]) == "+15550122"
    assert caller_number([P()], json.dumps({"phone": "+15550133"})) == "+15550133"
    assert caller_number([P()], None, json.dumps({"phone": "+15550134"})) == "+15550134"
    assert caller_number([P()], "not json") is None
    assert caller_number([], None) is None


def test_caller_id_spoofing_prefers_what_the_server_set():
    # Issue 16, item 4. The fault: a participant claims a victim's number in its own attributes.
    victim = {"phone": "+15550999", "sip.phoneNumber": "+15550999"}
    server_set = json.dumps({"phone": "+15550144"})
    # The room's (or the dispatch's) metadata, set with the API secret, wins over any attribute.
    assert caller_number([P(**victim), sip(**victim)], server_set) == "+15550144"
    assert caller_number([P(**victim)], None, server_set) == "+15550144"
    # The SIP service's attribute of a SIP participant wins over a web participant's claim …
    assert caller_number([P(**victim), sip(**{"sip.phoneNumber": "+15550155"})]) == "+15550155"
    # … and `sip.phoneNumber` on a participant that is not a SIP participant is not believed.
    assert caller_number([P(**{"sip.phoneNumber": "+15550999"})]) is None


def test_speech_plugins_come_from_the_environment():
    cloud = {"LIVEKIT_API_KEY": "k", "LIVEKIT_API_SECRET": "s"}
    # No LiveKit Inference configured: local speech, the VAD that cuts utterances for Whisper.
    assert session_options({}) == {"stt": "local", "tts": "local", "vad": "silero"}
    assert session_options({"LIVEKIT_API_KEY": "k"}) == {"stt": "local", "tts": "local", "vad": "silero"}
    assert session_options(cloud) == {"stt": "deepgram/nova-3:en", "tts": "cartesia/sonic-2",
                                      "vad": "builtin"}
    assert session_options({**cloud, "FRONTDESK_STT": "local"}) == {
        "stt": "local", "tts": "cartesia/sonic-2", "vad": "silero"}
    assert session_options({"FRONTDESK_STT": "assemblyai/universal-streaming", "FRONTDESK_TTS": "x/y",
                            "FRONTDESK_VAD": "none"}) == {
        "stt": "assemblyai/universal-streaming", "tts": "x/y", "vad": "none"}
    with pytest.raises(ValueError, match="needs voice activity detection"):
        session_options({"FRONTDESK_STT": "local", "FRONTDESK_VAD": "none"})


def test_cloud_speech_session_keeps_model_names_and_loads_nothing():
    kwargs = session_speech({"stt": "deepgram/nova-3:en", "tts": "cartesia/sonic-2", "vad": "none"})
    assert kwargs == {"stt": "deepgram/nova-3:en", "tts": "cartesia/sonic-2", "vad": None}
