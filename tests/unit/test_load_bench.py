"""bench.load's pure steps: the call plans, the audit's reading of the calls, the merge of job processes."""
import random

from bench.load.audit import Outcome
from bench.load.calls import CallResult, CallsRun, Turn
from bench.load.figures import Probes
from bench.load.processes import merged
from bench.load.questions import Question, plan_calls
from frontdesk_core import contract

KNOWN = [Question(f"how much is service {i}", False, f"Service {i} is ${i}.") for i in range(10)]
UNKNOWN = [Question(f"do you sell gift item {i}", True) for i in range(80)]


def test_plans_escalate_the_share_asked_each_unknown_question_once():
    plans = plan_calls(100, 0.3, 0, KNOWN, UNKNOWN, random.Random(7))
    escalating = [p for p in plans if any(q.escalates for q in p.questions)]
    asked = [q.text for p in plans for q in p.questions if q.escalates]
    assert len(plans) == 100 and len(escalating) == 30
    assert len(asked) == len(set(asked))
    assert all(1 <= len(p.questions) <= 3 for p in plans)
    assert len({p.phone for p in plans}) == 100


def test_shared_callers_ask_one_identical_question():
    plans = plan_calls(20, 0.5, 4, KNOWN, UNKNOWN, random.Random(3))
    texts = [q.text for p in plans for q in p.questions if q.escalates]
    assert sorted(texts.count(t) for t in set(texts))[-2:] == [1, 4]   # one question asked by 4, the rest once


def test_outcome_counts_an_unplanned_escalation_and_a_failed_call():
    plans = plan_calls(3, 0.0, 0, KNOWN, UNKNOWN, random.Random(1))
    asked = plans[0].questions[0]
    ok = CallResult(plans[0], [Turn(asked, 5.0, contract.ESCALATION_MESSAGE, True)])
    failed = CallResult(plans[1], error="TimeoutError: call not finished")
    outcome = Outcome.of([ok, failed, CallResult(plans[2])], plans)
    assert outcome.failed_calls == [f"{plans[1].phone}: TimeoutError: call not finished"]
    assert len(outcome.surprises) == 1 and "escalated" in outcome.surprises[0]
    assert outcome.escalations == {(plans[0].phone, contract.question(asked.text))} and not outcome.planned


def test_job_processes_merge_in_plan_order_with_their_cpu_summed():
    plans = plan_calls(5, 0.0, 0, KNOWN, UNKNOWN, random.Random(2))
    runs = [CallsRun([CallResult(p) for p in plans[i::2]], Probes(gate_ms=[float(i)]), lags=[1.0 + i],
                     cpu_s=1.5, loop_cpu_s=1.0 + i) for i in range(2)]
    run = merged(runs, plans, seconds=9.0)
    assert [r.plan.phone for r in run.results] == [p.phone for p in plans]
    assert (run.processes, run.cpu_s, run.loop_cpu_s, run.seconds) == (2, 3.0, 3.0, 9.0)
    assert sorted(run.probes.gate_ms) == [0.0, 1.0] and sorted(run.lags) == [1.0, 2.0]
