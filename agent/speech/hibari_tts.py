"""Text-to-speech on this machine: hibari's voice "heart" (an ONNX model inside the hibari-tts wheel).

A non-streaming `tts.TTS`; the session wraps it in `tts.StreamAdapter`, which feeds it one sentence
at a time, so the first sentence is heard while the next is synthesised. Loaded once per process, one
ONNX Runtime thread, one synthesis at a time. hibari downloads voices other than "heart": only the
bundled one is ever used (its file is verified against models.sha256).
"""
from __future__ import annotations

import asyncio
import uuid
from concurrent.futures import ThreadPoolExecutor

import numpy as np
from livekit.agents import APIConnectOptions, tts
from livekit.agents.types import DEFAULT_API_CONNECT_OPTIONS

from .integrity import verified
from .whisper_stt import threads

VOICE = "heart"


class HibariTTS(tts.TTS):
    def __init__(self, *, speed: float = 1.0, seed: int | None = 0):
        root = verified("hibari")
        from hibari import SAMPLE_RATE, Hibari
        super().__init__(capabilities=tts.TTSCapabilities(streaming=False),
                         sample_rate=SAMPLE_RATE, num_channels=1)
        self._voice = Hibari(voice=VOICE, model=str(root / "assets" / "hibari.onnx"),
                             threads=threads())
        self._voice.g2p  # load the lexicons now, not on the first sentence
        self._speed = speed
        self._seed = seed     # fixed: the same text always sounds the same (tests, recordings)
        self._executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="hibari")

    @property
    def model(self) -> str:
        return f"hibari-{VOICE}"

    @property
    def provider(self) -> str:
        return "hibari"

    def pcm(self, text: str) -> bytes:
        """Text -> 16-bit mono PCM at `sample_rate` (blocking)."""
        audio = self._voice(text, speed=self._speed, seed=self._seed)
        return (np.clip(audio, -1.0, 1.0) * 32767.0).astype("<i2").tobytes()

    def synthesize(self, text: str, *,
                   conn_options: APIConnectOptions = DEFAULT_API_CONNECT_OPTIONS) -> tts.ChunkedStream:
        return _HibariStream(tts=self, input_text=text, conn_options=conn_options)

    async def aclose(self) -> None:
        self._executor.shutdown(wait=False)


class _HibariStream(tts.ChunkedStream):
    async def _run(self, output_emitter: tts.AudioEmitter) -> None:
        engine: HibariTTS = self._tts  # type: ignore[assignment]
        output_emitter.initialize(request_id=uuid.uuid4().hex, sample_rate=engine.sample_rate,
                                  num_channels=1, mime_type="audio/pcm")
        loop = asyncio.get_running_loop()
        output_emitter.push(await loop.run_in_executor(engine._executor, engine.pcm, self.input_text))
        output_emitter.flush()
