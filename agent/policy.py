"""The offline answering policy: a real `livekit.agents.llm.LLM` that needs no model or key.

For deployments without an LLM (and for deterministic tests). Each caller turn is read by
`frontdesk_core.dialogue` (its parts: greetings, thanks, questions, a request for a person, a
booking, a goodbye), then the same tools an LLM would call do the work: every question part is
looked up (in parallel), each unknown one escalated on its own, a person or a booking raised
through its tool, a goodbye ends the call. The reply is composed from what the tools returned; it
never says anything about the salon a tool did not return.
"""
from __future__ import annotations

import functools
import json
import uuid

from livekit.agents import llm
from livekit.agents.types import DEFAULT_API_CONNECT_OPTIONS, NOT_GIVEN

from frontdesk_core import contract, dialogue

from .tool_lines import (ANSWER_PREFIX, END_CALL, LOOKUP, NO_ANSWER, REQUEST_BOOKING, REQUEST_CALLBACK,
                         REQUEST_HELP)

NOT_HEARD = dialogue.reply.NOT_CAUGHT_REPLY


class OfflinePolicyLLM(llm.LLM):
    @property
    def model(self) -> str:
        return "frontdesk-offline-policy"

    @property
    def provider(self) -> str:
        return "frontdesk"

    def chat(self, *, chat_ctx, tools=None, conn_options=DEFAULT_API_CONNECT_OPTIONS,
             parallel_tool_calls=NOT_GIVEN, tool_choice=NOT_GIVEN, extra_kwargs=NOT_GIVEN):
        return _PolicyStream(self, chat_ctx=chat_ctx, tools=tools or [], conn_options=conn_options)


def plan_turn(utterance: str, past: list[tuple[str, str]]) -> dialogue.Plan:
    """`dialogue.plan`, once per turn: a turn asks for it up to three times (the policy's two steps,
    the receptionist's check of what a step owes) and it is pure, so the first reading is kept.
    Callers only read the plan."""
    return _plan(utterance, tuple(past))


@functools.lru_cache(maxsize=512)
def _plan(utterance: str, past: tuple[tuple[str, str], ...]) -> dialogue.Plan:
    return dialogue.plan(utterance, past)


def history(items) -> list[tuple[str, str]]:
    """The call so far as (caller | agent, text), consecutive lines of one side joined."""
    out: list[tuple[str, str]] = []
    for it in items:
        if it.type != "message" or it.role not in ("user", "assistant"):
            continue
        role, text = ("caller" if it.role == "user" else "agent"), (it.text_content or "").strip()
        if out and out[-1][0] == role:
            out[-1] = (role, f"{out[-1][1]} {text}".strip())
        else:
            out.append((role, text))
    return out


class _PolicyStream(llm.LLMStream):
    async def _run(self) -> None:
        items = self._chat_ctx.items
        users = [i for i, it in enumerate(items) if it.type == "message" and it.role == "user"]
        if not users:
            return
        last = users[-1]
        utterance = items[last].text_content or ""
        past = history(items[:last])
        plan = plan_turn(utterance, past)
        calls = [it for it in items[last + 1:] if it.type == "function_call"]
        outputs = {it.call_id: it for it in items[last + 1:] if it.type == "function_call_output"}
        if any(c.name == END_CALL for c in calls):
            return
        asked = {dialogue.reply.lookup_text(q): q for q in plan.questions}   # looked-up text -> own words
        if not calls:
            first = [(LOOKUP, {"question": looked}) for looked in asked]
            if plan.callback:
                first.append((REQUEST_CALLBACK, {"reason": plan.callback}))
            if plan.booking:
                first.append((REQUEST_BOOKING, plan.booking.as_dict()))
            if first:
                return self._call(first)
            return self._say(dialogue.compose(plan, dialogue.Results(), past), close=plan.close)
        if not any(c.name == REQUEST_HELP for c in calls) and not plan.again:   # asked again: raised before
            unknown = [asked.get(q, q) for q in dialogue.reply.unknowns(looked_up(calls, outputs))]
            unknown.sort(key=lambda q: plan.questions.index(q) if q in plan.questions else len(plan.questions))
            if unknown:
                return self._call([(REQUEST_HELP, {"question": q}) for q in unknown])
        results, noted = dialogue.Results(), False
        answers: dict[int, list[str]] = {}   # by the part's place in the turn, not by finishing order
        for c in calls:
            out = _output(outputs, c)
            if c.name in (LOOKUP, REQUEST_HELP):
                own = asked.get(_argument(c, "question"), _argument(c, "question"))
                place = plan.questions.index(own) if own in plan.questions else len(plan.questions)
                for line in out.splitlines():
                    if line.startswith(ANSWER_PREFIX):
                        answers.setdefault(place, []).append(line[len(ANSWER_PREFIX):].strip())
                    elif line in (contract.ESCALATION_MESSAGE, contract.NOTED_MESSAGE):
                        results.escalated = True
                        noted = noted or line == contract.NOTED_MESSAGE
                    elif line != NO_ANSWER:
                        results.invalid = True     # refused (empty, too long) or failed
            elif c.name == REQUEST_CALLBACK:
                results.callback = out
            elif c.name == REQUEST_BOOKING:
                results.booking = out
        results.answers = [a for place in sorted(answers) for a in answers[place]]
        reply = dialogue.compose(plan, results, past)
        if noted:   # kept until Firestore is back: not with a supervisor yet (receptionist._raised_line)
            reply = reply.replace(contract.ESCALATION_MESSAGE, contract.NOTED_MESSAGE)
        self._say(reply, close=plan.close)

    def _call(self, calls: list[tuple[str, dict]]) -> None:
        self._send(llm.ChoiceDelta(role="assistant", tool_calls=[
            llm.FunctionToolCall(name=name, call_id=f"call_{uuid.uuid4().hex[:12]}", arguments=json.dumps(args))
            for name, args in calls]))

    def _say(self, text: str, *, close: bool = False) -> None:
        # a goodbye is said and the call ended in one step: end_call waits for the words' playout
        ends = [llm.FunctionToolCall(name=END_CALL, call_id=f"call_{uuid.uuid4().hex[:12]}", arguments="{}")]
        self._send(llm.ChoiceDelta(role="assistant", content=text, tool_calls=ends if close else []))

    def _send(self, delta: llm.ChoiceDelta) -> None:
        self._event_ch.send_nowait(llm.ChatChunk(id=uuid.uuid4().hex, delta=delta))


def looked_up(calls, outputs) -> list[tuple[str, str | None]]:
    """(question, answer or None when the knowledge base has none) for each lookup of the turn;
    a refused lookup (empty, too long) is left out: it is neither answered nor escalated."""
    out = []
    for c in calls:
        if c.name != LOOKUP or not isinstance(q := _argument(c, "question"), str):
            continue
        text = _output(outputs, c)
        if text.startswith(ANSWER_PREFIX):
            out.append((q, text[len(ANSWER_PREFIX):].strip()))
        elif text == NO_ANSWER:
            out.append((q, None))
    return out


def _output(outputs, call) -> str:
    out = outputs.get(call.call_id)
    if out is None or getattr(out, "is_error", False):
        return ""
    return out.output or ""


def _argument(call, name: str):
    try:
        return json.loads(call.arguments or "{}").get(name)
    except (ValueError, AttributeError):
        return None
