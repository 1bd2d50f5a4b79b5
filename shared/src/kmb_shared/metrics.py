"""``/metrics`` of every service (Prometheus text format), from a registry of its own per app (tests build
many apps in one process, so nothing goes to prometheus-client's global registry).

What it shows, none of it personal data (no case ids, numbers, names or user names; labels are route
templates, event types, topics and partitions):

- ``kmb_consumer_lag{topic,partition}`` — the end offset minus the group's committed offset (or this
  consumer's position before its first commit) of each partition assigned to this copy;
- ``kmb_outbox_backlog`` and ``kmb_outbox_oldest_unsent_age_seconds`` — unsent outbox rows and the age
  of the oldest (0 when none);
- ``kmb_dead_lettered_total`` — records this process sent to the dead-letter topic since it started;
- ``kmb_dlq_topic_records`` — records on the dead-letter topic, from every service and copy (the sum over
  its partitions of the end offset minus the beginning offset; 0 while the topic does not exist);
- ``kmb_relay_published_total`` and ``kmb_relay_errors_total`` — rows the outbox relay published, its
  failed rounds;
- ``kmb_events_applied_total`` and ``kmb_events_duplicates_total`` — events the inbox consumer applied
  and dropped as already applied;
- ``kmb_handler_duration_seconds{event_type}`` — the consumer's handlers, per event type;
- ``kmb_http_request_duration_seconds{method,route,status}`` — HTTP requests per route template
  (``unmatched`` for a path no route serves) and status class (``2xx`` ...).

The lag, the outbox and the dead-letter topic's figures are read when scraped, side by side, each bounded by
:data:`SCRAPE_TIMEOUT_S` (a figure that could not be read is left out, and ``kmb_scrape_errors_total{figure}``
counts it); concurrent scrapes share one reading. The rest is kept as it happens.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Awaitable, Callable, Iterator, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any, TypeVar

from aiokafka import AIOKafkaConsumer, TopicPartition
from aiokafka.admin import AIOKafkaAdminClient
from fastapi import FastAPI
from fastapi.responses import Response
from prometheus_client import CONTENT_TYPE_LATEST, CollectorRegistry, Counter, Histogram, generate_latest
from prometheus_client.core import CounterMetricFamily, GaugeMetricFamily
from prometheus_client.parser import text_string_to_metric_families
from prometheus_client.registry import Collector
from sqlalchemy import func
from sqlmodel import col, select

from kmb_shared.messaging.kafka import bootstrap_servers
from kmb_shared.messaging.tables import OutboxMessage

if TYPE_CHECKING:
    from starlette.types import ASGIApp, Message, Receive, Scope, Send

    from kmb_shared.runtime import Runtime

log = logging.getLogger(__name__)

T = TypeVar("T")

#: how long one scrape may spend reading the lag, the outbox or the dead-letter topic
SCRAPE_TIMEOUT_S = 2.0
#: handler and request latencies, in seconds
BUCKETS = (0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0)


@dataclass
class Reading:
    """The figures read at a scrape."""

    lag: dict[tuple[str, int], int] = field(default_factory=dict)
    backlog: int | None = None
    oldest_age_s: float | None = None
    dlq_topic_records: int | None = None


async def consumer_lag(runtime: Runtime) -> dict[tuple[str, int], int]:
    """Lag of each partition assigned to this service's consumers (none before they started)."""
    lag: dict[tuple[str, int], int] = {}
    for subscriber in runtime.broker.subscribers:
        consumer = getattr(subscriber, "consumer", None)
        if consumer is None:
            continue
        partitions = sorted(consumer.assignment())
        if not partitions:
            continue
        ends = await consumer.end_offsets(partitions)
        for tp in partitions:
            done = await consumer.committed(tp)
            if done is None:
                done = await consumer.position(tp)
            lag[(tp.topic, tp.partition)] = max(0, int(ends[tp]) - int(done))
    return lag


async def outbox_backlog(runtime: Runtime) -> tuple[int, float]:
    """Unsent outbox rows and the age in seconds of the oldest (0 when there is none)."""
    async with runtime.db.session() as session:
        count, oldest = (
            await session.exec(
                select(func.count(), func.min(OutboxMessage.created_at)).where(
                    col(OutboxMessage.sent_at).is_(None)
                )
            )
        ).one()
    if not count or oldest is None:
        return 0, 0.0
    oldest = oldest if oldest.tzinfo else oldest.replace(tzinfo=UTC)  # SQLite forgets the zone
    return int(count), max(0.0, (datetime.now(UTC) - oldest).total_seconds())


async def dead_letter_topic_records(runtime: Runtime) -> int | None:
    """Records on the dead-letter topic: the sum over its partitions of the end offset minus the beginning
    offset (0 while the topic does not exist). Asks the brokers with clients of its own (no consumer
    group), closed before it returns: a service without a consumer reads it too. None while the brokers
    refuse this service (/readyz says why; a client per scrape would only log the refusal again)."""
    if runtime.kafka_refusal:
        return None
    servers = bootstrap_servers(runtime.settings.kafka_bootstrap)
    topic = runtime.topics.dlq
    security = runtime.settings.client_options()
    admin = AIOKafkaAdminClient(bootstrap_servers=servers, client_id=f"kmb-metrics-{topic}", **security)
    reader = AIOKafkaConsumer(
        bootstrap_servers=servers, client_id=f"kmb-metrics-{topic}", enable_auto_commit=False, **security
    )
    try:
        await admin.start()
        # All topics (topics=None), so that asking can never create the dead-letter topic.
        described = [t for t in await admin.describe_topics() if t["topic"] == topic and not t["error_code"]]
        partitions = [TopicPartition(topic, p["partition"]) for t in described for p in t["partitions"]]
        if not partitions:
            return 0
        await reader.start()
        ends = await reader.end_offsets(partitions)
        starts = await reader.beginning_offsets(partitions)
        return sum(max(0, int(ends[tp]) - int(starts[tp])) for tp in partitions)
    finally:
        await reader.stop()
        await admin.close()


class ServiceMetrics:
    """The registry of one service app and what fills it."""

    def __init__(self, service: str, runtime: Runtime) -> None:
        self.service = service
        self.runtime = runtime
        self.registry = CollectorRegistry(auto_describe=True)
        self.http = Histogram(
            "kmb_http_request_duration_seconds",
            "HTTP requests by route template and status class",
            ["method", "route", "status"],
            buckets=BUCKETS,
            registry=self.registry,
        )
        self.handler = Histogram(
            "kmb_handler_duration_seconds",
            "Time in the consumer's handler, by event type",
            ["event_type"],
            buckets=BUCKETS,
            registry=self.registry,
        )
        self.scrape_errors = Counter(
            "kmb_scrape_errors",
            "Figures a scrape could not read in time or at all",
            ["figure"],
            registry=self.registry,
        )
        self.reading = Reading()
        self.registry.register(_RuntimeCollector(self))
        self._reading: asyncio.Task[Reading] | None = None

    def instrument_handlers(self) -> None:
        """Time every handler of the service's consumer (kept in ``consumer.handlers``)."""
        consumer = self.runtime.consumer
        if consumer is None:
            return
        consumer.handlers = {
            event_type: self._timed(event_type, handler) for event_type, handler in consumer.handlers.items()
        }

    def _timed(
        self, event_type: str, handler: Callable[[Any, Any], Awaitable[None]]
    ) -> Callable[[Any, Any], Awaitable[None]]:
        histogram = self.handler.labels(event_type=event_type)

        async def timed(event: Any, ctx: Any) -> None:
            started = time.perf_counter()
            try:
                await handler(event, ctx)
            finally:
                histogram.observe(time.perf_counter() - started)

        return timed

    async def read(self) -> Reading:
        """Read the lag and the outbox now (one reading shared by concurrent scrapes)."""
        if self._reading is None or self._reading.done():
            self._reading = asyncio.create_task(self._read())
        self.reading = await asyncio.shield(self._reading)
        return self.reading

    async def _read(self) -> Reading:
        lag, outbox, dlq = await asyncio.gather(
            self._figure("consumer_lag", consumer_lag),
            self._figure("outbox", outbox_backlog),
            self._figure("dlq_topic", dead_letter_topic_records),
        )
        backlog, oldest_age_s = outbox if outbox is not None else (None, None)
        return Reading(lag=lag or {}, backlog=backlog, oldest_age_s=oldest_age_s, dlq_topic_records=dlq)

    async def _figure(self, figure: str, read: Callable[[Runtime], Awaitable[T]]) -> T | None:
        """One figure, read within :data:`SCRAPE_TIMEOUT_S`; None (and counted) when it could not be."""
        try:
            return await asyncio.wait_for(read(self.runtime), SCRAPE_TIMEOUT_S)
        except Exception as exc:
            self.scrape_errors.labels(figure=figure).inc()
            log.warning("%s: /metrics could not read %s: %r", self.service, figure, exc)
            return None

    async def exposition(self) -> bytes:
        await self.read()
        return generate_latest(self.registry)


class _RuntimeCollector(Collector):
    """The figures kept by the runtime's own objects and the last reading, as scraped."""

    def __init__(self, metrics: ServiceMetrics) -> None:
        self.metrics = metrics

    def collect(self) -> Iterator[Any]:
        runtime, reading = self.metrics.runtime, self.metrics.reading
        consumer = runtime.consumer
        counters: Mapping[str, tuple[str, int]] = {
            "kmb_relay_published": ("Outbox rows the relay published", runtime.relay.published),
            "kmb_relay_errors": ("Failed rounds of the outbox relay", runtime.relay.errors),
            "kmb_dead_lettered": (
                "Records this process sent to the dead-letter topic since it started",
                consumer.dead_lettered if consumer else 0,
            ),
            "kmb_events_applied": ("Events the inbox consumer applied", consumer.applied if consumer else 0),
            "kmb_events_duplicates": (
                "Events the inbox consumer dropped as already applied",
                consumer.duplicates if consumer else 0,
            ),
        }
        for name, (doc, value) in counters.items():
            yield CounterMetricFamily(name, doc, value=value)
        lag = GaugeMetricFamily(
            "kmb_consumer_lag",
            "Records behind the end of each assigned partition",
            labels=["topic", "partition"],
        )
        for (topic, partition), value in sorted(reading.lag.items()):
            lag.add_metric([topic, str(partition)], value)
        yield lag
        if reading.backlog is not None:
            yield GaugeMetricFamily("kmb_outbox_backlog", "Unsent outbox rows", value=reading.backlog)
        if reading.oldest_age_s is not None:
            yield GaugeMetricFamily(
                "kmb_outbox_oldest_unsent_age_seconds",
                "Age of the oldest unsent outbox row (0 when none)",
                value=reading.oldest_age_s,
            )
        if reading.dlq_topic_records is not None:
            yield GaugeMetricFamily(
                "kmb_dlq_topic_records",
                "Records on the dead-letter topic, from every service (end minus beginning offsets)",
                value=reading.dlq_topic_records,
            )


class _HttpTimer:
    """ASGI middleware observing each request's duration by route template and status class."""

    def __init__(self, app: ASGIApp, metrics: ServiceMetrics) -> None:
        self.app = app
        self.metrics = metrics

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        status = 500
        started = time.perf_counter()

        async def sending(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = int(message["status"])
            await send(message)

        try:
            await self.app(scope, receive, sending)
        finally:
            route = scope.get("route")
            template = getattr(route, "path_format", None) or getattr(route, "path", None) or "unmatched"
            self.metrics.http.labels(
                method=scope.get("method", ""), route=template, status=f"{status // 100}xx"
            ).observe(time.perf_counter() - started)


def install_metrics(app: FastAPI, service: str, runtime: Runtime) -> ServiceMetrics:
    """``GET /metrics`` (open, like /healthz: it holds no personal data), the HTTP timer and the
    handlers' timers of one service app; the metrics are ``app.state.metrics``."""
    metrics = ServiceMetrics(service, runtime)
    metrics.instrument_handlers()
    app.state.metrics = metrics

    @app.get("/metrics", tags=["operations"], response_class=Response)
    async def prometheus_metrics() -> Response:
        """Operational figures in Prometheus' text format (no personal data)."""
        return Response(await metrics.exposition(), media_type=CONTENT_TYPE_LATEST)

    app.add_middleware(_HttpTimer, metrics=metrics)
    return metrics


def samples(text: str) -> dict[tuple[str, frozenset[tuple[str, str]]], float]:
    """The samples of a ``/metrics`` answer, keyed by name and labels."""
    return {
        (sample.name, frozenset(sample.labels.items())): sample.value
        for family in text_string_to_metric_families(text)
        for sample in family.samples
    }


def summary(text: str) -> dict[str, Any]:
    """What ``kmb status`` shows of a ``/metrics`` answer: the lag (summed over partitions, and per
    partition as ``topic[partition]``), the outbox backlog and its oldest row's age, the dead letters this
    process sent and the records on the dead-letter topic."""
    values = samples(text)
    partitions = {
        f"{labels['topic']}[{labels['partition']}]": int(value)
        for (name, label_set), value in values.items()
        if name == "kmb_consumer_lag" and (labels := dict(label_set))
    }

    def one(name: str) -> float | None:
        return values.get((name, frozenset()))

    backlog, age, dead, dlq_topic = (
        one("kmb_outbox_backlog"),
        one("kmb_outbox_oldest_unsent_age_seconds"),
        one("kmb_dead_lettered_total"),
        one("kmb_dlq_topic_records"),
    )
    return {
        "lag": sum(partitions.values()) if partitions else None,
        "lag_partitions": dict(sorted(partitions.items())),
        "outbox_backlog": None if backlog is None else int(backlog),
        "outbox_oldest_age_s": age,
        "dead_lettered": None if dead is None else int(dead),
        "dlq_topic_records": None if dlq_topic is None else int(dlq_topic),
    }
