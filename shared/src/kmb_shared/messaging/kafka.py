"""Kafka clients of the messaging kernel: the bootstrap list, and the producer the outbox relay and the
dead-letter sender publish with (a :class:`KafkaPublisher` that can recreate itself after any error)."""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Awaitable, Sequence
from typing import Any

from aiokafka import AIOKafkaProducer
from opentelemetry import propagate, trace
from opentelemetry.trace import SpanKind, TracerProvider

from .tables import OutboxMessage

log = logging.getLogger(__name__)

#: aiokafka's default ``max_request_size``
DEFAULT_MAX_REQUEST_SIZE = 1_048_576


def bootstrap_servers(value: str | Sequence[str]) -> list[str]:
    """``"h1:9092, h2:9092"`` (``KMB_KAFKA_BOOTSTRAP``) as the list aiokafka and FastStream expect.

    aiokafka takes one ``host:port`` string or a list; a comma-separated string would be read as one host.
    A client tries the addresses in turn, so a service starts while the first listed broker is down.
    """
    parts = [value] if isinstance(value, str) else list(value)
    servers = [s.strip() for part in parts for s in part.split(",") if s.strip()]
    if not servers:
        raise ValueError(f"no Kafka bootstrap address in {value!r}")
    return servers


class KafkaPublisher:
    """An idempotent producer (``acks=all``) created on first use and recreated by :meth:`reset`.

    An idempotent producer that hit OutOfOrderSequenceNumber, or whose partition leaders moved away while
    its batches expired, stays broken; the only cure is a new producer (a new producer id). The relay
    calls :meth:`reset` after any failed send, then backs off.
    """

    def __init__(
        self,
        bootstrap: str | Sequence[str],
        *,
        client_id: str,
        tracer_provider: TracerProvider | None = None,
        stop_timeout_s: float = 5.0,
        **producer_options: Any,
    ) -> None:
        self.servers = bootstrap_servers(bootstrap)
        self.client_id = client_id
        self.options = {"enable_idempotence": True, "acks": "all", **producer_options}
        self.stop_timeout_s = stop_timeout_s
        self._tracer = (tracer_provider or trace.get_tracer_provider()).get_tracer("kmb_shared.outbox")
        self._producer: AIOKafkaProducer | None = None
        self._lock = asyncio.Lock()
        #: how many producers were created (1 after the first send, +1 per reset that was followed by a send)
        self.generation = 0
        self.resets = 0

    @property
    def max_request_size(self) -> int:
        """The largest record this producer sends (aiokafka refuses a larger one before sending)."""
        return int(self.options.get("max_request_size", DEFAULT_MAX_REQUEST_SIZE))

    async def _ready(self) -> AIOKafkaProducer:
        if self._producer is not None:
            return self._producer
        async with self._lock:
            if self._producer is None:
                producer = AIOKafkaProducer(
                    bootstrap_servers=self.servers, client_id=self.client_id, **self.options
                )
                try:
                    await producer.start()
                except BaseException:
                    with contextlib.suppress(Exception):
                        await producer.stop()
                    raise
                self._producer = producer
                self.generation += 1
            return self._producer

    async def send(self, row: OutboxMessage, headers: dict[str, str]) -> Awaitable[object]:
        """Hand one outbox row to the producer; returns the future of the broker's ack.

        A producer span (child of the request that staged the row) carries its ``traceparent``."""
        producer = await self._ready()
        parent = propagate.extract({"traceparent": row.traceparent}) if row.traceparent else None
        with self._tracer.start_as_current_span(
            f"{row.topic} publish",
            context=parent,
            kind=SpanKind.PRODUCER,
            attributes={
                "messaging.system": "kafka",
                "messaging.destination.name": row.topic,
                "messaging.message.id": row.event_id,
            },
        ):
            carrier: dict[str, str] = {}
            propagate.inject(carrier)
            all_headers = {**headers, **carrier}
            return await producer.send(
                row.topic,
                value=row.payload.encode(),
                key=row.key.encode(),
                headers=[(k, v.encode()) for k, v in all_headers.items()],
            )

    async def publish(self, value: bytes, topic: str, key: bytes | None, headers: dict[str, str]) -> None:
        """Send one record and wait for its ack (dead letters); a failure recreates the producer."""
        try:
            producer = await self._ready()
            await producer.send_and_wait(
                topic, value=value, key=key, headers=[(k, v.encode()) for k, v in headers.items()]
            )
        except asyncio.CancelledError:
            raise
        except Exception:
            await self.reset()
            raise

    async def reset(self) -> None:
        """Drop the producer (its unsent batches fail); the next send creates a new one."""
        async with self._lock:
            producer, self._producer = self._producer, None
            if producer is None:
                return
            self.resets += 1
            log.warning("%s: recreating the Kafka producer", self.client_id)
        await _stop_quietly(producer, self.stop_timeout_s)

    async def stop(self) -> None:
        async with self._lock:
            producer, self._producer = self._producer, None
        if producer is not None:
            await _stop_quietly(producer, self.stop_timeout_s)


async def _stop_quietly(producer: AIOKafkaProducer, timeout_s: float) -> None:
    # A broken producer may wait for its batches to expire; do not let shutdown or a reset hang on it.
    with contextlib.suppress(Exception):
        await asyncio.wait_for(producer.stop(), timeout=timeout_s)
