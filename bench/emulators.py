"""The default emulators (firebase.json) for a bench script run inside or outside `emulators:exec`:
the ports a dashboard bench needs, and the environment the Admin SDK reads (kept when already set)."""
from __future__ import annotations

import json
import os
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
EMULATORS = json.loads((ROOT / "firebase.json").read_text())["emulators"]


def use_default_emulators(project: str = "demo-frontdesk") -> None:
    os.environ.setdefault("FIRESTORE_EMULATOR_HOST", f"127.0.0.1:{EMULATORS['firestore']['port']}")
    os.environ.setdefault("FIREBASE_AUTH_EMULATOR_HOST", f"127.0.0.1:{EMULATORS['auth']['port']}")
    os.environ.setdefault("GCLOUD_PROJECT", project)


def hosting_url() -> str:
    return os.environ.get("FRONTDESK_HOSTING_URL", f"http://127.0.0.1:{EMULATORS['hosting']['port']}")
