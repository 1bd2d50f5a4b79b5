"""Consumer lag of each service's consumer group: end offsets minus committed offsets."""

from __future__ import annotations

from aiokafka import AIOKafkaConsumer, TopicPartition
from aiokafka.admin import AIOKafkaAdminClient

from kmb_shared.messaging.kafka import bootstrap_servers
from kmb_shared.messaging.security import client_options


async def consumer_lag(bootstrap: str, groups: list[str]) -> dict[str, int | None]:
    """Total lag per group over the topics it has committed offsets for (None: group unknown)."""
    admin = AIOKafkaAdminClient(bootstrap_servers=bootstrap_servers(bootstrap), **client_options())
    consumer = AIOKafkaConsumer(bootstrap_servers=bootstrap_servers(bootstrap), **client_options())
    await admin.start()
    await consumer.start()
    try:
        out: dict[str, int | None] = {}
        for group in groups:
            committed = await admin.list_consumer_group_offsets(group)
            if not committed:
                out[group] = None
                continue
            parts = [TopicPartition(tp.topic, tp.partition) for tp in committed]
            ends = await consumer.end_offsets(parts)
            out[group] = sum(
                max(0, ends[tp] - (meta.offset if meta.offset >= 0 else 0)) for tp, meta in committed.items()
            )
        return out
    finally:
        await consumer.stop()
        await admin.close()
