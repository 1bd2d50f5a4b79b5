"""The history of one case from Kafka alone: every event about it on the context topics, in event order."""

from __future__ import annotations

import json
import re
from collections.abc import Iterable
from dataclasses import asdict, dataclass
from datetime import UTC, datetime
from typing import Any
from uuid import UUID

from kmb_shared.messaging.cloudevents import KafkaRecord, record_headers

from .summaries import summarize

CASE_NUMBER = re.compile(r"^KMB-\d{4}-\d{5}$")
CASE_OPENED = "kmb.intake.case_opened.v1"
_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)


class CaseNotFound(LookupError):
    """The reference is neither a case id nor the number of a case opened on these topics."""


@dataclass(frozen=True)
class AuditEntry:
    time: datetime
    event_type: str
    actor_user: str | None
    organisation: str | None
    summary: str
    trace_id: str | None
    event_id: str | None
    topic: str
    partition: int
    offset: int

    def as_json(self) -> dict[str, Any]:
        data = asdict(self)
        data["time"] = self.time.isoformat()
        return data


@dataclass(frozen=True)
class _Parsed:
    record: KafkaRecord
    headers: dict[str, str]
    data: dict[str, Any]

    @property
    def event_type(self) -> str:
        return self.headers.get("ce_type", "?")

    @property
    def case_id(self) -> str | None:
        value = self.data.get("case_id")
        return str(value).lower() if value else None


def _parse(record: KafkaRecord) -> _Parsed:
    try:
        data = json.loads(record.value or b"")
    except (ValueError, UnicodeDecodeError):
        data = None
    return _Parsed(record, record_headers(record), data if isinstance(data, dict) else {})


def trace_id(traceparent: str | None) -> str | None:
    """The trace id of a W3C ``traceparent`` (``00-<32 hex>-<16 hex>-<flags>``)."""
    parts = (traceparent or "").split("-")
    return parts[1] if len(parts) == 4 and len(parts[1]) == 32 else None


def _moment(text: object) -> datetime | None:
    if not isinstance(text, str) or not text:
        return None
    try:
        moment = datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        return None
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def _event_time(p: _Parsed) -> datetime:
    """``ce_time``, else the data's ``occurred_at``, else the broker's timestamp."""
    moment = _moment(p.headers.get("ce_time")) or _moment(p.data.get("occurred_at"))
    if moment is not None:
        return moment
    stamp = getattr(p.record, "timestamp_ms", None) or getattr(p.record, "timestamp", None)
    return datetime.fromtimestamp(stamp / 1000, UTC) if isinstance(stamp, int) else _EPOCH


def resolve_case_id(parsed: Iterable[_Parsed], case_ref: str) -> str:
    """A case id (UUID) as given, or the id of the case whose ``CaseOpened`` carries that number."""
    ref = case_ref.strip()
    if CASE_NUMBER.match(ref.upper()):
        number = ref.upper()
        for p in parsed:
            if p.event_type == CASE_OPENED and p.data.get("case_number") == number and p.case_id:
                return p.case_id
        raise CaseNotFound(
            f"Případ {number} nebyl na tématech nalezen (žádná událost CaseOpened s tímto číslem)."
        )
    try:
        return str(UUID(ref))
    except ValueError:
        raise CaseNotFound(f"{ref!r} není číslo případu (KMB-RRRR-NNNNN) ani id případu (UUID).") from None


def timeline(records: Iterable[KafkaRecord], case_ref: str) -> list[AuditEntry]:
    """Every event about the case (``ce_subject`` or the data's ``case_id`` is its id, and the contact that
    its ``CaseOpened`` names), each event id once
    (a re-published copy is dropped), ordered by event time, then topic, partition and offset."""
    parsed = [_parse(r) for r in records]
    case_id = resolve_case_id(parsed, case_ref)
    # the contact at which the case was opened was recorded before the case existed: CaseOpened names it
    subjects = {case_id} | {
        str(p.data["contact_id"]).lower()
        for p in parsed
        if p.event_type == CASE_OPENED and p.case_id == case_id and p.data.get("contact_id")
    }
    about = [
        p for p in parsed if (p.headers.get("ce_subject") or "").lower() in subjects or p.case_id == case_id
    ]
    about.sort(key=lambda p: (_event_time(p), p.record.topic, p.record.partition, p.record.offset))
    seen: set[str] = set()
    entries = []
    for p in about:
        event_id = p.headers.get("ce_id")
        if event_id:
            if event_id in seen:
                continue
            seen.add(event_id)
        actor = p.data.get("actor")
        actor = actor if isinstance(actor, dict) else {}
        entries.append(
            AuditEntry(
                time=_event_time(p),
                event_type=p.event_type,
                actor_user=actor.get("user_id"),
                organisation=actor.get("organisation"),
                summary=summarize(p.event_type, p.data),
                trace_id=trace_id(p.headers.get("traceparent")),
                event_id=event_id,
                topic=p.record.topic,
                partition=p.record.partition,
                offset=p.record.offset,
            )
        )
    return entries
