"""The receptionist: one LiveKit Agent with the salon's instructions and two tools.

The confidence gate lives in `lookup_knowledge`, not in the LLM: whatever model phrases the reply,
it only ever sees an answer the knowledge base is sure of.
"""
from __future__ import annotations

from livekit.agents import Agent, RunContext, function_tool

from frontdesk_core import contract

from .calls import CallRecord
from .knowledge import KnowledgeIndex

LOOKUP, REQUEST_HELP = "lookup_knowledge", "request_help"
ANSWER_PREFIX = "ANSWER:"
NO_ANSWER = ("NO_CONFIDENT_ANSWER: the knowledge base does not answer this. Do not guess; "
             "call request_help with the caller's question.")


class Receptionist(Agent):
    def __init__(self, *, instructions: str, knowledge: KnowledgeIndex, call: CallRecord):
        super().__init__(instructions=instructions)
        self.knowledge = knowledge
        self.call = call

    @function_tool
    async def lookup_knowledge(self, context: RunContext, question: str) -> str:
        """Look up the salon's knowledge base for the answer to a caller's question.

        Returns "ANSWER: <text>" when the knowledge base confidently answers it, otherwise
        "NO_CONFIDENT_ANSWER". Only ever tell the caller what an ANSWER says.

        Args:
            question: the caller's question, in their own words
        """
        match = self.knowledge.lookup(question)
        if match is None:
            return NO_ANSWER
        return f"{ANSWER_PREFIX} {match.entry.answer}"

    @function_tool
    async def request_help(self, context: RunContext, question: str) -> str:
        """Ask a human supervisor to answer a question the knowledge base cannot answer.

        Records a help request; the caller gets the answer as a follow-up. Returns the sentence
        to say to the caller.

        Args:
            question: the caller's question, in their own words
        """
        try:
            await self.call.request_help(question)
        except contract.ContractError as err:
            return f"Sorry, I could not note that question ({err}). Could you say it again?"
        return contract.ESCALATION_MESSAGE
