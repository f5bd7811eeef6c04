"""The Frontdesk data contract: collections, field names, validation and document builders.

One contract for the agent and the Cloud Functions; the dashboard's constants are generated from it
(tools/contract_js.py) and firestore.rules is checked against it (tests/unit/test_contract_js.py).
Read it as `contract.NAME`; the parts:
- names: collections, fields, statuses and their transitions, kinds, actions, limits, fixed sayings;
- fields: one value at a time (phone, texts, status changes) and the key of a wording;
- requests: help requests, a supervisor's answer, the caller's claim, the limits on one number;
- knowledge: entries, wordings, conflicts, deletions, revisions;
- messages: conversations and turns, follow-ups and supervisor notices.
"""
from .fields import *     # noqa: F401,F403 - the contract is read as one namespace
from .knowledge import *  # noqa: F401,F403
from .messages import *   # noqa: F401,F403
from .names import *      # noqa: F401,F403
from .requests import *   # noqa: F401,F403
