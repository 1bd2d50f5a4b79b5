"""The dead-letter topic: a failed event is copied there with headers naming what went wrong.

A copy always fits the producer's ``max_request_size``: an event near Kafka's size limit plus the
``kmb_dlq_*`` headers would not, and a dead letter that can never be sent would be retried forever and
stall its partition. So an oversized copy keeps the prefix of the value that fits and says so
(``kmb_dlq_truncated``, with the original size and SHA-256); the full record stays on its original topic
(kept forever), at the ``kmb_dlq_topic`` / ``kmb_dlq_partition`` / ``kmb_dlq_offset`` the copy names. If
the broker still refuses the copy as too large (a DLQ topic with a smaller ``max.message.bytes``), a
pointer-only copy (no value, only the envelope and the ``kmb_dlq_*`` headers) is sent instead.
"""

from __future__ import annotations

import hashlib
import logging
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime

from aiokafka.errors import MessageSizeTooLargeError
from aiokafka.record.default_records import DefaultRecordBatchBuilder

from .cloudevents import KafkaRecord, header_faults, record_headers
from .kafka import DEFAULT_MAX_REQUEST_SIZE

log = logging.getLogger(__name__)

DLQ_PREFIX = "kmb_dlq_"
#: an original header value or key longer than this is cut when the copy would not fit otherwise
LONG_HEADER_BYTES = 1024
#: original headers kept in a pointer-only copy
ENVELOPE = ("ce_id", "ce_type", "ce_source", "ce_subject", "ce_time", "ce_specversion", "traceparent")

PublishFn = Callable[[bytes, str, bytes | None, dict[str, str]], Awaitable[object]]


def dead_letter_headers(
    record: KafkaRecord, exc: BaseException, *, service: str, stage: str, attempts: int
) -> dict[str, str]:
    headers = {k: v for k, v in record_headers(record).items() if not k.startswith(DLQ_PREFIX)}
    headers.update(
        {
            f"{DLQ_PREFIX}error": type(exc).__name__,
            f"{DLQ_PREFIX}reason": str(exc)[:2000],
            f"{DLQ_PREFIX}stage": stage,
            f"{DLQ_PREFIX}attempts": str(attempts),
            f"{DLQ_PREFIX}service": service,
            f"{DLQ_PREFIX}topic": record.topic,
            f"{DLQ_PREFIX}partition": str(record.partition),
            f"{DLQ_PREFIX}offset": str(record.offset),
            f"{DLQ_PREFIX}time": datetime.now(UTC).isoformat(),
        }
    )
    if faults := header_faults(record):
        # The copy's headers are text (a bad value as \xNN escapes, a null one empty); this says which.
        headers[f"{DLQ_PREFIX}header_faults"] = ", ".join(faults)[:2000]
    return headers


def record_size(key: bytes | None, value: bytes | None, headers: dict[str, str]) -> int:
    """The size aiokafka's producer checks against ``max_request_size`` (its own upper bound)."""
    return DefaultRecordBatchBuilder.estimate_size_in_bytes(
        key, value, [(k, v.encode()) for k, v in headers.items()]
    )


def fit_dead_letter(
    key: bytes | None, value: bytes, headers: dict[str, str], max_bytes: int
) -> tuple[bytes | None, bytes, dict[str, str]]:
    """The copy as it is if it fits ``max_bytes``; otherwise the value cut to what fits, named in
    ``kmb_dlq_truncated`` with its original size and digest (and, should the key or the original headers
    alone not leave room, those cut to :data:`LONG_HEADER_BYTES` too)."""
    if record_size(key, value, headers) <= max_bytes:
        return key, value, headers
    headers = {**headers, **_original(value)}
    cut = ["value"]
    headers[f"{DLQ_PREFIX}truncated"] = ",".join(cut)
    if record_size(key, b"", headers) > max_bytes:
        for name, text in list(headers.items()):
            if not name.startswith(DLQ_PREFIX) and len(text.encode()) > LONG_HEADER_BYTES:
                headers[name] = text.encode()[:LONG_HEADER_BYTES].decode("utf-8", errors="ignore")
                cut.append(f"header:{name}")
        if key is not None and len(key) > LONG_HEADER_BYTES:
            key = key[:LONG_HEADER_BYTES]
            cut.append("key")
        headers[f"{DLQ_PREFIX}truncated"] = ",".join(cut)
    # The value's length prefix is a varint of at most 5 bytes; the rest of the size is fixed by now.
    room = max_bytes - record_size(key, b"", headers) - 5
    return key, value[: max(room, 0)], headers


def _original(value: bytes) -> dict[str, str]:
    return {
        f"{DLQ_PREFIX}original_size": str(len(value)),
        f"{DLQ_PREFIX}original_sha256": hashlib.sha256(value).hexdigest(),
    }


def pointer_only(value: bytes, headers: dict[str, str]) -> dict[str, str]:
    """The headers of the smallest useful copy (sent without a value): where the original is, why it
    failed, its size and digest."""
    kept = {k: v[:LONG_HEADER_BYTES] for k, v in headers.items() if k in ENVELOPE or k.startswith(DLQ_PREFIX)}
    kept.update(_original(value))
    kept[f"{DLQ_PREFIX}truncated"] = "value,headers"
    return kept


def dead_letter_sender(
    service: str, dlq_topic: str, publish: PublishFn, *, max_bytes: int = DEFAULT_MAX_REQUEST_SIZE
) -> Callable[..., Awaitable[None]]:
    """Build the function the consumer calls; ``publish`` must wait for the broker's ack.

    ``max_bytes`` is the ``max_request_size`` of the producer behind ``publish``."""

    async def send(record: KafkaRecord, exc: BaseException, stage: str, attempts: int) -> None:
        headers = dead_letter_headers(record, exc, service=service, stage=stage, attempts=attempts)
        original = record.value or b""
        key, value, headers = fit_dead_letter(record.key, original, headers, max_bytes)
        try:
            await publish(value, dlq_topic, key, headers)
        except MessageSizeTooLargeError:
            log.warning(
                "%s: the broker refused the dead letter of %s[%d]@%d as too large; sending a pointer",
                service,
                record.topic,
                record.partition,
                record.offset,
            )
            await publish(
                b"", dlq_topic, key[:LONG_HEADER_BYTES] if key else key, pointer_only(original, headers)
            )

    return send
