"""Rewriting a partner topic without personal data (``kmb partner rewrite-topic``, issue 14).

Messages written before the thin versions (``kmb.partner.referral.v1`` with the client, the case number
and the note; ``kmb.partner.referral_status.v1`` with the note) stay on the partner's topic forever
(unlimited retention). The command replaces the topic by a copy in which every message is its current,
thin version (:func:`kmb_referrals.domain.thin.thin_message`); other messages are copied as they are.

Copy, not compaction: compaction keeps the last message per key, and a key here is a case (its
pseudonym), so it would drop a case's earlier steps; a tombstone removes a key but cannot change a
message. The topic keeps its name (the partner's ACLs, the listener and referrals' publisher name it),
so the copy is made twice:

1. every message, read to the end offsets seen at the start, is written thin to a staging topic
   ``<topic>.rewrite`` (same partitions, same keys, same order in each partition, headers kept with the
   new ``ce_type``) and read back: the same number per partition, byte for byte what was meant, none of
   the old messages' personal values (client's fields, case number, notes) anywhere;
2. only then, and only if the topic did not grow meanwhile and the partner's consumer group has no
   active member, the topic is deleted, created again with the same partitions and settings, filled from
   the staging copy and checked the same way; the partner's group is moved over: its committed offset in
   each partition is set to the same position in the new topic (so a listener resumes where it
   stopped, nothing shown twice); the staging topic is deleted.

Run it while referrals is stopped (``kmb down``) or at least publishes nothing to this partner: auto-create
is off, so a message published while the topic is away waits in referrals' outbox and is sent later,
but the check that the topic did not grow is what guards the copy.
"""

from __future__ import annotations

import asyncio
import json
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from aiokafka import AIOKafkaConsumer, AIOKafkaProducer, TopicPartition
from aiokafka.admin import AIOKafkaAdminClient, NewTopic
from aiokafka.structs import OffsetAndMetadata

from kmb_referrals.application.publishing import personal_values, thin_message
from kmb_shared.messaging import bootstrap_servers
from kmb_shared.messaging.admin import topic_settings
from kmb_shared.messaging.security import client_options
from kmb_shared.replay import read_to_end

STAGING_SUFFIX = ".rewrite"
WAIT_S = 30.0

Row = tuple[bytes | None, bytes | None, list[tuple[str, bytes]]]  # key, value, headers


class RewriteRefused(Exception):
    """The rewrite stopped before deleting anything (or, after, with the staging copy kept); Czech."""


@dataclass
class RewriteReport:
    topic: str
    partitions: int = 0
    messages: int = 0
    thinned: dict[str, int] = field(default_factory=dict)
    group_offsets: dict[int, int] = field(default_factory=dict)

    def lines_cs(self) -> list[str]:
        thinned = ", ".join(f"{kind}: {n}" for kind, n in sorted(self.thinned.items())) or "žádná"
        moved = ", ".join(f"oddíl {p} → {o}" for p, o in sorted(self.group_offsets.items())) or "žádné"
        return [
            f"Téma {self.topic} přepsáno bez osobních údajů: {self.messages} zpráv v {self.partitions} oddílech.",
            f"Převedeno na aktuální verzi: {thinned}.",
            f"Skupina partnera přesunuta na stejná místa: {moved}.",
        ]


def _header(headers: Sequence[tuple[str, bytes]], name: str) -> str:
    return next((v.decode("utf-8", "replace") for k, v in headers if k == name), "")


def convert(record: Any, report: RewriteReport, forbidden: set[str]) -> Row:
    """The thin copy of one record (key, value, headers); notes the old message's personal values."""
    headers = [(k, bytes(v or b"")) for k, v in record.headers or ()]
    message_type = _header(headers, "ce_type")
    try:
        data = json.loads(record.value or b"")
    except ValueError:
        return record.key, record.value, headers
    if not isinstance(data, dict):
        return record.key, record.value, headers
    forbidden.update(v for v in personal_values(message_type, data) if len(v) >= 3)
    current, thin = thin_message(message_type, data)
    if current == message_type:
        return record.key, record.value, headers
    report.thinned[message_type] = report.thinned.get(message_type, 0) + 1
    new_headers = [(k, current.encode() if k == "ce_type" else v) for k, v in headers]
    value = json.dumps(thin, ensure_ascii=False, separators=(",", ":")).encode()
    return record.key, value, new_headers


async def _read(bootstrap: str, topic: str) -> dict[int, list[Any]]:
    by_partition: dict[int, list[Any]] = defaultdict(list)
    async for records, _ in read_to_end(bootstrap, [topic], batch_size=1000):
        for record in records:
            by_partition[record.partition].append(record)
    for records in by_partition.values():
        records.sort(key=lambda r: r.offset)
    return by_partition


async def _write(bootstrap: str, topic: str, rows: dict[int, list[Row]]) -> None:
    producer = AIOKafkaProducer(
        bootstrap_servers=bootstrap_servers(bootstrap), enable_idempotence=True, **client_options()
    )
    await producer.start()
    try:
        sent = [
            await producer.send(topic, value=value, key=key, headers=headers, partition=partition)
            for partition, items in sorted(rows.items())
            for key, value, headers in items
        ]
        await asyncio.gather(*sent)
    finally:
        await producer.stop()


async def _verify(bootstrap: str, topic: str, rows: dict[int, list[Row]], forbidden: set[str]) -> None:
    """``topic`` holds exactly ``rows`` (per partition, in order) and none of the ``forbidden`` values."""
    copied = await _read(bootstrap, topic)
    for partition in set(rows) | set(copied):
        expected = [(k, v) for k, v, _ in rows.get(partition, [])]
        got = [(r.key, r.value) for r in copied.get(partition, [])]
        if got != expected:
            raise RewriteRefused(
                f"kopie v {topic} nesouhlasí s originálem v oddílu {partition} "
                f"({len(got)} zpráv místo {len(expected)})"
            )
        for record in copied.get(partition, []):
            text = (record.value or b"").decode("utf-8", "replace") + (record.key or b"").decode(
                "utf-8", "replace"
            )
            if any(value in text for value in forbidden):
                raise RewriteRefused(f"kopie v {topic} stále obsahuje osobní údaje (oddíl {partition})")


async def _wait(predicate: Any, what: str) -> None:
    loop = asyncio.get_running_loop()
    deadline = loop.time() + WAIT_S
    while not await predicate():
        if loop.time() > deadline:
            raise RewriteRefused(f"{what} se nepodařilo do {WAIT_S:.0f} s")
        await asyncio.sleep(0.2)


async def _ends(bootstrap: str, topic: str, partitions: int) -> dict[int, tuple[int, int]]:
    consumer = AIOKafkaConsumer(bootstrap_servers=bootstrap_servers(bootstrap), **client_options())
    await consumer.start()
    try:
        tps = [TopicPartition(topic, p) for p in range(partitions)]
        starts = await consumer.beginning_offsets(tps)
        ends = await consumer.end_offsets(tps)
        return {tp.partition: (starts[tp], ends[tp]) for tp in tps}
    finally:
        await consumer.stop()


async def _commit(bootstrap: str, group: str, offsets: dict[TopicPartition, int]) -> None:
    consumer = AIOKafkaConsumer(
        bootstrap_servers=bootstrap_servers(bootstrap),
        group_id=group,
        enable_auto_commit=False,
        **client_options(),
    )
    await consumer.start()
    try:
        consumer.assign(list(offsets))
        await consumer.commit({tp: OffsetAndMetadata(o, "") for tp, o in offsets.items()})
    finally:
        await consumer.stop()


async def rewrite_partner_topic(bootstrap: str, topic: str, group: str) -> RewriteReport:
    """Replace ``topic`` by its thin copy as described above; the partner's ``group`` moved over."""
    admin = AIOKafkaAdminClient(bootstrap_servers=bootstrap_servers(bootstrap), **client_options())
    await admin.start()
    try:
        return await _rewrite(admin, bootstrap, topic, group)
    finally:
        await admin.close()


async def _partition_count(admin: AIOKafkaAdminClient, topic: str) -> int:
    described = await admin.describe_topics([topic])
    if not described or described[0]["error_code"]:
        return 0
    return len(described[0]["partitions"])


async def _rewrite(admin: AIOKafkaAdminClient, bootstrap: str, topic: str, group: str) -> RewriteReport:
    report = RewriteReport(topic)
    if topic not in await admin.list_topics():
        raise RewriteRefused(f"téma {topic} neexistuje")
    partitions = report.partitions = await _partition_count(admin, topic)
    before = await _ends(bootstrap, topic, partitions)
    source = await _read(bootstrap, topic)
    forbidden: set[str] = set()
    rows = {p: [convert(r, report, forbidden) for r in source.get(p, [])] for p in range(partitions)}
    report.messages = sum(len(items) for items in rows.values())
    factor, configs = await topic_settings(admin, None)

    staging = topic + STAGING_SUFFIX
    if staging in await admin.list_topics():
        raise RewriteRefused(
            f"dočasné téma {staging} už existuje (nedokončený přepis?); prohlédněte a smažte je"
        )
    await admin.create_topics([NewTopic(staging, partitions, factor, topic_configs=configs)])
    await _wait(lambda: _has_partitions(admin, staging, partitions), f"vytvořit {staging}")
    await _write(bootstrap, staging, rows)
    await _verify(bootstrap, staging, rows, forbidden)

    if await _ends(bootstrap, topic, partitions) != before:
        await admin.delete_topics([staging])
        raise RewriteRefused(
            f"do tématu {topic} mezitím přibyly zprávy; zastavte referrals a spusťte přepis znovu"
        )
    if await _group_active(admin, group):
        await admin.delete_topics([staging])
        raise RewriteRefused(
            f"skupina {group} právě čte (běží kmb partner listen?); zastavte ji a zkuste znovu"
        )
    committed = await admin.list_consumer_group_offsets(group)
    positions = {
        tp.partition: meta.offset - before[tp.partition][0]
        for tp, meta in committed.items()
        if tp.topic == topic and meta.offset >= 0
    }

    await admin.delete_topics([topic])
    await _wait(lambda: _absent(admin, topic), f"smazat {topic}")
    await admin.create_topics([NewTopic(topic, partitions, factor, topic_configs=configs)])
    await _wait(lambda: _has_partitions(admin, topic, partitions), f"vytvořit znovu {topic}")
    await _write(bootstrap, topic, rows)
    await _verify(bootstrap, topic, rows, forbidden)
    if positions:
        await _commit(bootstrap, group, {TopicPartition(topic, p): o for p, o in positions.items()})
    report.group_offsets = positions
    await admin.delete_topics([staging])
    return report


async def _group_active(admin: AIOKafkaAdminClient, group: str) -> bool:
    """The group has members now (its state is neither Empty nor Dead); raw DescribeGroups answers:
    (error_code, group_id, state, protocol_type, protocol, members, ...)."""
    answers = await admin.describe_consumer_groups([group])
    return any(g[2] not in ("Empty", "Dead", "") for answer in answers for g in answer.groups)


async def _has_partitions(admin: AIOKafkaAdminClient, topic: str, partitions: int) -> bool:
    return await _partition_count(admin, topic) == partitions


async def _absent(admin: AIOKafkaAdminClient, topic: str) -> bool:
    return topic not in await admin.list_topics()
