"""Understanding callers: every "same meaning?" question in the product, for the agent and the functions.

    decide(question, vec, index)        which entry answers it, or none (a calibrated probability)
    same_question(a, va, b, vb)         do two questions ask the same thing (grouping, asking again)
    duplicate_of(question, vec, open)   which open request asks the same thing
    suggest(question, vec, index)       the entries closest to an escalated question
    conflicts(question, vec, answer, index)   the entry a new answer contradicts

Vectors come from `frontdesk_core.embedding` (all-MiniLM-L6-v2); the evidence is language-level
(`language`), weighed by a model fitted on many salons (`model.json`, `training`); nothing here knows any
salon's vocabulary.
"""
from .decision import (Candidate, Decision, Judge, Suggestion, conflicts, decide, duplicate_of, judged,
                       same_probability, same_question, suggest)
from .index import Index, KnowledgeEntry, Phrasing, knows_wording, with_phrasing
from .model import Model, default as default_model

__all__ = ["Candidate", "Decision", "Index", "Judge", "KnowledgeEntry", "Model", "Phrasing", "Suggestion",
           "conflicts", "decide", "default_model", "duplicate_of", "judged", "knows_wording",
           "same_probability", "same_question", "suggest", "with_phrasing"]
