"""`python -m bench.load`: seed, plan, run the calls (here or in job processes), answer, audit, print."""
from __future__ import annotations

import argparse
import asyncio
import os
import random
import sys
import tempfile
import time
from dataclasses import dataclass

from agent import cpu
from agent.knowledge import KnowledgeIndex
from agent.session import instructions_for, load_profile
from agent.spool import the_spool
from frontdesk_core.contract import salon
from frontdesk_core.infra.firebase import db
from tests.emulator import clear_firestore, require_emulators
from tools.seed import seed

from . import __doc__ as DOC
from .audit import Outcome, Stored, answer_all, audit_agent_only, audit_full, functions_loaded
from .calls import CallsRun, Pace, run_here
from .figures import Probes
from .processes import run_in_processes
from .questions import Plan, plan_calls, question_pools
from .report import print_agent_only, print_calls, print_full
from .suite import WorkerSampler


def parse(argv=None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=DOC, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--calls", type=int, default=100, help="concurrent text calls (1-200)")
    parser.add_argument("--escalating", type=float, default=0.3, help="share of calls that escalate")
    parser.add_argument("--shared", type=int, default=0,
                        help="escalating calls asking one identical question (one group)")
    parser.add_argument("--wait", type=float, default=120, help="bound, s, for the calls and for the follow-ups")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--spread", type=float, default=0.0,
                        help="paced mode: calls open at random over this many seconds (default 0: burst)")
    parser.add_argument("--profile", metavar="FILE",
                        help="cProfile of the event loop's thread during the calls (pstats file; one process only)")
    parser.add_argument("--agent-only", action="store_true",
                        help="the calls alone (Firestore only, no functions): the agent's own figures and its requests")
    parser.add_argument("--gap", type=float, default=0.0,
                        help="paced mode: seconds between a caller's turns, x0.5-1.5 (default 0: burst)")
    parser.add_argument("--processes", type=int, default=1,
                        help="job processes the calls are dealt to (default 1: every call in this process)")
    args = parser.parse_args(argv)
    if not 1 <= args.calls <= 200 or not 0 <= args.escalating <= 1:
        parser.error("--calls must be 1-200 and --escalating 0-1")
    if not 1 <= args.processes <= args.calls or (args.profile and args.processes > 1):
        parser.error("--processes must be 1 to --calls (and 1 with --profile)")
    return args


@dataclass
class Setup:
    client: object
    knowledge: KnowledgeIndex
    instructions: str
    pace: Pace
    plans: list[Plan]
    probes: Probes
    sampler: WorkerSampler
    settle_s: float


def prepare(args) -> Setup:
    """The salon seeded, one knowledge index, the calls planned, the probes in, the suite settled."""
    os.environ["FRONTDESK_SPOOL_DIR"] = tempfile.mkdtemp(prefix="frontdesk-load-spool-")   # this run's own
    client = db()
    clear_firestore()
    seed(client)
    knowledge = KnowledgeIndex.from_firestore(client)      # one index for the whole process
    asyncio.run(cpu.warm())        # as a worker's prewarm: the model loaded, the heap settled, before any call
    profile = load_profile(client)
    pace = Pace(args.spread, args.gap, salon.greeting(profile))
    known, unknown = question_pools(knowledge)
    plans = plan_calls(args.calls, args.escalating, args.shared, known, unknown, random.Random(args.seed))
    probes = Probes().install(knowledge)
    sampler = WorkerSampler()
    sampler.start()
    # the seed's knowledge writes start the functions' knowledge trigger: let that finish first
    settle_s = sampler.settle(timeout=90)
    return Setup(client, knowledge, instructions_for(profile), pace, plans, probes, sampler, settle_s)


def run_the_calls(args, setup: Setup) -> tuple[CallsRun, tuple[int, int]]:
    """The calls, here or in job processes; then any write kept on disk is written (before the audit)."""
    if args.processes > 1:
        setup.knowledge.close()       # the job processes have their own
        run = run_in_processes(args.processes, setup.plans, setup.instructions, setup.pace, args.wait)
    else:
        run = run_here(setup.client, setup.knowledge, setup.instructions, setup.plans, args.wait, setup.pace,
                       setup.probes, args.profile)
        setup.knowledge.close()
    kept = the_spool(setup.client.project)
    kept_batches = kept.kept        # writes Firestore did not take in time (agent/spool.py): written now
    asyncio.run(kept.flush(setup.client))
    return run, (kept_batches, kept.kept)


def main() -> int:
    args = parse()
    require_emulators()
    missing = [] if args.agent_only else functions_loaded()
    if missing:
        sys.exit(f"functions not loaded in the emulator ({', '.join(missing)}); nothing would answer")
    wall0, load0 = time.perf_counter(), os.getloadavg()[0]
    setup = prepare(args)
    run, kept = run_the_calls(args, setup)
    outcome = Outcome.of(run.results, setup.plans)
    if args.agent_only:
        written = audit_agent_only(setup.client, outcome)
        print_calls(run, setup.pace, setup.plans, outcome, kept)
        print_agent_only(outcome, written)
        return 1 if outcome.failed else 0
    answered = answer_all(setup.client, args.wait, setup.sampler)
    stored = Stored.read(setup.client)
    audit_full(setup.client, stored, outcome, run.results)
    print_calls(run, setup.pace, setup.plans, outcome, kept)
    print_full(stored, answered, outcome, setup.sampler)
    print(f"wall time {time.perf_counter() - wall0:.1f} s (seed settled {setup.settle_s:.1f} s, calls "
          f"{run.seconds:.1f} s, every request announced {answered.notified_s:.1f} s, then answers -> every "
          f"follow-up {answered.answers_s - answered.notified_s:.1f} s incl. 3 s settle); "
          f"load average {load0:.1f} at start, {os.getloadavg()[0]:.1f} at end (2 cores, shared)")
    return 1 if outcome.failed else 0
