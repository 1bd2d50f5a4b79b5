"""The dead-letter topic: list what failed, and replay a record to its original topic once it is fixed.

Replays are recorded in a small JSON ledger (``var/dlq-replayed.json``) keyed by the dead letter's
topic, partition and offset, so `kmb dlq list` shows what was replayed and `kmb dlq replay` refuses to
replay the same dead letter twice. Nothing is written to Kafka for the ledger. Should a replay be
acknowledged but the ledger not written (a crash in between), replaying again is still harmless: the
consumers' inbox ignores an event id it has already applied.
"""

from __future__ import annotations

import json
import os
from dataclasses import asdict, dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from aiokafka import AIOKafkaProducer

from kmb_shared.messaging.cloudevents import KafkaRecord, record_headers
from kmb_shared.messaging.dlq import DLQ_PREFIX
from kmb_shared.messaging.kafka import bootstrap_servers
from kmb_shared.messaging.security import client_options

from .kafka_io import Record

LEDGER_FILE = "dlq-replayed.json"


class DlqError(RuntimeError):
    """A replay that cannot be done (unknown reference, already replayed, no original topic)."""


@dataclass(frozen=True)
class DlqEntry:
    ref: str
    partition: int
    offset: int
    dead_lettered_at: str | None
    service: str | None
    original_topic: str | None
    original_partition: int | None
    original_offset: int | None
    stage: str | None
    error: str | None
    reason: str | None
    attempts: int | None
    event_type: str | None
    event_id: str | None
    replayed: dict[str, Any] | None

    def as_json(self) -> dict[str, Any]:
        return asdict(self)


def _int(text: str | None) -> int | None:
    try:
        return int(text) if text is not None else None
    except ValueError:
        return None


def ledger_key(topic: str, partition: int, offset: int) -> str:
    return f"{topic}:{partition}:{offset}"


def load_ledger(path: Path) -> dict[str, dict[str, Any]]:
    if not path.exists():
        return {}
    data = json.loads(path.read_text(encoding="utf-8") or "{}")
    return data if isinstance(data, dict) else {}


def _save_ledger(path: Path, ledger: dict[str, dict[str, Any]]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(".tmp")
    tmp.write_text(json.dumps(ledger, indent=2, sort_keys=True), encoding="utf-8")
    os.replace(tmp, path)


def entries(records: list[Record], ledger: dict[str, dict[str, Any]]) -> list[DlqEntry]:
    """The dead letters in the order they were written per partition (by time across partitions)."""
    out = []
    for record in records:
        h = record_headers(record)
        out.append(
            DlqEntry(
                ref=f"{record.partition}:{record.offset}",
                partition=record.partition,
                offset=record.offset,
                dead_lettered_at=h.get(f"{DLQ_PREFIX}time"),
                service=h.get(f"{DLQ_PREFIX}service"),
                original_topic=h.get(f"{DLQ_PREFIX}topic"),
                original_partition=_int(h.get(f"{DLQ_PREFIX}partition")),
                original_offset=_int(h.get(f"{DLQ_PREFIX}offset")),
                stage=h.get(f"{DLQ_PREFIX}stage"),
                error=h.get(f"{DLQ_PREFIX}error"),
                reason=h.get(f"{DLQ_PREFIX}reason"),
                attempts=_int(h.get(f"{DLQ_PREFIX}attempts")),
                event_type=h.get("ce_type"),
                event_id=h.get("ce_id"),
                replayed=ledger.get(ledger_key(record.topic, record.partition, record.offset)),
            )
        )
    out.sort(key=lambda e: (e.dead_lettered_at or "", e.partition, e.offset))
    return out


def parse_ref(ref: str) -> tuple[int | None, int]:
    """``"1:17"`` (partition 1, offset 17) or ``"17"`` (offset 17 in whichever partition has it)."""
    partition, _, offset = ref.strip().rpartition(":")
    try:
        return (int(partition) if partition else None), int(offset)
    except ValueError:
        raise DlqError(f"{ref!r}: čekám offset, nebo oddíl:offset (např. 1:17)") from None


def find(records: list[Record], ref: str) -> Record:
    partition, offset = parse_ref(ref)
    found = [r for r in records if r.offset == offset and partition in (None, r.partition)]
    if not found:
        raise DlqError(f"Na dead-letter tématu není záznam {ref}.")
    if len(found) > 1:
        refs = ", ".join(f"{r.partition}:{r.offset}" for r in found)
        raise DlqError(f"Offset {offset} je ve více oddílech ({refs}); uveďte oddíl:offset.")
    return found[0]


def original_headers(record: KafkaRecord) -> list[tuple[str, bytes]]:
    """The record's headers without the ``kmb_dlq_*`` ones, raw bytes as they were."""
    return [
        (name, bytes(value or b"")) for name, value in record.headers or () if not name.startswith(DLQ_PREFIX)
    ]


@dataclass(frozen=True)
class Replayed:
    ref: str
    topic: str
    partition: int
    offset: int
    event_id: str | None


async def replay(bootstrap: str, record: Record, ledger_path: Path, *, force: bool = False) -> Replayed:
    """Publish the dead letter's original value, key and headers to its original topic (idempotent
    producer, acknowledged by all in-sync replicas), then record it in the ledger."""
    key = ledger_key(record.topic, record.partition, record.offset)
    ledger = load_ledger(ledger_path)
    if key in ledger and not force:
        before = ledger[key]
        raise DlqError(
            f"Záznam {record.partition}:{record.offset} už byl znovu odeslán {before.get('replayed_at')} "
            f"do {before.get('topic')}[{before.get('partition')}]@{before.get('offset')} (--force pošle znovu)."
        )
    h = record_headers(record)
    topic = h.get(f"{DLQ_PREFIX}topic")
    if not topic:
        raise DlqError(f"Záznam {record.partition}:{record.offset} nemá hlavičku {DLQ_PREFIX}topic.")
    if h.get(f"{DLQ_PREFIX}truncated"):
        # A copy cut to fit the size limit is not the event; the whole one is still on its topic.
        raise DlqError(
            f"Záznam {record.partition}:{record.offset} je zkrácená kopie (příliš velká událost); celá je "
            f"v {topic}[{h.get(f'{DLQ_PREFIX}partition')}]@{h.get(f'{DLQ_PREFIX}offset')}."
        )
    producer = AIOKafkaProducer(
        bootstrap_servers=bootstrap_servers(bootstrap),
        enable_idempotence=True,
        acks="all",
        **client_options(),
    )
    await producer.start()
    try:
        meta = await producer.send_and_wait(
            topic, value=record.value, key=record.key, headers=original_headers(record)
        )
    finally:
        await producer.stop()
    done = Replayed(f"{record.partition}:{record.offset}", topic, meta.partition, meta.offset, h.get("ce_id"))
    ledger[key] = {
        "replayed_at": datetime.now(UTC).isoformat(),
        "topic": done.topic,
        "partition": done.partition,
        "offset": done.offset,
        "event_id": done.event_id,
    }
    _save_ledger(ledger_path, ledger)
    return done
