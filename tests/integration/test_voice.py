"""Spoken calls through the whole voice pipeline, on the emulators with the real Cloud Functions.

The caller's questions are spoken by the local voice and played in real time into the same `Call` a
room uses (VAD -> Whisper -> Receptionist -> hibari); what the agent said is checked by transcribing
its recorded audio back. The models load once for the whole test session.
"""
from __future__ import annotations

import asyncio
import os
import subprocess
import sys

import numpy as np
import pytest
import pytest_asyncio
from google.cloud.firestore import FieldFilter

from agent import cpu, receptionist, speech
from agent.policy import OfflinePolicyLLM
from agent.session import load_profile
from agent.speech import wav
from agent.speech.call_audio import CALLER_RATE
from agent.voice_call import VoiceCall
from frontdesk_core import contract

from tests.emulator import turns_of
from tests.voice import heard, normalise, speak

pytestmark = pytest.mark.emulator
CALLER = "+15550161"


@pytest.fixture(scope="session")
def local_speech():
    return speech.load()


@pytest.fixture
def knowledge(live_knowledge):
    return live_knowledge


@pytest_asyncio.fixture
async def voice_call(salon_db, knowledge, local_speech):
    async with VoiceCall(salon_db, CALLER, knowledge, load_profile(salon_db), local_speech,
                         model=OfflinePolicyLLM(), pause=0.6) as call:
        yield call


def said(local_speech, call, segments) -> str:
    return " ".join(heard(local_speech, s.samples, call.tape.rate) for s in segments)


def pending(db, phone=CALLER):
    return list(db.collection(contract.HELP_REQUESTS)
                .where(filter=FieldFilter("customerPhone", "==", phone)).stream())


@pytest.mark.asyncio
async def test_greeting_first_then_a_spoken_question_is_answered_with_its_facts(voice_call, local_speech,
                                                                                 salon_db):
    [greeting] = voice_call.tape.segments            # spoken before the caller said anything
    assert "thanks for calling lumen" in heard(local_speech, greeting.samples, voice_call.tape.rate)
    turn = await voice_call.say(speak(local_speech, "How much is a men's haircut?"))
    reply = said(local_speech, voice_call, turn.replies).split()
    assert "45" in reply and "30" in reply and "haircut" in reply, reply
    assert turn.first_audio_after is not None and turn.first_audio_after < 5.0
    assert pending(salon_db) == []
    await voice_call.record.flush()
    conversation = (await voice_call.record.conversation.get()).to_dict()
    assert conversation["channel"] == "voice"
    assert [t["role"] for t in turns_of(salon_db, voice_call.record.conversation_id)][-2:] == [contract.CALLER, contract.AGENT]


@pytest.mark.asyncio
async def test_unknown_question_escalates_and_the_answer_is_spoken_in_the_call(voice_call, local_speech,
                                                                               salon_db):
    turn = await voice_call.say(speak(local_speech, "Do you sell gift cards?"))
    assert "supervisor" in said(local_speech, voice_call, turn.replies)
    [request] = pending(salon_db)
    data = request.to_dict()
    assert data["status"] == contract.PENDING and "gift card" in normalise(data["question"])
    assert data["conversationId"] == voice_call.record.conversation_id

    # A supervisor answers while the caller is still on the line: the agent says it in the call.
    answer = "Yes, gift cards come in 25, 50 and 100 dollars."
    request.reference.update(contract.resolution(answer, answered_by="supervisor-test"))
    before = len(voice_call.tape.segments)
    delivered = await voice_call.wait_for_answers(30)
    assert len(delivered) == 1 and answer in delivered[0]
    words = said(local_speech, voice_call, voice_call.tape.segments[before:]).split()
    assert {"supervisor", "25", "50", "100"} <= set(words), words
    assert request.reference.get().get("followupSent") is True


@pytest.mark.asyncio
async def test_slow_lookup_speaks_the_filler_first(voice_call, local_speech, monkeypatch):
    decide = cpu.decide

    async def slow_decide(index, text):          # a cold start or a loaded machine: well past FILLER_AFTER
        await asyncio.sleep(receptionist.FILLER_AFTER + 1.0)
        return await decide(index, text)

    # Slowing the lookup itself, not shortening FILLER_AFTER to 0: the turn starts its lookup early
    # (Receptionist._look_ahead), so a quick one may rightly be done before the tool asks for it.
    monkeypatch.setattr(cpu, "decide", slow_decide)
    turn = await voice_call.say(speak(local_speech, "What time do you close on Sunday?"))
    first, *rest = [heard(local_speech, s.samples, voice_call.tape.rate) for s in turn.replies]
    assert "moment" in first and "check" in first and "sunday" not in first, first
    assert "11am" in " ".join(rest) or "11" in " ".join(rest).split(), rest


@pytest.mark.asyncio
async def test_caller_talking_over_the_agent_interrupts_it(voice_call, local_speech):
    tape = voice_call.tape
    question = await voice_call.say(speak(local_speech, "What is your cancellation policy?"), wait=False)
    answer_starts = len(tape.segments)
    loop = asyncio.get_running_loop()
    deadline = loop.time() + 20
    while len(tape.segments) <= answer_starts and loop.time() < deadline:
        await asyncio.sleep(0.05)
    answer = tape.segments[answer_starts]
    full = len(answer.samples) / tape.rate
    assert full > 4.0, "the policy's answer is long enough to talk over"
    await asyncio.sleep(1.0)                                      # the agent is mid-sentence
    await voice_call.say(speak(local_speech, "Sorry, actually, what is your address?"))
    assert answer.interrupted and len(answer.samples) / tape.rate < full - 1.0
    assert speech_ended_at(question.utterance) < answer.started_at


def speech_ended_at(utterance) -> float:
    """When the caller's words ended: the clip's last sample above silence. The clip itself ends in
    silence, and the agent may rightly begin its answer while that silence is still being played."""
    loud = np.flatnonzero(np.abs(utterance.samples.astype(np.int32)) > 500)
    rate = len(utterance.samples) / (utterance.ended_at - utterance.started_at)
    return utterance.started_at + (loud[-1] + 1) / rate if len(loud) else utterance.ended_at


@pytest.mark.asyncio
async def test_silence_and_noise_raise_nothing(voice_call, local_speech, salon_db):
    rng = np.random.default_rng(7)
    silence = np.zeros(2 * CALLER_RATE, np.int16)
    hiss = (rng.normal(0, 0.03, 3 * CALLER_RATE) * 32767).astype(np.int16)
    hum = (0.1 * 32767 * np.sin(2 * np.pi * 60 * np.arange(2 * CALLER_RATE) / CALLER_RATE)).astype(np.int16)
    before = len(voice_call.tape.segments)
    for noise in (silence, hiss, hum):
        await voice_call.say(noise, wait=False)
    await voice_call.settled(expect_reply=True, timeout=3.0)
    assert len(voice_call.tape.segments) == before           # the agent said nothing
    assert pending(salon_db) == []
    await voice_call.record.flush()
    turns = turns_of(salon_db, voice_call.record.conversation_id)
    assert [t for t in turns if t["role"] == contract.CALLER] == []


def test_voice_call_command_plays_any_wav_records_the_agent_and_writes_the_call(
        salon_db, local_speech, tmp_path):
    # The caller's file at 44.1 kHz stereo: resampled on the way in.
    question = speak(local_speech, "Where is the salon located?")
    stereo = wav.resample(question, CALLER_RATE, 44100)
    path = tmp_path / "caller.wav"
    import wave
    with wave.open(str(path), "wb") as w:
        w.setnchannels(2), w.setsampwidth(2), w.setframerate(44100)
        w.writeframes(np.repeat(stereo[:, None], 2, axis=1).astype("<i2").tobytes())
    out = tmp_path / "agent.wav"
    done = subprocess.run([sys.executable, "-m", "agent", "voice-call", "--phone", "+15550162",
                           "--pause", "0.5", str(path), "--record", str(out)],
                          capture_output=True, text=True, timeout=120, env=os.environ)
    assert done.returncode == 0, done.stderr[-2000:]
    lines = [l for l in done.stdout.splitlines() if l.startswith(("caller> ", "agent> "))]
    assert lines[0].startswith("agent> Thanks for calling") and lines[1].startswith("caller> ")
    assert "salon" in lines[1].lower() and lines[2].startswith("agent> ")
    profile = load_profile(salon_db)
    recorded = wav.read(out, CALLER_RATE)
    words = normalise(local_speech.stt.wrapped_stt.transcribe(recorded.astype(np.float32) / 32768))
    street, city = (normalise(part) for part in profile["address"].split(",")[:2])  # "412 alder street"
    number = street.split()[0]                       # Whisper may write the street's name differently
    assert "thanks for calling" in words and {number, city} <= set(words.split()), \
        (words, profile["address"])
    [conversation] = [s for s in salon_db.collection(contract.CONVERSATIONS)
                      .where(filter=FieldFilter("customerPhone", "==", "+15550162")).stream()]
    assert conversation.get("channel") == "voice" and conversation.get("endedAt") is not None
    assert [t["role"] for t in turns_of(salon_db, conversation.id)] == ["agent", "caller", "agent"]
