"""One assessment service per test: on the real broker with its database on SQLite and PostgreSQL
(``service``), or without a broker on SQLite (``offline_service``)."""

from __future__ import annotations

import sys
from collections.abc import AsyncIterator
from pathlib import Path

import pytest

# The helpers live next to this file under a name no other suite uses (no __init__.py here, so this
# folder is not a package named like another service's "integration" tests).
sys.path.insert(0, str(Path(__file__).parent))

from assessment_support import AssessmentService, offline, running, settings


@pytest.fixture
async def service(
    kafka_bootstrap: str, topic_prefix: str, database_url: str
) -> AsyncIterator[AssessmentService]:
    async with running(settings(kafka_bootstrap, topic_prefix, database_url)) as started:
        yield started


@pytest.fixture
async def offline_service(tmp_path: Path) -> AsyncIterator[AssessmentService]:
    """The service without a broker, on SQLite (pages, roles, validation: the fast tier)."""
    config = settings("127.0.0.1:9", "offline.", f"sqlite+aiosqlite:///{tmp_path / 'assessment.db'}")
    async with offline(config) as started:
        yield started
