"""A department's own consumer of its partner topic ``kmb.partner.<slug>.v1`` (``kmb partner listen``).

It is the partner's program, not part of the referrals service: it knows only what the partner sees
(the topic, its message types, the partner API). A referral (``kmb.partner.referral.v3``) carries no
personal data, no worker's contact and no free text: the line says where the details are fetched
(``GET /api/partner/<slug>/referrals/<id>``: the worker to reach the household through, the basis as
recorded and, where the partner may identify the household, the client), and the legal basis where it is
a code. Messages of the earlier versions (``kmb.partner.referral.v1``, with the identity inside;
``kmb.partner.referral.v2``, with the worker's contact and the basis in words) are still read. A step of a
referral (``kmb.partner.referral_status.v2``) carries no note either, only that there is one; the first
version (``...referral_status.v1``, the note inside) is still read.

It reads with the consumer group ``kmb.partner.<slug>`` (with the deployment's topic prefix) and commits
each message's offset only after it was printed or forwarded, so a restarted listener resumes where it
stopped and shows nothing twice (at-least-once: a crash between forwarding and committing repeats one).
"""

from __future__ import annotations

import asyncio
import json
import sys
from typing import Any, TextIO

import httpx
from aiokafka import AIOKafkaConsumer, ConsumerRecord
from aiokafka.structs import OffsetAndMetadata

from kmb_referrals.application.publishing import (
    PARTNER_MESSAGE_TYPE,
    PARTNER_MESSAGE_TYPE_V1,
    PARTNER_MESSAGE_TYPE_V2,
    PARTNER_STATUS_TYPE,
    PARTNER_STATUS_TYPE_V1,
)
from kmb_shared.messaging import bootstrap_servers
from kmb_shared.messaging.security import client_options

from .partner_webhooks import Forwarding, deliver

#: with ``once``: give up waiting for the group to assign partitions (e.g. the topic does not exist)
ASSIGNMENT_WAIT_S = 30.0


def group_for(prefix: str, slug: str) -> str:
    return f"{prefix}kmb.partner.{slug}"


def topic_for(prefix: str, slug: str) -> str:
    return f"{prefix}kmb.partner.{slug}.v1"


def _headers(record: ConsumerRecord[Any, Any]) -> dict[str, str]:
    return {
        k: v.decode("utf-8", "replace") if isinstance(v, bytes) else str(v) for k, v in record.headers or ()
    }


def describe(message_type: str, data: dict[str, Any]) -> str:
    """One readable line (in Czech) for a partner message."""
    ref = data.get("case_reference", "?")
    kind = data.get("kind_label") or data.get("kind", "?")
    if message_type in (PARTNER_MESSAGE_TYPE, PARTNER_MESSAGE_TYPE_V2, PARTNER_MESSAGE_TYPE_V1):
        client = data.get("client") or {}  # only in the first version
        who = client.get("full_name") if data.get("identified") and client else f"klient {ref}"
        contact = ", ".join(str(client[k]) for k in ("phone", "email", "address") if client.get(k))
        worker = data.get("worker") or {}  # only in the earlier versions
        via = ", ".join(str(worker[k]) for k in ("name", "phone", "email") if worker.get(k))
        details = data.get("details")
        fetch = details if data.get("identified") and not client else None
        parts = [
            f"NOVÉ PŘEDÁNÍ {data.get('made_on', '')}: {kind}",
            f"{who} ({contact})" if contact else str(who),
            f"spis {ref}",
            f"odpovědět do {data.get('due_on') or '—'}",
            f"důvod předání údajů: {data['legal_basis_label']}" if data.get("legal_basis_label") else "",
            f"pracovník KMB: {via}" if via else "",
            f"pracovník KMB: GET {details}" if details and not via else "",
            f"poznámka: {data['note']}" if data.get("note") else "",
            f"údaje o klientovi: GET {fetch}" if fetch else "",
            f"předání {data.get('referral_id', '?')}",
        ]
        return " · ".join(p for p in parts if p)
    if message_type in (PARTNER_STATUS_TYPE, PARTNER_STATUS_TYPE_V1):
        label = data.get("update_label") or data.get("update", "?")
        reason = data.get("reason_label") or ""
        fetch = data.get("details") if data.get("has_note") else None
        parts = [
            f"{str(label).upper()} {data.get('on', '')}: {kind}",
            f"spis {ref}",
            f"stav {data.get('state_label') or data.get('state', '?')}",
            reason,
            f"poznámka: {data['note']}" if data.get("note") else "",  # only in the first version
            f"poznámka: GET {fetch}" if fetch else "",
            f"předání {data.get('referral_id', '?')}",
        ]
        return " · ".join(p for p in parts if p)
    return f"ZPRÁVA {message_type}: {json.dumps(data, ensure_ascii=False)}"


async def _caught_up(consumer: AIOKafkaConsumer) -> bool:
    """Every assigned partition has been read to its end (as of now)."""
    assigned = consumer.assignment()
    if not assigned:
        return False
    ends = await consumer.end_offsets(list(assigned))
    for tp in assigned:
        if await consumer.position(tp) < ends[tp]:
            return False
    return True


async def listen(
    bootstrap: str,
    prefix: str,
    slug: str,
    *,
    forward: Forwarding | None = None,
    once: bool = False,
    out: TextIO = sys.stdout,
) -> int:
    """Follow the partner's topic and print each message as a line (or POST it, signed, as JSON to
    ``forward.url``: ``{"type", "id", "data"}``; see :mod:`kmb_cli.partner_webhooks`). With ``once`` it
    stops when it has caught up. Returns how many messages it handled; a message the partner's system
    did not take raises :class:`~kmb_cli.partner_webhooks.DeliveryFailed` (its offset not committed)."""
    consumer = AIOKafkaConsumer(
        topic_for(prefix, slug),
        bootstrap_servers=bootstrap_servers(bootstrap),
        group_id=group_for(prefix, slug),
        enable_auto_commit=False,
        auto_offset_reset="earliest",
        **client_options(),  # KMB_KAFKA_*: the partner's own principal on a SASL broker
    )
    handled = 0
    await consumer.start()
    loop = asyncio.get_running_loop()
    give_up_at = loop.time() + ASSIGNMENT_WAIT_S
    try:
        async with httpx.AsyncClient(timeout=10.0) as client:
            while True:
                batch = await consumer.getmany(timeout_ms=500)
                for tp, records in batch.items():
                    for record in records:
                        await _handle(record, client, forward, out)
                        await consumer.commit({tp: OffsetAndMetadata(record.offset + 1, "")})
                        handled += 1
                if once and not batch:
                    if await _caught_up(consumer):
                        return handled
                    if not consumer.assignment() and loop.time() > give_up_at:
                        return handled
    finally:
        await consumer.stop()


async def _handle(
    record: ConsumerRecord[Any, Any], client: httpx.AsyncClient, forward: Forwarding | None, out: TextIO
) -> None:
    headers = _headers(record)
    message_type = headers.get("ce_type", "")
    try:
        data = json.loads(record.value or b"{}")
    except ValueError:
        data = {"raw": (record.value or b"").decode("utf-8", "replace")}
    if not isinstance(data, dict):
        data = {"value": data}
    if forward:
        webhook_id = headers.get("ce_id") or f"{record.topic}-{record.partition}-{record.offset}"
        await deliver(client, forward, webhook_id, {"type": message_type, "id": webhook_id, "data": data})
    else:
        out.write(describe(message_type, data) + "\n")
        out.flush()
