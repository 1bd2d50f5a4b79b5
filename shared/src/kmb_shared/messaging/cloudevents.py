"""CloudEvents 1.0 in Kafka binary mode: the event data is the value, attributes are ``ce_`` headers."""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any, Protocol
from uuid import uuid4

from pydantic import ValidationError

from kmb_shared.contracts import IntegrationEvent
from kmb_shared.contracts import registry as contracts

SPEC_VERSION = "1.0"
CONTENT_TYPE = "application/json"
REQUIRED = ("ce_id", "ce_source", "ce_specversion", "ce_type")


class MalformedEvent(ValueError):
    """A record that is not a valid KMB CloudEvent (goes to the dead-letter topic at once)."""


class KafkaRecord(Protocol):
    topic: str
    partition: int
    offset: int
    key: bytes | None
    value: bytes | None
    headers: Any


@dataclass(frozen=True)
class EventMeta:
    """The envelope of a consumed event: CloudEvents attributes plus where it was read from."""

    id: str
    type: str
    source: str
    time: str | None
    subject: str | None
    topic: str
    partition: int
    offset: int
    traceparent: str | None = None


def new_event_id() -> str:
    return str(uuid4())


def serialize(event: IntegrationEvent) -> bytes:
    return event.model_dump_json().encode()


def header_text(raw: object) -> str:
    """A header value as text that never fails: invalid UTF-8 bytes as ``\\xNN`` escapes, null as ``""``."""
    if raw is None:
        return ""
    if isinstance(raw, (bytes, bytearray, memoryview)):
        return bytes(raw).decode("utf-8", errors="backslashreplace")
    return str(raw)


def record_headers(record: KafkaRecord) -> dict[str, str]:
    return {name: header_text(raw) for name, raw in record.headers or ()}


def header_faults(record: KafkaRecord) -> list[str]:
    """What makes the record's headers unreadable as CloudEvents attributes: a null value or bytes that
    are not UTF-8 (``["trace: null", "ce_id: not UTF-8"]``); empty when every header is text."""
    faults: list[str] = []
    for name, raw in record.headers or ():
        if raw is None:
            faults.append(f"{name}: null")
        elif isinstance(raw, (bytes, bytearray, memoryview)):
            try:
                bytes(raw).decode("utf-8")
            except UnicodeDecodeError:
                faults.append(f"{name}: not UTF-8")
    return faults


def read_meta(record: KafkaRecord) -> EventMeta:
    """The record's CloudEvents attributes, its headers read once; anything unusual (a header that is not
    UTF-8 bytes, a missing or empty attribute, another spec version) is judged by :func:`_checked_headers`,
    which says exactly what is wrong."""
    h: dict[str, str] = {}
    try:
        for name, raw in record.headers or ():
            h[name] = raw.decode()  # None, str or memoryview have no .decode(): the careful path
    except (AttributeError, UnicodeDecodeError):
        h = _checked_headers(record)
    if not all(h.get(name) for name in REQUIRED) or h["ce_specversion"] != SPEC_VERSION:
        h = _checked_headers(record)
    return EventMeta(
        id=h["ce_id"],
        type=h["ce_type"],
        source=h["ce_source"],
        time=h.get("ce_time"),
        subject=h.get("ce_subject"),
        topic=record.topic,
        partition=record.partition,
        offset=record.offset,
        traceparent=h.get("traceparent"),
    )


def _checked_headers(record: KafkaRecord) -> dict[str, str]:
    """The headers of a record that need a closer look, as text; raises what is wrong with them."""
    if faults := header_faults(record):
        raise MalformedEvent(f"headers that are not UTF-8 text: {', '.join(faults)}")
    h = record_headers(record)
    missing = [name for name in REQUIRED if not h.get(name)]
    if missing:
        raise MalformedEvent(f"missing CloudEvents headers: {', '.join(missing)}")
    if h["ce_specversion"] != SPEC_VERSION:
        raise MalformedEvent(f"unsupported ce_specversion {h['ce_specversion']!r}")
    return h


def read_event(meta: EventMeta, record: KafkaRecord) -> IntegrationEvent:
    """Validate the record's data against the contract named by ``ce_type`` (upcasting old versions).

    A current type is validated straight from the bytes (pydantic's JSON parser, no ``json.loads``);
    old versions and anything that fails go through :func:`_loaded_event`, which upcasts and says why
    a record is refused."""
    try:
        model = contracts.model_for(meta.type)
        return model.model_validate_json(record.value or b"")
    except (contracts.UnknownEventType, ValidationError, ValueError):
        return _loaded_event(meta, record)


def _loaded_event(meta: EventMeta, record: KafkaRecord) -> IntegrationEvent:
    """The data as JSON, upcast to the current version and validated; or why it cannot be."""
    try:
        data = json.loads(record.value or b"")
    except (json.JSONDecodeError, UnicodeDecodeError) as exc:
        raise MalformedEvent(f"data is not JSON: {exc}") from exc
    if not isinstance(data, dict):
        raise MalformedEvent("data is not a JSON object")
    try:
        return contracts.load(meta.type, data)
    except contracts.UnknownEventType as exc:
        raise MalformedEvent(f"unknown event type {meta.type}") from exc
    except ValidationError as exc:
        raise MalformedEvent(f"{meta.type} failed validation: {exc}") from exc
