"""Fault: the emulator suite is stopped mid-flow with its data exported, then started again with it
imported: no pending request is lost and the flow carries on. Runs two extra suites of its own, on
other ports and project id, beside the one the test session runs in."""
from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pytest

from tests.firestore_process import free_port

pytestmark = pytest.mark.emulator
ROOT = Path(__file__).resolve().parents[2]
EMULATORS = ("hub", "logging", "functions", "firestore", "auth", "hosting", "eventarc", "tasks")


@pytest.fixture
def restart_config(tmp_path):
    """The suite's config on free ports (fixed ones collided with other suites on a shared machine)."""
    config = json.loads((ROOT / "firebase.json").read_text())
    for name in EMULATORS:
        config["emulators"][name] = {"host": "127.0.0.1", "port": free_port()}
    path = ROOT / "firebase.restart.json"   # beside firebase.json: its paths are relative to it
    path.write_text(json.dumps(config, indent=2))
    yield path.name, tmp_path / "export"
    path.unlink(missing_ok=True)
    shutil.rmtree(tmp_path / "export", ignore_errors=True)


def phase(config: str, command: str, *data_args: str) -> dict:
    done = subprocess.run(
        [str(ROOT / "tools/emulators-exec.sh"), "--project", "demo-restart", "--config", config, *data_args,
         f"{ROOT}/.venv/bin/python -m tests.integration.restart_phases {command}"],
        cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-2000:]
    return json.loads([line for line in done.stdout.splitlines() if line.startswith("{")][-1])


def test_pending_requests_survive_a_restart(restart_config):
    config, export = restart_config
    written = phase(config, "write", "--export-on-exit", str(export))
    assert (export / "firebase-export-metadata.json").exists()
    verified = phase(config, "verify", "--import", str(export))
    assert set(verified.values()) == set(written.values())
