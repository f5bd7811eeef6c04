"""Whisper's encoder window fitted to the utterance (agent/speech/whisper_stt.py): its size, and the
same words as with the full 30 s window on a spoken question (bench/whisper_window.py has the figures)."""
import numpy as np
import pytest
from livekit import rtc

from agent.speech import whisper_stt
from agent.speech.call_audio import CALLER_RATE
from agent.speech.whisper_stt import FULL_WINDOW, window_frames


def test_the_window_covers_the_utterance_and_a_margin_in_whole_seconds():
    assert window_frames(2.6) == 400          # 2.6 s + 1 s, rounded up to 4 s of 10 ms frames
    assert window_frames(0.2) == 200
    assert window_frames(3.0) == 400
    assert window_frames(45.0) == FULL_WINDOW  # never more than Whisper's 30 s


@pytest.fixture(scope="module")
def local():
    from agent import speech
    return speech.load()


def test_a_spoken_question_is_heard_alike_with_the_fitted_and_the_full_window(local, monkeypatch):
    from tests.voice import speak
    samples = speak(local, "What time do you close on Sunday?")
    audio = whisper_stt.to_whisper(rtc.AudioFrame(samples.tobytes(), CALLER_RATE, 1, len(samples)))
    whisper = local.stt.wrapped_stt
    fitted = whisper.transcribe(audio)
    assert whisper._model.encoded_frames == window_frames(len(audio) / whisper_stt.SAMPLE_RATE) < FULL_WINDOW
    monkeypatch.setattr(whisper_stt, "WINDOW_MARGIN", 60.0)
    full = whisper.transcribe(audio)
    assert whisper._model.encoded_frames == FULL_WINDOW
    assert fitted == full and "sunday" in fitted.lower()


def test_noise_alone_is_still_heard_as_nothing(local):
    rng = np.random.default_rng(7)
    hiss = rng.normal(0, 0.03, 48000).astype(np.float32)
    assert local.stt.wrapped_stt.transcribe(hiss) == ""
    assert local.stt.wrapped_stt.transcribe(np.zeros(32000, np.float32)) == ""
