"""Everything still flows on a SASL broker with ACLs (issue 14): the five services as processes, each
with its own principal made by `kmb up --sasl`'s provisioning, run the end-to-end flow of
tests/e2e/test_thin_flow.py (the same test functions, over HTTP only) on the test kit's SASL broker.
"""

from __future__ import annotations

import asyncio
import importlib.util
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any

import pytest

from kmb_cli.principals import provision_services
from kmb_shared.messaging import Topics
from kmb_testkit.sasl import SaslBroker
from kmb_testkit.system import System, running_system

pytestmark = [pytest.mark.kafka, pytest.mark.e2e]


def _thin_flow() -> Any:
    path = Path(__file__).resolve().parents[1] / "e2e" / "test_thin_flow.py"
    spec = importlib.util.spec_from_file_location("kmb_e2e_thin_flow_on_sasl", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


_flow = _thin_flow()
test_every_service_is_healthy_ready_and_documents_itself = (
    _flow.test_every_service_is_healthy_ready_and_documents_itself
)
test_a_case_flows_from_intake_through_every_service_to_stats = (
    _flow.test_a_case_flows_from_intake_through_every_service_to_stats
)


@pytest.fixture(scope="module")
def system(sasl_broker: SaslBroker, tmp_path_factory: pytest.TempPathFactory) -> Iterator[System]:
    def principals(topics: Topics) -> Mapping[str, Mapping[str, str]]:
        return asyncio.run(
            provision_services(sasl_broker.bootstrap, sasl_broker.admin, sasl_broker.var_dir, topics)
        )

    with running_system(
        sasl_broker.bootstrap,
        tmp_path_factory.mktemp("kmb-e2e-sasl"),
        "e2esasl",
        principals=principals,
        security=sasl_broker.admin,
    ) as running:
        yield running
