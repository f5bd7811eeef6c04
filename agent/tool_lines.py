"""The receptionist's tools by name, the lines they return, and what a turn's chat items say about them:
which calls a step still owes, what the tools said this turn (read back by the receptionist's checks
and by the offline policy)."""
from __future__ import annotations

from livekit.agents import llm

from frontdesk_core import dialogue

LOOKUP, REQUEST_HELP = "lookup_knowledge", "request_help"
REQUEST_CALLBACK, REQUEST_BOOKING, END_CALL = "request_callback", "request_booking", "end_call"
ANSWER_PREFIX = "ANSWER:"
NO_ANSWER = ("NO_CONFIDENT_ANSWER: the knowledge base does not answer this. Do not guess; "
             "call request_help with the caller's question.")
NOT_A_QUESTION = ("NOT_A_QUESTION: nothing was raised; this is not a question for the knowledge base "
                  "(small talk, or a request for a person or a booking: use request_callback or request_booking).")


def owed_calls(items) -> list[tuple[str, str]]:
    """The tool calls this step owes (see Receptionist.llm_node), by the same plan the offline policy
    follows (frontdesk_core.dialogue): the turn's questions not yet looked up, or the unknowns not yet
    escalated."""
    from .policy import history, looked_up, plan_turn   # the policy's reading of the chat (it imports this module)
    users = [i for i, it in enumerate(items) if it.type == "message" and it.role == "user"]
    if not users:
        return []
    last = users[-1]
    calls = [it for it in items[last + 1:] if it.type == "function_call"]
    if not calls:                                   # first step of the turn: were there questions?
        read = plan_turn(items[last].text_content or "", history(items[:last]))
        return [(LOOKUP, dialogue.reply.lookup_text(q)) for q in read.questions]
    if any(c.name in (REQUEST_HELP, END_CALL) for c in calls):
        return []
    outputs = {it.call_id: it for it in items[last + 1:] if it.type == "function_call_output"}
    return [(REQUEST_HELP, q) for q in dialogue.reply.unknowns(looked_up(calls, outputs))]


def tool_calls(chunk) -> list:
    return (chunk.delta.tool_calls or []) if isinstance(chunk, llm.ChatChunk) and chunk.delta else []


def last_caller_text(items) -> str:
    users = [it for it in items if it.type == "message" and it.role == "user"]
    return (users[-1].text_content or "") if users else ""


def content(chunk) -> str:
    if isinstance(chunk, str):
        return chunk
    if isinstance(chunk, llm.ChatChunk) and chunk.delta and chunk.delta.content:
        return chunk.delta.content
    return ""


def answers_this_turn(items) -> tuple[list[str], list[str]]:
    """The knowledge answers the tools gave since the caller's last words (`ANSWER: …` lines), and the
    other lines our tools returned to be said (an escalation, a booking noted, a limit): both are what
    a faithful reply may state."""
    users = [i for i, it in enumerate(items) if it.type == "message" and it.role == "user"]
    if not users:
        return [], []
    answers: list[str] = []
    also: list[str] = []
    for it in items[users[-1] + 1:]:
        if it.type != "function_call_output" or getattr(it, "is_error", False):
            continue
        for line in str(it.output or "").splitlines():
            line = line.strip()
            if line.startswith(ANSWER_PREFIX):
                answers.append(line.removeprefix(ANSWER_PREFIX).strip())
            elif line and not line.startswith(("NO_CONFIDENT_ANSWER", "NOT_A_QUESTION")) and line not in also:
                also.append(line)   # our own tools' lines: an escalation, a booking noted, a limit
    return answers, also
