"""The LLM judge for uncertain knowledge decisions, on the Together model when TOGETHER_API_KEY is set
(OpenAI-compatible chat completions; TOGETHER_JUDGE_MODEL, default the dialogue's TOGETHER_MODEL).

Without a key there is no judge: the calibrated fast path decides alone (a local LLM judge was measured
too slow and too weak on this machine kind, see the README's "Understanding" section). A judge that
errs, times out or says anything but yes counts as no.
"""
from __future__ import annotations

import logging
import os

from frontdesk_core.understanding import judge as prompt

log = logging.getLogger("frontdesk.judge")

TOGETHER_DEFAULT_MODEL = "meta-llama/Llama-3.3-70B-Instruct-Turbo"
TIMEOUT_S = float(os.environ.get("FRONTDESK_JUDGE_TIMEOUT_S", "2.0"))


class OpenAIJudge:
    """(question, entry question, entry answer) -> True | False | None, over an OpenAI-compatible API."""

    def __init__(self, *, base_url: str, api_key: str, model: str, timeout: float = TIMEOUT_S):
        import openai
        self.client = openai.OpenAI(base_url=base_url, api_key=api_key, timeout=timeout, max_retries=0)
        self.model = model

    def __call__(self, question: str, entry_question: str, entry_answer: str) -> bool | None:
        try:
            done = self.client.chat.completions.create(
                model=self.model, messages=prompt.messages(question, entry_question, entry_answer),
                max_tokens=2, temperature=0)
            reply = done.choices[0].message.content if done.choices else None
        except Exception as err:  # an unreachable or failing judge must never answer for it
            log.warning("judge unavailable (%s): escalating", err)
            return None
        return prompt.verdict(reply)


def make_judge(env=os.environ) -> OpenAIJudge | None:
    if not env.get("TOGETHER_API_KEY"):
        return None
    return OpenAIJudge(base_url=env.get("TOGETHER_BASE_URL", "https://api.together.xyz/v1"),
                       api_key=env["TOGETHER_API_KEY"],
                       model=env.get("TOGETHER_JUDGE_MODEL") or env.get("TOGETHER_MODEL", TOGETHER_DEFAULT_MODEL))
