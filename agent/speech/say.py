"""Speak a sentence with the local voice into a WAV file (a caller's question for `voice-call`).

  python -m agent.speech.say --out question.wav "How much is a men's haircut?"
"""
from __future__ import annotations

import argparse
import sys

import numpy as np

from . import wav


def caller_samples(tts, text: str, rate: int) -> np.ndarray:
    """`text` in the local voice as int16 mono at `rate`, with a little silence either side."""
    pcm = np.frombuffer(tts.pcm(text), np.int16)
    pad = np.zeros(tts.sample_rate // 5, np.int16)
    return wav.resample(np.concatenate([pad, pcm, pad]), tts.sample_rate, rate)


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="python -m agent.speech.say", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--out", required=True, help="WAV file to write (16-bit mono, 24 kHz)")
    parser.add_argument("text")
    args = parser.parse_args(argv)
    if not args.text.strip():
        parser.error("nothing to say")
    from .hibari_tts import HibariTTS
    tts = HibariTTS()
    wav.write(args.out, caller_samples(tts, args.text, tts.sample_rate), tts.sample_rate)
    print(args.out)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
