"""The receptionist: one LiveKit Agent with the salon's instructions, its greeting and its tools.

The confidence gate lives in `lookup_knowledge`, not in the LLM: whatever model phrases the reply,
it only ever sees an answer the knowledge base is sure of, and what it says is checked against what
the tools said (`llm_node`: no price, time, day, number or name of its own). `request_help` holds the same line for a
model that escalates without looking up: it raises one request per unknown question in its text,
none for small talk or a question the knowledge base answers.
"""
from __future__ import annotations

import asyncio
import json
import logging
import os
import uuid
from dataclasses import dataclass
from typing import TYPE_CHECKING, Awaitable, Callable

from livekit.agents import Agent, RunContext, ToolError, function_tool, llm

from frontdesk_core import contract, dialogue
from frontdesk_core.contract import salon
from frontdesk_core.dialogue import booking as bk
from frontdesk_core.dialogue.english import content_words
from frontdesk_core.understanding import facts

from . import cpu
from .knowledge import KnowledgeIndex
from .tool_lines import (ANSWER_PREFIX, LOOKUP, NO_ANSWER, NOT_A_QUESTION, answers_this_turn, content,
                         last_caller_text, owed_calls, tool_calls)

if TYPE_CHECKING:
    from .calls import CallRecord
    from .delivery import LiveDelivery

log = logging.getLogger("frontdesk.receptionist")

FILLER = "One moment, let me check that for you."
# Said instead of a model's reply that states a fact no tool gave it (see Receptionist._faithful).
UNSUPPORTED = "Sorry, I can only tell you what the salon has told me. Could you ask me that as a question?"
# A lookup is ~10 ms; when it takes longer than this (a cold start, a loaded machine) the caller hears
# the filler instead of silence.
FILLER_AFTER = float(os.environ.get("FRONTDESK_FILLER_AFTER_S", "0.3"))


@dataclass
class CallState:
    """The call the tools act on, as the session's userdata (`AgentSession[CallState]`): the knowledge
    base it answers from, its record (conversation, help requests) and its in-call delivery."""
    knowledge: KnowledgeIndex
    record: "CallRecord"
    delivery: "LiveDelivery | None" = None


class Receptionist(Agent):
    """The salon's receptionist; the call it serves is the session's userdata (CallState)."""

    def __init__(self, *, instructions: str, greeting: str | None = None,
                 hangup: "Callable[[], Awaitable[None]] | None" = None):
        super().__init__(instructions=instructions)
        self.greeting = greeting or salon.greeting(None)
        self.hangup = hangup          # a room's way to end the call (the text call just stops)
        self.ended = False
        self._filler_for: set[str] = set()   # turns (speech ids) that already heard the filler
        self.greeted = asyncio.Event()       # a text call waits for it before the caller's first line
        self._decided: tuple[str | None, dict[str, asyncio.Future]] = (None, {})   # this turn's lookups
        self._early: dict[str, asyncio.Future] = {}   # lookups started before the model asked (_look_ahead)

    async def on_enter(self) -> None:
        # Said, not generated: the same words in every mode, with or without an LLM.
        try:
            await self.session.say(self.greeting).wait_for_playout()
        finally:
            self.greeted.set()

    async def llm_node(self, chat_ctx, tools, model_settings):
        """The model's output, held to the knowledge decision and to the knowledge's facts. Each step
        is held until complete, then:
        - a reply to a question that was never looked up is replaced by the lookups, and a reply after
          "no confident answer" that raises no request is replaced by the requests;
        - its text is checked (`_faithful`): every price, time, day, number and name in it must be in
          what the tools said this turn (a knowledge answer, our own lines).
        The cost: a reply is spoken once the model has finished it, not as it streams."""
        owed = owed_calls(chat_ctx.items)
        self._look_ahead([q for name, q in owed if name == LOOKUP])
        held = [chunk async for chunk in Agent.default.llm_node(self, chat_ctx, tools, model_settings)]
        if owed and not any(tool_calls(chunk) for chunk in held):
            log.warning("model answered without the tools; calling %s", ", ".join(n for n, _ in owed))
            calls = [llm.FunctionToolCall(name=name, arguments=json.dumps({"question": q}),
                                          call_id=f"call_owed_{uuid.uuid4().hex[:12]}") for name, q in owed]
            yield llm.ChatChunk(id=uuid.uuid4().hex, delta=llm.ChoiceDelta(role="assistant", tool_calls=calls))
            return
        for chunk in self._faithful(held, chat_ctx.items):
            yield chunk

    def _faithful(self, held: list, items) -> list:
        """The step's chunks if its text states only facts the tools gave this turn (knowledge answers,
        our tools' lines; names also from the salon's instructions and the caller's own words), checked
        by frontdesk_core.understanding.facts. Otherwise its text is dropped: a step that calls tools goes on to them,
        and a final reply becomes the answers' own words (plus our lines), or UNSUPPORTED when there
        are none — a caller who asks the model to "look up the hours, then tell me a women's cut is
        $10" hears the hours only."""
        text = "".join(content(chunk) for chunk in held)
        if not text.strip():
            return held
        answers, also_said = answers_this_turn(items)
        names_from = " ".join([self.instructions if isinstance(self.instructions, str) else "",
                               last_caller_text(items)])
        wrong = facts.unsupported(text, answers + also_said, names_from)
        if not wrong:
            return held
        log.warning("model's reply stated what the tools did not say (%s); replaced", ", ".join(wrong))
        kept = [llm.ChatChunk(id=c.id, delta=llm.ChoiceDelta(role="assistant", tool_calls=c.delta.tool_calls))
                if tool_calls(c) else c for c in held
                if tool_calls(c) or (isinstance(c, llm.ChatChunk) and c.usage is not None and not content(c))]
        if not any(tool_calls(c) for c in held):
            kept.append(llm.ChatChunk(id=uuid.uuid4().hex, delta=llm.ChoiceDelta(
                role="assistant", content=" ".join(answers + also_said) or UNSUPPORTED)))
        return kept

    async def _decide(self, context: RunContext[CallState], text: str):
        """The knowledge decision for `text`, made once per turn: request_help, after a lookup of the
        same words this turn found no answer, reuses that decision instead of queueing for the CPU
        thread again."""
        turn = context.speech_handle.id
        if self._decided[0] != turn:
            self._decided = (turn, {})
        if text not in self._decided[1]:
            self._decided[1][text] = asyncio.ensure_future(self._lookup(context, text, turn))
        return await asyncio.shield(self._decided[1][text])

    def _look_ahead(self, questions: list[str]) -> None:
        """At a turn's first step, the lookups it owes start at once, while the model reads the turn:
        a lookup of the same words then finds its decision made or under way (the embedding, ~7 ms of
        CPU, off the turn's path; a model's whole step with a cloud LLM). One the model words otherwise
        costs that CPU for nothing. Any step drops what an earlier step started and no lookup took (the
        tools run before the next step): a later turn must decide afresh, on the knowledge as it is then."""
        for early in self._early.values():
            early.cancel()
        self._early = {}
        if questions:
            knowledge = self.session.userdata.knowledge
            self._early = {q: asyncio.ensure_future(cpu.decide(knowledge, q)) for q in questions}
            for early in self._early.values():
                early.add_done_callback(lambda f: f.cancelled() or f.exception())   # heard by its lookup, if any

    async def _lookup(self, context: RunContext[CallState], text: str, turn: str):
        lookup = self._early.pop(text, None) or asyncio.ensure_future(cpu.decide(context.userdata.knowledge, text))
        done, _ = await asyncio.wait({lookup}, timeout=FILLER_AFTER)
        if not done and turn not in self._filler_for:   # parallel lookups: one filler per turn
            self._filler_for.add(turn)
            context.session.say(FILLER, allow_interruptions=False)
        decision = await lookup
        log.info("lookup %r -> %s %s (%.3f, %s)", text, decision.action, decision.entry_id,
                 decision.score, decision.reason)
        return decision

    @function_tool
    async def lookup_knowledge(self, context: RunContext[CallState], question: str) -> str:
        """Look up the salon's knowledge base for the answer to a caller's question.

        Returns "ANSWER: <text>" when the knowledge base confidently answers it, otherwise
        "NO_CONFIDENT_ANSWER". Only ever tell the caller what an ANSWER says.

        Args:
            question: the caller's question, in their own words
        """
        try:
            text = contract.question(question)
        except contract.ContractError as err:
            raise ToolError(f"{err}. Ask the caller to repeat their question.") from None
        decision = await self._decide(context, text)
        if not decision.answered:
            context.userdata.record.prefetch()   # request_help is likely next
            return NO_ANSWER
        return f"{ANSWER_PREFIX} {decision.answer}"

    @function_tool
    async def request_help(self, context: RunContext[CallState], question: str) -> str:
        """Ask a human supervisor to answer a question the knowledge base cannot answer.

        Records a help request; the caller gets the answer in this call if it comes while they are
        still connected, otherwise as a text message. Returns the sentence to say to the caller.

        Args:
            question: the caller's question, in their own words
        """
        try:
            text = contract.question(question)
        except contract.ContractError as err:
            return f"Sorry, I could not note that question ({err}). Could you say it again?"
        parts = _questions(text)
        if not parts:
            return NOT_A_QUESTION
        said, raised, kept = [], False, False
        for part in parts:
            decision = await self._decide(context, dialogue.reply.lookup_text(part))
            if decision.answered:   # a model that escalates without looking up: answer instead
                said.append(f"{ANSWER_PREFIX} {decision.answer}")
                continue
            try:
                request = await context.userdata.record.request_help(part)
            except contract.ContractError as err:
                return f"Sorry, I could not note that question ({err}). Could you say it again?"
            except contract.LimitReached:
                return "\n".join(said + _raised_line(raised, kept) + [contract.LIMIT_MESSAGE])
            raised, kept = True, kept or request.spooled
            if context.userdata.delivery is not None and not request.spooled:
                context.userdata.delivery.watch(request.id)
        return "\n".join(said + _raised_line(raised, kept))

    @function_tool
    async def request_callback(self, context: RunContext[CallState], reason: str) -> str:
        """The caller wants to talk to a person: ask the salon to call them back at this number.

        Args:
            reason: what the caller said, in their own words
        """
        try:
            await context.userdata.record.request_help(reason or "The caller asked to speak to a person.",
                                         kind=contract.CALLBACK)
        except contract.ContractError as err:
            return f"Sorry, I could not note that ({err}). Could you say it again?"
        except contract.LimitReached:
            return contract.LIMIT_MESSAGE
        return dialogue.reply.CALLBACK_REPLY

    @function_tool
    async def request_booking(self, context: RunContext[CallState], action: str, service: str | None = None,
                              when: str | None = None, name: str | None = None) -> str:
        """Pass a booking, reschedule or cancel request to the salon, which confirms it with the caller.

        Args:
            action: "book", "reschedule" or "cancel"
            service: the service, as the caller said it (e.g. "a haircut"), if known
            when: the day and time, as the caller said them (e.g. "tomorrow at 3pm"), if known
            name: the caller's name, if known
        """
        try:
            details = contract.booking_details({"action": action, "service": service, "when": when, "name": name})
            await context.userdata.record.request_help(contract.booking_summary(details), kind=contract.BOOKING,
                                         booking=details)
        except contract.ContractError as err:
            return f"Sorry, I could not note that booking ({err}). Could you say it again?"
        except contract.LimitReached:
            return contract.LIMIT_MESSAGE
        booking = bk.Booking(**details)
        thanks = f"Thanks, {details['name']}." if details["name"] else "Thank you."
        return f"{thanks} I've passed on your request to {booking.summary()}; the salon will confirm it with you."

    @function_tool
    async def end_call(self, context: RunContext[CallState]) -> None:
        """End the call, once the caller has said goodbye and you have said goodbye too."""
        self.ended = True
        await context.wait_for_playout()          # the goodbye is said (and recorded) first
        await context.userdata.record.close()  # the call record closes: late answers go by text
        if self.hangup is not None:
            await self.hangup()


def _raised_line(raised: bool, kept: bool) -> list[str]:
    """What the caller hears of the requests raised: a request kept by the agent until Firestore is
    back has not reached a supervisor, so it is only said to be noted."""
    return [contract.NOTED_MESSAGE if kept else contract.ESCALATION_MESSAGE] if raised else []


def _questions(text: str) -> list[str]:
    """The question parts of a tool's text; a statement with content counts as one question (a model
    may paraphrase "beard trims" as "The caller asks about beard trims")."""
    parts = dialogue.understand(text)
    questions = [p.text for p in parts if p.label == dialogue.QUESTION]
    if not questions and all(p.label == dialogue.NOT_CAUGHT for p in parts) and \
            len(content_words(text.lower().split())) >= 2:
        return [text]
    return questions
