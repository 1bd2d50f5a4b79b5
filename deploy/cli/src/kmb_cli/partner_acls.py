"""A partner's rights on the broker follow whether referrals has it active (issue 14): the launcher, which
holds the admin's credentials, makes them so; referrals' own principal never gets the cluster-wide ALTER
that changing ACLs needs.

Referrals' partner registry (``GET /api/partners``) is what decides: an active partner has the ACLs of
:func:`kmb_shared.messaging.flows.partner_acls` (read its own topic and groups), a deactivated or unknown
one has none. Its Kafka user and password stay, so reactivating restores access without a new password
(``kmb partner revoke`` removes the user too). Referrals publishes no partner lifecycle events to follow,
so this reads the registry itself: at once after ``kmb partner deactivate|activate``, on every
``kmb partner sync-acls``, and every few seconds while ``kmb partner sync-acls --every N`` runs (which
``kmb up`` starts beside the services on its SASL broker, and ``kmb down`` stops).
"""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

import httpx
from aiokafka.admin import AIOKafkaAdminClient

from kmb_shared.messaging import Topics
from kmb_shared.messaging.acl import admin_client, delete_acls, describe_acls, sync_acls
from kmb_shared.messaging.flows import PARTNER_PRINCIPAL_PREFIX, partner_acls, partner_username
from kmb_shared.messaging.security import KafkaCredentials

from .infra._common import live_process, read_pid, terminate

#: how long one call to referrals may take
HTTP_TIMEOUT_S = 10.0


class RegistryUnavailable(RuntimeError):
    """Referrals' partner registry did not answer or refused; the message says what, in Czech."""


@dataclass(frozen=True)
class Applied:
    """What one pass did on the broker: partners given their rules, partners whose rules were removed
    (with how many), and the unknown principals that had rules."""

    granted: tuple[str, ...] = ()
    removed: dict[str, int] | None = None

    def lines_cs(self, granted: bool = True) -> list[str]:
        """In Czech, a line per partner: given its rules (unless not ``granted``), rules removed."""
        lines = [f"{partner_username(slug)}: smí číst své téma (partner je aktivní)" for slug in self.granted]
        lines = lines if granted else []
        for slug, count in (self.removed or {}).items():
            lines.append(
                f"{partner_username(slug)}: odebráno oprávnění na brokeru: {count} (partner není aktivní)"
            )
        return lines


async def _apply(client: AIOKafkaAdminClient, topics: Topics, active: Mapping[str, bool]) -> Applied:
    granted, removed = [], {}
    for slug, is_active in sorted(active.items()):
        who = f"User:{partner_username(slug)}"
        if is_active:
            await sync_acls(client, who, partner_acls(slug, topics))
            granted.append(slug)
        elif count := await delete_acls(client, who):
            removed[slug] = count
    return Applied(tuple(granted), removed)


async def apply_partner_states(
    bootstrap: str, admin: KafkaCredentials, topics: Topics, active: Mapping[str, bool]
) -> Applied:
    """Make the broker's ACLs of the partners in ``active`` what it says: each active partner exactly
    its rules, each inactive one none."""
    async with admin_client(bootstrap, admin) as client:
        return await _apply(client, topics, active)


async def follow_registry(
    bootstrap: str, admin: KafkaCredentials, topics: Topics, registry: Mapping[str, bool]
) -> Applied:
    """:func:`apply_partner_states` for the whole ``registry``, and no rules for a partner principal it
    does not name (a partner no longer registered)."""
    async with admin_client(bootstrap, admin) as client:
        applied = await _apply(client, topics, registry)
        prefix = f"User:{PARTNER_PRINCIPAL_PREFIX}"
        holders = {
            rule.principal for rule in await describe_acls(client) if rule.principal.startswith(prefix)
        }
        for who in sorted(holders - {f"User:{partner_username(slug)}" for slug in registry}):
            count = await delete_acls(client, who)
            applied = Applied(applied.granted, {**(applied.removed or {}), who.removeprefix(prefix): count})
    return applied


def _answer(response: httpx.Response, what: str) -> httpx.Response:
    if response.status_code == 404:
        raise RegistryUnavailable(f"referrals takového partnera nezná ({what})")
    if response.status_code >= 400:
        raise RegistryUnavailable(
            f"referrals odmítl {what}: HTTP {response.status_code} {response.text[:200]}"
        )
    return response


def registry(base_url: str, headers: Mapping[str, str]) -> dict[str, bool]:
    """Every registered partner's slug and whether it is active, from referrals."""
    try:
        response = httpx.get(f"{base_url}/api/partners", headers=dict(headers), timeout=HTTP_TIMEOUT_S)
    except httpx.HTTPError as exc:
        raise RegistryUnavailable(f"referrals na {base_url} neodpovídá ({type(exc).__name__})") from exc
    return {row["slug"]: bool(row["active"]) for row in _answer(response, "seznam partnerů").json()}


def set_active(base_url: str, headers: Mapping[str, str], slug: str, active: bool) -> None:
    """Activate or deactivate the partner in referrals (its users and API tokens follow at once)."""
    try:
        response = httpx.patch(
            f"{base_url}/api/partners/{slug}",
            json={"active": active},
            headers=dict(headers),
            timeout=HTTP_TIMEOUT_S,
        )
    except httpx.HTTPError as exc:
        raise RegistryUnavailable(f"referrals na {base_url} neodpovídá ({type(exc).__name__})") from exc
    _answer(response, f"změnu partnera {slug}")


#: the command line of the follower `kmb up` starts (also how it is recognised among the processes)
KEEPER_MARKER = "partner sync-acls --every"


def _keeper_pid(var_dir: Path) -> Path:
    return var_dir / "run" / "partner-acls.pid"


def start_keeper(var_dir: Path, every_s: float = 10.0) -> tuple[int, Path]:
    """Start (or find running) ``kmb partner sync-acls --every`` for this var dir, detached like the
    services; return its pid and log file. It acts as the admin this process's ``KMB_KAFKA_*`` name."""
    log_file = var_dir / "log" / "partner-acls.log"
    running = live_process(read_pid(_keeper_pid(var_dir)), KEEPER_MARKER)
    if running is not None:
        return running.pid, log_file
    log_file.parent.mkdir(parents=True, exist_ok=True)
    command = [
        sys.executable,
        "-m",
        "kmb_cli",
        *KEEPER_MARKER.split(),
        str(every_s),
        "--var-dir",
        str(var_dir),
    ]
    with log_file.open("ab") as log:
        proc = subprocess.Popen(
            command, stdout=log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL, start_new_session=True
        )
    _keeper_pid(var_dir).write_text(f"{proc.pid}\n")
    return proc.pid, log_file


def stop_keeper(var_dir: Path, timeout: float = 10.0) -> bool:
    """Stop the follower of this var dir; True if it was running."""
    proc = live_process(read_pid(_keeper_pid(var_dir)), KEEPER_MARKER)
    if proc is not None:
        terminate(proc, timeout)
    _keeper_pid(var_dir).unlink(missing_ok=True)
    return proc is not None
