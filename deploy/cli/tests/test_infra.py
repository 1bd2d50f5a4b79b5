"""Local infrastructure: prerequisites, jar fetch bookkeeping, and a real one-node Kafka broker.

The broker tests need `KMB_TEST_KAFKA_BOOTSTRAP` (set by `deploy/test.sh`, which starts the broker);
they prove that topics, consumer groups and transactions work on one node.
"""

from __future__ import annotations

import asyncio
import hashlib
import os
import shutil
import subprocess
import uuid
from pathlib import Path
from typing import Any

import asyncpg
import pytest
from aiokafka import AIOKafkaConsumer, AIOKafkaProducer, TopicPartition
from aiokafka.admin import AIOKafkaAdminClient
from aiokafka.admin.config_resource import ConfigResource, ConfigResourceType
from typer.testing import CliRunner

from kmb_cli.infra import kafka, postgres
from kmb_cli.infra._common import InfraError, repo_root
from kmb_cli.infra.cli import kafka_app

BOOTSTRAP = os.environ.get("KMB_TEST_KAFKA_BOOTSTRAP", "")
POSTGRES_URL = os.environ.get("KMB_TEST_POSTGRES_URL", "")
needs_broker = pytest.mark.skipif(
    not BOOTSTRAP, reason="KMB_TEST_KAFKA_BOOTSTRAP not set (run deploy/test.sh)"
)
needs_postgres = pytest.mark.skipif(
    not POSTGRES_URL, reason="KMB_TEST_POSTGRES_URL not set (run deploy/test.sh)"
)


def _unique(prefix: str) -> str:
    return f"test.{prefix}.{uuid.uuid4().hex[:12]}"


# --- prerequisites ---------------------------------------------------------------------------------


def test_check_prerequisites_names_java_to_install_when_path_is_empty(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("PATH", "")
    monkeypatch.delenv("JAVA_HOME", raising=False)
    with pytest.raises(kafka.PrerequisiteError) as caught:
        kafka.check_prerequisites()
    message = str(caught.value)
    assert message.startswith("Java 17+ not found")
    assert "apt-get install openjdk-17-jre-headless" in message
    assert "\n" not in message


def test_check_prerequisites_names_maven_when_only_java_is_on_path(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    java = shutil.which("java")
    if java is None:
        pytest.skip("no java on this machine")
    (tmp_path / "java").symlink_to(Path(java).resolve())
    monkeypatch.setenv("PATH", str(tmp_path))
    monkeypatch.delenv("JAVA_HOME", raising=False)
    with pytest.raises(kafka.PrerequisiteError, match=r"^Maven not found: .*apt-get install maven"):
        kafka.check_prerequisites()


@pytest.mark.parametrize(
    ("output", "major"),
    [
        ('openjdk version "17.0.15" 2025-04-15', 17),
        ('openjdk version "21" 2023-09-19', 21),
        # Before Java 9 the version read "1.<major>", so 1.8 is Java 8.
        ('java version "1.8.0_402"', 8),
        ("no version here", None),
    ],
)
def test_parse_java_major_reads_new_and_legacy_version_strings(output: str, major: int | None) -> None:
    assert kafka.parse_java_major(output) == major


# --- broker configuration and jar bookkeeping -------------------------------------------------------


def test_broker_properties_describe_one_combined_kraft_node_on_loopback(tmp_path: Path) -> None:
    lines = kafka.broker_properties(19092, 20092, tmp_path / "data").splitlines()
    props = dict(line.split("=", 1) for line in lines if not line.startswith("#"))
    assert props["process.roles"] == "broker,controller"
    assert props["node.id"] == "1"
    assert props["controller.quorum.voters"] == "1@127.0.0.1:20092"
    assert props["listeners"] == "PLAINTEXT://127.0.0.1:19092,CONTROLLER://127.0.0.1:20092"
    assert props["log.dirs"] == str(tmp_path / "data")
    assert props["offsets.topic.replication.factor"] == "1"
    assert props["transaction.state.log.replication.factor"] == "1"
    assert props["transaction.state.log.min.isr"] == "1"
    assert props["group.initial.rebalance.delay.ms"] == "0"
    assert props["auto.create.topics.enable"] == "false"
    assert props["num.partitions"] == "3"


def _props(text: str) -> dict[str, str]:
    return dict(line.split("=", 1) for line in text.splitlines() if not line.startswith("#"))


def test_three_nodes_are_one_quorum_each_with_its_own_ports_and_data(tmp_path: Path) -> None:
    ports, controller_ports = kafka.cluster_ports(3, 19092, None)
    assert (ports, controller_ports) == ([19092, 19093, 19094], [20092, 20093, 20094])
    nodes = [
        _props(kafka.node_properties(i, ports, controller_ports, tmp_path / f"data-{i}")) for i in (1, 2, 3)
    ]
    voters = "1@127.0.0.1:20092,2@127.0.0.1:20093,3@127.0.0.1:20094"
    assert [n["controller.quorum.voters"] for n in nodes] == [voters] * 3
    assert [n["node.id"] for n in nodes] == ["1", "2", "3"]
    assert [n["process.roles"] for n in nodes] == ["broker,controller"] * 3
    assert nodes[1]["listeners"] == "PLAINTEXT://127.0.0.1:19093,CONTROLLER://127.0.0.1:20093"
    assert nodes[1]["advertised.listeners"] == "PLAINTEXT://127.0.0.1:19093"
    assert len({n["log.dirs"] for n in nodes}) == 3
    # Three copies of the internal topics, two of them in sync for a write: one node may be lost.
    for key in ("offsets.topic.replication.factor", "transaction.state.log.replication.factor"):
        assert {n[key] for n in nodes} == {"3"}
    assert {n["transaction.state.log.min.isr"] for n in nodes} == {"2"}
    assert {n["min.insync.replicas"] for n in nodes} == {"2"}


def test_given_controller_ports_count_up_from_the_given_one() -> None:
    assert kafka.cluster_ports(3, 9092, 9192) == ([9092, 9093, 9094], [9192, 9193, 9194])
    assert kafka.cluster_ports(1, 9092, None) == ([9092], [10092])


def test_a_node_that_did_not_come_up_is_named_with_its_log_and_a_duplicate_registration_explained(
    tmp_path: Path,
) -> None:
    log = tmp_path / "kafka-19093.log"
    earlier = "=== kmb: node starting 2 at 2026-01-05T10:00:00 ===\nan earlier run\n"
    now = [f"[t] INFO line {i}" for i in range(30)]
    now[3] = "[t] ERROR Unable to register broker 2: DUPLICATE_BROKER_REGISTRATION"
    log.write_text(earlier + "=== kmb: node starting 2 at 2026-01-05T10:01:00 ===\n" + "\n".join(now) + "\n")
    node = kafka.BrokerHandle(19093, 20093, 1, tmp_path, tmp_path / "data", log, reused=False, node_id=2)
    report = kafka._node_report(node, "was not registered within 120 s")
    assert report.startswith("Kafka node 2 (127.0.0.1:19093) was not registered within 120 s")
    assert "registration from before it was killed" in report
    # Only this start's lines: its ERROR line, then the end (20 lines in all).
    assert report.split(":\n", 1)[1].splitlines() == [now[3], "...", *now[-19:]]
    log.write_text(earlier)
    assert kafka._node_report(node, "exited during start").endswith("an earlier run")


def test_a_cluster_is_refused_where_a_one_node_broker_or_another_cluster_left_its_data(
    tmp_path: Path,
) -> None:
    ports, controller_ports = [47092, 47093, 47094], [48092, 48093, 48094]
    (tmp_path / "kafka" / "data-47092").mkdir(parents=True)
    (tmp_path / "kafka" / "data-47092" / "meta.properties").write_text("cluster.id=abc\nnode.id=1\n")
    with pytest.raises(InfraError, match="data-47092 hold a one-node broker's data"):
        kafka.start_cluster(tmp_path, ports, controller_ports)
    (tmp_path / "kafka" / "cluster-47092.json").write_text('{"ports": [47092, 47093]}\n')
    with pytest.raises(InfraError, match="describes another cluster"):
        kafka.start_cluster(tmp_path, ports, controller_ports)


def _pom_digest() -> str:
    return hashlib.sha256((repo_root() / "deploy" / "kafka" / "pom.xml").read_bytes()).hexdigest()


def test_ensure_jars_skips_maven_when_a_finished_fetch_of_this_pom_is_there(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    libs = tmp_path / "kafka" / "libs"
    libs.mkdir(parents=True)
    (libs / ".kmb-fetch-complete").write_text(_pom_digest() + "\n")

    def no_maven(*args: Any, **kwargs: Any) -> None:
        raise AssertionError("Maven must not run when the fetch is complete")

    monkeypatch.setattr(kafka.subprocess, "run", no_maven)
    assert kafka.ensure_jars(tmp_path) == libs


def test_ensure_jars_redoes_a_half_finished_fetch_and_marks_it_done(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    libs = tmp_path / "kafka" / "libs"
    libs.mkdir(parents=True)
    (libs / "truncated.jar").write_bytes(b"half")  # left by an interrupted fetch, no marker
    calls: list[list[str]] = []

    def fake_run(cmd: list[str], **kwargs: Any) -> subprocess.CompletedProcess[str]:
        calls.append(cmd)
        return subprocess.CompletedProcess(cmd, 0, "", "")

    monkeypatch.setattr(kafka, "check_prerequisites", lambda: None)
    monkeypatch.setattr(kafka.subprocess, "run", fake_run)
    assert kafka.ensure_jars(tmp_path) == libs
    assert len(calls) == 1
    assert calls[0][0] == "mvn"
    assert "dependency:copy-dependencies" in calls[0]
    assert f"-DoutputDirectory={libs}" in calls[0]
    assert not (libs / "truncated.jar").exists()
    assert (libs / ".kmb-fetch-complete").read_text().strip() == _pom_digest()


def test_postgres_url_names_user_kmb_on_loopback() -> None:
    assert postgres.url(55432) == "postgresql+asyncpg://kmb@127.0.0.1:55432/postgres"


def test_kafka_start_command_with_three_brokers_starts_three_nodes_and_prints_their_addresses(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    calls: list[tuple[list[int], list[int], str]] = []

    def fake_start(
        var_dir: Path,
        ports: list[int],
        controller_ports: list[int],
        heap: str,
        sasl: bool = False,
        tls: bool = False,
    ) -> Any:
        calls.append((ports, controller_ports, heap))
        nodes = tuple(
            kafka.BrokerHandle(p, c, 100 + i, var_dir, var_dir, var_dir / f"kafka-{p}.log", False, i + 1)
            for i, (p, c) in enumerate(zip(ports, controller_ports, strict=True))
        )
        return kafka.ClusterHandle(nodes, "abc")

    monkeypatch.setattr(kafka, "start_cluster", fake_start)
    args = ["start", "--brokers", "3", "--port", "29192", "--heap", "384m", "--var-dir", str(tmp_path)]
    result = CliRunner().invoke(kafka_app, args)
    assert result.exit_code == 0, result.output
    assert calls == [([29192, 29193, 29194], [30192, 30193, 30194], "384m")]
    assert result.stdout.strip().splitlines()[-1] == "127.0.0.1:29192,127.0.0.1:29193,127.0.0.1:29194"


def test_kafka_stop_command_reports_a_broker_that_is_not_running(tmp_path: Path) -> None:
    result = CliRunner().invoke(kafka_app, ["stop", "--port", "29999", "--var-dir", str(tmp_path)])
    assert result.exit_code == 0
    assert "was not running" in result.output


# --- the real broker ---------------------------------------------------------------------------------


async def _retention_ms(topic: str) -> str:
    admin = AIOKafkaAdminClient(bootstrap_servers=BOOTSTRAP)
    await admin.start()
    try:
        resource = ConfigResource(ConfigResourceType.TOPIC, topic, {"retention.ms": None})
        responses = await admin.describe_configs([resource])
    finally:
        await admin.close()
    entries = responses[0].to_object()["resources"][0]["config_entries"]
    return str({e["config_names"]: e["config_value"] for e in entries}["retention.ms"])


@pytest.mark.kafka
@needs_broker
async def test_create_topics_twice_creates_once_with_unlimited_retention() -> None:
    names = [_unique("a"), _unique("b")]
    assert await kafka.create_topics(BOOTSTRAP, names) == names
    assert await kafka.create_topics(BOOTSTRAP, names) == []  # second call: nothing new, no error
    listed = await kafka.list_topics(BOOTSTRAP)
    assert set(names) <= set(listed)
    for name in names:
        assert await _retention_ms(name) == "-1"


@pytest.mark.kafka
@needs_broker
def test_topics_command_lists_a_created_topic() -> None:
    name = _unique("cli")
    asyncio.run(kafka.create_topics(BOOTSTRAP, [name], partitions=1))
    result = CliRunner().invoke(kafka_app, ["topics", "--bootstrap", BOOTSTRAP])
    assert result.exit_code == 0
    assert name in result.output.splitlines()


@pytest.mark.kafka
@needs_broker
async def test_consumer_group_reads_a_produced_message_and_commits_its_offset() -> None:
    topic, group = _unique("group"), _unique("g")
    await kafka.create_topics(BOOTSTRAP, [topic], partitions=1)
    producer = AIOKafkaProducer(bootstrap_servers=BOOTSTRAP, enable_idempotence=True)
    await producer.start()
    try:
        await producer.send_and_wait(topic, b"hello", key=b"k1")
    finally:
        await producer.stop()

    consumer = AIOKafkaConsumer(
        topic,
        bootstrap_servers=BOOTSTRAP,
        group_id=group,
        auto_offset_reset="earliest",
        enable_auto_commit=False,
    )
    await consumer.start()
    try:
        record = await asyncio.wait_for(consumer.getone(), timeout=30)
        await consumer.commit()
        # One message at offset 0 was read, so the committed position is 0 + 1 = 1.
        committed = await consumer.committed(TopicPartition(topic, 0))
    finally:
        await consumer.stop()
    assert (record.key, record.value, record.offset) == (b"k1", b"hello", 0)
    assert committed == 1


@pytest.mark.kafka
@needs_broker
async def test_read_committed_consumer_sees_committed_transaction_but_not_aborted_one() -> None:
    topic = _unique("txn")
    await kafka.create_topics(BOOTSTRAP, [topic], partitions=1)
    producer = AIOKafkaProducer(bootstrap_servers=BOOTSTRAP, transactional_id=_unique("tx"))
    await producer.start()
    try:
        await producer.begin_transaction()
        await producer.send_and_wait(topic, b"aborted")  # written to the log, then aborted
        await producer.abort_transaction()
        async with producer.transaction():
            await producer.send_and_wait(topic, b"committed")
    finally:
        await producer.stop()

    consumer = AIOKafkaConsumer(
        topic,
        bootstrap_servers=BOOTSTRAP,
        group_id=_unique("g"),
        auto_offset_reset="earliest",
        isolation_level="read_committed",
    )
    await consumer.start()
    try:
        record = await asyncio.wait_for(consumer.getone(), timeout=30)
    finally:
        await consumer.stop()
    # The aborted record and its abort marker sit at offsets 0 and 1, so the committed record is at 2
    # and is the first one a read_committed consumer gets.
    assert (record.value, record.offset) == (b"committed", 2)


@pytest.mark.postgres
@needs_postgres
async def test_throwaway_postgres_accepts_user_kmb_without_password() -> None:
    connection = await asyncpg.connect(POSTGRES_URL.replace("postgresql+asyncpg://", "postgresql://"))
    try:
        assert await connection.fetchval("select current_user") == "kmb"
    finally:
        await connection.close()
