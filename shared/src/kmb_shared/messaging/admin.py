"""Creating topics: explicit (auto-create is off), unlimited retention, idempotent."""

from __future__ import annotations

from aiokafka.admin import AIOKafkaAdminClient, NewTopic
from aiokafka.errors import TopicAlreadyExistsError

from .kafka import bootstrap_servers
from .security import KafkaCredentials, client_options


def replication_for(brokers: int) -> tuple[int, int]:
    """(replication factor, ``min.insync.replicas``) of a topic on a cluster of ``brokers``: three copies
    where there are three brokers or more, and then at least two in sync for an ``acks=all`` write to
    be accepted, so that losing one broker loses nothing and stops nothing; fewer on a smaller cluster."""
    factor = max(1, min(3, brokers))
    return factor, 2 if factor >= 3 else 1


async def topic_settings(admin: AIOKafkaAdminClient, replication: int | None) -> tuple[int, dict[str, str]]:
    """The replication factor (``None``: from the cluster's size) and the configs of a new topic."""
    if replication is None:
        replication, in_sync = replication_for(len((await admin.describe_cluster())["brokers"]))
    else:
        in_sync = 2 if replication >= 3 else 1
    return replication, {"retention.ms": "-1", "min.insync.replicas": str(in_sync)}


async def ensure_topics(
    bootstrap: str,
    names: list[str],
    partitions: int = 3,
    replication: int | None = None,
    security: KafkaCredentials | None = None,
) -> list[str]:
    """Create the topics that do not exist yet (``retention.ms=-1``; replication by
    :func:`replication_for` unless given) as ``security`` (None: this process's ``KMB_KAFKA_*``);
    return the names created."""
    admin = AIOKafkaAdminClient(bootstrap_servers=bootstrap_servers(bootstrap), **client_options(security))
    await admin.start()
    try:
        existing = set(await admin.list_topics())
        missing = [n for n in dict.fromkeys(names) if n not in existing]
        if missing:
            factor, configs = await topic_settings(admin, replication)
            try:
                await admin.create_topics(
                    [NewTopic(n, partitions, factor, topic_configs=configs) for n in missing]
                )
            except TopicAlreadyExistsError:
                pass
        return missing
    finally:
        await admin.close()


async def delete_topics_with_prefix(
    bootstrap: str, prefix: str, security: KafkaCredentials | None = None
) -> list[str]:
    """Delete every topic whose name starts with ``prefix`` (test namespaces); returns the names."""
    if not prefix:
        raise ValueError("refusing to delete topics without a prefix")
    admin = AIOKafkaAdminClient(bootstrap_servers=bootstrap_servers(bootstrap), **client_options(security))
    await admin.start()
    try:
        doomed = [t for t in await admin.list_topics() if t.startswith(prefix)]
        if doomed:
            await admin.delete_topics(doomed)
        return doomed
    finally:
        await admin.close()
