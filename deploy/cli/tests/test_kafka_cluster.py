"""The local 3-node cluster (`kmb kafka start --brokers 3`, the test kit's ``kafka_cluster``) on real JVMs."""

from __future__ import annotations

import asyncio
import time
import uuid

import pytest
from aiokafka import AIOKafkaConsumer, AIOKafkaProducer
from aiokafka.admin import AIOKafkaAdminClient
from aiokafka.admin.config_resource import ConfigResource, ConfigResourceType

from kmb_cli.infra import kafka
from kmb_shared.messaging.kafka import bootstrap_servers
from kmb_testkit.cluster import KafkaCluster

pytestmark = pytest.mark.cluster


async def _topic_shape(bootstrap: str, topic: str) -> tuple[set[int], str]:
    """(the replica counts of the topic's partitions, its min.insync.replicas)."""
    admin = AIOKafkaAdminClient(bootstrap_servers=bootstrap_servers(bootstrap))
    await admin.start()
    try:
        described = await admin.describe_topics([topic])
        replicas = {len(p["replicas"]) for p in described[0]["partitions"]}
        resource = ConfigResource(ConfigResourceType.TOPIC, topic, {"min.insync.replicas": None})
        entries = (await admin.describe_configs([resource]))[0].to_object()["resources"][0]["config_entries"]
        return replicas, {e["config_names"]: e["config_value"] for e in entries}["min.insync.replicas"]
    finally:
        await admin.close()


async def _send(bootstrap: str, topic: str, value: bytes) -> None:
    producer = AIOKafkaProducer(bootstrap_servers=bootstrap_servers(bootstrap), enable_idempotence=True)
    await producer.start()
    try:
        await asyncio.wait_for(producer.send_and_wait(topic, value), 60)
    finally:
        await producer.stop()


async def _values(bootstrap: str, topic: str, expected: int) -> list[bytes]:
    """The topic's values from the start, once ``expected`` have arrived (or after 30 s)."""
    consumer = AIOKafkaConsumer(
        topic, bootstrap_servers=bootstrap_servers(bootstrap), auto_offset_reset="earliest"
    )
    await consumer.start()
    try:
        values: list[bytes] = []
        deadline = time.monotonic() + 30
        while len(values) < expected and time.monotonic() < deadline:
            for records in (await consumer.getmany(timeout_ms=500)).values():
                values += [r.value for r in records if r.value is not None]
        return values
    finally:
        await consumer.stop()


def test_three_registered_nodes_replicate_a_topic_three_times_and_survive_one_killed(
    kafka_cluster: KafkaCluster,
) -> None:
    bootstrap = kafka_cluster.bootstrap
    assert bootstrap.count(",") == 2
    assert asyncio.run(kafka.cluster_brokers(bootstrap)) == 3
    topic = f"cluster-test-{uuid.uuid4().hex[:8]}"
    assert asyncio.run(kafka.create_topics(bootstrap, [topic])) == [topic]
    assert asyncio.run(_topic_shape(bootstrap, topic)) == ({3}, "2")

    asyncio.run(_send(bootstrap, topic, b"before"))
    kafka_cluster.kill(2)
    # Two copies are still in sync: an acks=all write is accepted, and node 2's data is on the others.
    asyncio.run(_send(bootstrap, topic, b"while node 2 is down"))
    kafka_cluster.restart()
    assert asyncio.run(kafka.cluster_brokers(bootstrap)) == 3
    assert sorted(asyncio.run(_values(bootstrap, topic, 2))) == [b"before", b"while node 2 is down"]
    print(f"node 2 restarted after kill -9 in {kafka_cluster.restarts[-1]:.1f} s")
