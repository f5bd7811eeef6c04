"""What one text turn costs with nothing else running: wall time and the event loop's own CPU, for a
known question and for an escalation (issue 15 item 5). Each turn is the only one in flight (one call
at a time, a pause around each question), so unlike bench/load it measures the turn, not the queue.

  . tools/firebase-env.sh; firebase --config firebase.<you>.json emulators:exec --project demo-<you> \
      --only firestore,auth ".venv/bin/python -m bench.turn_cost [--turns 20]"
"""
from __future__ import annotations

import argparse
import asyncio
import statistics
import time

from agent import cpu
from agent.knowledge import KnowledgeIndex
from agent.policy import OfflinePolicyLLM
from agent.session import TextCall, instructions_for, load_profile
from frontdesk_core.infra.firebase import db
from tests.emulator import clear_firestore, require_emulators
from tools.seed import seed

from .load.questions import question_pools


async def one_turn(client, knowledge, instructions: str, phone: str, question: str) -> tuple[float, float, bool]:
    """(wall ms, loop CPU ms, escalated) of one question asked in a call of its own."""
    async with TextCall(client, phone, knowledge, instructions, model=OfflinePolicyLLM()) as call:
        await asyncio.sleep(0.2)          # the call's set-up writes are done
        cpu0, t0 = time.thread_time(), time.perf_counter()
        reply = await call.ask(question)
        wall, loop_cpu = (time.perf_counter() - t0) * 1000, (time.thread_time() - cpu0) * 1000
        await asyncio.sleep(0.2)          # its writes land before the next turn is timed
    return wall, loop_cpu, reply.escalated


async def measure(turns: int) -> dict[str, list[tuple[float, float]]]:
    client = db()
    clear_firestore()
    seed(client)
    knowledge = KnowledgeIndex.from_firestore(client)
    await cpu.warm()
    profile = load_profile(client)
    known, unknown = question_pools(knowledge)
    figures: dict[str, list[tuple[float, float]]] = {"known question": [], "escalation": []}
    try:
        for i in range(turns):
            pool = known if i % 2 == 0 else unknown
            wall, loop_cpu, escalated = await one_turn(client, knowledge, instructions_for(profile),
                                                       f"+1555030{i:04d}", pool[i // 2 % len(pool)].text)
            figures["escalation" if escalated else "known question"].append((wall, loop_cpu))
    finally:
        knowledge.close()
    return figures


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--turns", type=int, default=40, help="turns, half known, half escalating")
    args = parser.parse_args()
    require_emulators()
    for kind, values in asyncio.run(measure(args.turns)).items():
        walls, cpus = [w for w, _ in values], [c for _, c in values]
        if values:
            print(f"{kind}: wall p50 {statistics.median(walls):.1f} ms, event-loop CPU p50 "
                  f"{statistics.median(cpus):.1f} ms (n={len(values)})")


if __name__ == "__main__":
    main()
