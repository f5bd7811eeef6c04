"""Local speech for the voice session: Whisper tiny.en (STT), hibari (TTS), silero (VAD).

All three run in-process with no network and no key; `load()` is for a worker's prewarm (once per
process, ~1–2 s), the session then gets `stt.StreamAdapter(whisper, vad)`, the TTS and the VAD.
Every model file is checked against `models.sha256` first.
"""
from __future__ import annotations

import time
from dataclasses import dataclass

from livekit.agents import stt as lk_stt
from livekit.agents import tts as lk_tts
from livekit.agents import vad as lk_vad
from livekit.plugins import silero  # a plugin registers itself, on the main thread only: import here


from .integrity import ModelIntegrityError, verified

__all__ = ["LocalSpeech", "ModelIntegrityError", "load"]


@dataclass
class LocalSpeech:
    stt: lk_stt.STT        # whisper behind the VAD's utterance cutting
    tts: lk_tts.TTS
    vad: lk_vad.VAD
    load_seconds: float


def load_vad() -> lk_vad.VAD:
    root = verified("livekit.plugins.silero")
    # silero's ONNX session runs on one thread already (intra/inter op 1). 0.4 s of silence ends an
    # utterance (default 0.55); with the 0.3 s endpointing delay a caller may pause 0.7 s mid-question.
    return silero.VAD.load(onnx_file_path=root / "resources" / "silero_vad.onnx",
                           min_silence_duration=VAD_SILENCE)


VAD_SILENCE = 0.4
_loaded: LocalSpeech | None = None


def load() -> LocalSpeech:
    """The process's speech models, loaded (and verified) on first use."""
    global _loaded
    if _loaded is None:
        from .hibari_tts import HibariTTS
        from .whisper_stt import WhisperSTT
        start = time.perf_counter()
        vad = load_vad()
        whisper = WhisperSTT()
        voice = HibariTTS()
        _loaded = LocalSpeech(lk_stt.StreamAdapter(stt=whisper, vad=vad), voice, vad,
                              time.perf_counter() - start)
    return _loaded
