"""The composition root every service uses: ``build_service_app(spec, settings)`` builds one process
with FastAPI for HTTP and FastStream for Kafka, its own database, the outbox relay and the inbox consumer.

Nothing is created at import time; everything hangs off the app returned here.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import AsyncIterator, Awaitable, Callable, Coroutine, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, cast

from fastapi import APIRouter, Depends, FastAPI, Request
from fastapi.responses import JSONResponse
from faststream.kafka import KafkaBroker, KafkaMessage
from faststream.kafka.opentelemetry import KafkaTelemetryMiddleware
from faststream.middlewares import AckPolicy
from faststream.specification import AsyncAPI
from opentelemetry.instrumentation.fastapi import FastAPIInstrumentor
from opentelemetry.sdk.trace import TracerProvider
from sqlmodel.ext.asyncio.session import AsyncSession

from kmb_shared.auth import Signer, load_secret, require
from kmb_shared.contracts import IntegrationEvent
from kmb_shared.db import Database
from kmb_shared.errors import Localizer, install_error_handlers, localize
from kmb_shared.messaging import (
    EventConsumer,
    Handler,
    Outbox,
    OutboxMessage,
    OutboxRelay,
    Topics,
    dead_letter_sender,
)
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
    extras: dict[str, Any] = field(default_factory=dict)

    async def commit(self, session: AsyncSession) -> None:
        """Commit a unit of work and wake the outbox relay so staged events leave at once."""
        await session.commit()
        self.relay.wake()


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


def build_runtime(spec: ServiceSpec, settings: ServiceSettings) -> Runtime:
    tracer_provider = build_tracer_provider(spec.name, settings.otel_exporter, settings.otel_endpoint)
    broker = KafkaBroker(
        settings.kafka_bootstrap,
        client_id=f"kmb-{spec.name}",
        # "Received"/"Processed" for every message only at DEBUG: at INFO they cost more than the handler.
        log_level=logging.DEBUG,
        enable_idempotence=True,
        acks="all",
        middlewares=[KafkaTelemetryMiddleware(tracer_provider=tracer_provider)],
        description=spec.description or spec.title,
    )
    topics = Topics(settings.topic_prefix)
    db = Database(settings.resolved_database_url)
    outbox = Outbox(spec.name, topics)

    async def send(row: OutboxMessage, headers: dict[str, str]) -> Awaitable[object]:
        fut = await broker.publish(
            row.payload.encode(), topic=row.topic, key=row.key.encode(), headers=headers, no_confirm=True
        )
        return cast(Awaitable[object], fut)

    relay = OutboxRelay(db, send, interval=settings.relay_interval_s)
    runtime = Runtime(settings, db, broker, topics, outbox, relay, tracer_provider)

    for event_cls in spec.publishes:
        broker.publisher(
            topics.for_event(event_cls),
            title=f"{event_cls.event_type}",
            description=(event_cls.__doc__ or "").strip() or None,
            schema=event_cls,
        )

    if spec.handlers and spec.subscribes:

        async def publish_dead_letter(
            value: bytes, topic: str, key: bytes | None, headers: dict[str, str]
        ) -> None:
            await broker.publish(value, topic=topic, key=key, headers=headers)

        consumer = EventConsumer(
            name=spec.name,
            db=db,
            outbox=outbox,
            handlers=spec.handlers(runtime),
            dead_letter=dead_letter_sender(spec.name, topics.dlq, publish_dead_letter),
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


def build_service_app(spec: ServiceSpec, settings: ServiceSettings) -> FastAPI:
    """One service process: HTTP routes, Kafka consumer and outbox relay, sharing one lifespan."""
    runtime = build_runtime(spec, settings)

    @contextlib.asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        if settings.migrate_on_start:
            await runtime.db.migrate(spec.migrations)
        for hook in spec.on_startup:
            await hook(runtime)
        await runtime.broker.start()
        tasks = [asyncio.create_task(runtime.relay.run(), name=f"{spec.name}-outbox-relay")]
        tasks += [
            asyncio.create_task(job(runtime), name=f"{spec.name}-{job.__name__}") for job in spec.background
        ]
        try:
            yield
        finally:
            runtime.relay.stop()
            for task in tasks:
                task.cancel()
            await asyncio.gather(*tasks, return_exceptions=True)
            with contextlib.suppress(Exception):
                await runtime.relay.publish_pending()
            await runtime.broker.stop()
            await runtime.db.dispose()
            runtime.tracer_provider.shutdown()

    app = FastAPI(title=f"KMB – {spec.title}", description=spec.description, lifespan=lifespan)
    app.state.runtime = runtime
    app.state.signer = Signer(load_secret(settings.var_dir, settings.secret_key), settings.session_max_age_s)
    install_error_handlers(app, spec.localizer)
    app.include_router(_operations_router(spec))
    for router in spec.routers:
        app.include_router(router)
    FastAPIInstrumentor.instrument_app(
        app, tracer_provider=runtime.tracer_provider, excluded_urls="healthz,readyz"
    )
    return app


def _operations_router(spec: ServiceSpec) -> APIRouter:
    router = APIRouter(tags=["operations"])

    @router.get("/healthz")
    async def healthz() -> dict[str, str]:
        return {"status": "ok", "service": spec.name}

    @router.get("/readyz")
    async def readyz(runtime: Runtime = RuntimeDep) -> JSONResponse:
        checks: dict[str, str] = {}
        try:
            await runtime.db.ping()
            checks["database"] = "ok"
        except Exception as exc:
            checks["database"] = f"error: {exc}"
        try:
            checks["kafka"] = "ok" if await runtime.broker.ping(timeout=2.0) else "unreachable"
        except Exception as exc:
            checks["kafka"] = f"error: {exc}"
        ok = all(v == "ok" for v in checks.values())
        return JSONResponse(status_code=200 if ok else 503, content={"ready": ok, "checks": checks})

    @router.get("/asyncapi.json")
    async def asyncapi(runtime: Runtime = RuntimeDep) -> JSONResponse:
        return JSONResponse(asyncapi_document(spec, runtime))

    operators = Depends(require())  # any signed-in user or token: counters and digests only

    @router.get("/internal/read-models/digest", dependencies=[operators])
    async def read_models_digest(
        until: datetime | None = None, runtime: Runtime = RuntimeDep
    ) -> dict[str, Any]:
        """Digest of the tables this service builds from events (compared by ``kmb replay``)."""
        from kmb_shared.replay import read_model_digest

        if until is not None and until.tzinfo is None:
            until = until.replace(tzinfo=UTC)
        digest, rows = await read_model_digest(runtime.db, spec.read_models, until)
        return {
            "service": spec.name,
            "digest": digest,
            "rows": rows,
            "tables": [m.table for m in spec.read_models],
        }

    @router.get("/internal/consumer", dependencies=[operators])
    async def consumer_stats(runtime: Runtime = RuntimeDep) -> dict[str, int]:
        c = runtime.consumer
        return {
            "applied": c.applied if c else 0,
            "duplicates": c.duplicates if c else 0,
            "dead_lettered": c.dead_lettered if c else 0,
            "published": runtime.relay.published,
        }

    return router


def asyncapi_document(spec: ServiceSpec, runtime: Runtime) -> Any:
    """The service's AsyncAPI 3.0 document, generated by FastStream from its publishers and subscribers."""
    doc = AsyncAPI(runtime.broker, title=f"KMB {spec.name}", version="1.0.0", description=spec.description)
    return doc.to_specification().to_jsonable()
