"""Forwarding a partner's messages to its own system (``kmb partner listen --forward-url``), signed.

Each POST is signed with the Standard Webhooks scheme (the ``standardwebhooks`` package): headers
``webhook-id`` (the message's CloudEvents id, the same on every attempt, so the receiver can drop a
repeat), ``webhook-timestamp`` (seconds, at the attempt) and ``webhook-signature`` (``v1,<base64
HMAC-SHA256 of id.timestamp.body>``) with the partner's own secret.

The listener's folder is ``<var dir>/partners/<slug>/``. It holds:

- ``webhook-secret``: the secret (``whsec_<base64 of 32 random bytes>``, mode 0600), issued and rotated by
  ``kmb partner webhook-secret`` and shown only then; the partner's system keeps its own copy to verify;
- ``deliveries.jsonl``: one JSON line per message forwarded (``kmb partner deliveries`` shows it): when,
  the webhook id, the message type and referral, the address, attempts, the outcome and the last HTTP
  status or error. Never the message's content.

A POST that fails (no answer, or an HTTP status other than 2xx) is tried again after 0.5 s, 1 s, 2 s
(four attempts in all); after the last it is logged as failed and the listener stops without committing
the message's offset, so the next start delivers it again.
"""

from __future__ import annotations

import asyncio
import base64
import json
import os
import secrets
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import httpx
from standardwebhooks import Webhook

FORWARD_ATTEMPTS = 4
BACKOFF_S = 0.5
SECRET_FILE = "webhook-secret"
DELIVERY_LOG = "deliveries.jsonl"
DELIVERED, FAILED = "delivered", "failed"
OUTCOME_CS = {DELIVERED: "doručeno", FAILED: "nedoručeno"}


class NoWebhookSecret(Exception):
    """The partner has no webhook secret yet (``kmb partner webhook-secret`` issues one)."""


class DeliveryFailed(Exception):
    """The partner's system did not take a message after every attempt (logged as failed)."""


def listener_dir(var_dir: Path, slug: str) -> Path:
    return var_dir / "partners" / slug


def issue_secret(folder: Path) -> str:
    """A new secret for the partner, replacing the previous one (which stops verifying at once)."""
    folder.mkdir(parents=True, exist_ok=True)
    secret = "whsec_" + base64.b64encode(secrets.token_bytes(32)).decode()
    path = folder / SECRET_FILE
    fd = os.open(path.with_suffix(".new"), os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w") as file:
        file.write(secret + "\n")
    os.replace(path.with_suffix(".new"), path)
    return secret


def load_secret(folder: Path) -> str:
    path = folder / SECRET_FILE
    if not path.is_file():
        raise NoWebhookSecret(str(path))
    return path.read_text().strip()


@dataclass(frozen=True)
class Forwarding:
    """Where and how the listener forwards: the address, the secret, the listener's folder (its log)."""

    url: str
    secret: str
    folder: Path
    attempts: int = FORWARD_ATTEMPTS
    backoff_s: float = BACKOFF_S

    @classmethod
    def for_partner(cls, url: str, folder: Path, **options: Any) -> Forwarding:
        return cls(url=url, secret=load_secret(folder), folder=folder, **options)


def signed_headers(secret: str, webhook_id: str, body: str, now: datetime | None = None) -> dict[str, str]:
    """The Standard Webhooks headers for ``body`` sent as ``webhook_id`` at ``now``."""
    at = now or datetime.now(UTC)
    return {
        "content-type": "application/json",
        "webhook-id": webhook_id,
        "webhook-timestamp": str(int(at.timestamp())),
        "webhook-signature": Webhook(secret).sign(webhook_id, at, body),
    }


def _log(folder: Path, entry: dict[str, Any]) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    with (folder / DELIVERY_LOG).open("a", encoding="utf-8") as file:
        file.write(json.dumps(entry, ensure_ascii=False) + "\n")


def read_deliveries(folder: Path) -> list[dict[str, Any]]:
    """The delivery log, oldest first (an unreadable line is skipped)."""
    path = folder / DELIVERY_LOG
    if not path.is_file():
        return []
    entries = []
    for line in path.read_text(encoding="utf-8").splitlines():
        try:
            entry = json.loads(line)
        except ValueError:
            continue
        if isinstance(entry, dict):
            entries.append(entry)
    return entries


async def deliver(
    client: httpx.AsyncClient,
    forwarding: Forwarding,
    webhook_id: str,
    message: dict[str, Any],
    sleep: Callable[[float], Awaitable[None]] = asyncio.sleep,
) -> None:
    """POST ``message`` signed, with retries and backoff; log the outcome; raise DeliveryFailed at the end."""
    body = json.dumps(message, ensure_ascii=False, separators=(",", ":"))
    data = message.get("data")
    referral_id = data.get("referral_id") if isinstance(data, dict) else None
    entry: dict[str, Any] = {
        "webhook_id": webhook_id,
        "type": message.get("type"),
        "referral_id": referral_id,
        "url": forwarding.url,
    }
    status: int | None = None
    error = ""
    for attempt in range(1, forwarding.attempts + 1):
        headers = signed_headers(forwarding.secret, webhook_id, body)
        try:
            response = await client.post(forwarding.url, content=body.encode(), headers=headers)
            status = response.status_code
            if response.is_success:
                _log(forwarding.folder, _entry(entry, DELIVERED, attempt, status, None))
                return
            error = f"HTTP {status}"
        except httpx.HTTPError as exc:
            status, error = None, f"{type(exc).__name__}: {exc}"
        if attempt < forwarding.attempts:
            await sleep(forwarding.backoff_s * 2 ** (attempt - 1))
    _log(forwarding.folder, _entry(entry, FAILED, forwarding.attempts, status, error))
    raise DeliveryFailed(f"{forwarding.url}: {error} ({forwarding.attempts} pokusů)")


def _entry(
    message: dict[str, Any], outcome: str, attempts: int, status: int | None, error: str | None
) -> dict[str, Any]:
    """One line of the delivery log: when, which message (ids only), and how it went."""
    at = datetime.now(UTC).isoformat(timespec="seconds")
    return {
        "at": at,
        **message,
        "attempts": attempts,
        "outcome": outcome,
        "http_status": status,
        "error": error,
    }
