"""A local stand-in for the outside world the functions talk to: a Slack-compatible webhook and
Twilio's Messages API, speaking their protocols on loopback (functions/.env.demo-test points there).

Scriptable: `fail_next("sms", 500, "timeout")` makes the next SMS requests answer 500, then hang past
the client's timeout; then it answers normally again. Every request is recorded.
"""
from __future__ import annotations

import base64
import json
import os
import threading
import time
import urllib.parse
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

HOST = "127.0.0.1"
# functions/.env.demo-test points at 9876 (FRONTDESK_FAKE_PROVIDER_PORT moves it, with that project's
# .env); a suite under another project whose functions deliver to no provider takes any free port.
_PORT = os.environ.get("FRONTDESK_FAKE_PROVIDER_PORT")
PORT = int(_PORT) if _PORT else (9876 if os.environ.get("GCLOUD_PROJECT", "demo-test") == "demo-test" else 0)
ACCOUNT_SID, AUTH_TOKEN = "ACtest0000", "test-token"   # matching functions/.env.demo-test, .secret.local
HANG_SECONDS = 3.0                                      # longer than DELIVERY_TIMEOUT_SECONDS there


@dataclass
class Received:
    kind: str            # webhook | sms
    to: str
    body: str
    outcome: int | str   # HTTP status answered, or "timeout"


@dataclass
class FakeProvider:
    received: list[Received] = field(default_factory=list)
    _script: dict[str, list] = field(default_factory=lambda: {"webhook": [], "sms": []})
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def fail_next(self, kind: str, *outcomes: int | str) -> None:
        with self._lock:
            self._script[kind].extend(outcomes)

    def reset(self) -> None:
        with self._lock:
            self.received.clear()
            for queue in self._script.values():
                queue.clear()

    def delivered(self, kind: str | None = None) -> list[Received]:
        """Messages the provider accepted (what a person would actually get)."""
        with self._lock:
            return [r for r in self.received if r.outcome in (200, 201) and (kind is None or r.kind == kind)]

    def _next(self, kind: str) -> int | str | None:
        with self._lock:
            return self._script[kind].pop(0) if self._script[kind] else None


def _handler(provider: FakeProvider):
    class Handler(BaseHTTPRequestHandler):
        def log_message(self, *args) -> None:  # keep test output clean
            pass

        def do_POST(self) -> None:
            raw = self.rfile.read(int(self.headers.get("Content-Length") or 0))
            if self.path == "/webhook":
                kind, to, body = "webhook", "supervisor", json.loads(raw).get("text", "")
                ok_status = 200
            elif self.path == f"/twilio/2010-04-01/Accounts/{ACCOUNT_SID}/Messages.json":
                form = urllib.parse.parse_qs(raw.decode())
                kind, to, body = "sms", form.get("To", [""])[0], form.get("Body", [""])[0]
                expected = "Basic " + base64.b64encode(f"{ACCOUNT_SID}:{AUTH_TOKEN}".encode()).decode()
                if self.headers.get("Authorization") != expected:
                    return self._answer(provider, Received(kind, to, body, 401),
                                        {"code": 20003, "message": "Authenticate"})
                ok_status = 201
            else:
                self.send_error(404)
                return
            scripted = provider._next(kind)
            if scripted == "timeout":
                with provider._lock:
                    provider.received.append(Received(kind, to, body, "timeout"))
                time.sleep(HANG_SECONDS)
                return
            status = scripted or ok_status
            self._answer(provider, Received(kind, to, body, status),
                         {"sid": f"SM{len(provider.received):032d}", "status": "queued"} if status < 300
                         else {"message": "provider error"})

        def _answer(self, provider: FakeProvider, record: Received, payload: dict) -> None:
            with provider._lock:
                provider.received.append(record)
            data = json.dumps(payload).encode()
            self.send_response(record.outcome)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

    return Handler


def serve() -> tuple[FakeProvider, ThreadingHTTPServer]:
    provider = FakeProvider()
    server = ThreadingHTTPServer((HOST, PORT), _handler(provider))
    server.daemon_threads = True
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return provider, server
