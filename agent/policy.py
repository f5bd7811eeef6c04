"""The offline answering policy: a real `livekit.agents.llm.LLM` that needs no model or key.

For deployments without an LLM (and for deterministic tests). Each caller turn: look the question up;
answer with the entry's words when the lookup is confident, otherwise request help and tell the caller
the supervisor will get back to them. It never says anything a tool did not return.
"""
from __future__ import annotations

import json
import uuid

from livekit.agents import llm
from livekit.agents.types import DEFAULT_API_CONNECT_OPTIONS, NOT_GIVEN

from .receptionist import ANSWER_PREFIX, INVALID_PREFIX, LOOKUP, REQUEST_HELP

NOT_HEARD = "Sorry, I didn't catch that. Could you say your question again?"


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


class _PolicyStream(llm.LLMStream):
    async def _run(self) -> None:
        items = self._chat_ctx.items
        users = [i for i, it in enumerate(items) if it.type == "message" and it.role == "user"]
        if not users:
            return
        question = items[users[-1]].text_content or ""
        outputs = [it for it in items[users[-1] + 1:] if it.type == "function_call_output"]
        if not outputs:
            self._call(LOOKUP, question)
        elif outputs[-1].name == LOOKUP and outputs[-1].output.startswith(ANSWER_PREFIX):
            self._say(outputs[-1].output[len(ANSWER_PREFIX):].strip())
        elif outputs[-1].name == LOOKUP and (outputs[-1].output.startswith(INVALID_PREFIX)
                                             or getattr(outputs[-1], "is_error", False)):
            self._say(NOT_HEARD)
        elif outputs[-1].name == LOOKUP:
            self._call(REQUEST_HELP, question)
        else:  # request_help returned what to tell the caller
            self._say(outputs[-1].output)

    def _call(self, name: str, question: str) -> None:
        call = llm.FunctionToolCall(name=name, call_id=f"call_{uuid.uuid4().hex[:12]}",
                                    arguments=json.dumps({"question": question}))
        self._send(llm.ChoiceDelta(role="assistant", tool_calls=[call]))

    def _say(self, text: str) -> None:
        self._send(llm.ChoiceDelta(role="assistant", content=text))

    def _send(self, delta: llm.ChoiceDelta) -> None:
        self._event_ch.send_nowait(llm.ChatChunk(id=uuid.uuid4().hex, delta=delta))
