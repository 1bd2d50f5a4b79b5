"""Stats' pages and API without a broker (see :mod:`.site`)."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from .site import Site, running_site


@pytest.fixture
async def stats(tmp_path: Path) -> AsyncIterator[Site]:
    async for site in running_site(tmp_path):
        yield site
