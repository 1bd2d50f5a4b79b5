"""`kmb up --external-kafka` runs the five services on a cluster it did not start (issue 16: kmb up always
started or reused its own one-node broker), with a bootstrap list of several addresses, and `kmb down`
leaves that cluster running."""

from __future__ import annotations

import asyncio
import json
import uuid
from pathlib import Path

import pytest
from typer.testing import CliRunner

from kmb_cli.infra import kafka
from kmb_cli.infra._common import InfraError
from kmb_cli.main import app
from kmb_shared.messaging import Topics
from kmb_shared.messaging.admin import delete_topics_with_prefix
from kmb_testkit.fixtures import TEST_SECRET
from kmb_testkit.system import free_port


@pytest.mark.kafka
@pytest.mark.e2e
def test_up_on_an_external_cluster_and_down_leave_it_running(kafka_bootstrap: str, tmp_path: Path) -> None:
    prefix = f"ext{uuid.uuid4().hex[:8]}."
    env = {
        # a dead address first: the services and the CLI try the next one
        "KMB_KAFKA_BOOTSTRAP": f"127.0.0.1:1,{kafka_bootstrap}",
        "KMB_TOPIC_PREFIX": prefix,
        "KMB_VAR_DIR": str(tmp_path),
        "KMB_SECRET_KEY": TEST_SECRET,
        **{
            f"KMB_{name.upper()}_PORT": str(free_port())
            for name in ("intake", "assessment", "catalogue", "referrals", "stats")
        },
    }
    runner = CliRunner()
    try:
        started = runner.invoke(app, ["up", "--external-kafka", "--detach"], env=env)
        assert started.exit_code == 0, started.output
        assert "external cluster" in started.output and "1 broker(s)" in started.output
        assert not list((tmp_path / "run").glob("kafka-*.pid")), "no broker of its own"
        status = runner.invoke(app, ["status", "--json"], env=env)
        rows = json.loads(status.stdout)
        assert [(r["service"], r["up"], r["ready"]) for r in rows] == [
            (name, True, True) for name in ("intake", "assessment", "catalogue", "referrals", "stats")
        ]
    finally:
        stopped = runner.invoke(app, ["down"], env=env)
    assert stopped.exit_code == 0 and "was left running" in stopped.output, stopped.output
    assert asyncio.run(kafka.cluster_brokers(kafka_bootstrap, timeout_s=10)) == 1  # still there
    core = set(Topics(prefix).core)
    assert core <= set(asyncio.run(delete_topics_with_prefix(kafka_bootstrap, prefix)))


def test_an_external_cluster_that_does_not_answer_is_named() -> None:
    with pytest.raises(InfraError, match=r"no Kafka cluster answers at 127\.0\.0\.1:1"):
        asyncio.run(kafka.cluster_brokers("127.0.0.1:1", timeout_s=2))
