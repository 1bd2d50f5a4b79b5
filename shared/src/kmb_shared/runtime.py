"""What one running service owns (:class:`Runtime`), what makes a service itself (:class:`ServiceSpec`),
and ``build_runtime``: the broker with its publishers and the inbox consumer, the database, the outbox
and its relay. Nothing is created at import time.
"""

from __future__ import annotations

import asyncio
import dataclasses
import logging
from collections.abc import AsyncIterator, Awaitable, Callable, Coroutine, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, cast

from aiokafka import ConsumerRecord
from fastapi import APIRouter, Depends, Request
from faststream.kafka import KafkaBroker, KafkaMessage
from faststream.kafka.opentelemetry import KafkaTelemetryMiddleware
from faststream.middlewares import AckPolicy
from opentelemetry.sdk.trace import TracerProvider
from sqlmodel.ext.asyncio.session import AsyncSession

from kmb_shared.contracts import IntegrationEvent
from kmb_shared.db import Database
from kmb_shared.errors import Localizer, localize
from kmb_shared.messaging import (
    EventConsumer,
    Handler,
    Outbox,
    OutboxRelay,
    Topics,
    dead_letter_sender,
)
from kmb_shared.messaging.cloudevents import header_text
from kmb_shared.messaging.flows import check_spec
from kmb_shared.messaging.kafka import KafkaPublisher, bootstrap_servers
from kmb_shared.settings import ServiceSettings
from kmb_shared.telemetry import build_tracer_provider

log = logging.getLogger(__name__)


@dataclass
class Runtime:
    """Everything one running service owns; reachable from routes as ``request.app.state.runtime``."""

    settings: ServiceSettings
    db: Database
    broker: KafkaBroker
    topics: Topics
    outbox: Outbox
    relay: OutboxRelay
    tracer_provider: TracerProvider
    consumer: EventConsumer | None = None
    #: the producer of the relay and the dead-letter sender (None when a test wires its own send)
    publisher: KafkaPublisher | None = None
    #: why the brokers refuse this service's credentials (one line; None while they accept them)
    kafka_refusal: str | None = None
    #: how many times the service has tried to reach the brokers since it started
    kafka_connect_attempts: int = 0

    async def commit(self, session: AsyncSession) -> None:
        """Commit a unit of work and wake the outbox relay so staged events leave at once."""
        await session.commit()
        self.relay.wake()

    async def close(self) -> None:
        """Stop what :func:`build_runtime` created: the relay's producer, the broker, the database
        engine and the tracer (for tools that use a runtime without the service's lifespan)."""
        if self.publisher is not None:
            await self.publisher.stop()
        await self.broker.stop()
        await self.db.dispose()
        self.tracer_provider.shutdown()


@dataclass(frozen=True)
class ReadModel:
    """A table (or part of one) that this service builds only from consumed events.

    ``kmb replay`` rebuilds it from offset 0 into a fresh store and compares a digest of ``columns``
    with the live one. So the handlers that write it must be deterministic functions of the event:
    ids derived from the event (e.g. ``uuid5(NAMESPACE_URL, event id)``), times from ``occurred_at``.
    ``time_column`` (the event time of each row) lets ``--until`` compare the state as it was then.
    """

    table: str
    columns: Sequence[str]
    time_column: str | None = None


@dataclass
class ServiceSpec:
    """What makes a service itself; the rest is the same for all five."""

    name: str
    title: str
    migrations: Path
    routers: Sequence[APIRouter] = ()
    description: str = ""
    #: contexts whose topics this service consumes (e.g. ``["intake"]``)
    subscribes: Sequence[str] = ()
    #: consumed event types and their handlers, built once the runtime exists
    handlers: Callable[[Runtime], Mapping[type[IntegrationEvent], Handler]] | None = None
    #: event types this service publishes (documented in its AsyncAPI document)
    publishes: Sequence[type[IntegrationEvent]] = ()
    #: tables built only from consumed events, rebuilt and compared by ``kmb replay``
    read_models: Sequence[ReadModel] = ()
    #: run after migrations, before consumers start (e.g. seed reference data)
    on_startup: Sequence[Callable[[Runtime], Awaitable[None]]] = ()
    #: turns request validation errors into ``{field, code, message_cs, message_en}`` items
    localizer: Localizer = localize
    #: long-running tasks (e.g. a deadline checker), cancelled on shutdown
    background: Sequence[Callable[[Runtime], Coroutine[Any, Any, None]]] = ()


def get_runtime(request: Request) -> Runtime:
    return cast(Runtime, request.app.state.runtime)


async def get_session(request: Request) -> AsyncIterator[AsyncSession]:
    async with get_runtime(request).db.session() as session:
        yield session


RuntimeDep = Depends(get_runtime)
SessionDep = Depends(get_session)


def _raw_body(msg: Any) -> Any:
    # Keep the bytes as they came: the inbox consumer validates them against the contract itself.
    return msg.body


async def parse_record(record: ConsumerRecord[Any, Any], default: Callable[[Any], Awaitable[Any]]) -> Any:
    """FastStream's Kafka parser, made total: it decodes every header value as UTF-8 and fails on a null
    or non-UTF-8 one, before any handler or ack policy runs — FastStream then logs it at CRITICAL and the
    consumer moves past the record, which is lost. Here the parser sees text headers (``header_text``)
    and the message keeps the record as it came, so the inbox consumer finds the bad headers and sends the
    record to the dead-letter topic."""
    readable = dataclasses.replace(
        record, headers=tuple((name, header_text(raw).encode()) for name, raw in record.headers or ())
    )
    message = await default(readable)
    message.raw_message = record
    return message


def build_runtime(spec: ServiceSpec, settings: ServiceSettings) -> Runtime:
    check_spec(spec.name, tuple(spec.subscribes), tuple(e.context() for e in spec.publishes))
    tracer_provider = build_tracer_provider(spec.name, settings.otel_exporter, settings.otel_endpoint)
    servers = bootstrap_servers(settings.kafka_bootstrap)
    broker = KafkaBroker(
        servers,
        client_id=f"kmb-{spec.name}",
        # "Received"/"Processed" for every message only at DEBUG: at INFO they cost more than the handler.
        log_level=logging.DEBUG,
        # the service's own logger, not FastStream's (which writes to stdout by its own handler): its
        # lines go where the process's logging goes (a rotated file under `kmb up`)
        logger=logging.getLogger(f"kmb_{spec.name}.broker"),
        enable_idempotence=True,
        acks="all",
        security=settings.faststream_security(),
        middlewares=[KafkaTelemetryMiddleware(tracer_provider=tracer_provider)],
        description=spec.description or spec.title,
    )
    topics = Topics(settings.topic_prefix)
    db = Database(settings.resolved_database_url)
    outbox = Outbox(spec.name, topics)

    # The relay and the dead-letter sender publish with their own producer, which they can recreate
    # after an error (a broken idempotent producer stays broken); FastStream's serves the subscribers.
    publisher = KafkaPublisher(
        servers,
        client_id=f"kmb-{spec.name}-outbox",
        tracer_provider=tracer_provider,
        **settings.client_options(),
    )
    relay = OutboxRelay(
        db, publisher, interval=settings.relay_interval_s, max_backoff=settings.relay_max_backoff_s
    )
    runtime = Runtime(settings, db, broker, topics, outbox, relay, tracer_provider, publisher=publisher)

    for event_cls in spec.publishes:
        broker.publisher(
            topics.for_event(event_cls),
            title=f"{event_cls.event_type}",
            description=(event_cls.__doc__ or "").strip() or None,
            schema=event_cls,
        )

    if spec.handlers and spec.subscribes:
        consumer = EventConsumer(
            name=spec.name,
            db=db,
            outbox=outbox,
            handlers=spec.handlers(runtime),
            dead_letter=dead_letter_sender(
                spec.name, topics.dlq, publisher.publish, max_bytes=publisher.max_request_size
            ),
            retries=settings.consumer_retries,
            backoff=settings.consumer_backoff_s,
            after_commit=relay.wake,
        )
        runtime.consumer = consumer
        subscriber = broker.subscriber(
            *[topics.context(c) for c in spec.subscribes],
            group_id=settings.consumer_group,
            auto_offset_reset="earliest",
            ack_policy=AckPolicy.NACK_ON_ERROR,
            parser=parse_record,
            decoder=_raw_body,
            title=f"{spec.name}:events",
            description=f"Events consumed by {spec.name}: " + ", ".join(sorted(consumer.handlers)),
            include_in_schema=True,
        )

        @subscriber
        async def on_event(message: KafkaMessage) -> None:
            try:
                await consumer.handle(message.raw_message)  # type: ignore[arg-type]
            except Exception:
                # Could not even dead-letter it (broker or database down): wait, then let Kafka redeliver.
                await asyncio.sleep(1.0)
                raise

    return runtime
