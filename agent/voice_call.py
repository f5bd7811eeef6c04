"""A spoken call with no LiveKit server: the caller's voice from WAV files, the agent's to a WAV.

  python -m agent voice-call --phone +15550100 CALLER.wav [CALLER.wav ...] [--record OUT.wav]
                             [--pause 1.0] [--wait-answers SECONDS]

The same `Call` (Receptionist, AgentSession, call record, in-call delivery) as a room call, with local
speech: the caller's files are played in real time one after another — the next once the agent has
answered and a caller's pause has passed —, what speech-to-text heard is printed as `caller> …` and
what the agent said as `agent> …`; the conversation and help requests land in Firestore as a room
call's do. Every file is read and checked before anything starts: a bad one exits 2, nothing written.
"""
from __future__ import annotations

import asyncio
import sys
import time
from dataclasses import dataclass, field
from typing import Callable

import numpy as np

from frontdesk_core.contract import salon

from .speech import LocalSpeech, wav
from .speech.call_audio import CALLER_RATE, AgentTape, CallerAudio, Segment, Utterance
from .speech.options import LOCAL, session_speech

REPLY_TIMEOUT = 20.0    # after the caller stops: the VAD's silence, STT, lookup, first audio
LONGEST_REPLY = 60.0    # the agent never talks longer than this without a pause


@dataclass
class Turn:
    """One thing the caller said and what the agent said after it, until it settled."""
    utterance: Utterance
    replies: list[Segment] = field(default_factory=list)

    @property
    def first_audio_after(self) -> float | None:
        """End of the caller's audio -> the agent's first audio after it (s; below 0 when the agent
        began within the clip's trailing silence)."""
        return self.replies[0].started_at - self.utterance.ended_at if self.replies else None


class VoiceCall:
    """`async with VoiceCall(db, phone, knowledge, profile, speech) as call: await call.say(samples)`.

    The greeting has been spoken when the `async with` body starts.
    """

    def __init__(self, db, phone: str, knowledge, profile: dict | None, speech: LocalSpeech, *,
                 model=None, pause: float = 1.0, interruptions: bool = True,
                 on_line: Callable[[str, str], None] | None = None):
        from .session import Call, instructions_for
        self.caller = CallerAudio()
        self.tape = AgentTape(speech.tts.sample_rate)
        self.pause = pause
        self.on_line = on_line
        self.call = Call(db, phone, knowledge, instructions_for(profile), model=model,
                         channel="voice", audio=(self.caller, self.tape),
                         speech=session_speech({"stt": LOCAL, "tts": LOCAL, "vad": "silero"},
                                               interruptions=interruptions, can_pause=False)
                         # the files have been played whole: no transcript is still to come at hang-up
                         | {"session_close_transcript_timeout": 0.5},
                         greeting=salon.greeting(profile))
        self.session = self.call.session
        self.started_at = 0.0
        self._state_changed = asyncio.Event()
        self.session.on("agent_state_changed", lambda ev: self._state_changed.set())
        self.session.on("conversation_item_added", self._said)

    def _said(self, event) -> None:
        item = event.item
        if getattr(item, "type", None) == "message" and item.role in ("user", "assistant") \
                and self.on_line is not None:
            self.on_line("caller" if item.role == "user" else "agent", item.text_content or "")

    async def __aenter__(self) -> "VoiceCall":
        self.started_at = time.time()
        await self.call.start()
        await self.settled(expect_reply=True)
        return self

    async def __aexit__(self, *exc) -> None:
        try:
            await self.call.close()
        finally:
            self.caller.close()

    @property
    def record(self):
        return self.call.record

    async def say(self, samples: np.ndarray, *, wait: bool = True) -> Turn:
        """Play the caller's samples (int16 mono 16 kHz); with `wait`, until the agent has answered
        and been quiet for the pause (or did not answer within REPLY_TIMEOUT)."""
        utterance = await self.caller.say(samples)
        turn = Turn(utterance)
        if wait:
            await self.settled(expect_reply=True)
        # What the agent began saying once the caller began this clip: a quick reply may start while
        # the clip's trailing silence is still being played (the VAD ends the turn on the voice).
        turn.replies = [s for s in self.tape.segments if s.started_at >= utterance.started_at]
        return turn

    async def settled(self, *, expect_reply: bool, timeout: float = REPLY_TIMEOUT) -> None:
        """Until the agent listens again and has been quiet for the pause. With `expect_reply`, first
        wait (up to `timeout`) for it to start answering."""
        loop = asyncio.get_running_loop()
        deadline = loop.time() + timeout
        if expect_reply:
            while self.session.agent_state in ("listening", "initializing") \
                    and not self.tape.playing and loop.time() < deadline:
                self._state_changed.clear()
                try:
                    await asyncio.wait_for(self._state_changed.wait(), deadline - loop.time())
                except asyncio.TimeoutError:
                    return
        quiet_since = None
        while loop.time() < deadline + LONGEST_REPLY:
            busy = (self.session.agent_state not in ("listening", "idle")
                    or self.tape.playing or self.caller.speaking)
            if busy:
                quiet_since = None
            elif quiet_since is None:
                quiet_since = loop.time()
            elif loop.time() - quiet_since >= self.pause:
                return
            await asyncio.sleep(0.05)

    async def wait_for_answers(self, timeout: float) -> list[str]:
        """Hold the line for a supervisor's answers, then until the agent has said them."""
        delivered = await self.call.wait_for_answers(timeout)
        await self.settled(expect_reply=False)
        return delivered

    def recording(self) -> np.ndarray:
        return self.tape.recording(since=self.started_at)


def read_clips(paths: list[str]) -> list[np.ndarray]:
    """Every caller file as 16 kHz mono samples; raises wav.WavError on the first bad one."""
    clips = [wav.read(path, CALLER_RATE) for path in paths]
    for path, clip in zip(paths, clips):
        if not np.any(clip):
            raise wav.WavError(f"{path}: silent (every sample is zero)")
    return clips


async def main(phone: str, paths: list[str], record_path: str | None, pause: float,
               wait_answers: float) -> int:
    try:
        clips = read_clips(paths)
    except wav.WavError as err:
        print(f"voice-call: {err}", file=sys.stderr)
        return 2
    from frontdesk_core.infra.firebase import db
    from . import speech
    from .knowledge import KnowledgeIndex
    from .session import load_profile

    local = await asyncio.to_thread(speech.load)
    client = db()
    knowledge = await asyncio.to_thread(KnowledgeIndex.from_firestore, client)
    profile = await asyncio.to_thread(load_profile, client)
    print(f"Local speech ready ({local.load_seconds:.1f} s). Calling "
          f"{(profile or {}).get('name', 'the salon')} as {phone}…", flush=True)
    try:
        async with VoiceCall(client, phone, knowledge, profile, local, pause=pause,
                             on_line=lambda who, text: print(f"{who}> {text}", flush=True)) as call:
            for clip in clips:
                await call.say(clip)
            if wait_answers > 0 and call.call.delivery.waiting:
                print(f"(holding the line up to {wait_answers:g} s for the supervisor)", flush=True)
                await call.wait_for_answers(wait_answers)
            ids = call.record.help_request_ids
        if record_path:
            wav.write(record_path, call.recording(), call.tape.rate)
    finally:
        knowledge.close()
    print(f"Call ended. Conversation {call.record.conversation_id}"
          + (f"; help requests: {', '.join(ids)}" if ids else "")
          + (f". The agent's side: {record_path}" if record_path else "") + ".", flush=True)
    return 0
