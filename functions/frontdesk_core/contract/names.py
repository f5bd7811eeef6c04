"""Collections, field names, statuses, kinds, actions and limits: the words every part of Frontdesk uses.

The seed schema's field names are kept exactly; fields added here are optional to writers, so a help
request carrying only the seed's fields is valid. tools/contract_js.py writes these for the dashboard.
"""
from __future__ import annotations

from typing import Literal, get_args

# Collections
HELP_REQUESTS = "help_requests"
KNOWLEDGE_BASE = "knowledge_base"
CONVERSATIONS = "conversations"
FOLLOWUPS = "followups"          # outbox of messages to callers
NOTIFICATIONS = "notifications"  # messages to supervisors
SALON = "salon"
SALON_PROFILE_ID = "profile"
KNOWLEDGE_CONFLICTS = "knowledge_conflicts"   # learned answers that contradict an entry, for review
REVISIONS = "revisions"                       # knowledge_base/{id}/revisions: who changed what, when
KNOWLEDGE_DELETIONS = "knowledge_deletions"   # one record per deleted entry: what, who, when
REQUEST_CLAIMS = "request_claims"             # a caller's open question -> its one request (agent only)
KNOWLEDGE_VECTORS = "knowledge_vectors"       # knowledge_vectors/{entry id}: that entry's vectors (server only)

# Help request status machine: resolved is final; a late answer may still resolve an unresolved one.
Status = Literal["pending", "resolved", "unresolved"]
STATUSES: tuple[Status, ...] = get_args(Status)
PENDING, RESOLVED, UNRESOLVED = STATUSES
TRANSITIONS: dict[Status, frozenset[Status]] = {
    PENDING: frozenset({RESOLVED, UNRESOLVED}),
    UNRESOLVED: frozenset({RESOLVED}),
    RESOLVED: frozenset(),
}

QUESTION_MAX = 500
ANSWER_MAX = 2000
REASON_MAX = 500                 # a supervisor's "cannot answer" reason
DOC_ID_MAX = 1500                # Firestore's limit on a document id (bytes): a knowledge choice's id
ESCALATION_MESSAGE = "Let me check with my supervisor and get back to you."
# Said instead when the request could not reach the salon's system yet (the agent keeps it and writes it
# once it can): true either way, and it does not claim a supervisor has it.
NOTED_MESSAGE = "I've noted your question, and someone from the salon will get back to you about it."

HELP_REQUEST_FIELDS = ("customerPhone", "question", "timestamp", "status",
                       "responseText", "respondedAt", "followupSent")
KNOWLEDGE_FIELDS = ("question", "answer", "createdAt", "originatingRequestId")

# Knowledge that grows with every call (fields added to the seed schema):
PHRASINGS = "phrasings"           # knowledge entry: [{text, source, requestId, addedAt}]
PHRASING_SOURCES = ("seed", "link", "group", "merge")
MAX_PHRASINGS = 100               # ~3.5 kB each in knowledge_vectors: far below Firestore's 1 MiB document
# An entry's vectors live beside it in knowledge_vectors/{entry id}, never in the entry: browsers read
# every entry live and never need them (~3.5 kB per wording). Written by the functions and the seed
# only (firestore.rules closes the collection to every client):
#   embedding, answerEmbedding  its question's and answer's vectors (Firestore Vectors)
#   embeddingModel              the model they are of (null: none yet, the sweep's repair embeds it)
#   embeddedFrom                vectors_stamp() of the question and answer they were computed from
#   phrasings                   {phrasing_key(text): Vector} for each of the entry's phrasings
# Entries written before kept the same fields inline (and `embedding` in each phrasing); readers
# fall back to those until the sweep's repair pass moves them here.
EMBEDDING, ANSWER_EMBEDDING, EMBEDDING_MODEL = "embedding", "answerEmbedding", "embeddingModel"  # vectors
EMBEDDED_FROM = "embeddedFrom"
PHRASING_VECTORS = "phrasings"
INLINE_VECTOR_FIELDS = (EMBEDDING, ANSWER_EMBEDDING, EMBEDDING_MODEL, EMBEDDED_FROM)
REVIEW_BY = "reviewBy"            # knowledge entry: when to re-check it (prices, seasonal hours)
CONFLICT_WITH = "conflictWith"    # knowledge entry: ids it contradicts; non-empty = held for review
DISTINCT_FROM = "distinctFrom"    # knowledge entry: ids a supervisor said ask something else
SUGGESTIONS = "suggestions"       # help request: closest entries [{knowledgeId, question, answer, score, near}]
SUGGESTIONS_MAX = 3                # how many; firestore.rules reads that many (isSuggested)
KNOWLEDGE_ID, KNOWLEDGE_ACTION = "knowledgeId", "knowledgeAction"   # help request: how an answer teaches
KnowledgeAction = Literal["link", "update", "new"]
KNOWLEDGE_ACTIONS: tuple[KnowledgeAction, ...] = get_args(KnowledgeAction)
LINK, UPDATE, NEW = KNOWLEDGE_ACTIONS
CONFLICT_OPEN, CONFLICT_RESOLVED = "open", "resolved"   # knowledge conflict status

# Duplicate groups (workflows/grouping.py): a member names its primary; the primary's answer resolves
# every member, which then names the primary it was resolved through. `answeredBy`: the supervisor's uid.
GROUP_ID, RESOLVED_VIA_GROUP, ANSWERED_BY = "groupId", "resolvedViaGroup", "answeredBy"
KEEP_BOTH = "both"                # knowledge conflict resolution: both entries stay, as different questions


# What a help request asks of the salon (field `kind`; absent = "question", as the seed's requests):
# a question for the knowledge base, a call back from a person, or a booking to confirm. Only a
# question's answer teaches a knowledge entry; the others are closed with a supervisor's note.
KIND = "kind"
Kind = Literal["question", "callback", "booking"]
KINDS: tuple[Kind, ...] = get_args(Kind)
QUESTION_KIND, CALLBACK, BOOKING = KINDS
BOOKING_DETAILS = "booking"       # help request of kind booking: {action, service, when, name}
BOOKING_ACTIONS = ("book", "reschedule", "cancel")
BOOKING_FIELDS = ("service", "when", "name")
DETAIL_MAX = 120
