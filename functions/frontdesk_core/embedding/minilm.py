"""all-MiniLM-L6-v2 as a plain NumPy forward pass: numpy, tokenizers and safetensors only (the functions'
runtime, and the weights ONNX Runtime's graph is written from)."""
from __future__ import annotations

import json
from pathlib import Path

import numpy as np

from ..infra import weights
from .files import DIM, MAX_TOKENS, model_dir


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

        path = weights.verify(path or model_dir(), weights.MINILM)
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
