"""A service's log is rotated (issue 16: logs grew ~10 MB per 20 minutes of broker outage, unbounded)."""

from __future__ import annotations

import json
import logging
import logging.config
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from opentelemetry.sdk.trace import TracerProvider

from kmb_cli.services import log_config


@pytest.fixture
def restore_logging() -> Iterator[None]:
    root = logging.getLogger()
    handlers, level = list(root.handlers), root.level
    yield
    for handler in root.handlers:
        if handler not in handlers:
            handler.close()
    root.handlers[:] = handlers
    root.setLevel(level)


def test_the_log_file_rolls_over_at_its_size_and_keeps_so_many_old_files(
    tmp_path: Path, restore_logging: None
) -> None:
    log_file = tmp_path / "referrals.log"
    size = 0.01  # MB: 10,485 bytes
    env = {"KMB_LOG_FILE": str(log_file), "KMB_LOG_MAX_MB": str(size), "KMB_LOG_BACKUPS": "2"}
    logging.config.dictConfig(log_config(env))
    noisy = logging.getLogger("aiokafka.conn")  # what a broker outage repeats
    line = "Unable connect to node with id 1: [Errno 111] Connect call failed ('127.0.0.1', 9092)"
    for _ in range(2000):  # about 230 kB, more than the three files hold
        noisy.error(line)
    logging.getLogger("kmb_referrals").info("still logging")
    for handler in logging.getLogger().handlers:
        handler.flush()

    files = sorted(p.name for p in tmp_path.iterdir())
    assert files == ["referrals.log", "referrals.log.1", "referrals.log.2"]
    limit = int(size * 1024 * 1024)
    assert all((tmp_path / name).stat().st_size <= limit for name in files)
    assert "still logging" in log_file.read_text()
    assert line in (tmp_path / "referrals.log.2").read_text()


def test_without_a_file_the_service_logs_to_stderr() -> None:
    config = log_config({})
    assert config["handlers"]["main"]["class"] == "logging.StreamHandler"
    assert config["root"]["level"] == "INFO"


def test_json_lines_carry_time_level_logger_message_service_and_the_trace_id(
    tmp_path: Path, restore_logging: None
) -> None:
    log_file = tmp_path / "referrals.log"
    logging.config.dictConfig(
        log_config({"KMB_LOG_FILE": str(log_file), "KMB_LOG_FORMAT": "json"}, service="referrals")
    )
    logger = logging.getLogger("kmb_referrals.relay")
    tracer = TracerProvider().get_tracer("test")
    logger.warning("mimo span")
    with tracer.start_as_current_span("handling") as span:
        logger.info("předání partnerovi %s", "p-1")
        try:
            raise RuntimeError("boom")
        except RuntimeError:
            logger.exception("selhalo")
    context = span.get_span_context()
    for handler in logging.getLogger().handlers:
        handler.flush()

    lines = [json.loads(line) for line in log_file.read_text(encoding="utf-8").splitlines()]
    assert [
        (line["level"], line["logger"], line["message"], line["service"], line["trace_id"]) for line in lines
    ] == [
        ("WARNING", "kmb_referrals.relay", "mimo span", "referrals", None),
        ("INFO", "kmb_referrals.relay", "předání partnerovi p-1", "referrals", f"{context.trace_id:032x}"),
        ("ERROR", "kmb_referrals.relay", "selhalo", "referrals", f"{context.trace_id:032x}"),
    ]
    assert lines[1]["span_id"] == f"{context.span_id:016x}"
    assert list(lines[0])[:7] == ["time", "level", "logger", "message", "service", "trace_id", "span_id"]
    written = datetime.fromisoformat(lines[0]["time"])
    assert written.utcoffset() == timedelta(0)
    assert abs(datetime.now(UTC) - written) < timedelta(minutes=1)
    assert "RuntimeError: boom" in lines[2]["exc_info"]


def test_the_plain_format_stays_the_default_and_another_is_refused() -> None:
    assert log_config({})["handlers"]["main"]["formatter"] == "plain"
    assert log_config({"KMB_LOG_FORMAT": "JSON"})["handlers"]["main"]["formatter"] == "json"
    with pytest.raises(ValueError, match="KMB_LOG_FORMAT must be plain or json"):
        log_config({"KMB_LOG_FORMAT": "xml"})
