"""Helpers for the voice tests: the caller's voice and what the agent's audio says, normalised."""
from __future__ import annotations

import re

import numpy as np

from agent.speech.call_audio import CALLER_RATE
from agent.speech.say import caller_samples
from agent.speech.whisper_stt import to_whisper

ONES = ("zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen "
        "fifteen sixteen seventeen eighteen nineteen").split()
TENS = "_ _ twenty thirty forty fifty sixty seventy eighty ninety".split()
WORD_VALUE = {w: i for i, w in enumerate(ONES)} | {w: 10 * i for i, w in enumerate(TENS) if i >= 2}


def normalise(text: str) -> str:
    """Lower case, no punctuation, numbers as digits: "$45" and "forty-five dollars" both hold 45."""
    words = re.sub(r"[^a-z0-9' ]+", " ", text.lower().replace("-", " ")).split()
    out: list[str] = []
    for word in words:
        if word in WORD_VALUE:
            value = WORD_VALUE[word]
            if out and out[-1].isdigit() and int(out[-1]) % 10 == 0 and int(out[-1]) >= 20 \
                    and value < 10:
                out[-1] = str(int(out[-1]) + value)     # "forty" "five" -> 45
            else:
                out.append(str(value))
        else:
            out.append(word)
    return " ".join(out)


def speak(speech, text: str) -> np.ndarray:
    """The caller saying `text` (the local voice), int16 mono at the call's rate."""
    return caller_samples(speech.tts, text, CALLER_RATE)


def heard(speech, samples: np.ndarray, rate: int) -> str:
    """What Whisper hears in int16 `samples` at `rate`, normalised."""
    from livekit import rtc
    if len(samples) == 0:
        return ""
    frame = rtc.AudioFrame(np.asarray(samples, np.int16).tobytes(), rate, 1, len(samples))
    return normalise(speech.stt.wrapped_stt.transcribe(to_whisper(frame)))
