"""Load: concurrent text calls, about 30 % escalating, then every escalation answered (issue 7, item 5).

  tools/emulators-exec.sh --project demo-load --config firebase.load.json \
      ".venv/bin/python -m bench.load [--calls 100] [--escalating 0.3] [--shared 0] [--wait 120]"

One process, as a worker would run it: the salon is seeded, ONE knowledge index follows Firestore, and
`--calls` TextCall sessions (the offline policy, no key, no LLM time) run at once (tasks started in one loop turn), each
from its own E.164 number, each asking 1-3 questions in turn. Known questions are paraphrases from
tests/data that the gate answers; unknown ones are the sets' questions the gate escalates, each asked by
one caller only and no two the same question for the duplicate grouping. `--shared K` makes K of the
escalating callers ask one identical question instead: the functions group them and one answer
resolves the group. Every call hangs up after its last answer.

Then a supervisor (the Admin SDK, `contract.resolution`) answers every pending request that heads a
group, once the functions have announced or grouped it (as the notice prompts a supervisor), and
the script waits for every follow-up. Checks: one request per escalation, each request in one conversation, one
follow-up per request (and one follow-up turn in its conversation), each sent and `followupSent`. Exits
1 when anything was lost or doubled, or a reply was not the planned one.

Turn latency is caller text in -> the agent's reply out (`ask`): the gate, the tools' Firestore writes
and the session; the offline policy takes no time of its own. Everything is on loopback, bounded in
count (--calls <= 200) and time (--wait each for the calls, the announcements, the follow-ups).
demo-load has no provider settings, so follow-ups are "sent" to the log channel.
"""
from __future__ import annotations

import argparse
import asyncio
import cProfile
import json
import os
import random
import statistics
import sys
import tempfile
import threading
import time
import urllib.request
from collections import Counter, defaultdict
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

from google.cloud.firestore import FieldFilter

from agent import cpu, spool
from agent.spool import the_spool
from agent.calls import CallRecord
from agent.evaluation import HOLDOUT, LABELLED, load_labelled
from agent.knowledge import KnowledgeIndex
from agent.policy import OfflinePolicyLLM
from agent.receptionist import FILLER
from agent.session import TextCall, instructions_for, load_profile
from bench.followups import SentWatch
from frontdesk_core import contract, dialogue, embedding
from frontdesk_core.contract import salon
from frontdesk_core.infra.firebase import db
from frontdesk_core.understanding import same_question
from tests.emulator import FUNCTIONS, clear_firestore, require_emulators
from tools.seed import seed

ANSWERED_BY = "load-bench"
TRIGGERS = ("on_help_request_created", "on_help_request_updated", "on_conversation_updated")


@dataclass
class Question:
    text: str
    escalates: bool
    answer: str | None = None          # the entry's answer the gate gives (known questions)


@dataclass
class Plan:
    phone: str
    questions: list[Question]


@dataclass
class Turn:
    question: Question
    ms: float
    text: str
    escalated: bool


@dataclass
class CallResult:
    plan: Plan
    turns: list[Turn] = field(default_factory=list)
    conversation_id: str | None = None
    request_ids: list[str] = field(default_factory=list)
    fillers: int = 0
    open_ms: float = 0.0
    error: str | None = None


def timed(owner, name: str) -> list[float]:
    """Wrap the coroutine function `owner.name` to note each call's wall time (ms) in the list returned."""
    inner, spent = getattr(owner, name), []

    async def wrapper(*args, **kwargs):
        t = time.perf_counter()
        try:
            return await inner(*args, **kwargs)
        finally:
            spent.append((time.perf_counter() - t) * 1000)
    setattr(owner, name, wrapper)
    return spent


def pct(values: list[float], p: float) -> float:
    xs = sorted(values)
    return xs[min(len(xs) - 1, max(0, round(p / 100 * (len(xs) - 1))))] if xs else float("nan")


def figures(values: list[float]) -> str:
    if not values:
        return "n=0"
    return (f"p50 {statistics.median(values):.0f} / p95 {pct(values, 95):.0f} / max {max(values):.0f} ms "
            f"(n={len(values)})")


# ---- the questions ----------------------------------------------------------------------------

def one_question(text: str) -> bool:
    """The dialogue reads `text` as one question, itself, looked up as said (not split in two, not a
    request for a person or a booking, not given a topic from an earlier turn): the audit's premise."""
    plan = dialogue.plan(text)
    return (len(plan.questions) == 1 and not (plan.callback or plan.booking or plan.ask)
            and contract.same_text(dialogue.reply.lookup_text(plan.questions[0]), text))


def question_pools(knowledge: KnowledgeIndex) -> tuple[list[Question], list[Question]]:
    """Known: labelled paraphrases the gate answers from an acceptable entry. Unknown: labelled questions
    the gate escalates, none asking the same thing as another (understanding.same_question)."""
    items, seen = [], set()
    for item in load_labelled(LABELLED) + load_labelled(HOLDOUT):
        key = " ".join(item["question"].split()).casefold()
        if key not in seen:
            seen.add(key)
            items.append(item)
    vectors = embedding.embed_many([i["question"] for i in items])
    known, unknown, unknown_vecs = [], [], []
    for item, vec in zip(items, vectors):
        if not one_question(item["question"]):
            continue
        decision = knowledge.decide(item["question"], vec)
        if item["expect"] == "answer" and decision.answered and decision.entry_id in item["ids"]:
            known.append(Question(item["question"], False, decision.answer))
        elif item["expect"] == "escalate" and not decision.answered:
            if not any(same_question(item["question"], vec, q.text, v) for q, v in zip(unknown, unknown_vecs)):
                unknown.append(Question(item["question"], True))
                unknown_vecs.append(vec)
    return known, unknown


def plan_calls(n: int, share: float, shared: int, known: list[Question], unknown: list[Question],
               rng: random.Random) -> list[Plan]:
    escalating = set(rng.sample(range(n), round(n * share)))
    shared_calls = set(rng.sample(sorted(escalating), min(shared, len(escalating))))
    pool = unknown[:]
    rng.shuffle(pool)
    shared_question = pool.pop() if shared_calls else None
    plans = []
    for i in range(n):
        count = rng.randint(1, 3)
        if i in shared_calls:
            asked = [shared_question]
        elif i in escalating:
            wanted = rng.randint(1, min(2, count))
            if len(pool) < wanted:
                sys.exit(f"not enough distinct unknown questions ({len(unknown)}) for {n} calls; "
                         f"lower --calls or use --shared")
            asked = [pool.pop() for _ in range(wanted)]
        else:
            asked = []
        asked += rng.sample(known, count - len(asked)) if count > len(asked) else []
        rng.shuffle(asked)
        plans.append(Plan(f"+1555{3000000 + i}", asked))
    return plans


# ---- the calls --------------------------------------------------------------------------------

async def run_call(client, knowledge: KnowledgeIndex, instructions: str, plan: Plan,
                   start: asyncio.Event, pace: "Pace") -> CallResult:
    result = CallResult(plan)
    rng = random.Random(plan.phone)

    def heard(text: str) -> None:
        result.fillers += text == FILLER

    await start.wait()
    await asyncio.sleep(rng.uniform(0, pace.spread))      # paced: calls come in over a few seconds
    try:
        t0 = time.perf_counter()
        async with TextCall(client, plan.phone, knowledge, instructions, model=OfflinePolicyLLM(),
                            on_agent_text=heard, greeting=pace.greeting) as call:
            result.open_ms = (time.perf_counter() - t0) * 1000
            result.conversation_id = call.record.conversation_id
            for i, q in enumerate(plan.questions):
                if pace.gap:                              # paced: a caller speaks a few seconds apart
                    await asyncio.sleep(rng.uniform(0.5, 1.5) * pace.gap)
                t = time.perf_counter()
                reply = await call.ask(q.text)
                result.turns.append(Turn(q, (time.perf_counter() - t) * 1000, reply.text, reply.escalated))
            result.request_ids = call.record.help_request_ids
    except Exception as err:  # counted as a loss, not raised: the other calls go on
        result.error = f"{type(err).__name__}: {err}"
    return result


async def loop_lag(lags: list[float], period: float = 0.1) -> None:
    """How late the event loop wakes a 100 ms sleep: the time every call waits for the loop."""
    loop = asyncio.get_running_loop()
    while True:
        t = loop.time()
        await asyncio.sleep(period)
        lags.append((loop.time() - t - period) * 1000)


class TimedExecutor(ThreadPoolExecutor):
    """The loop's default executor (asyncio.to_thread), same size as asyncio's own, noting how long
    each job waits for a thread."""

    def __init__(self, waits: list[float]):
        super().__init__(thread_name_prefix="asyncio")
        self.waits = waits

    def submit(self, fn, /, *args, **kwargs):
        queued = time.perf_counter()

        def job():
            self.waits.append((time.perf_counter() - queued) * 1000)
            return fn(*args, **kwargs)
        return super().submit(job)


@dataclass
class Pace:
    """Burst (the default): every call opens and asks in the same loop turn, a load no phone line
    produces. Paced: calls open at random over `spread` s and each caller's turns are `gap` s apart
    (x0.5-1.5), as speech is."""
    spread: float = 0.0
    gap: float = 0.0
    greeting: str | None = None

    @property
    def name(self) -> str:
        return f"paced (calls over {self.spread:g} s, turns ~{self.gap:g} s apart)" if self.spread or self.gap \
            else "burst (all calls in one loop turn)"


async def run_calls(client, knowledge, instructions, plans: list[Plan], timeout: float,
                    lags: list[float], waits: list[float], pace: Pace) -> list[CallResult]:
    asyncio.get_running_loop().set_default_executor(TimedExecutor(waits))
    start = asyncio.Event()
    tasks = [asyncio.create_task(run_call(client, knowledge, instructions, p, start, pace)) for p in plans]
    monitor = asyncio.create_task(loop_lag(lags))
    start.set()                                   # burst: every call starts in the same loop turn
    done, pending = await asyncio.wait(tasks, timeout=timeout)
    monitor.cancel()
    for task in pending:
        task.cancel()
    results = []
    for plan, task in zip(plans, tasks):
        if task in done:
            results.append(task.result())
        else:
            results.append(CallResult(plan, error=f"call not finished within {timeout:.0f} s"))
    if pending:
        await asyncio.wait(pending, timeout=10)
    return results


# ---- the emulator's function workers (this suite's session only) ------------------------------

class WorkerSampler(threading.Thread):
    """Samples, once a second, the functions-framework processes of this Emulator Suite (same session
    as this process: tools/emulators-exec.sh starts the suite with setsid)."""

    def __init__(self):
        super().__init__(daemon=True)
        self.sid = os.getsid(0)
        self.peak_procs = 0
        self.peak_rss_mb = 0.0
        self.stop = threading.Event()

    def sample(self) -> tuple[int, float]:
        procs, rss = 0, 0
        page = os.sysconf("SC_PAGE_SIZE")
        for pid in filter(str.isdigit, os.listdir("/proc")):
            try:
                stat = Path(f"/proc/{pid}/stat").read_text()
                if int(stat.rsplit(")", 1)[1].split()[3]) != self.sid:
                    continue
                if b"functions-framework" not in Path(f"/proc/{pid}/cmdline").read_bytes():
                    continue
                procs += 1
                rss += int(Path(f"/proc/{pid}/statm").read_text().split()[1]) * page
            except (OSError, ValueError, IndexError):
                continue
        return procs, rss / 2**20

    def cpu_seconds(self) -> float:
        """CPU time used so far by this suite's other processes (the emulators' node, the workers)."""
        total, me = 0, os.getpid()
        for pid in filter(str.isdigit, os.listdir("/proc")):
            try:
                fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
                if int(fields[3]) == self.sid and int(pid) != me:
                    total += int(fields[11]) + int(fields[12])
            except (OSError, ValueError, IndexError):
                continue
        return total / os.sysconf("SC_CLK_TCK")

    def settle(self, timeout: float, window: float = 2.0, busy: float = 0.15) -> float:
        """Wait (bounded) until the suite's processes use under `busy` of a core; returns the wait."""
        t0 = time.monotonic()
        before = self.cpu_seconds()
        while time.monotonic() - t0 < timeout:
            time.sleep(window)
            now = self.cpu_seconds()
            if now - before < busy * window:
                break
            before = now
        return time.monotonic() - t0

    def run(self) -> None:
        while not self.stop.wait(1.0):
            procs, rss = self.sample()
            self.peak_procs, self.peak_rss_mb = max(self.peak_procs, procs), max(self.peak_rss_mb, rss)


# ---- the supervisor and the audit ---------------------------------------------------------------

def read_all(client, collection: str) -> dict[str, dict]:
    return {s.id: s.to_dict() or {} for s in client.collection(collection).stream()}


def wait_until(check, deadline: float, interval: float = 0.5):
    """Poll `check` (no busy loop) until it returns something truthy or the deadline passes."""
    while True:
        last = check()
        if last or time.monotonic() >= deadline:
            return last
        time.sleep(interval)


def functions_loaded() -> list[str]:
    with urllib.request.urlopen(f"{FUNCTIONS}/backends", timeout=10) as response:
        body = json.loads(response.read())
    names = {t.get("entryPoint") or t.get("name") for b in body.get("backends", [])
             for t in b.get("functionTriggers", [])}
    return [t for t in TRIGGERS if t not in names]


def agent_only_audit(client, escalations, planned, failed_calls, surprises, print_calls) -> int:
    """--agent-only: the turn figures, and one request per escalation (nothing answers them)."""
    print_calls()
    by_key = defaultdict(list)
    for rid, d in read_all(client, contract.HELP_REQUESTS).items():
        by_key[(d.get("customerPhone"), d.get("question"))].append(rid)
    losses = list(failed_calls) + [f"escalation without a request: {k}" for k in sorted(escalations | planned)
                                   if not by_key.get(k)]
    doubles = [f"{len(ids)} requests for {k}" for k, ids in sorted(by_key.items()) if len(ids) > 1]
    print(f"requests written {sum(map(len, by_key.values()))} for {len(escalations)} escalations; "
          f"losses {len(losses)}, duplicates {len(doubles)}, unplanned replies {len(surprises)}; "
          f"load average {os.getloadavg()[0]:.1f} (2 cores, shared)")
    for line in losses + doubles + surprises:
        print(f"    {line}")
    return 1 if losses or doubles or surprises else 0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--calls", type=int, default=100, help="concurrent text calls (1-200)")
    parser.add_argument("--escalating", type=float, default=0.3, help="share of calls that escalate")
    parser.add_argument("--shared", type=int, default=0,
                        help="escalating calls asking one identical question (one group)")
    parser.add_argument("--wait", type=float, default=120, help="bound, s, for the calls and for the follow-ups")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--spread", type=float, default=0.0,
                        help="paced mode: calls open at random over this many seconds (default 0: burst)")
    parser.add_argument("--profile", metavar="FILE",
                        help="cProfile of the event loop's thread during the calls (pstats file)")
    parser.add_argument("--agent-only", action="store_true",
                        help="the calls alone (Firestore only, no functions): the agent's own figures and its requests")
    parser.add_argument("--gap", type=float, default=0.0,
                        help="paced mode: seconds between a caller's turns, x0.5-1.5 (default 0: burst)")
    args = parser.parse_args()
    if not 1 <= args.calls <= 200 or not 0 <= args.escalating <= 1:
        parser.error("--calls must be 1-200 and --escalating 0-1")
    require_emulators()
    missing = [] if args.agent_only else functions_loaded()
    if missing:
        sys.exit(f"functions not loaded in the emulator ({', '.join(missing)}); nothing would answer")

    wall0, load0 = time.perf_counter(), os.getloadavg()[0]
    os.environ["FRONTDESK_SPOOL_DIR"] = tempfile.mkdtemp(prefix="frontdesk-load-spool-")   # this run's own
    client = db()
    clear_firestore()
    seed(client)
    knowledge = KnowledgeIndex.from_firestore(client)      # one index for the whole process
    profile = load_profile(client)
    instructions = instructions_for(profile)
    pace = Pace(args.spread, args.gap, salon.greeting(profile))
    known, unknown = question_pools(knowledge)
    rng = random.Random(args.seed)
    plans = plan_calls(args.calls, args.escalating, args.shared, known, unknown, rng)
    gate_ms: list[float] = []
    decide = knowledge.decide

    def timed_decide(question, vector=None):    # the gate's own work (embed + decide) inside a turn
        t = time.perf_counter()
        try:
            return decide(question, vector)
        finally:
            gate_ms.append((time.perf_counter() - t) * 1000)

    knowledge.decide = timed_decide
    embed_runs: list[tuple[int, float]] = []     # the agent's batched embedding runs: (texts, ms)
    embed_many = embedding.embed_many

    def timed_embed_many(texts, *a, **kw):
        t = time.perf_counter()
        try:
            return embed_many(texts, *a, **kw)
        finally:
            embed_runs.append((len(texts), (time.perf_counter() - t) * 1000))

    embedding.embed_many = timed_embed_many
    lookup_ms, request_ms = timed(cpu, "decide"), timed(CallRecord, "request_help")
    sampler = WorkerSampler()
    sampler.start()
    # the seed's knowledge writes start the functions' knowledge trigger: let that finish first
    settle_s = sampler.settle(timeout=90)

    # 1. the calls, all at once
    t_calls = time.perf_counter()
    lags: list[float] = []
    waits: list[float] = []
    cpu0 = time.process_time()
    profile = cProfile.Profile() if args.profile else None
    if profile:
        profile.enable()
    results = asyncio.run(run_calls(client, knowledge, instructions, plans, args.wait, lags, waits, pace))
    if profile:
        profile.disable()
        profile.dump_stats(args.profile)
    calls_s = time.perf_counter() - t_calls
    calls_cpu = time.process_time() - cpu0
    knowledge.close()
    kept = the_spool(client.project)
    kept_batches = kept.kept        # writes Firestore did not take in time (agent/spool.py): written now
    asyncio.run(kept.flush(client))

    turns = [t for r in results for t in r.turns]
    surprises = [f"{r.plan.phone} {t.question.text!r}: " + (
        "escalated" if t.escalated else f"said {t.text!r}") for r in results for t in r.turns
        if t.escalated != t.question.escalates or (
            not t.text.startswith(contract.ESCALATION_MESSAGE if t.question.escalates else t.question.answer))]
    failed_calls = [f"{r.plan.phone}: {r.error}" for r in results if r.error]
    # an escalation: a caller, a question the agent escalated (the same question asked twice by
    # one caller is one escalation, by design of CallRecord.request_help)
    escalations = {(r.plan.phone, contract.question(t.question.text)) for r in results for t in r.turns
                   if t.escalated}
    planned = {(p.phone, contract.question(q.text)) for p in plans for q in p.questions if q.escalates}

    def print_calls() -> None:
        answered = [t.ms for t in turns if not t.escalated]
        escalated = [t.ms for t in turns if t.escalated]
        print(f"mode: {pace.name}")
        print(f"calls {len(results)} at once ({sum(1 for p in plans if any(q.escalates for q in p.questions))} "
              f"planned to escalate), {len(turns)} turns: {len(answered)} answered, {len(escalated)} escalated; "
              f"{sum(r.fillers for r in results)} fillers; {len(failed_calls)} calls failed")
        print(f"turn latency (caller text in -> reply out, offline policy): {figures([t.ms for t in turns])}")
        print(f"    answered {figures(answered)}")
        print(f"    escalated {figures(escalated)}")
        print(f"    call set-up {figures([r.open_ms for r in results if not r.error])}")
        print(f"    embedding runs (batched, agent's CPU thread) {figures([ms for _, ms in embed_runs])}, "
              f"texts per run p50 {statistics.median([n for n, _ in embed_runs] or [0]):.0f} "
              f"max {max([n for n, _ in embed_runs] or [0])}")
        print(f"    lookup as a turn waits for it (queue + embed + search + gate) {figures(lookup_ms)}")
        print(f"    help request as a turn waits for it (queries, claim, write) {figures(request_ms)}")
        print(f"    search + gate (agent's CPU thread) {figures(gate_ms)}; "
              f"event-loop lag {figures(lags)}")
        print(f"    asyncio.to_thread queue wait {figures(waits)}; this process used "
              f"{calls_cpu:.1f} s CPU in {calls_s:.1f} s of calls")
        print(f"    write batches kept on disk (Firestore slower than {spool.DEADLINE:g} s): {kept_batches}, "
              f"left after writing them: {kept.kept}")

    if args.agent_only:
        return agent_only_audit(client, escalations, planned, failed_calls, surprises, print_calls)

    # 2. the functions announce or group every request (bounded by --wait); then the supervisor
    #    answers each group once, and every follow-up goes out (bounded by --wait again)
    t_answer = time.perf_counter()

    def settled():
        reqs = read_all(client, contract.HELP_REQUESTS)
        notes = {n.get("helpRequestId") for n in read_all(client, contract.NOTIFICATIONS).values()}
        open_ = [i for i, d in reqs.items() if not (i in notes or d.get("groupId") or d.get("invalidReason"))]
        return None if open_ else reqs

    requests = wait_until(settled, time.monotonic() + args.wait, interval=1.0) or read_all(client, contract.HELP_REQUESTS)
    notified_s = time.perf_counter() - t_answer
    followups = SentWatch(client)
    sent_at = followups.sent_at
    answered_at: dict[str, float] = {}
    try:
        for rid, doc in sorted(requests.items(), key=lambda kv: kv[1].get("timestamp")):
            if doc.get("status") == contract.PENDING and doc.get("groupId") in (None, rid):
                client.collection(contract.HELP_REQUESTS).document(rid).update(contract.resolution(
                    f"Load-test answer for {doc['customerPhone']}: yes, we can help with that.",
                    answered_by=ANSWERED_BY))
                answered_at[rid] = time.perf_counter()
        followups.wait(requests, timeout=args.wait)
        time.sleep(3)       # a late second delivery or trigger would show up here
    finally:
        followups.close()
        sampler.stop.set()
    answers_s = time.perf_counter() - t_answer

    # 3. the audit
    requests = read_all(client, contract.HELP_REQUESTS)
    followups = read_all(client, contract.FOLLOWUPS)
    notifications = read_all(client, contract.NOTIFICATIONS)
    conversations = read_all(client, contract.CONVERSATIONS)
    learned = {i: d for i, d in read_all(client, contract.KNOWLEDGE_BASE).items() if d.get("originatingRequestId")}
    losses, doubles = list(failed_calls), []

    by_key = defaultdict(list)
    for rid, d in requests.items():
        by_key[(d.get("customerPhone"), d.get("question"))].append(rid)
    for key in sorted(escalations | planned):
        if not by_key.get(key):
            losses.append(f"escalation without a request: {key}")
    for key, ids in sorted(by_key.items()):
        if len(ids) > 1:
            doubles.append(f"{len(ids)} requests for one escalation {key}: {ids}")
        if key not in escalations:
            doubles.append(f"request(s) {ids} for no escalation the agent made: {key}")

    in_conv = Counter(rid for c in conversations.values() for rid in c.get("helpRequestIds", []))
    call_ids = Counter(rid for r in results for rid in r.request_ids)
    fu_by_req = defaultdict(list)
    for fid, f in followups.items():
        fu_by_req[f.get("helpRequestId")].append((fid, f))
    fu_turns = Counter(t.get("helpRequestId") for t in (s.to_dict() for s in client.collection_group(
        contract.TURNS).where(filter=FieldFilter("kind", "==", "followup")).stream()))
    notes_by_req = Counter(n.get("helpRequestId") for n in notifications.values())
    for rid, d in sorted(requests.items()):
        if in_conv[rid] != 1 or call_ids[rid] != 1:
            (doubles if max(in_conv[rid], call_ids[rid]) > 1 else losses).append(
                f"request {rid} is in {in_conv[rid]} conversations, {call_ids[rid]} calls")
        if d.get("status") != contract.RESOLVED:
            losses.append(f"request {rid} is {d.get('status')} ({d.get('customerPhone')} {d.get('question')!r})")
        fus = fu_by_req.get(rid, [])
        sent = [f for _, f in fus if f.get("status") == "sent"]
        if not sent or not d.get("followupSent"):
            losses.append(f"request {rid}: follow-up {[(i, f.get('status'), f.get('error')) for i, f in fus]}, "
                          f"followupSent={d.get('followupSent')}")
        if len(fus) > 1:
            doubles.append(f"request {rid} has {len(fus)} follow-ups: {[(i, f.get('kind')) for i, f in fus]}")
        if fu_turns[rid] > 1:
            doubles.append(f"request {rid}'s follow-up is {fu_turns[rid]} times in its conversation")
        elif sent and fu_turns[rid] == 0:
            losses.append(f"request {rid}'s follow-up is not in its conversation")
        if notes_by_req[rid] > 1:
            doubles.append(f"request {rid} announced {notes_by_req[rid]} times")
    members = [i for i, d in requests.items() if d.get("groupId") not in (None, i)]
    primaries = [i for i in requests if i not in members]
    for rid in members:
        if rid in learned:
            doubles.append(f"group member {rid} was learned as its own entry")
    for rid in primaries:
        if requests[rid].get("status") == contract.RESOLVED and rid not in learned:
            losses.append(f"answer to {rid} was not learned")

    # 4. the figures
    answered = [t.ms for t in turns if not t.escalated]
    escalated = [t.ms for t in turns if t.escalated]
    to_sent = [(sent_at[r] - answered_at[r]) * 1000 for r in answered_at if r in sent_at]
    notified = []
    for n in notifications.values():
        req = requests.get(n.get("helpRequestId"))
        if req and req.get("timestamp") and n.get("createdAt"):
            notified.append((n["createdAt"] - req["timestamp"]).total_seconds() * 1000)
    channels = Counter(f.get("channel") for f in followups.values() if f.get("status") == "sent")
    print_calls()
    print(f"requests written {len(requests)}, escalations expected {len(planned)} (agent escalated "
          f"{len(escalations)}), groups: {len(primaries)} primaries, {len(members)} members")
    print(f"supervisor notices {len(notifications)}, request -> notice {figures(notified)}")
    print(f"answers written {len(answered_at)}; follow-ups sent {sum(channels.values())} "
          f"({', '.join(f'{c} {k}' for c, k in channels.items()) or 'none'}), "
          f"answer -> sent {figures(to_sent)}; learned entries {len(learned)}")
    print(f"function workers (functions-framework processes) at peak {sampler.peak_procs}, "
          f"{sampler.peak_rss_mb:.0f} MB RSS")
    print(f"losses {len(losses)}, duplicates {len(doubles)}, unplanned replies {len(surprises)}")
    for line in losses + doubles + surprises:
        print(f"    {line}")
    print(f"wall time {time.perf_counter() - wall0:.1f} s (seed settled {settle_s:.1f} s, calls {calls_s:.1f} s, "
          f"every request announced {notified_s:.1f} s, then answers -> every follow-up "
          f"{answers_s - notified_s:.1f} s incl. 3 s settle); "
          f"load average {load0:.1f} at start, {os.getloadavg()[0]:.1f} at end (2 cores, shared)")
    return 1 if losses or doubles or surprises else 0


if __name__ == "__main__":
    sys.exit(main())
