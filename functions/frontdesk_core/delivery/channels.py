"""Where messages go: the log (default), a Slack-compatible webhook, SMS through Twilio's REST API.

Each channel's `send(to, body)` returns on success and raises DeliveryError otherwise; retries are the
outbox's business. Configuration comes from the environment (Firebase params in functions/main.py):
nothing configured means the log, a real product mode where staff read messages from the log/outbox.
"""
from __future__ import annotations

import base64
import json
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass
from typing import Callable, Mapping, Protocol

TIMEOUT_SECONDS = 5.0


class DeliveryError(RuntimeError):
    """A message did not reach its channel; the text says why (status, timeout, refusal)."""


class Channel(Protocol):
    name: str

    def send(self, to: str, body: str) -> None: ...


def masked(number: str) -> str:
    """A phone number as logs may show it: every digit but the last three hidden ("+•••••••100")."""
    digits = sum(c.isdigit() for c in number)
    seen, out = 0, []
    for c in number:
        seen += c.isdigit()
        out.append("•" if c.isdigit() and (digits <= 3 or seen <= digits - 3) else c)
    return "".join(out)


LOGGED_BODY = 40   # characters of a message a log line shows; the outbox document has it whole


@dataclass
class LogChannel:
    """Writes that a message went out to the function log, the number masked and the text cut short:
    logs are read by more people than the outbox. The outbox document is the durable, whole record."""
    write: Callable[[str], None]
    name: str = "log"

    def send(self, to: str, body: str) -> None:
        shown = body if len(body) <= LOGGED_BODY else body[:LOGGED_BODY].rstrip() + "…"
        self.write(f"message to {masked(to)} ({len(body)} characters): {shown}")


def _post(url: str, data: bytes, headers: Mapping[str, str], timeout: float) -> None:
    request = urllib.request.Request(url, data=data, method="POST", headers=dict(headers))
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            response.read()
    except urllib.error.HTTPError as err:
        detail = err.read(300).decode("utf-8", "replace").strip()
        raise DeliveryError(f"HTTP {err.code} from {urllib.parse.urlsplit(url).netloc}: {detail}") from err
    except (urllib.error.URLError, TimeoutError, OSError) as err:
        reason = getattr(err, "reason", err)
        raise DeliveryError(f"{urllib.parse.urlsplit(url).netloc} unreachable: {reason}") from err


def slack_text(body: str) -> str:
    """`body` as literal Slack text: `&`, `<`, `>` escaped as Slack asks, so a caller's words in a
    notice can never become a mention (`<!channel>`, `<@U…>`) or a disguised link (`<url|text>`)."""
    return body.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


@dataclass
class WebhookChannel:
    """Slack-compatible incoming webhook: POST {"text": …}, the body escaped (slack_text)."""
    url: str
    timeout: float = TIMEOUT_SECONDS
    name: str = "webhook"

    def send(self, to: str, body: str) -> None:
        _post(self.url, json.dumps({"text": slack_text(body)}).encode(), {"Content-Type": "application/json"},
              self.timeout)


@dataclass
class TwilioSmsChannel:
    """SMS through Twilio's Messages API (form-encoded POST, basic auth)."""
    account_sid: str
    auth_token: str
    from_number: str
    base_url: str = "https://api.twilio.com"
    timeout: float = TIMEOUT_SECONDS
    name: str = "sms"

    def send(self, to: str, body: str) -> None:
        url = f"{self.base_url.rstrip('/')}/2010-04-01/Accounts/{self.account_sid}/Messages.json"
        auth = base64.b64encode(f"{self.account_sid}:{self.auth_token}".encode()).decode()
        form = urllib.parse.urlencode({"To": to, "From": self.from_number, "Body": body}).encode()
        _post(url, form, {"Authorization": f"Basic {auth}",
                          "Content-Type": "application/x-www-form-urlencoded"}, self.timeout)


@dataclass(frozen=True)
class Config:
    """Delivery settings, read from the environment (names are the Firebase params')."""
    supervisor_webhook_url: str = ""
    supervisor_phone: str = ""
    twilio_account_sid: str = ""
    twilio_auth_token: str = ""
    twilio_from: str = ""
    twilio_base_url: str = "https://api.twilio.com"
    timeout: float = TIMEOUT_SECONDS

    @classmethod
    def from_env(cls, env: Mapping[str, str]) -> "Config":
        return cls(
            supervisor_webhook_url=env.get("SUPERVISOR_WEBHOOK_URL", ""),
            supervisor_phone=env.get("SUPERVISOR_PHONE", ""),
            twilio_account_sid=env.get("TWILIO_ACCOUNT_SID", ""),
            twilio_auth_token=env.get("TWILIO_AUTH_TOKEN", ""),
            twilio_from=env.get("TWILIO_FROM", ""),
            twilio_base_url=env.get("TWILIO_BASE_URL", "") or "https://api.twilio.com",
            timeout=float(env.get("DELIVERY_TIMEOUT_SECONDS") or TIMEOUT_SECONDS),
        )

    @property
    def sms_configured(self) -> bool:
        return bool(self.twilio_account_sid and self.twilio_auth_token and self.twilio_from)


def sms(config: Config) -> TwilioSmsChannel | None:
    if not config.sms_configured:
        return None
    return TwilioSmsChannel(config.twilio_account_sid, config.twilio_auth_token, config.twilio_from,
                            config.twilio_base_url, config.timeout)


def caller_channel_name(config: Config) -> str:
    """How a caller who has hung up gets a follow-up: SMS when a provider is configured, else the log."""
    return "sms" if config.sms_configured else "log"


def supervisor_targets(config: Config) -> list[tuple[str, str]]:
    """(channel, to) pairs a new help request is announced on: always the log, plus what is set up."""
    targets = [("log", "supervisor")]
    if config.supervisor_webhook_url:
        targets.append(("webhook", "supervisor"))
    if config.sms_configured and config.supervisor_phone:
        targets.append(("sms", config.supervisor_phone))
    return targets


def registry(config: Config, log: Callable[[str], None]) -> dict[str, Channel]:
    """Every channel that can send with this configuration, by name."""
    channels: dict[str, Channel] = {"log": LogChannel(log)}
    if config.supervisor_webhook_url:
        channels["webhook"] = WebhookChannel(config.supervisor_webhook_url, config.timeout)
    sms_channel = sms(config)
    if sms_channel:
        channels["sms"] = sms_channel
    return channels
