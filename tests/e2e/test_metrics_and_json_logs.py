"""The five services as processes on the real broker, logging JSON (``KMB_LOG_FORMAT=json``): each answers
``/metrics`` without sign-in, the consumers report their partitions' lag, a case's events leave every
outbox and are consumed (backlog 0, lag 0), and every line of every service's log is JSON naming it."""

from __future__ import annotations

import asyncio
import json
from collections.abc import Iterator

import httpx
import pytest

from kmb_shared.metrics import summary
from kmb_testkit.fixtures import bearer
from kmb_testkit.intake_bodies import case_body
from kmb_testkit.probe import wait_until
from kmb_testkit.system import System, running_system

pytestmark = [pytest.mark.kafka, pytest.mark.e2e]

CONSUMING = ("assessment", "catalogue", "referrals", "stats")  # intake consumes nothing


@pytest.fixture(scope="module")
def system(kafka_bootstrap: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[System]:
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("KMB_LOG_FORMAT", "json")  # the children get this process's environment
        with running_system(kafka_bootstrap, tmp_path_factory.mktemp("kmb-metrics"), "metrics") as running:
            yield running


def figures(system: System, name: str) -> dict[str, object]:
    response = httpx.get(f"{system.urls[name]}/metrics", timeout=10)
    assert response.status_code == 200, f"{name}: {response.status_code}"
    return summary(response.text)


def test_every_service_answers_metrics_and_drains_after_a_case(system: System) -> None:
    async def assigned() -> bool:
        return all(figures(system, name)["lag_partitions"] for name in CONSUMING)

    asyncio.run(wait_until(assigned, timeout_s=60))
    opened = httpx.post(
        f"{system.urls['intake']}/api/cases", json=case_body(), headers=bearer("worker"), timeout=10
    )
    assert opened.status_code == 201, opened.text

    async def drained() -> bool:
        now = {name: figures(system, name) for name in system.urls}
        return all(
            f["outbox_backlog"] == 0 and f["outbox_oldest_age_s"] == 0.0 for f in now.values()
        ) and all(now[name]["lag"] == 0 for name in CONSUMING)

    asyncio.run(wait_until(drained, timeout_s=60))
    assert {name: figures(system, name)["dead_lettered"] for name in system.urls} == dict.fromkeys(
        system.urls, 0
    )
    intake = httpx.get(f"{system.urls['intake']}/metrics", timeout=10).text
    assert (
        'kmb_http_request_duration_seconds_count{method="POST",route="/api/cases",status="2xx"} 1.0' in intake
    )


def test_every_log_line_is_json_naming_its_service(system: System) -> None:
    for name in system.urls:
        log = system.var_dir / "log" / f"{name}.log"
        lines = log.read_text(encoding="utf-8").splitlines()
        assert lines, f"{name} logged nothing"
        parsed = [json.loads(line) for line in lines]
        assert {line["service"] for line in parsed} == {name}
        assert all({"time", "level", "logger", "message", "trace_id"} <= set(line) for line in parsed)
