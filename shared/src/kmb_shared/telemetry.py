"""OpenTelemetry set-up, done once in each service's bootstrap (never at import time)."""

from __future__ import annotations

import sys

from opentelemetry.sdk.resources import Resource
from opentelemetry.sdk.trace import TracerProvider
from opentelemetry.sdk.trace.export import BatchSpanProcessor, ConsoleSpanExporter, SpanExporter


def build_tracer_provider(service: str, exporter: str, endpoint: str | None = None) -> TracerProvider:
    """A tracer provider for one service. ``exporter`` is ``none``, ``console`` or ``otlp``.

    With ``none`` spans are still created (so trace ids propagate through Kafka headers) but not exported.
    """
    provider = TracerProvider(resource=Resource.create({"service.name": f"kmb-{service}"}))
    span_exporter: SpanExporter | None = None
    if exporter == "console":
        span_exporter = ConsoleSpanExporter(
            out=sys.stdout, formatter=lambda span: span.to_json(indent=None) + "\n"
        )
    elif exporter == "otlp":
        from opentelemetry.exporter.otlp.proto.http.trace_exporter import OTLPSpanExporter

        span_exporter = OTLPSpanExporter(endpoint=f"{endpoint.rstrip('/')}/v1/traces" if endpoint else None)
    if span_exporter is not None:
        provider.add_span_processor(BatchSpanProcessor(span_exporter, schedule_delay_millis=500))
    return provider
