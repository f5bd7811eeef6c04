"""Frontdesk agent command line.

  python -m agent call --phone +15550100 "Do you sell gift cards?" ["another question" ...]
  python -m agent call --phone +15550100          # interactive: one question per line, Ctrl-D hangs up
  python -m agent dev|start|console|connect ...   # the LiveKit worker (needs LIVEKIT_URL/KEY/SECRET)
"""
from __future__ import annotations

import argparse
import asyncio
import sys

from frontdesk_core import contract


async def _call(phone: str, questions: list[str]) -> int:
    from frontdesk_core.firebase import db
    from .knowledge import KnowledgeIndex
    from .session import TextCall, instructions_for, load_profile

    client = db()
    knowledge = await asyncio.to_thread(KnowledgeIndex.from_firestore, client)
    profile = await asyncio.to_thread(load_profile, client)
    interactive = not questions and sys.stdin.isatty()
    try:
        async with TextCall(client, phone, knowledge, instructions_for(profile)) as call:
            print(f"Connected to {(profile or {}).get('name', 'the salon')} ({len(knowledge)} answers "
                  f"known). Caller {call.record.customer_phone}.", flush=True)
            lines = questions or _stdin_lines(interactive)
            async for question in _aiter(lines):
                print(f"caller> {question}", flush=True) if not interactive else None
                reply = await call.ask(question)
                print(f"agent>  {reply.text}", flush=True)
            ids = call.record.help_request_ids
        print(f"Call ended. Conversation {call.record.conversation_id}"
              + (f"; help requests: {', '.join(ids)}" if ids else "") + ".")
    finally:
        knowledge.close()
    return 0


def _stdin_lines(interactive: bool):
    while True:
        if interactive:
            print("caller> ", end="", flush=True)
        line = sys.stdin.readline()
        if not line:
            return
        if line.strip():
            yield line.strip()


async def _aiter(lines):
    it = iter(lines)
    while True:
        line = await asyncio.to_thread(next, it, None)
        if line is None:
            return
        yield line


def main(argv: list[str]) -> int:
    if argv and argv[0] in ("dev", "start", "console", "connect", "download-files"):
        from .worker import run
        return run(argv)
    parser = argparse.ArgumentParser(prog="python -m agent", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = parser.add_subparsers(dest="command", required=True)
    call = sub.add_parser("call", help="place a text call against the knowledge base")
    call.add_argument("--phone", required=True, help="caller's number, E.164 (e.g. +15550100)")
    call.add_argument("questions", nargs="*", help="questions to ask; none = read stdin")
    args = parser.parse_args(argv)
    try:
        contract.phone(args.phone)
        for q in args.questions:
            contract.question(q)
    except contract.ContractError as err:
        parser.error(str(err))
    return asyncio.run(_call(args.phone, args.questions))


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
