"""Which speech a voice session uses, from the environment.

FRONTDESK_STT / FRONTDESK_TTS: `local` (Whisper tiny.en / hibari, in-process) or a LiveKit Inference
model name ("provider/model[:language]"). Unset: LiveKit Inference when it is configured
(LIVEKIT_API_KEY and LIVEKIT_API_SECRET, as on LiveKit Cloud), otherwise local — a self-hosted LiveKit
server has no Inference, so set both to `local` there. FRONTDESK_VAD=none turns voice activity
detection off (cloud STT only: local STT needs the VAD to cut utterances).
"""
from __future__ import annotations

import os

LOCAL = "local"
CLOUD_STT, CLOUD_TTS = "deepgram/nova-3:en", "cartesia/sonic-2"


def inference_configured(env=os.environ) -> bool:
    return bool(env.get("LIVEKIT_API_KEY") and env.get("LIVEKIT_API_SECRET"))


def speech_choice(env=os.environ) -> dict[str, str]:
    """{"stt", "tts", "vad"} as names: `local`, a model name; vad `silero`, `builtin` or `none`."""
    cloud = inference_configured(env)
    stt = env.get("FRONTDESK_STT") or (CLOUD_STT if cloud else LOCAL)
    tts = env.get("FRONTDESK_TTS") or (CLOUD_TTS if cloud else LOCAL)
    vad = "none" if env.get("FRONTDESK_VAD", "").lower() == "none" else "builtin"
    if stt == LOCAL:
        if vad == "none":
            raise ValueError("FRONTDESK_STT=local needs voice activity detection; unset FRONTDESK_VAD")
        vad = "silero"
    return {"stt": stt, "tts": tts, "vad": vad}


def uses_local(choice: dict[str, str]) -> bool:
    return LOCAL in (choice["stt"], choice["tts"])


def endpointing_delay(env=os.environ) -> float:
    return float(env.get("FRONTDESK_ENDPOINTING_DELAY", "0.3"))


def session_speech(choice: dict[str, str], *, interruptions: bool = True, can_pause: bool = True,
                   env=os.environ) -> dict:
    """AgentSession keyword arguments for `choice`; local models come from `load()` (once per process).
    `can_pause`: the audio output can pause (a room's can; then a false interruption resumes)."""
    kwargs: dict = {"stt": choice["stt"], "tts": choice["tts"]}
    if uses_local(choice):
        from . import load
        local = load()
        if choice["stt"] == LOCAL:
            kwargs["stt"], kwargs["vad"] = local.stt, local.vad
        if choice["tts"] == LOCAL:
            kwargs["tts"] = local.tts
        # Without Inference, 1.8's default turn detector and adaptive interruption reach for the cloud:
        # end a turn, and interrupt, on the VAD.
        # The turn ends ENDPOINTING_DELAY after the VAD's end of speech (0.4 s of silence): 0.3 s more
        # lets a caller pause 0.7 s mid-question. Whisper (~0.1-0.2 s on a short question with its
        # fitted window) finishes within it, so this wait is now most of the reply's latency: kept
        # for turn-taking, not for speed (bench/voice.py).
        kwargs["turn_handling"] = {"turn_detection": "vad",
                                   "endpointing": {"min_delay": endpointing_delay(env)},
                                   "interruption": {"enabled": interruptions, "mode": "vad",
                                                    "resume_false_interruption": can_pause}}
    if choice["vad"] == "none":
        kwargs["vad"] = None
    return kwargs
