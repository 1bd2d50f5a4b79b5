"""A minimal service built with the shared runtime, for testing delivery guarantees."""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, ClassVar
from uuid import UUID, uuid4

import sqlalchemy as sa
from aiokafka import AIOKafkaConsumer, AIOKafkaProducer
from fastapi import FastAPI

from kmb_shared.contracts import CaseOpened, HouseholdSnapshot, IntegrationEvent, MemberSnapshot
from kmb_shared.messaging import Handler, HandlerContext
from kmb_shared.service import ReadModel, Runtime, ServiceSpec, build_service_app
from kmb_shared.settings import ServiceSettings
from kmb_testkit.fixtures import quick_settings

MIGRATIONS = Path(__file__).parent / "probe_migrations"
effects = sa.table("probe_effect", sa.column("case_id"), sa.column("note"), sa.column("occurred_at"))
READ_MODELS = [
    ReadModel("probe_effect", columns=("case_id", "note", "occurred_at"), time_column="occurred_at")
]


class ProbeSettings(ServiceSettings):
    service_name: ClassVar[str] = "probe"


def case_opened(case_id: UUID | None = None, number: int = 1, at: datetime | None = None) -> CaseOpened:
    return CaseOpened(
        occurred_at=at or datetime.now(UTC),
        case_id=case_id or uuid4(),
        case_number=f"KMB-2026-{number:05d}",
        household=HouseholdSnapshot(members=(MemberSnapshot(age_band="26-64", relationship="applicant"),)),
    )


async def record_effect(event: CaseOpened, ctx: HandlerContext) -> None:
    await ctx.session.execute(
        sa.insert(effects).values(
            case_id=str(event.case_id), note=event.case_number, occurred_at=event.occurred_at
        )
    )


def probe_spec(handler: Handler = record_effect) -> ServiceSpec:
    def handlers(_: Runtime) -> Mapping[type[IntegrationEvent], Handler]:
        return {CaseOpened: handler}

    return ServiceSpec(
        name="probe",
        title="Probe",
        migrations=MIGRATIONS,
        subscribes=["intake"],
        handlers=handlers,
        read_models=READ_MODELS,
    )


def probe_settings(*, bootstrap: str, prefix: str, database_url: str, retries: int = 2) -> ProbeSettings:
    return quick_settings(ProbeSettings, bootstrap, prefix, database_url, consumer_retries=retries)


def probe_app(
    *, bootstrap: str, prefix: str, database_url: str, handler: Handler = record_effect, retries: int = 2
) -> FastAPI:
    settings = probe_settings(bootstrap=bootstrap, prefix=prefix, database_url=database_url, retries=retries)
    return build_service_app(probe_spec(handler), settings)


def ce_headers(event: IntegrationEvent, event_id: str | None = None) -> list[tuple[str, bytes]]:
    return [
        ("ce_id", (event_id or str(uuid4())).encode()),
        ("ce_source", b"/kmb/test"),
        ("ce_specversion", b"1.0"),
        ("ce_type", event.event_type.encode()),
        ("ce_subject", event.subject.encode()),
        ("ce_time", event.occurred_at.isoformat().encode()),
        ("content-type", b"application/json"),
    ]


async def produce(
    bootstrap: str, topic: str, items: list[tuple[bytes | None, list[tuple[str, bytes | None]], bytes]]
) -> None:
    """Send (value, headers, key) triples and wait for the acks (a header value may be null)."""
    producer = AIOKafkaProducer(bootstrap_servers=bootstrap, enable_idempotence=True)
    await producer.start()
    try:
        for value, headers, key in items:
            await producer.send_and_wait(topic, value=value, headers=headers, key=key)
    finally:
        await producer.stop()


async def read_all(bootstrap: str, topic: str, expect: int, timeout_s: float = 15.0) -> list[Any]:
    """Read a topic from the start until ``expect`` records arrived (or the timeout)."""
    import asyncio

    consumer = AIOKafkaConsumer(
        topic, bootstrap_servers=bootstrap, auto_offset_reset="earliest", enable_auto_commit=False
    )
    await consumer.start()
    out: list[Any] = []
    try:
        deadline = asyncio.get_running_loop().time() + timeout_s
        while len(out) < expect and asyncio.get_running_loop().time() < deadline:
            batch = await consumer.getmany(timeout_ms=500)
            for records in batch.values():
                out.extend(records)
    finally:
        await consumer.stop()
    return out


async def wait_until(predicate: Callable[[], Any], timeout_s: float = 20.0) -> None:
    import asyncio

    deadline = asyncio.get_running_loop().time() + timeout_s
    while asyncio.get_running_loop().time() < deadline:
        if await predicate():
            return
        await asyncio.sleep(0.1)
    raise AssertionError("condition not reached in time")


@dataclass(frozen=True)
class Event:
    """A record of a topic as a test reads it: its CloudEvents type, key, headers and payload."""

    type: str
    key: str
    headers: dict[str, str]
    payload: dict[str, Any]
    raw: bytes


async def read_events(bootstrap: str, topic: str, expect: int, timeout_s: float = 15.0) -> list[Event]:
    """The records on ``topic`` once ``expect`` arrived (or the timeout passed), in the order they
    happened."""
    records = await read_all(bootstrap, topic, expect=expect, timeout_s=timeout_s)
    events = [
        Event(
            type=headers_dict(r)["ce_type"],
            key=r.key.decode(),
            headers=headers_dict(r),
            payload=json.loads(r.value),
            raw=r.value,
        )
        for r in records
    ]
    return sorted(events, key=lambda e: e.payload["occurred_at"])


def headers_dict(record: Any) -> dict[str, str]:
    return {k: v.decode() for k, v in record.headers}


def payload(record: Any) -> dict[str, Any]:
    return dict(json.loads(record.value))
