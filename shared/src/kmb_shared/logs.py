"""Log lines as JSON (``KMB_LOG_FORMAT=json``): one object a line with ``time`` (UTC, ISO 8601), ``level``,
``logger``, ``message``, ``service`` and the ``trace_id`` and ``span_id`` of the OpenTelemetry span
current when the line was written (null outside a span), then any extra fields a logger attached
(FastStream's topic and message id, say) and ``exc_info`` for an exception."""

from __future__ import annotations

import logging
from datetime import UTC, datetime
from typing import Any

from opentelemetry import trace
from pythonjsonlogger.core import RESERVED_ATTRS
from pythonjsonlogger.json import JsonFormatter

#: fields every line has, in this order (before extras)
FIELDS = ("time", "level", "logger", "message", "service", "trace_id", "span_id")


class ServiceJsonFormatter(JsonFormatter):
    """The JSON formatter of a service process (``service`` names it on every line)."""

    def __init__(self, service: str = "") -> None:
        super().__init__(
            "%(asctime)s %(levelname)s %(name)s %(message)s",
            rename_fields={"asctime": "time", "levelname": "level", "name": "logger"},
            static_fields={"service": service},
            # uvicorn's colour copy of each message is no field of ours
            reserved_attrs=[*RESERVED_ATTRS, "color_message"],
            json_ensure_ascii=False,
        )

    def formatTime(self, record: logging.LogRecord, datefmt: str | None = None) -> str:
        return datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds")

    def add_fields(
        self, log_data: dict[str, Any], record: logging.LogRecord, message_dict: dict[str, Any]
    ) -> None:
        super().add_fields(log_data, record, message_dict)
        context = trace.get_current_span().get_span_context()
        log_data["trace_id"] = format(context.trace_id, "032x") if context.is_valid else None
        log_data["span_id"] = format(context.span_id, "016x") if context.is_valid else None
