"""Load: concurrent text calls, about 30 % escalating, then every escalation answered (issue 7, item 5).

  tools/emulators-exec.sh --project demo-load --config firebase.load.json \
      ".venv/bin/python -m bench.load [--calls 100] [--escalating 0.3] [--shared 0] [--wait 120]"

One process, as a worker would run it: the salon is seeded, ONE knowledge index follows Firestore, and
`--calls` TextCall sessions (the offline policy, no key, no LLM time) run at once (tasks started in one loop turn), each
from its own E.164 number, each asking 1-3 questions in turn. Known questions are paraphrases from
tests/data that the gate answers; unknown ones are the sets' questions the gate escalates, each asked by
one caller only and no two the same question for the duplicate grouping. `--shared K` makes K of the
escalating callers ask one identical question instead: the functions group them and one answer
resolves the group. Every call hangs up after its last answer. `--processes N` runs the calls in N
job processes instead (each with its own loop, index and model, as a LiveKit worker runs each job in
its own process), the calls dealt round-robin; the figures are then over all processes.

Then a supervisor (the Admin SDK, `contract.resolution`) answers every pending request that heads a
group, once the functions have announced or grouped it (as the notice prompts a supervisor), and
the script waits for every follow-up. Checks: one request per escalation, each request in one conversation, one
follow-up per request (and one follow-up turn in its conversation), each sent and `followupSent`. Exits
1 when anything was lost or doubled, or a reply was not the planned one.

Turn latency is caller text in -> the agent's reply out (`ask`): the gate, the tools' Firestore writes
and the session; the offline policy takes no time of its own. Everything is on loopback, bounded in
count (--calls <= 200) and time (--wait each for the calls, the announcements, the follow-ups).
demo-load has no provider settings, so follow-ups are "sent" to the log channel.
"""
