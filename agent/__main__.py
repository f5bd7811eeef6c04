"""Frontdesk agent command line.

  python -m agent call --phone +15550100 "Do you sell gift cards?" ["another question" ...]
  python -m agent call --phone +15550100          # interactive: one question per line, Ctrl-D hangs up
  python -m agent call --phone ... --wait-answers 60 "..."   # stay on the line for a supervisor's answer
  python -m agent ask [--kb FILE] [--json]        # the confidence gate's decision per stdin line
  python -m agent call-room [--room R] [--phone +1...]   # a LiveKit room + dispatch + join token
  python -m agent voice-call --phone +1... CALLER.wav [...] [--record OUT.wav]   # spoken, no server
  python -m agent spool                           # write what calls kept while Firestore was unreachable
  python -m agent dev|start|console|connect ...   # the LiveKit worker (needs LIVEKIT_URL/KEY/SECRET)
"""
from __future__ import annotations

import argparse
import asyncio
import json
import sys

from frontdesk_core import contract
from frontdesk_core.contract import salon


async def _call(phone: str, questions: list[str], wait_answers: float) -> int:
    from frontdesk_core.infra.firebase import db
    from .knowledge import KnowledgeIndex
    from .session import TextCall, instructions_for, load_profile

    client = db()
    knowledge = await asyncio.to_thread(KnowledgeIndex.from_firestore, client)
    profile = await asyncio.to_thread(load_profile, client)
    interactive = not questions and sys.stdin.isatty()

    def said(text: str) -> None:
        print(f"agent>  {text}", flush=True)

    try:
        print(f"Connected to {(profile or {}).get('name', 'the salon')} ({len(knowledge)} answers "
              f"known). Caller {contract.phone(phone)}.", flush=True)
        async with TextCall(client, phone, knowledge, instructions_for(profile),
                            on_agent_text=said, greeting=salon.greeting(profile)) as call:
            lines = questions or _stdin_lines(interactive)
            async for question in _aiter(lines):
                print(f"caller> {question}", flush=True) if not interactive else None
                await call.ask(question)
                if call.ended:   # the caller said goodbye
                    break
            if wait_answers > 0 and call.delivery.waiting:
                print(f"(holding the line up to {wait_answers:g} s for the supervisor)", flush=True)
                await call.wait_for_answers(wait_answers)
            ids = call.record.help_request_ids
        print(f"Call ended. Conversation {call.record.conversation_id}"
              + (f"; help requests: {', '.join(ids)}" if ids else "") + ".")
    finally:
        knowledge.close()
    return 0


async def _flush_spool() -> int:
    """Write the spool now (a worker does it by itself every few seconds while it runs)."""
    from frontdesk_core.infra.firebase import db
    from .spool import the_spool
    client = db()
    spool = the_spool(client.project)
    before = spool.kept
    written = await spool.flush(client)
    print(f"{spool.path}: {written} of {before} kept batch(es) written; {spool.kept} left.")
    return 0 if spool.kept == 0 else 1


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


def _ask(kb: str | None, as_json: bool) -> int:
    """The same decision the agent makes in a call, one stdin line at a time."""
    from .knowledge import KnowledgeIndex
    if kb:
        knowledge = KnowledgeIndex.from_file(kb)
    else:
        from frontdesk_core.infra.firebase import db
        knowledge = KnowledgeIndex.from_firestore(db())
    try:
        for line in sys.stdin:
            question = " ".join(line.split())
            if not question:
                continue
            d = knowledge.decide(question)
            if as_json:
                print(json.dumps({"question": question, "action": d.action,
                                  "knowledge_id": d.entry_id if d.answered else None,
                                  "answer": d.answer, "score": d.score, "nearest": d.entry_id,
                                  "reason": d.reason}, ensure_ascii=False), flush=True)
            else:
                what = f"answer ({d.entry_id}): {d.answer}" if d.answered else f"escalate ({d.reason})"
                print(f"{d.score:6.3f}  {question}\n        -> {what}", flush=True)
    finally:
        knowledge.close()
    return 0


def main(argv: list[str]) -> int:
    if argv and argv[0] in ("dev", "start", "console", "connect", "download-files"):
        from .worker import run
        return run(argv[0])
    parser = argparse.ArgumentParser(prog="python -m agent", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = parser.add_subparsers(dest="command", required=True)
    call = sub.add_parser("call", help="place a text call against the knowledge base")
    call.add_argument("--phone", required=True, help="caller's number, E.164 (e.g. +15550100)")
    call.add_argument("--wait-answers", type=float, default=0, metavar="SECONDS",
                      help="after the questions, stay on the line this long for a supervisor's answer")
    call.add_argument("questions", nargs="*", help="questions to ask; none = read stdin")
    ask = sub.add_parser("ask", help="the confidence gate's decision for each question on stdin")
    ask.add_argument("--kb", metavar="FILE",
                     help='JSON array of {"id", "question", "answer"}; default: the live knowledge base')
    ask.add_argument("--json", action="store_true", help="one JSON object per line")
    room = sub.add_parser("call-room", help="create a LiveKit room, dispatch the agent, print a join token")
    room.add_argument("--room", help="room name (default: a fresh one)")
    room.add_argument("--phone", default="+15550100", help="the caller's number the agent will see")
    room.add_argument("--identity", default="tester", help="the tester's participant identity")
    voice = sub.add_parser("voice-call", help="a spoken call from WAV files, local speech, no server")
    voice.add_argument("--phone", required=True, help="caller's number, E.164 (e.g. +15550100)")
    voice.add_argument("--record", metavar="OUT.wav", help="write the agent's side of the call here")
    voice.add_argument("--pause", type=float, default=1.0, metavar="SECONDS",
                       help="the caller's pause after the agent answers, before the next file")
    voice.add_argument("--wait-answers", type=float, default=0, metavar="SECONDS",
                       help="after the files, stay on the line this long for a supervisor's answer")
    voice.add_argument("wavs", nargs="+", metavar="CALLER.wav", help="what the caller says, in order")
    sub.add_parser("spool", help="write what calls kept on disk while Firestore was unreachable")
    args = parser.parse_args(argv)
    if args.command == "ask":
        return _ask(args.kb, args.json)
    if args.command == "spool":
        return asyncio.run(_flush_spool())
    try:
        contract.phone(args.phone)
        for q in getattr(args, "questions", []):
            contract.question(q)
    except contract.ContractError as err:
        parser.error(str(err))
    if args.command == "voice-call":
        from .voice_call import main as voice_main
        return asyncio.run(voice_main(args.phone, args.wavs, args.record, args.pause,
                                      args.wait_answers))
    if args.command == "call-room":
        from .room import main as room_main
        return asyncio.run(room_main(args.room, args.phone, args.identity))
    return asyncio.run(_call(args.phone, args.questions, args.wait_answers))


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
