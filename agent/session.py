"""One call, the same for a LiveKit room and a text call: the session, the agent and its record."""
from __future__ import annotations

import asyncio
import os
from dataclasses import dataclass
from typing import Awaitable, Callable

from livekit.agents import AgentSession, ConversationItemAddedEvent, llm

from frontdesk_core import contract
from frontdesk_core.contract import salon

from . import cpu

from .calls import CallRecord
from .delivery import LiveDelivery
from .judge import TOGETHER_DEFAULT_MODEL
from .knowledge import KnowledgeIndex
from .policy import OfflinePolicyLLM
from .receptionist import CallState, Receptionist
from .tool_lines import REQUEST_HELP

GENERIC_INSTRUCTIONS = salon.instructions({"name": "the salon", "address": "", "hours": {}})


def make_llm() -> llm.LLM:
    """Together through LiveKit's OpenAI-compatible plugin when TOGETHER_API_KEY is set (model
    TOGETHER_MODEL, endpoint TOGETHER_BASE_URL), else the offline answering policy."""
    if os.environ.get("TOGETHER_API_KEY"):
        from livekit.plugins import openai
        return openai.LLM.with_together(
            model=os.environ.get("TOGETHER_MODEL", TOGETHER_DEFAULT_MODEL),
            base_url=os.environ.get("TOGETHER_BASE_URL", "https://api.together.xyz/v1"),
            api_key=os.environ["TOGETHER_API_KEY"],
            temperature=0.2,
        )
    return OfflinePolicyLLM()


def load_profile(db) -> dict | None:
    """The salon profile the receptionist speaks for (`salon/profile`), if one is stored."""
    snap = db.collection(contract.SALON).document(contract.SALON_PROFILE_ID).get()
    return snap.to_dict() if snap.exists else None


def instructions_for(profile: dict | None) -> str:
    return salon.instructions(profile) if profile else GENERIC_INSTRUCTIONS


def record_turns(session: AgentSession, call: CallRecord,
                 on_agent_text: Callable[[str], None] | None = None) -> None:
    """Every spoken or typed message of the call goes to its conversation document."""
    def on_item(event: ConversationItemAddedEvent) -> None:
        item = event.item
        if getattr(item, "type", None) == "message" and item.role in ("user", "assistant"):
            role = contract.CALLER if item.role == "user" else contract.AGENT
            call.add_turn(role, item.text_content or "")
            if role == contract.AGENT and on_agent_text is not None:
                on_agent_text(item.text_content or "")
    session.on("conversation_item_added", on_item)


@dataclass
class Reply:
    question: str
    text: str
    escalated: bool


async def ask(session: AgentSession, question: str) -> Reply:
    """One caller turn in text: the agent's reply and whether it escalated."""
    result = await session.run(user_input=question)
    texts, escalated = [], False
    for event in result.events:
        if event.type == "function_call" and event.item.name == REQUEST_HELP:
            escalated = True
        elif event.type == "message" and event.item.role == "assistant":
            texts.append(event.item.text_content or "")
    return Reply(question, texts[-1] if texts else "", escalated)


class Call:
    """One call, whatever carries it: `await call.start()` ... `await call.close()` (or `async with`).

    The same AgentSession, Receptionist, call record and in-call delivery for a LiveKit room
    (`room=`), a spoken call from files (`audio=(input, output)`) and a text call (neither). `speech`
    are the session's STT/TTS/VAD/turn options (none for text). While the call is open, a supervisor's
    answer to a question it escalated is said in the call (`on_agent_text` sees every agent line).
    """

    def __init__(self, db, customer_phone: str, knowledge: KnowledgeIndex,
                 instructions: str | None = None, model: llm.LLM | None = None,
                 on_agent_text: Callable[[str], None] | None = None, *, channel: str = "text",
                 room=None, audio: tuple | None = None, speech: dict | None = None,
                 greeting: str | None = None, hangup: Callable[[], Awaitable[None]] | None = None):
        self.db = db
        self.record = CallRecord(db, customer_phone, channel=channel,
                                 room=getattr(room, "name", None))
        self.knowledge = knowledge
        profile = None if instructions and greeting else load_profile(db)
        self.instructions = instructions or instructions_for(profile)
        self.greeting = greeting or salon.greeting(profile)
        self.llm = model or make_llm()
        self.state = CallState(knowledge=knowledge, record=self.record)
        self.session: AgentSession[CallState] = AgentSession(llm=self.llm, userdata=self.state,
                                                             **(speech or _text_only(room, audio)))
        if audio is not None:
            self.session.input.audio, self.session.output.audio = audio
        self.room = room
        self.hangup = hangup
        self.on_agent_text = on_agent_text
        self.delivery: LiveDelivery | None = None
        self.agent: Receptionist | None = None

    async def start(self) -> "Call":
        await cpu.warm()   # the model loads once per process: before the first question, not during it
        self.delivery = self.state.delivery = LiveDelivery(self.db, self._speak)
        self.agent = Receptionist(instructions=self.instructions, greeting=self.greeting, hangup=self.hangup)
        record_turns(self.session, self.record, self._heard)
        await self.session.start(self.agent, **({"room": self.room} if self.room is not None else {}))
        await asyncio.wait_for(self.agent.greeted.wait(), 30)   # the greeting is the call's first line
        return self

    async def __aenter__(self) -> "Call":
        return await self.start()

    @property
    def ended(self) -> bool:
        """The caller said goodbye and the agent ended the call."""
        return bool(self.agent and self.agent.ended)

    def _heard(self, text: str) -> None:
        if self.on_agent_text is not None:
            self.on_agent_text(text)

    async def _speak(self, text: str) -> None:
        await self.session.say(text).wait_for_playout()

    async def ask(self, question: str) -> Reply:
        return await ask(self.session, question)

    async def wait_for_answers(self, timeout: float) -> list[str]:
        """Stay on the line up to `timeout` s while escalated questions await a supervisor; returns
        what was delivered in the call. Ends early once nothing is awaited any more."""
        loop = asyncio.get_running_loop()
        deadline = loop.time() + timeout
        while self.delivery.waiting and (left := deadline - loop.time()) > 0:
            self.delivery.changed.clear()
            try:
                await asyncio.wait_for(self.delivery.changed.wait(), left)
            except asyncio.TimeoutError:
                break
        return list(self.delivery.delivered.values())

    async def close(self) -> None:
        if self.delivery is not None:
            await self.delivery.close()
        await self.session.aclose()
        await self.llm.aclose()
        await self.record.close()

    async def __aexit__(self, *exc) -> None:
        await self.close()


TextCall = Call   # a text call is a call with neither room nor audio


def _text_only(room, audio) -> dict:
    """A text call hears no audio: no voice activity detector and no audio turn detector, which
    AgentSession otherwise makes by default (the turn detector's local model, ~15 ms of the loop's
    CPU per call; the VAD's task per call). Its turns come in as text (`ask`) either way."""
    if room is None and audio is None:
        return {"vad": None, "turn_handling": {"turn_detection": None}}
    return {}
