"""One call, the same for a LiveKit room and a text call: the session, the agent and its record."""
from __future__ import annotations

import asyncio
import os
from dataclasses import dataclass

from livekit.agents import AgentSession, ConversationItemAddedEvent, llm

from frontdesk_core import contract, salon

from .calls import CallRecord
from .knowledge import KnowledgeIndex
from .policy import OfflinePolicyLLM
from .receptionist import REQUEST_HELP, Receptionist

GENERIC_INSTRUCTIONS = salon.instructions({"name": "the salon", "address": "", "hours": {}})


def make_llm() -> llm.LLM:
    """Together through LiveKit's OpenAI-compatible plugin when TOGETHER_API_KEY is set, else the
    offline answering policy."""
    if os.environ.get("TOGETHER_API_KEY"):
        from livekit.plugins import openai
        return openai.LLM.with_together(
            model=os.environ.get("TOGETHER_MODEL", "meta-llama/Llama-3.3-70B-Instruct-Turbo"),
            base_url=os.environ.get("TOGETHER_BASE_URL", "https://api.together.xyz/v1"),
            temperature=0.2,
        )
    return OfflinePolicyLLM()


def load_profile(db) -> dict | None:
    """The salon profile the receptionist speaks for (`salon/profile`), if one is stored."""
    snap = db.collection(contract.SALON).document(contract.SALON_PROFILE_ID).get()
    return snap.to_dict() if snap.exists else None


def instructions_for(profile: dict | None) -> str:
    return salon.instructions(profile) if profile else GENERIC_INSTRUCTIONS


def record_turns(session: AgentSession, call: CallRecord) -> None:
    """Every spoken or typed message of the call goes to its conversation document."""
    def on_item(event: ConversationItemAddedEvent) -> None:
        item = event.item
        if getattr(item, "type", None) == "message" and item.role in ("user", "assistant"):
            role = contract.CALLER if item.role == "user" else contract.AGENT
            call.add_turn(role, item.text_content or "")
    session.on("conversation_item_added", on_item)


@dataclass
class Reply:
    question: str
    text: str
    escalated: bool


async def ask(session: AgentSession, question: str) -> Reply:
    """One caller turn in text: the agent's reply and whether it escalated."""
    result = await session.run(user_input=question)
    text, escalated = "", False
    for event in result.events:
        if event.type == "function_call" and event.item.name == REQUEST_HELP:
            escalated = True
        elif event.type == "message" and event.item.role == "assistant":
            text = event.item.text_content or ""
    return Reply(question, text, escalated)


class TextCall:
    """A text-only call against the live knowledge base: `async with TextCall(...) as call`."""

    def __init__(self, db, customer_phone: str, knowledge: KnowledgeIndex,
                 instructions: str | None = None, model: llm.LLM | None = None):
        self.record = CallRecord(db, customer_phone, channel="text")
        self.agent = Receptionist(instructions=instructions or instructions_for(load_profile(db)),
                                  knowledge=knowledge, call=self.record)
        self.llm = model or make_llm()
        self.session = AgentSession(llm=self.llm)

    async def __aenter__(self) -> "TextCall":
        record_turns(self.session, self.record)
        await self.session.start(self.agent)
        return self

    async def ask(self, question: str) -> Reply:
        return await ask(self.session, question)

    async def __aexit__(self, *exc) -> None:
        await self.session.aclose()
        await self.llm.aclose()
        await asyncio.to_thread(self.record.close)
