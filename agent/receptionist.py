"""The receptionist: one LiveKit Agent with the salon's instructions and two tools.

The confidence gate lives in `lookup_knowledge`, not in the LLM: whatever model phrases the reply,
it only ever sees an answer the knowledge base is sure of.
"""
from __future__ import annotations

import asyncio
import logging
import os
from dataclasses import dataclass
from typing import TYPE_CHECKING

from livekit.agents import Agent, RunContext, ToolError, function_tool

from frontdesk_core import contract

from .knowledge import KnowledgeIndex

if TYPE_CHECKING:
    from .calls import CallRecord
    from .delivery import LiveDelivery

log = logging.getLogger("frontdesk.receptionist")

LOOKUP, REQUEST_HELP = "lookup_knowledge", "request_help"
ANSWER_PREFIX = "ANSWER:"
NO_ANSWER = ("NO_CONFIDENT_ANSWER: the knowledge base does not answer this. Do not guess; "
             "call request_help with the caller's question.")
INVALID_PREFIX = "INVALID_QUESTION:"   # no longer produced (a bad question is a ToolError); agent/policy.py still imports it
FILLER = "One moment, let me check that for you."
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
    def __init__(self, *, instructions: str, greeting: str | None = None):
        super().__init__(instructions=instructions)
        self.greeting = greeting

    async def on_enter(self) -> None:
        # A voice caller hears who answered before anything else (text calls pass no greeting).
        if self.greeting:
            self.session.say(self.greeting)

    @function_tool
    async def lookup_knowledge(self, context: RunContext[CallState], question: str) -> str:
        """Look up the salon's knowledge base for the answer to a caller's question.

        Returns "ANSWER: <text>" when the knowledge base confidently answers it, otherwise
        "NO_CONFIDENT_ANSWER". Only ever tell the caller what an ANSWER says. An empty or overlong
        question is an error: ask the caller to repeat it.

        Args:
            question: the caller's question, in their own words
        """
        try:
            text = contract.question(question)
        except contract.ContractError as err:
            raise ToolError(f"{err}. Ask the caller to repeat their question.") from None
        lookup = asyncio.ensure_future(asyncio.to_thread(context.userdata.knowledge.decide, text))
        done, _ = await asyncio.wait({lookup}, timeout=FILLER_AFTER)
        if not done:
            context.session.say(FILLER, allow_interruptions=False)
        decision = await lookup
        log.info("lookup %r -> %s %s (%.3f, %s)", text, decision.action, decision.entry_id,
                 decision.score, decision.reason)
        if not decision.answered:
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
            request = await context.userdata.record.request_help(question)
        except contract.ContractError as err:
            return f"Sorry, I could not note that question ({err}). Could you say it again?"
        if context.userdata.delivery is not None:
            context.userdata.delivery.watch(request.id)
        return contract.ESCALATION_MESSAGE
