"""The NumPy MiniLM gives sentence-transformers' vectors (reference made once with torch, committed)."""
import json
from pathlib import Path

import numpy as np
import pytest

from frontdesk_core import embedding

REFERENCE = json.loads((Path(__file__).parent.parent / "data" / "minilm_reference.json").read_text())
VECTORS = np.asarray(REFERENCE["vectors"], dtype=np.float32)


@pytest.fixture(scope="module", params=["numpy", "onnx"])
def runtime_model(request):
    """Each runtime explicitly (the process's model() picks one)."""
    if request.param == "onnx":
        pytest.importorskip("onnxruntime")
        return embedding.OnnxMiniLM()
    return embedding.MiniLM()


def test_both_runtimes_match_sentence_transformers(runtime_model):
    for text, ref in zip(REFERENCE["texts"], VECTORS):
        assert float(runtime_model.embed(text) @ ref) > 0.9999, text[:40]
    batch = runtime_model.embed_many(REFERENCE["texts"], batch_size=3)
    assert float(np.min(np.sum(batch * VECTORS, axis=1))) > 0.9999


def test_runtime_choice(monkeypatch):
    monkeypatch.setenv(embedding.RUNTIME_ENV, "numpy")
    assert embedding.runtime() == "numpy"
    monkeypatch.setenv(embedding.RUNTIME_ENV, "auto")
    assert embedding.runtime() in ("numpy", "onnx")


def test_one_at_a_time_matches_sentence_transformers():
    for text, ref in zip(REFERENCE["texts"], VECTORS):
        vec = embedding.embed(text)
        assert vec.shape == (embedding.DIM,) and vec.dtype == np.float32
        assert float(vec @ ref) > 0.9999, text[:40]
        assert abs(float(np.linalg.norm(vec)) - 1) < 1e-5


def test_padded_batches_match_too():
    batch = embedding.embed_many(REFERENCE["texts"], batch_size=3)   # mixed lengths: masking matters
    assert batch.shape == (len(REFERENCE["texts"]), embedding.DIM)
    assert float(np.min(np.sum(batch * VECTORS, axis=1))) > 0.9999
    assert embedding.embed_many([]).shape == (0, embedding.DIM)


def test_model_is_loaded_once_per_process():
    assert embedding.model() is embedding.model()


def test_model_dir_from_the_environment(monkeypatch, tmp_path):
    monkeypatch.setenv(embedding.MODEL_DIR_ENV, str(embedding.model_dir()))
    assert (embedding.model_dir() / "model.safetensors").is_file()
    monkeypatch.setenv(embedding.MODEL_DIR_ENV, str(tmp_path))
    with pytest.raises(RuntimeError, match="model.safetensors"):
        embedding.model_dir()


def test_firestore_vector_round_trip():
    vec = embedding.embed("Do you sell gift cards?")
    stored = embedding.to_firestore(vec)
    assert type(stored).__name__ == "Vector" and len(list(stored)) == embedding.DIM
    back = embedding.from_firestore(stored)
    assert back is not None and float(back @ vec) > 0.99999
    assert embedding.from_firestore(None) is None
    assert embedding.from_firestore([1.0, 2.0]) is None              # wrong dimension: re-embed
    assert embedding.from_firestore("not a vector") is None


def test_knowledge_fields_for_writers():
    fields = embedding.knowledge_fields("Do you sell gift cards?", "Yes, from $25.")
    assert fields["embeddingModel"] == embedding.MODEL_ID
    assert len(list(fields["embedding"])) == len(list(fields["answerEmbedding"])) == embedding.DIM
