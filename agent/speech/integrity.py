"""SHA-256 check of the speech models' files before they are loaded.

The models ship inside single-maintainer PyPI packages: an exact version pin is not enough (a
re-uploaded wheel, a tampered site-packages), so each file is compared with the digest committed in
`models.sha256` and a model whose files differ is refused, never loaded.
"""
from __future__ import annotations

import hashlib
import importlib.util
import sys
from pathlib import Path

MANIFEST = Path(__file__).with_name("models.sha256")


class ModelIntegrityError(RuntimeError):
    pass


def package_dir(package: str) -> Path:
    """Where an installed package lives, without importing it (its __init__ may be what was changed)."""
    spec = importlib.util.find_spec(package)
    if spec is None or not spec.submodule_search_locations:
        raise ModelIntegrityError(f"{package} is not installed (run `make setup`)")
    return Path(next(iter(spec.submodule_search_locations)))


def pinned(package: str, manifest: Path = MANIFEST) -> dict[str, str]:
    """{relative path: sha256} for one package's files in the manifest."""
    out = {}
    for line in manifest.read_text().splitlines():
        if line.strip() and not line.startswith("#"):
            pkg, rel, digest = line.split()
            if pkg == package:
                out[rel] = digest
    if not out:
        raise ModelIntegrityError(f"{manifest.name} pins no file of {package}")
    return out


def sha256(path: Path) -> str:
    h = hashlib.sha256()
    with path.open("rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


def verified(package: str, manifest: Path = MANIFEST, root: Path | None = None) -> Path:
    """The package's directory once every pinned file matches its digest; raises otherwise."""
    root = root or package_dir(package)
    for rel, digest in pinned(package, manifest).items():
        path = root / rel
        if not path.is_file():
            raise ModelIntegrityError(f"{package}: {rel} is missing from {root}")
        actual = sha256(path)
        if actual != digest:
            raise ModelIntegrityError(
                f"{package}: {rel} has SHA-256 {actual[:16]}…, expected {digest[:16]}… "
                f"({manifest.name}); refusing to load it")
    return root


if __name__ == "__main__":  # python -m agent.speech.integrity [--print]
    packages = dict.fromkeys(l.split()[0] for l in MANIFEST.read_text().splitlines()
                             if l.strip() and not l.startswith("#"))
    for pkg in packages:
        if "--print" in sys.argv:
            for rel in pinned(pkg):
                print(pkg, rel, sha256(package_dir(pkg) / rel))
        else:
            print(pkg, "ok", verified(pkg))
