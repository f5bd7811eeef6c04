"""Which strings are English words: the embedding model's WordPiece vocabulary (30 522 entries, the
tokenizer.json pinned and verified in weights.py). Used to read speech-to-text's dropped g ("workin",
"lookin'") as the word it is, without a list of verbs."""
from __future__ import annotations

import json
from functools import lru_cache

from .. import embedding
from ..infra import weights

# Spellings with a dropped g that the vocabulary itself holds as tokens of their own.
_DROPPED_G_IN_VOCABULARY = {"goin": "going", "doin": "doing", "nothin": "nothing", "somethin": "something"}


@lru_cache(maxsize=1)
def vocabulary() -> frozenset[str]:
    folder = weights.verify(embedding.model_dir(), {"tokenizer.json": weights.MINILM["tokenizer.json"]})
    vocab = json.loads((folder / "tokenizer.json").read_text(encoding="utf-8"))["model"]["vocab"]
    return frozenset(w for w in vocab if w.isalpha())


def g_restored(token: str) -> str | None:
    """"workin" -> "working": a word ending in -in that is no word itself while its -ing form is. Real
    words in -in keep their spelling ("thin", "cousin", "basin")."""
    if token in _DROPPED_G_IN_VOCABULARY:
        return _DROPPED_G_IN_VOCABULARY[token]
    if len(token) < 5 or not token.endswith("in") or not token.isalpha():
        return None
    words = vocabulary()
    return token + "g" if token not in words and token + "g" in words else None
