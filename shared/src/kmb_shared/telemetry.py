"""OpenTelemetry set-up, done once in each service's bootstrap (never at import time)."""

from __future__ import annotations

import json
import sys
from typing import Any

from opentelemetry import trace
from opentelemetry.sdk.resources import Resource
from opentelemetry.sdk.trace import ReadableSpan, TracerProvider
from opentelemetry.sdk.trace.export import BatchSpanProcessor, ConsoleSpanExporter, SpanExporter
from opentelemetry.sdk.trace.sampling import ALWAYS_OFF, ALWAYS_ON, ParentBased
from starlette.requests import Request

#: the header in which a caller names its request (it becomes the cause of the events it leads to)
REQUEST_ID_HEADER = "X-Request-ID"


def build_tracer_provider(service: str, exporter: str, endpoint: str | None = None) -> TracerProvider:
    """A tracer provider for one service. ``exporter`` is ``none``, ``console`` or ``otlp``.

    With ``none`` spans are not recorded, but trace ids still propagate through HTTP and Kafka headers.
    """
    # Without an exporter nothing would read the spans: don't record them (cheaper), but trace context
    # (trace id, traceparent header) still flows through HTTP and Kafka, so logs and events stay linked.
    sampler = ALWAYS_OFF if exporter == "none" else ParentBased(ALWAYS_ON)
    provider = TracerProvider(resource=Resource.create({"service.name": f"kmb-{service}"}), sampler=sampler)
    span_exporter: SpanExporter | None = None
    if exporter == "console":
        span_exporter = ConsoleSpanExporter(out=sys.stdout, formatter=span_line)
    elif exporter == "otlp":
        from opentelemetry.exporter.otlp.proto.http.trace_exporter import OTLPSpanExporter

        span_exporter = OTLPSpanExporter(endpoint=f"{endpoint.rstrip('/')}/v1/traces" if endpoint else None)
    if span_exporter is not None:
        provider.add_span_processor(BatchSpanProcessor(span_exporter, schedule_delay_millis=500))
    return provider


def _attribute(value: Any) -> Any:
    if isinstance(value, bytes):  # e.g. a Kafka message key
        return value.decode("utf-8", errors="replace")
    if isinstance(value, tuple | list):
        return [_attribute(v) for v in value]
    return value


def span_line(span: ReadableSpan) -> str:
    """One span as one JSON line (the console exporter's format here)."""
    ctx = span.context
    parent = span.parent
    record = {
        "name": span.name,
        "trace_id": f"{ctx.trace_id:032x}" if ctx else None,
        "span_id": f"{ctx.span_id:016x}" if ctx else None,
        "parent_id": f"{parent.span_id:016x}" if parent else None,
        "kind": span.kind.name,
        "service": span.resource.attributes.get("service.name"),
        "start": span.start_time,
        "end": span.end_time,
        "status": span.status.status_code.name,
        "attributes": {k: _attribute(v) for k, v in (span.attributes or {}).items()},
    }
    return json.dumps(record, default=str) + "\n"


def request_cause(request: Request) -> str | None:
    """What the events of this request answer: the caller's request id, else the request's trace."""
    request_id = request.headers.get(REQUEST_ID_HEADER, "").strip()
    if request_id:
        return f"request:{request_id[:100]}"
    span_context = trace.get_current_span().get_span_context()
    if span_context.is_valid:
        return f"trace:{span_context.trace_id:032x}"
    return None
