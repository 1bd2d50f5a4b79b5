"""Principals on a SASL broker: each service's and each partner's SCRAM user and ACLs, made from
:mod:`kmb_shared.messaging.flows`, and the admin credentials the `kmb` commands use.

Service passwords are generated once and kept under ``<var>/kafka/credentials`` (0600), so a restarted
`kmb up` gives each service the same one; a partner's password is shown once and not kept.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from pathlib import Path

from kmb_shared.messaging import Topics
from kmb_shared.messaging.acl import (
    admin_client,
    delete_acls,
    delete_scram_user,
    new_password,
    sync_acls,
    upsert_scram_user,
)
from kmb_shared.messaging.flows import FLOWS, partner_acls, partner_username, service_acls
from kmb_shared.messaging.security import KafkaCredentials

from .infra.kafka import admin_of, load_credentials, save_credentials
from .infra.tls import TlsFiles, tls_dir

#: under ``<var>/run``: the local broker started by `kmb up` takes SASL (the commands act as its admin)
SASL_MARK = "kafka-sasl"


def service_env(username: str, password: str, ca_file: str | Path | None = None) -> dict[str, str]:
    """A principal's ``KMB_KAFKA_*``: SASL_SSL trusting ``ca_file`` when given, else SASL_PLAINTEXT."""
    env = {
        "KMB_KAFKA_SECURITY_PROTOCOL": "SASL_SSL" if ca_file else "SASL_PLAINTEXT",
        "KMB_KAFKA_SASL_USERNAME": username,
        "KMB_KAFKA_SASL_PASSWORD": password,
    }
    if ca_file:
        env["KMB_KAFKA_SSL_CAFILE"] = str(ca_file)
    return env


async def provision_services(
    bootstrap: str, admin: KafkaCredentials, var_dir: Path, topics: Topics
) -> dict[str, dict[str, str]]:
    """Create (or keep) each service's SCRAM user with its stored password and make its ACLs exactly
    what its flow says; return each service's ``KMB_KAFKA_*`` environment."""
    passwords = {}
    for flow in FLOWS.values():
        stored = load_credentials(var_dir, flow.username)
        if stored is None:
            stored = flow.username, new_password()
            save_credentials(var_dir, *stored)
        passwords[flow.service] = stored[1]
    await provision_given(bootstrap, admin, passwords, topics)
    ca_file = admin.kafka_ssl_cafile if admin.uses_ssl else None  # the services trust the admin's CA
    return {
        flow.service: service_env(flow.username, passwords[flow.service], ca_file) for flow in FLOWS.values()
    }


def passwords_from_env(environ: Mapping[str, str]) -> dict[str, str]:
    """The services' passwords given as ``KMB_KAFKA_PASSWORD_<SERVICE>`` (docker-compose.yml's .env)."""
    found = {
        flow.service: environ.get(f"KMB_KAFKA_PASSWORD_{flow.service.upper()}", "") for flow in FLOWS.values()
    }
    if missing := sorted(f"KMB_KAFKA_PASSWORD_{name.upper()}" for name, value in found.items() if not value):
        raise ValueError(f"set {', '.join(missing)}")
    return found


async def provision_given(
    bootstrap: str, admin: KafkaCredentials, passwords: Mapping[str, str], topics: Topics
) -> list[str]:
    """Each service's SCRAM user with the given password and its ACLs; return the usernames."""
    async with admin_client(bootstrap, admin) as client:
        for flow in FLOWS.values():
            await upsert_scram_user(client, flow.username, passwords[flow.service])
            await sync_acls(client, f"User:{flow.username}", service_acls(flow, topics))
    return [flow.username for flow in FLOWS.values()]


async def issue_partner_credentials(
    bootstrap: str, admin: KafkaCredentials, slug: str, topics: Topics
) -> str:
    """A new password for ``kmb-partner-<slug>`` (the old one stops working) and its ACLs; the password
    is returned to be shown once."""
    password = new_password()
    async with admin_client(bootstrap, admin) as client:
        await upsert_scram_user(client, partner_username(slug), password)
        await sync_acls(client, f"User:{partner_username(slug)}", partner_acls(slug, topics))
    return password


async def revoke_partner(bootstrap: str, admin: KafkaCredentials, slug: str) -> tuple[int, bool]:
    """Remove the partner's ACLs and its SCRAM user: (ACLs removed, whether the user existed)."""
    async with admin_client(bootstrap, admin) as client:
        removed = await delete_acls(client, f"User:{partner_username(slug)}")
        existed = await delete_scram_user(client, partner_username(slug))
    return removed, existed


def sasl_mark(var_dir: Path) -> Path:
    return var_dir / "run" / SASL_MARK


def mark_sasl(var_dir: Path, tls: bool) -> None:
    """Note that the local broker of ``var_dir`` takes SASL (SASL_SSL with ``tls``)."""
    sasl_mark(var_dir).write_text(f"{'SASL_SSL' if tls else 'SASL_PLAINTEXT'}, SCRAM-SHA-512\n")


def local_ca(var_dir: Path) -> Path | None:
    """The CA clients of the local broker of ``var_dir`` trust, when its client listener takes TLS."""
    try:
        over_tls = sasl_mark(var_dir).read_text().startswith("SASL_SSL")
    except OSError:
        return None
    return TlsFiles(tls_dir(var_dir)).ca if over_tls else None


def use_admin_credentials(var_dir: Path) -> KafkaCredentials | None:
    """When the local broker of ``var_dir`` takes SASL, let this process's Kafka clients (the operator's
    commands) connect as its admin, unless ``KMB_KAFKA_*`` already say who to be (then they still get
    the local CA, over TLS); return the admin."""
    admin = admin_of(var_dir) if sasl_mark(var_dir).is_file() else None
    if admin is None:
        return None
    ca_file = local_ca(var_dir)
    if "KMB_KAFKA_SASL_USERNAME" not in os.environ:
        os.environ.update(service_env(admin.username, admin.password, ca_file))
    elif ca_file is not None:
        os.environ.setdefault("KMB_KAFKA_SECURITY_PROTOCOL", "SASL_SSL")
        os.environ.setdefault("KMB_KAFKA_SSL_CAFILE", str(ca_file))
    return admin.credentials(ca_file)
