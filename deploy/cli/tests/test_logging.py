"""A service's log is rotated (issue 16: logs grew ~10 MB per 20 minutes of broker outage, unbounded)."""

from __future__ import annotations

import logging
import logging.config
from collections.abc import Iterator
from pathlib import Path

import pytest

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
