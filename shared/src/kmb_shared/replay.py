"""Audit by replay: rebuild a service's read models from offset 0 into a fresh store and compare digests.

The live service keeps serving; the rebuild runs in the caller's process against a throw-away SQLite file,
using the service's own migrations and event handlers. Events emitted while rebuilding stay in the fresh
outbox and are never published.
"""

from __future__ import annotations

import asyncio
import gc
import hashlib
import json
import re
import tempfile
import time
from collections.abc import AsyncGenerator, AsyncIterator, Awaitable, Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any
from uuid import UUID

import sqlalchemy as sa
from aiokafka import AIOKafkaConsumer, TopicPartition
from aiokafka.admin import AIOKafkaAdminClient

from kmb_shared.clock import as_utc
from kmb_shared.db import Database, set_sqlite_pragmas
from kmb_shared.messaging import EventConsumer, bootstrap_servers, read_meta
from kmb_shared.messaging.cloudevents import KafkaRecord
from kmb_shared.messaging.security import client_options
from kmb_shared.settings import ServiceSettings

from .runtime import ReadModel, Runtime, ServiceSpec, build_runtime

Progress = Callable[[int, int], None]
_DATETIME_TEXT = re.compile(r"^\d{4}-\d{2}-\d{2}[ T]\d{2}:\d{2}:\d{2}")


def _normal(value: Any) -> Any:
    """One canonical form per value, so SQLite and PostgreSQL rows digest alike."""
    if type(value) is str:  # the common case first: text, JSON text, datetimes as SQLite hands them back
        if value[:1] in "{[" and value:
            try:  # JSON text: compare its content, not its spacing
                return json.loads(value)
            except ValueError:
                return value
        if _DATETIME_TEXT.match(value):
            return as_utc(datetime.fromisoformat(value)).isoformat()
        return value
    if value is None or type(value) is int:
        return value
    if isinstance(value, datetime):
        return as_utc(value).isoformat()
    if isinstance(value, bool):  # SQLite hands booleans back as 0/1
        return int(value)
    if isinstance(value, UUID):  # SQLite stores a Uuid column as 32 hex digits
        return value.hex
    if isinstance(value, date | Decimal):
        return str(value)
    if isinstance(value, bytes):
        return value.hex()
    if isinstance(value, str) and _DATETIME_TEXT.match(value):
        return _normal(datetime.fromisoformat(value))
    if isinstance(value, str) and value[:1] in "{[":
        try:
            return json.loads(value)
        except ValueError:
            return value
    return value


#: one encoder for every digest line (``json.dumps`` with options builds a new one per call)
_canonical = json.JSONEncoder(sort_keys=True, default=str).encode


async def read_model_digest(
    db: Database, read_models: Sequence[ReadModel], until: datetime | None = None
) -> tuple[str, int]:
    """A sha256 over the read models' rows (order-independent) and the number of rows."""
    digest = hashlib.sha256()
    rows_total = 0
    async with db.engine.connect() as conn:
        for model in read_models:
            table = sa.table(model.table, *[sa.column(c) for c in model.columns])
            query = sa.select(*[table.c[c] for c in model.columns])
            if until is not None and model.time_column:
                query = query.where(sa.column(model.time_column) <= until)
            rows = (await conn.execute(query)).all()
            lines = sorted(_canonical(list(map(_normal, row))) for row in rows)
            digest.update(f"{model.table}:{len(lines)}\n".encode())
            for line in lines:
                digest.update(line.encode() + b"\n")
            rows_total += len(lines)
    return digest.hexdigest(), rows_total


@dataclass
class RebuildResult:
    digest: str
    rows: int
    events_read: int
    events_applied: int
    dead_letters: int
    skipped_after_until: int
    #: wall time of each part: the fresh store and its migrations, reading and applying every event,
    #: the digest of the rebuilt read models
    setup_s: float = 0.0
    apply_s: float = 0.0
    digest_s: float = 0.0


async def topic_partitions(bootstrap: str, topics: Sequence[str]) -> list[TopicPartition]:
    admin = AIOKafkaAdminClient(bootstrap_servers=bootstrap_servers(bootstrap), **client_options())
    await admin.start()
    try:
        described = await admin.describe_topics(list(topics))
    finally:
        await admin.close()
    return sorted(
        TopicPartition(t["topic"], p["partition"])
        for t in described
        if not t["error_code"]
        for p in t["partitions"]
    )


#: records per batch of a rebuild: one transaction each
REPLAY_BATCH = 5000
#: bytes one fetch may bring per partition and in all (aiokafka's defaults: 1 MiB and 50 MiB)
FETCH_PARTITION_BYTES = 8 * 2**20
FETCH_BYTES = 64 * 2**20


async def read_to_end(
    bootstrap: str, topics: Sequence[str], *, batch_size: int = 500
) -> AsyncGenerator[tuple[list[Any], int], None]:
    """The records of ``topics`` (those that do not exist are skipped) from offset 0 up to the end
    offsets seen at the start, in batches of at most ``batch_size``, each with the total to read;
    records appended meanwhile are left for the next run. Every partition is fetched at once, in large
    fetches, and the next one is on its way while the caller works on a batch."""
    partitions = await topic_partitions(bootstrap, topics)
    if not partitions:
        return
    reader = AIOKafkaConsumer(
        bootstrap_servers=bootstrap_servers(bootstrap),
        enable_auto_commit=False,
        max_partition_fetch_bytes=FETCH_PARTITION_BYTES,
        fetch_max_bytes=FETCH_BYTES,
        **client_options(),
    )
    await reader.start()
    try:
        reader.assign(partitions)
        await reader.seek_to_beginning(*partitions)
        ends = await reader.end_offsets(partitions)
        starts = await reader.beginning_offsets(partitions)
        total = sum(ends[tp] - starts[tp] for tp in partitions)
        remaining = {tp for tp in partitions if ends[tp] > starts[tp]}
        while remaining:
            batch = await reader.getmany(*remaining, timeout_ms=1000, max_records=batch_size)
            records: list[Any] = []
            for tp, read in batch.items():
                for record in read:
                    if record.offset >= ends[tp]:
                        remaining.discard(tp)
                        break
                    records.append(record)
                if await reader.position(tp) >= ends[tp]:
                    remaining.discard(tp)
            yield records, total
    finally:
        await reader.stop()


#: no fsync per commit; the rollback journal in memory (a failed batch still rolls back), no write-ahead
#: log to checkpoint; a 64 MiB page cache
_FAST_SQLITE = ("synchronous=OFF", "journal_mode=MEMORY", "cache_size=-65536")


def _event_time(record: KafkaRecord) -> datetime | None:
    try:
        meta = read_meta(record)
    except ValueError:
        return None
    text = meta.time
    if not text:  # no ce_time header: fall back to the event's own time
        try:
            text = json.loads(record.value or b"{}").get("occurred_at")
        except (ValueError, AttributeError):
            return None
    if not text:
        return None
    return as_utc(datetime.fromisoformat(text))


async def rebuild(
    spec: ServiceSpec,
    settings: ServiceSettings,
    *,
    until: datetime | None = None,
    progress: Progress | None = None,
    workdir: Path | None = None,
) -> RebuildResult:
    """Replay every subscribed topic from offset 0 (up to the end offsets seen at start) into a fresh store."""
    if not spec.handlers or not spec.subscribes:
        raise ValueError(f"{spec.name} consumes no events: it has no read models to rebuild")
    with _few_collections():
        return await _rebuild(spec, settings, until, progress, workdir)


@contextmanager
def _few_collections() -> Iterator[None]:
    """Fewer runs of the cyclic garbage collector while rebuilding: each batch allocates some hundred
    thousand objects (records, events, rows) that reference counting frees, yet every 700 allocations
    started a collection, and the full ones walked everything the process holds (half of a rebuild's
    time). The objects from before are frozen out of the walk; the old settings come back after."""
    thresholds = gc.get_threshold()
    gc.freeze()
    gc.set_threshold(100_000, 50, 1000)
    try:
        yield
    finally:
        gc.set_threshold(*thresholds)
        gc.unfreeze()


async def _rebuild(
    spec: ServiceSpec,
    settings: ServiceSettings,
    until: datetime | None,
    progress: Progress | None,
    workdir: Path | None,
) -> RebuildResult:
    assert spec.handlers is not None
    started = time.perf_counter()
    folder = Path(tempfile.mkdtemp(prefix=f"kmb-replay-{spec.name}-", dir=workdir))
    fresh = settings.model_copy(update={"database_url": f"sqlite+aiosqlite:///{folder / 'rebuilt.db'}"})
    runtime = build_runtime(spec, fresh)
    # A throw-away file: no fsync per commit (it is deleted if the machine stops anyway).
    set_sqlite_pragmas(runtime.db.engine, *_FAST_SQLITE)
    topics = [runtime.topics.context(c) for c in spec.subscribes]
    batches = read_to_end(settings.kafka_bootstrap, topics, batch_size=REPLAY_BATCH)
    # The reader connects, looks up the offsets and fetches while the fresh store is migrated.
    first = asyncio.ensure_future(anext(batches, None))
    try:
        await runtime.db.migrate(spec.migrations)
        return await _apply_all(spec, runtime, _chained(first, batches), until, progress, started)
    finally:
        if not first.done():
            first.cancel()
        await batches.aclose()


async def _chained(
    first: Awaitable[tuple[list[Any], int] | None], rest: AsyncIterator[tuple[list[Any], int]]
) -> AsyncIterator[tuple[list[Any], int]]:
    head = await first
    if head is None:
        return
    yield head
    async for batch in rest:
        yield batch


async def _apply_all(
    spec: ServiceSpec,
    runtime: Runtime,
    batches: AsyncIterator[tuple[list[Any], int]],
    until: datetime | None,
    progress: Progress | None,
    started: float,
) -> RebuildResult:
    assert spec.handlers is not None
    dead: list[str] = []

    async def keep_dead_letter(record: KafkaRecord, exc: BaseException, stage: str, attempts: int) -> None:
        dead.append(f"{record.topic}[{record.partition}]@{record.offset}: {exc}")

    # The fresh store's inbox is a set of event ids in memory: the store is thrown away after the digest
    # and nothing reads its inbox, so rows would only cost time; a redelivered event is dropped the same.
    consumer = EventConsumer(
        name=spec.name,
        db=runtime.db,
        outbox=runtime.outbox,
        handlers=spec.handlers(runtime),
        dead_letter=keep_dead_letter,
        retries=0,
        remember_in_memory=True,
    )
    read = skipped = 0
    applying = time.perf_counter()
    # One batch is written (SQLite works in its own thread) while the next is fetched and validated.
    writing: asyncio.Task[None] | None = None
    try:
        async for records, total in batches:
            wanted = records
            if until is not None:
                wanted = []
                for record in records:
                    moment = _event_time(record)
                    if moment is not None and moment > until:
                        skipped += 1
                    else:
                        wanted.append(record)
            prepared = await consumer.prepare_batch(wanted)
            if writing is not None:
                await writing
                if progress:
                    progress(read, total)
            read += len(records)
            writing = asyncio.create_task(consumer.apply_batch(prepared))
        if writing is not None:
            await writing
            if progress:
                progress(read, total)
    finally:
        if writing is not None and not writing.done():
            writing.cancel()
    digesting = time.perf_counter()
    digest, rows = await read_model_digest(runtime.db, spec.read_models, until)
    await runtime.db.dispose()
    done = time.perf_counter()
    return RebuildResult(
        digest,
        rows,
        read,
        consumer.applied,
        len(dead),
        skipped,
        setup_s=applying - started,
        apply_s=digesting - applying,
        digest_s=done - digesting,
    )
