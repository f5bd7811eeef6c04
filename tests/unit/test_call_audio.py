"""The file-driven call's audio I/O on the call's clock, without a session: the caller's frames are
paced in real time, the agent's speech "plays" for its duration and an interruption cuts it."""
from __future__ import annotations

import asyncio
import time

import numpy as np
import pytest
from livekit import rtc

from agent.speech.call_audio import CALLER_RATE, FRAME, AgentTape, CallerAudio

RATE = 24000


def frames(seconds: float, value: int = 1000):
    n = int(RATE * seconds)
    for start in range(0, n, RATE // 10):
        k = min(RATE // 10, n - start)
        yield rtc.AudioFrame(np.full(k, value, np.int16).tobytes(), RATE, 1, k)


@pytest.mark.asyncio
async def test_agent_speech_plays_for_its_duration_then_reports_it_finished():
    tape = AgentTape(RATE)
    start = time.monotonic()
    for frame in frames(0.6):
        await tape.capture_frame(frame)
    tape.flush()
    done = await tape.wait_for_playout()
    assert 0.55 < time.monotonic() - start < 0.9
    assert not done.interrupted and abs(done.playback_position - 0.6) < 0.01
    assert not tape.playing and len(tape.segments) == 1


@pytest.mark.asyncio
async def test_clearing_the_buffer_cuts_the_speech_where_it_was():
    tape = AgentTape(RATE)
    for frame in frames(2.0):
        await tape.capture_frame(frame)
    tape.flush()
    await asyncio.sleep(0.4)
    assert tape.playing
    tape.clear_buffer()
    done = await tape.wait_for_playout()
    assert done.interrupted and 0.35 < done.playback_position < 0.7
    [segment] = tape.segments
    assert segment.interrupted and abs(len(segment.samples) / RATE - done.playback_position) < 0.01
    recorded = tape.recording(since=segment.started_at)
    assert 0.35 * RATE < np.count_nonzero(recorded) < 0.7 * RATE


@pytest.mark.asyncio
async def test_caller_audio_is_paced_in_real_time_with_silence_around_what_is_said():
    caller = CallerAudio()
    said = caller.say(np.full(CALLER_RATE // 2, 500, np.int16))      # 0.5 s of "speech"
    start, loud, total = time.monotonic(), 0, 0
    async for frame in caller:
        samples = np.frombuffer(frame.data, np.int16)
        assert frame.sample_rate == CALLER_RATE and len(samples) == FRAME
        loud += int(np.count_nonzero(samples))
        total += len(samples)
        if total >= CALLER_RATE:                                     # 1 s of line
            caller.close()
    elapsed = time.monotonic() - start
    utterance = await said
    assert 0.9 < elapsed < 1.4 and loud == CALLER_RATE // 2
    assert utterance.ended_at - utterance.started_at == pytest.approx(0.48, abs=0.15)
