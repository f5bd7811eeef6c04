"""Voice figures (issue 15): end of caller speech -> first agent audio, model load, worker memory.

  tools/emulators-exec.sh --project demo-voice --config firebase.voice.json \
      ".venv/bin/python -m bench.voice [--rounds 2] [--loads 3]"

- latency: one spoken call through `VoiceCall` (the same Call a room uses, local speech, the offline
  policy), the caller's questions spoken by the local voice and played in real time, each asked once
  per round: known questions (answered from the seed) and unknown ones (escalated). Measured from the
  end of the caller's voice in the clip (its trailing silence excluded) to the agent's first audio
  after it: the VAD's end-of-speech silence, the endpointing delay, Whisper, the lookup (and for an
  escalation the help request's write), hibari's first sentence.
- load: `speech.load()` (digest checks included) in fresh processes, median of --loads.
- memory: RSS of a fresh process after the worker's own prewarm (embedding model, local speech,
  knowledge index on Firestore, salon profile), as a LiveKit worker process holds it.
"""
from __future__ import annotations

import argparse
import asyncio
import json
import statistics
import subprocess
import sys
import time

import numpy as np

KNOWN = ["How much is a men's haircut?", "What time do you close on Sunday?",
         "Where is the salon located?", "What is your cancellation policy?",
         "Do you take walk-ins?", "Is there parking nearby?"]
UNKNOWN = ["Do you sell gift cards?", "Do you do eyelash extensions?", "Can I bring my dog?",
           "Do you have a loyalty program?"]
PHONE = "+1555019"   # + the round


def voice_end(samples: np.ndarray, rate: int) -> float:
    """Seconds of trailing silence after the last voiced sample (1 % of the peak)."""
    loud = np.flatnonzero(np.abs(samples.astype(np.int32)) > 0.01 * np.abs(samples).max())
    return (len(samples) - 1 - loud[-1]) / rate


def pct(values: list[float], q: float) -> float:
    values = sorted(values)
    return values[min(len(values) - 1, int(round(q * (len(values) - 1))))]


async def latencies(rounds: int) -> dict:
    from agent import speech
    from agent.knowledge import KnowledgeIndex
    from agent.policy import OfflinePolicyLLM
    from agent.session import load_profile
    from agent.speech.call_audio import CALLER_RATE
    from agent.speech.say import caller_samples
    from agent.voice_call import VoiceCall
    from frontdesk_core.infra.firebase import db
    from tests.emulator import clear_firestore
    from tools.seed import seed

    client = db()
    clear_firestore()
    seed(client)
    local = speech.load()
    knowledge = KnowledgeIndex.from_firestore(client)
    clips = {q: caller_samples(local.tts, q, CALLER_RATE) for q in KNOWN + UNKNOWN}
    out: dict[str, list[float]] = {"known": [], "escalation": []}
    wrong = []
    try:
        for round_ in range(rounds):     # a new caller each round: a repeated question is not re-raised
            async with VoiceCall(client, f"{PHONE}{round_}", knowledge, load_profile(client), local,
                                 model=OfflinePolicyLLM(), pause=0.6) as call:
                for question, clip in clips.items():
                    before = len(call.record.help_request_ids)
                    turn = await call.say(clip)
                    escalated = len(call.record.help_request_ids) > before
                    kind = "escalation" if question in UNKNOWN else "known"
                    if escalated != (kind == "escalation") or turn.first_audio_after is None:
                        wrong.append(question)
                        continue
                    out[kind].append(turn.first_audio_after + voice_end(clip, CALLER_RATE))
    finally:
        knowledge.close()
    return {**{k: {"n": len(v), "p50": statistics.median(v), "p95": pct(v, 0.95), "max": max(v)}
               for k, v in out.items() if v}, "not_as_planned": wrong}


LOAD = """
import json, time
t = time.perf_counter()
from agent import speech
s = speech.load()
print(json.dumps({"wall": time.perf_counter() - t, "load": s.load_seconds}))
"""

PREWARM = """
import json, resource
from agent.worker import prewarm
class Proc:  # JobProcess as the worker gives it to prewarm
    userdata = {}
prewarm(Proc())
rss = int(next(l for l in open("/proc/self/status") if l.startswith("VmRSS")).split()[1]) / 1024
print(json.dumps({"rss_mb": rss, "peak_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
                  "entries": len(Proc.userdata["knowledge"])}))
"""


def fresh(code: str) -> dict:
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True,
                          env={**__import__("os").environ, "FRONTDESK_STT": "local",
                               "FRONTDESK_TTS": "local"})
    return json.loads(done.stdout.strip().splitlines()[-1])


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rounds", type=int, default=2, help="times each question is asked")
    parser.add_argument("--loads", type=int, default=3, help="fresh processes timing the model load")
    args = parser.parse_args(argv)
    from tests.emulator import require_emulators
    require_emulators()
    loads = [fresh(LOAD) for _ in range(args.loads)]
    memory = fresh(PREWARM)
    start = time.perf_counter()
    result = asyncio.run(latencies(args.rounds))
    print(json.dumps({
        "load_s_median": statistics.median(l["load"] for l in loads),
        "import_and_load_s_median": statistics.median(l["wall"] for l in loads),
        "worker_rss_mb": round(memory["rss_mb"]), "worker_peak_rss_mb": round(memory["peak_mb"]),
        "first_audio_s": result, "call_wall_s": round(time.perf_counter() - start, 1),
        "loadavg": open("/proc/loadavg").read().split()[:3]}, indent=1, default=lambda x: round(x, 3)))
    return 1 if result["not_as_planned"] else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
