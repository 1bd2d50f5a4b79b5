"""Topics are replicated as the cluster allows (issue 16: core topics had replication factor 1 with no
option, and acks=all writes were accepted below the cluster's min.insync.replicas)."""

from __future__ import annotations

import uuid

import pytest
from aiokafka.admin import AIOKafkaAdminClient
from aiokafka.admin.config_resource import ConfigResource, ConfigResourceType

from kmb_shared.messaging.admin import ensure_topics, replication_for
from kmb_testkit.probe import wait_until


@pytest.mark.parametrize(("brokers", "expected"), [(1, (1, 1)), (2, (2, 1)), (3, (3, 2)), (5, (3, 2))])
def test_three_copies_two_in_sync_where_the_cluster_has_three_brokers(
    brokers: int, expected: tuple[int, int]
) -> None:
    assert replication_for(brokers) == expected


@pytest.mark.kafka
async def test_a_topic_on_the_test_broker_gets_what_a_one_broker_cluster_allows(kafka_bootstrap: str) -> None:
    name = f"t{uuid.uuid4().hex[:10]}.replication.v1"
    assert await ensure_topics(kafka_bootstrap, [name], partitions=1) == [name]
    admin = AIOKafkaAdminClient(bootstrap_servers=kafka_bootstrap)
    await admin.start()
    try:
        replicas: list[int] = []

        async def described() -> bool:
            # A topic just created may be described with no partitions until the controller's
            # metadata reaches the broker that answers (seen once in CI): wait for them, bounded.
            nonlocal replicas
            [topic] = await admin.describe_topics([name])
            replicas = [len(p["replicas"]) for p in topic["partitions"]]
            return bool(replicas)

        await wait_until(described, timeout_s=20.0)
        assert replicas == [1]
        [configs] = await admin.describe_configs([ConfigResource(ConfigResourceType.TOPIC, name)])
        values = {entry[0]: entry[1] for entry in configs.resources[0][4]}
        assert (values["min.insync.replicas"], values["retention.ms"]) == ("1", "-1")
        await admin.delete_topics([name])
    finally:
        await admin.close()
