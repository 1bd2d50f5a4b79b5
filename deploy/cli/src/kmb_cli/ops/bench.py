"""The measurements of `kmb bench`: raw Kafka throughput, stats replay rate, end-to-end latency from
opening a case to the stats update, and the services' memory.

End-to-end latency is measured from just before ``POST /api/cases`` is sent until the case's
``CaseOpened`` row is visible in stats' event store (``stats_event``, committed in the same transaction
as stats' inbox row and projection input). The store is polled every 5 ms from this process with one
indexed read, so the stats process does no extra work for the measurement; the poll adds 0–5 ms
(2.5 ms on average) to each figure.
"""

from __future__ import annotations

import asyncio
import importlib
import math
import time
import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import psutil
import sqlalchemy as sa
from aiokafka import AIOKafkaConsumer, AIOKafkaProducer
from aiokafka.admin import AIOKafkaAdminClient
from sqlalchemy.ext.asyncio import create_async_engine

from kmb_shared.contracts import CaseOpened, HouseholdSnapshot, MemberSnapshot
from kmb_shared.db import Database
from kmb_shared.messaging.admin import ensure_topics
from kmb_shared.messaging.kafka import bootstrap_servers
from kmb_shared.messaging.security import client_options
from kmb_shared.replay import read_model_digest, rebuild, topic_partitions
from kmb_shared.settings import ServiceSettings

from .. import services as svc
from ..infra._common import read_pid

CASE_OPENED = "kmb.intake.case_opened.v1"
POLL_S = 0.005


def percentile(values: Sequence[float], p: float) -> float:
    """Nearest-rank percentile: the smallest value with at least p % of the values at or below it."""
    if not values:
        return math.nan
    ordered = sorted(values)
    return ordered[max(0, math.ceil(p / 100 * len(ordered)) - 1)]


def sample_event() -> tuple[bytes, list[tuple[str, bytes]]]:
    """A CaseOpened of a family of four with its CloudEvents headers, about 1.5 KB like ours."""
    members = tuple(
        MemberSnapshot(age_band=band, relationship=rel, sex=sex, dependent=rel == "child")
        for band, rel, sex in (
            ("26-64", "applicant", "female"),
            ("26-64", "partner", "male"),
            ("6-14", "child", "male"),
            ("0-5", "child", "female"),
        )
    )
    household = HouseholdSnapshot(
        members=members,
        district="Lipovec-střed",
        orp_code="9999",
        income_monthly=41200,
        income_by_source={"employment": 38000, "child_allowance": 3200},
        rent_monthly=14500,
        services_monthly=3200,
        energy_monthly=2600,
        debts_total=48000,
        vulnerability_flags=("single_parent",),
        consent_partners=("up-lipovec", "bytovy-odbor", "socialni-odbor"),
    )
    event = CaseOpened(
        case_id=uuid.uuid4(), case_number="KMB-2026-00042", household=household, contact_id=uuid.uuid4()
    )
    value = event.model_dump_json().encode()
    value = value[:-1] + b',"padding":"' + b"x" * max(0, 1500 - len(value) - 14) + b'"}'
    headers = {
        "ce_id": str(uuid.uuid4()),
        "ce_source": "/kmb/intake",
        "ce_specversion": "1.0",
        "ce_type": CASE_OPENED,
        "ce_time": event.occurred_at.isoformat(),
        "ce_subject": str(event.case_id),
        "content-type": "application/json",
        "traceparent": f"00-{uuid.uuid4().hex}-{uuid.uuid4().hex[:16]}-01",
    }
    return value, [(k, v.encode()) for k, v in headers.items()]


@dataclass
class RawResult:
    events: int
    event_bytes: int
    produce_s: float
    consume_s: float

    @property
    def produce_rate(self) -> float:
        return self.events / self.produce_s

    @property
    def consume_rate(self) -> float:
        return self.events / self.consume_s


async def raw_throughput(bootstrap: str, events: int = 30_000) -> RawResult:
    """Produce ``events`` records (idempotent producer, all acks awaited) to a throwaway ``bench.`` topic,
    then consume them from offset 0; the topic is deleted afterwards."""
    topic = f"bench.{uuid.uuid4().hex[:10]}.v1"
    await ensure_topics(bootstrap, [topic])
    value, headers = sample_event()
    keys = [str(uuid.uuid4()).encode() for _ in range(1000)]
    producer = AIOKafkaProducer(
        bootstrap_servers=bootstrap_servers(bootstrap),
        enable_idempotence=True,
        linger_ms=5,
        **client_options(),
    )
    await producer.start()
    try:
        started = time.perf_counter()
        acks = [
            await producer.send(topic, value, key=keys[i % len(keys)], headers=headers) for i in range(events)
        ]
        await asyncio.gather(*acks)
        produce_s = time.perf_counter() - started
    finally:
        await producer.stop()
    reader = AIOKafkaConsumer(
        bootstrap_servers=bootstrap_servers(bootstrap), enable_auto_commit=False, **client_options()
    )
    await reader.start()
    try:
        partitions = await topic_partitions(bootstrap, [topic])
        reader.assign(partitions)
        await reader.seek_to_beginning(*partitions)
        started = time.perf_counter()
        read = 0
        while read < events:
            batch = await reader.getmany(timeout_ms=1000, max_records=2000)
            read += sum(len(records) for records in batch.values())
        consume_s = time.perf_counter() - started
    finally:
        await reader.stop()
    admin = AIOKafkaAdminClient(bootstrap_servers=bootstrap_servers(bootstrap), **client_options())
    await admin.start()
    try:
        await admin.delete_topics([topic])
    finally:
        await admin.close()
    return RawResult(events, len(value), produce_s, consume_s)


#: the services with read models built from events, stats first (the figure with a target)
REPLAYED = ("stats", "assessment", "catalogue", "referrals")


@dataclass
class ReplayResult:
    events: int
    seconds: float
    service: str = "stats"
    applied: int = 0
    rows: int = 0
    digest: str = ""
    live_digest: str = ""
    live_rows: int = 0
    #: the rebuild's parts: fresh store and migrations, reading and applying the events, the digest
    setup_s: float = 0.0
    apply_s: float = 0.0
    digest_s: float = 0.0
    #: why the live store could not be digested (e.g. a service running older migrations than this code)
    live_error: str = ""

    @property
    def rate(self) -> float:
        return self.events / self.seconds if self.seconds else math.nan

    @property
    def equal(self) -> bool:
        """The rebuilt read models digest like the live ones."""
        return bool(self.digest) and self.digest == self.live_digest


async def replay_rate(
    settings: ServiceSettings, workdir: Path | None = None, service: str = "stats"
) -> ReplayResult:
    """Rebuild ``service``'s read models from offset 0 of the current topics into a fresh SQLite store and
    compare the digest with the live store's, taken just before (the rebuild reads up to the end offsets
    seen at its start)."""
    spec = importlib.import_module(f"kmb_{service}.bootstrap").build_spec()
    live = Database(settings.resolved_database_url)
    live_digest, live_rows, live_error = "", 0, ""
    try:
        live_digest, live_rows = await read_model_digest(live, spec.read_models)
    except sa.exc.SQLAlchemyError as exc:
        live_error = str(exc.orig if isinstance(exc, sa.exc.DBAPIError) else exc).splitlines()[0][:200]
    finally:
        await live.dispose()
    started = time.perf_counter()
    result = await rebuild(spec, settings, workdir=workdir)
    seconds = time.perf_counter() - started
    return ReplayResult(
        result.events_read,
        seconds,
        service,
        result.events_applied,
        result.rows,
        result.digest,
        live_digest,
        live_rows,
        result.setup_s,
        result.apply_s,
        result.digest_s,
        live_error,
    )


@dataclass
class LatencyResult:
    rate: float
    sent: int
    refused: int
    latencies_ms: list[float]
    http_ms: list[float]
    achieved_rate: float
    completed_rate: float  # cases stored by stats per second, first request to last case stored

    @property
    def missing(self) -> int:
        return self.sent - self.refused - len(self.latencies_ms)

    def p(self, q: float) -> float:
        return percentile(self.latencies_ms, q)


def bench_case() -> dict[str, Any]:
    member = {
        "first_name": "Zátěžový",
        "last_name": "Test (BENCH)",
        "date_of_birth": "1980-01-01",
        "relationship": "applicant",
    }
    return {
        "members": [member],
        "address": {"district": "Lipovec-střed", "orp_code": "9999"},
        "dwelling": {"kind": "flat", "legal_title": "lease"},
        "legal_basis": "public_task",
    }


async def end_to_end(
    intake_url: str,
    stats_db_url: str,
    headers: dict[str, str],
    rate: float,
    seconds: float,
    settle_s: float = 30.0,
) -> LatencyResult:
    """Open ``rate`` cases a second for ``seconds`` (open loop: a slow answer does not delay the next
    request) and time each until stats has stored its CaseOpened."""
    engine = create_async_engine(stats_db_url)
    seen: dict[str, float] = {}
    sent: dict[str, float] = {}
    http_ms: list[float] = []
    refused = 0
    query = sa.text(
        "SELECT seq, case_id FROM stats_event WHERE seq > :after AND event_type = :type ORDER BY seq"
    )
    async with engine.connect() as conn:
        after = (await conn.execute(sa.text("SELECT COALESCE(MAX(seq), 0) FROM stats_event"))).scalar_one()
    settle_until: float | None = None  # set once every request was sent

    async def poll() -> None:
        nonlocal after
        while True:
            async with engine.connect() as conn:
                for seq, case_id in (await conn.execute(query, {"after": after, "type": CASE_OPENED})).all():
                    seen.setdefault(str(case_id), time.perf_counter())
                    after = max(after, seq)
            if settle_until is not None and (not set(sent) - set(seen) or time.perf_counter() > settle_until):
                return
            await asyncio.sleep(POLL_S)

    async def open_one(client: httpx.AsyncClient) -> None:
        nonlocal refused
        begun = time.perf_counter()
        try:
            response = await client.post(f"{intake_url}/api/cases", json=bench_case(), headers=headers)
        except httpx.HTTPError:  # a dropped connection counts as a refused request
            refused += 1
            return
        http_ms.append((time.perf_counter() - begun) * 1000)
        if response.status_code == 201:
            sent[str(response.json()["id"])] = begun
        else:
            refused += 1

    poller = asyncio.create_task(poll())
    total = int(rate * seconds)
    async with httpx.AsyncClient(timeout=30, limits=httpx.Limits(max_connections=100)) as client:
        tasks = []
        started = time.perf_counter()
        for i in range(total):
            delay = started + i / rate - time.perf_counter()
            if delay > 0:
                await asyncio.sleep(delay)
            tasks.append(asyncio.create_task(open_one(client)))
        span = time.perf_counter() - started
        await asyncio.gather(*tasks)
        achieved = (total - 1) / span if total > 1 and span > 0 else rate
    settle_until = time.perf_counter() + settle_s
    await poller
    await engine.dispose()
    latencies = [(seen[c] - begun) * 1000 for c, begun in sent.items() if c in seen]
    stored = [seen[c] for c in sent if c in seen]
    completed = len(stored) / (max(stored) - started) if stored else 0.0
    return LatencyResult(rate, total, refused, latencies, http_ms, achieved, completed)


def service_rss_mb(var_dir: Path) -> dict[str, float | None]:
    """Resident memory of each service process (pid files under ``var/run``), MiB."""
    out: dict[str, float | None] = {}
    for name in svc.SERVICES:
        pid = read_pid(var_dir / "run" / f"{name}.pid")
        try:
            out[name] = psutil.Process(pid).memory_info().rss / 2**20 if pid else None
        except psutil.Error:
            out[name] = None
    return out
