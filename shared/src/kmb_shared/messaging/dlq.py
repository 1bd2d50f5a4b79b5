"""The dead-letter topic: a failed event is copied there with headers naming what went wrong."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from datetime import UTC, datetime

from .cloudevents import KafkaRecord, record_headers

DLQ_PREFIX = "kmb_dlq_"

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
    return headers


def dead_letter_sender(service: str, dlq_topic: str, publish: PublishFn) -> Callable[..., Awaitable[None]]:
    """Build the function the consumer calls; ``publish`` must wait for the broker's ack."""

    async def send(record: KafkaRecord, exc: BaseException, stage: str, attempts: int) -> None:
        headers = dead_letter_headers(record, exc, service=service, stage=stage, attempts=attempts)
        await publish(record.value or b"", dlq_topic, record.key, headers)

    return send
