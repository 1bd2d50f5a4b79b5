"""The five services as separate processes on the real broker, driven over HTTP."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from kmb_testkit.system import System, running_system


@pytest.fixture(scope="module")
def system(kafka_bootstrap: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[System]:
    with running_system(kafka_bootstrap, tmp_path_factory.mktemp("kmb-e2e"), "e2e") as running:
        yield running
