"""A real one-node Kafka broker that takes SASL (SCRAM-SHA-512) with ACLs, started by the launcher
(``start_broker(..., sasl=True)``, over TLS for ``sasl_tls_broker``) in a temporary var dir on free ports, once per test module that asks
for it; the jars are linked from a finished fetch as for :mod:`kmb_testkit.cluster`.

The default test broker (``KMB_TEST_KAFKA_BOOTSTRAP``, PLAINTEXT) is left as it is.
"""

from __future__ import annotations

import asyncio
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

if TYPE_CHECKING:
    from kmb_cli.infra.kafka import BrokerHandle
    from kmb_shared.messaging.security import KafkaCredentials

#: the broker's JVM heap (next to the default test broker and, in an e2e test, five services)
HEAP = "384m"
START_TIMEOUT_S = 180.0


@dataclass
class SaslBroker:
    handle: BrokerHandle
    var_dir: Path

    @property
    def bootstrap(self) -> str:
        return self.handle.bootstrap

    @property
    def admin(self) -> KafkaCredentials:
        """The launcher's admin (the only super user)."""
        return self.handle.security


def _started(tmp_path_factory: pytest.TempPathFactory, tls: bool) -> Iterator[SaslBroker]:
    from kmb_cli.infra._common import InfraError
    from kmb_cli.infra.kafka import start_broker
    from kmb_testkit.cluster import _link_jars
    from kmb_testkit.system import free_port

    var_dir = tmp_path_factory.mktemp("kafka-sasl-tls" if tls else "kafka-sasl")
    _link_jars(var_dir)
    begun = time.monotonic()
    try:
        handle = start_broker(var_dir, free_port(), free_port(), HEAP, START_TIMEOUT_S, sasl=True, tls=tls)
    except InfraError as exc:
        pytest.fail(f"the SASL Kafka broker did not start: {exc}", pytrace=False)
    how = "SASL_SSL" if tls else "SASL"
    print(f"\n{how} Kafka broker at {handle.bootstrap} started in {time.monotonic() - begun:.1f} s")
    try:
        yield SaslBroker(handle, var_dir)
    finally:
        handle.stop()


@pytest.fixture(scope="module")
def sasl_broker(tmp_path_factory: pytest.TempPathFactory) -> Iterator[SaslBroker]:
    """A SASL_PLAINTEXT (SCRAM-SHA-512) broker with the StandardAuthorizer on free ports of 127.0.0.1."""
    yield from _started(tmp_path_factory, tls=False)


@pytest.fixture(scope="module")
def sasl_tls_broker(tmp_path_factory: pytest.TempPathFactory) -> Iterator[SaslBroker]:
    """The same over TLS (SASL_SSL), its certificate signed by the launcher's CA of its var dir
    (``handle.ca_file``; :attr:`SaslBroker.admin` trusts it)."""
    yield from _started(tmp_path_factory, tls=True)


async def until_accepted(
    bootstrap: str, credentials: list[KafkaCredentials], timeout_s: float = 30.0
) -> None:
    """Wait until the broker accepts each of ``credentials``: a SCRAM user made a moment ago is in the
    controller's metadata before the broker has applied it, which on a busy machine can be noticeable."""
    from kmb_shared.messaging.security import credentials_problem

    deadline = time.monotonic() + timeout_s
    for who in credentials:
        while (problem := await credentials_problem([bootstrap], who)) is not None:
            assert time.monotonic() < deadline, problem
            await asyncio.sleep(0.2)


#: a bounded wait for one record (the broker is local)
WAIT_S = 20.0


async def produce_one(bootstrap: str, who: KafkaCredentials, topic: str, value: bytes = b"{}") -> None:
    """Write one record as ``who`` with an idempotent producer (what the outbox relay uses)."""
    from aiokafka import AIOKafkaProducer

    producer = AIOKafkaProducer(
        bootstrap_servers=bootstrap,
        enable_idempotence=True,
        request_timeout_ms=10_000,
        **who.client_options(),
    )
    try:
        await producer.start()
        await asyncio.wait_for(producer.send_and_wait(topic, value, key=b"k"), WAIT_S)
    finally:
        await producer.stop()


async def consume_one(
    bootstrap: str, who: KafkaCredentials, topic: str, group: str, commit: bool = True
) -> bytes:
    """The first record ``who`` reads of ``topic`` in ``group`` (from the beginning when the group has
    committed nothing; with ``commit=False`` it never does, so every reading starts there)."""
    from aiokafka import AIOKafkaConsumer

    consumer = AIOKafkaConsumer(
        topic,
        bootstrap_servers=bootstrap,
        group_id=group,
        auto_offset_reset="earliest",
        enable_auto_commit=commit,
        **who.client_options(),
    )
    try:
        await consumer.start()
        record = await asyncio.wait_for(consumer.getone(), WAIT_S)
        return bytes(record.value or b"")
    finally:
        await consumer.stop()


def run_kmb(args: list[str], env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    """`kmb <args>` as its own process (what an operator or a partner types), its output captured."""
    command = [sys.executable, "-m", "kmb_cli", *args]
    return subprocess.run(command, env=env, capture_output=True, text=True, timeout=120, check=False)
