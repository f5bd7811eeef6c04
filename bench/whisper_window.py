"""Whisper's encoder window: the full 30 s vs a window fitted to the utterance (agent/speech/whisper_stt.py).

  .venv/bin/python -m bench.whisper_window [--questions 80] [--margins 1 2]

The voice benchmark's questions, the voice tests' phrases and the first --questions of
tests/data/labelled.jsonl, spoken by the local voice (as the voice tests' caller), each transcribed with
the full window and with each margin; then silence, hiss and hum (must stay empty). Prints word error
(numbers normalised as in the voice tests) and the median / p90 time per utterance, per setting.
"""
from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
TEST_PHRASES = ["How much is a men's haircut?", "Do you sell gift cards?", "What time do you close on Sunday?",
                "What is your cancellation policy?", "Sorry, actually, what is your address?",
                "Where is the salon located?"]


def edits(ref: list[str], hyp: list[str]) -> int:
    row = list(range(len(hyp) + 1))
    for i, r in enumerate(ref, 1):
        prev, row[0] = row[0], i
        for j, h in enumerate(hyp, 1):
            prev, row[j] = row[j], min(row[j] + 1, row[j - 1] + 1, prev + (r != h))
    return row[-1]


def phrases(n: int) -> list[str]:
    from bench.voice import KNOWN, UNKNOWN
    labelled = [json.loads(line)["question"] for line in (ROOT / "tests/data/labelled.jsonl").open()][:n]
    return list(dict.fromkeys(KNOWN + UNKNOWN + TEST_PHRASES + labelled))


def run(stt, clips: dict[str, np.ndarray], window_margin: float | None) -> dict:
    from agent.speech import whisper_stt
    from tests.voice import normalise
    whisper_stt.WINDOW_MARGIN = window_margin if window_margin is not None else 1e9   # 1e9: 30 s always
    errors = words = 0
    times, misheard = [], []
    for text, clip in clips.items():
        start = time.perf_counter()
        heard = stt.transcribe(clip)
        times.append(time.perf_counter() - start)
        ref, hyp = normalise(text).split(), normalise(heard).split()
        wrong = edits(ref, hyp)
        errors, words = errors + wrong, words + len(ref)
        if wrong:
            misheard.append(f"{text!r} -> {heard!r}")
    return {"wer": round(errors / words, 4), "errors": errors, "words": words,
            "median_s": round(float(np.median(times)), 3), "p90_s": round(float(np.percentile(times, 90)), 3),
            "misheard": misheard}


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--questions", type=int, default=80)
    parser.add_argument("--margins", type=float, nargs="+", default=[1.0, 2.0])
    args = parser.parse_args(argv)
    from livekit import rtc
    from agent.speech.call_audio import CALLER_RATE
    from agent.speech.hibari_tts import HibariTTS
    from agent.speech.say import caller_samples
    from agent.speech.whisper_stt import WhisperSTT, to_whisper, whisper_threads
    voice, stt = HibariTTS(), WhisperSTT()

    def heard_as(samples: np.ndarray) -> np.ndarray:
        return to_whisper(rtc.AudioFrame(samples.tobytes(), CALLER_RATE, 1, len(samples)))

    clips = {text: heard_as(caller_samples(voice, text, CALLER_RATE)) for text in phrases(args.questions)}
    rng = np.random.default_rng(7)
    noise = {"silence": np.zeros(32000, np.float32), "hiss": rng.normal(0, .03, 48000).astype(np.float32),
             "hum": (0.1 * np.sin(2 * np.pi * 60 * np.arange(32000) / 16000)).astype(np.float32)}
    stt.transcribe(next(iter(clips.values())))   # warm
    out = {"utterances": len(clips), "threads": whisper_threads(), "loadavg": open("/proc/loadavg").read().split()[:3]}
    for margin in [None, *args.margins]:
        name = "full 30 s" if margin is None else f"fitted, margin {margin:g} s"
        out[name] = run(stt, clips, margin)
        out[name]["noise_heard"] = {k: stt.transcribe(v) for k, v in noise.items()}
    out["loadavg_after"] = open("/proc/loadavg").read().split()[:3]
    print(json.dumps(out, indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
