"""A real single-node Apache Kafka broker (KRaft, broker+controller in one JVM) from Maven Central.

The jars come from `deploy/kafka/pom.xml` via Maven; the broker runs as a detached `java` process
whose pid file and log live under the var dir, so any later command can find and stop it.
"""

from __future__ import annotations

import asyncio
import hashlib
import os
import re
import shutil
import subprocess
import time
from dataclasses import dataclass
from pathlib import Path

from aiokafka.admin import AIOKafkaAdminClient, NewTopic

from kmb_shared.messaging.admin import topic_settings
from kmb_shared.messaging.kafka import bootstrap_servers

from ._common import InfraError, live_process, port_in_use, read_pid, repo_root, run_sync, tail, terminate

MIN_JAVA = 17
BROKER_MAIN = "kafka.Kafka"
STORAGE_TOOL = "kafka.tools.StorageTool"
_MARKER = ".kmb-fetch-complete"
_TOPIC_ALREADY_EXISTS = 36


class PrerequisiteError(InfraError):
    """Java or Maven is missing; the message names what to install."""


@dataclass(frozen=True)
class BrokerHandle:
    """A running local broker, started by us now (`reused=False`) or earlier (`reused=True`)."""

    port: int
    controller_port: int
    pid: int
    var_dir: Path
    data_dir: Path
    log_file: Path
    reused: bool

    @property
    def bootstrap(self) -> str:
        return f"127.0.0.1:{self.port}"

    def stop(self) -> bool:
        return stop_broker(self.var_dir, self.port)


def _java_bin() -> str | None:
    java_home = os.environ.get("JAVA_HOME")
    if java_home and (Path(java_home) / "bin" / "java").is_file():
        return str(Path(java_home) / "bin" / "java")
    return shutil.which("java")


def parse_java_major(version_output: str) -> int | None:
    """Major version from `java -version` output: '"17.0.15"' -> 17, legacy '"1.8.0_402"' -> 8."""
    match = re.search(r'version "(\d+)(?:\.(\d+))?', version_output)
    if not match:
        return None
    major = int(match.group(1))
    if major == 1 and match.group(2):
        return int(match.group(2))
    return major


def check_prerequisites() -> None:
    """Raise PrerequisiteError (one line) unless Java 17+ and Maven are on this machine."""
    java = _java_bin()
    hint = "install OpenJDK 17 (apt-get install openjdk-17-jre-headless)"
    if java is None:
        raise PrerequisiteError(f"Java {MIN_JAVA}+ not found: {hint}")
    result = _capture([java, "-version"])
    major = parse_java_major(result.stderr + result.stdout)
    if major is None or major < MIN_JAVA:
        raise PrerequisiteError(f"Java {MIN_JAVA}+ needed, found {major or 'unknown'} at {java}: {hint}")
    if shutil.which("mvn") is None:
        raise PrerequisiteError("Maven not found: install Maven 3 (apt-get install maven)")


def _pom() -> Path:
    return repo_root() / "deploy" / "kafka" / "pom.xml"


def _log4j_config() -> Path:
    return repo_root() / "deploy" / "kafka" / "log4j2.properties"


def ensure_jars(var_dir: Path) -> Path:
    """Fetch the broker classpath into `<var_dir>/kafka/libs` unless a finished fetch of this POM is there."""
    pom = _pom()
    libs = var_dir / "kafka" / "libs"
    digest = hashlib.sha256(pom.read_bytes()).hexdigest()
    marker = libs / _MARKER
    if marker.is_file() and marker.read_text().strip() == digest:
        return libs
    check_prerequisites()
    if libs.exists():
        shutil.rmtree(libs)  # a half-finished or outdated fetch: start clean
    libs.mkdir(parents=True)
    cmd = ["mvn", "-q", "-B", "-Dstyle.color=never", "-f", str(pom), "dependency:copy-dependencies"]
    cmd += ["-DincludeScope=runtime", f"-DoutputDirectory={libs}"]
    result = _capture(cmd)
    if result.returncode != 0:
        output = "\n".join((result.stdout + result.stderr).splitlines()[-15:])
        raise InfraError(f"Maven could not fetch the Kafka jars (exit {result.returncode}):\n{output}")
    marker.write_text(digest + "\n")
    return libs


def kafka_version(libs: Path) -> str:
    """The broker version in a fetched libs folder, from the `kafka_2.13-<version>.jar` name."""
    for jar in libs.glob("kafka_2.13-*.jar"):
        return jar.name.removeprefix("kafka_2.13-").removesuffix(".jar")
    raise InfraError(f"no kafka_2.13 jar in {libs}: run `kmb kafka fetch`")


def broker_properties(port: int, controller_port: int, data_dir: Path) -> str:
    """server.properties of a one-node KRaft broker+controller listening on 127.0.0.1 only."""
    settings = {
        "process.roles": "broker,controller",
        "node.id": "1",
        "controller.quorum.voters": f"1@127.0.0.1:{controller_port}",
        "listeners": f"PLAINTEXT://127.0.0.1:{port},CONTROLLER://127.0.0.1:{controller_port}",
        "advertised.listeners": f"PLAINTEXT://127.0.0.1:{port}",
        "listener.security.protocol.map": "PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT",
        "controller.listener.names": "CONTROLLER",
        "inter.broker.listener.name": "PLAINTEXT",
        "log.dirs": str(data_dir),
        "num.partitions": "3",
        "default.replication.factor": "1",
        "min.insync.replicas": "1",
        "offsets.topic.replication.factor": "1",
        "transaction.state.log.replication.factor": "1",
        "transaction.state.log.min.isr": "1",
        "share.coordinator.state.topic.replication.factor": "1",
        "share.coordinator.state.topic.min.isr": "1",
        "group.initial.rebalance.delay.ms": "0",
        "auto.create.topics.enable": "false",
    }
    lines = ["# Written by kmb_cli.infra.kafka; rewritten on every start."]
    lines += [f"{key}={value}" for key, value in settings.items()]
    return "\n".join(lines) + "\n"


def _java_cmd(libs: Path, heap: str, main: str, *args: str) -> list[str]:
    jvm = [f"-Xmx{heap}", "-XX:+ExitOnOutOfMemoryError", f"-Dlog4j2.configurationFile={_log4j_config()}"]
    return [_java_bin() or "java", *jvm, "-cp", f"{libs}/*", main, *args]


def _capture(cmd: list[str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(cmd, capture_output=True, text=True, check=False)


def _format_storage(libs: Path, props: Path, data_dir: Path) -> None:
    if (data_dir / "meta.properties").is_file():
        return
    uuid = _capture(_java_cmd(libs, "256m", STORAGE_TOOL, "random-uuid"))
    cluster_id = uuid.stdout.strip().splitlines()[-1] if uuid.stdout.strip() else ""
    if uuid.returncode != 0 or not cluster_id:
        raise InfraError(f"Kafka StorageTool random-uuid failed: {(uuid.stderr or uuid.stdout)[-500:]}")
    fmt = _capture(_java_cmd(libs, "256m", STORAGE_TOOL, "format", "-t", cluster_id, "-c", str(props)))
    if fmt.returncode != 0:
        raise InfraError(f"Kafka storage format failed in {data_dir}: {(fmt.stderr or fmt.stdout)[-500:]}")


async def _cluster_ready(bootstrap: str) -> bool:
    admin = AIOKafkaAdminClient(bootstrap_servers=bootstrap_servers(bootstrap), request_timeout_ms=5000)
    try:
        await admin.start()
        cluster = await admin.describe_cluster()
        return bool(cluster.get("brokers"))
    except Exception:
        return False
    finally:
        await admin.close()


def _wait_ready(handle: BrokerHandle, timeout: float) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if live_process(handle.pid, BROKER_MAIN) is None:
            raise InfraError(
                f"Kafka broker on port {handle.port} exited during start; see {handle.log_file}:\n"
                + tail(handle.log_file)
            )
        if port_in_use(handle.port) and run_sync(_cluster_ready(handle.bootstrap)):
            return
        time.sleep(0.5)
    raise InfraError(
        f"Kafka broker on port {handle.port} did not answer within {timeout:.0f} s; see {handle.log_file}"
    )


def _pid_file(var_dir: Path, port: int) -> Path:
    return var_dir / "run" / f"kafka-{port}.pid"


def start_broker(
    var_dir: Path,
    port: int = 9092,
    controller_port: int | None = None,
    heap: str = "1g",
    timeout: float = 120.0,
) -> BrokerHandle:
    """Start (or reuse, if our pid file points at a live broker) a one-node broker; wait until it answers."""
    var_dir = var_dir.resolve()
    cport = controller_port if controller_port is not None else port + 1000
    data_dir = var_dir / "kafka" / f"data-{port}"
    log_file = var_dir / "log" / f"kafka-{port}.log"
    pid_file = _pid_file(var_dir, port)

    running = live_process(read_pid(pid_file), BROKER_MAIN)
    if running is not None:
        handle = BrokerHandle(port, cport, running.pid, var_dir, data_dir, log_file, reused=True)
        _wait_ready(handle, timeout)
        return handle
    pid_file.unlink(missing_ok=True)
    for taken in (port, cport):
        if port_in_use(taken):
            raise InfraError(f"port {taken} is already in use by a process not started from {var_dir}")

    libs = ensure_jars(var_dir)
    for folder in (data_dir, log_file.parent, pid_file.parent):
        folder.mkdir(parents=True, exist_ok=True)
    props = var_dir / "kafka" / f"server-{port}.properties"
    props.write_text(broker_properties(port, cport, data_dir))
    _format_storage(libs, props, data_dir)

    with log_file.open("ab") as log:
        proc = subprocess.Popen(
            _java_cmd(libs, heap, BROKER_MAIN, str(props)),
            stdin=subprocess.DEVNULL,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
            cwd=var_dir,
        )
    pid_file.write_text(f"{proc.pid}\n")
    handle = BrokerHandle(port, cport, proc.pid, var_dir, data_dir, log_file, reused=False)
    try:
        _wait_ready(handle, timeout)
    except InfraError:
        stop_broker(var_dir, port)
        raise
    return handle


def stop_broker(var_dir: Path, port: int, timeout: float = 30.0) -> bool:
    """Stop the broker our pid file names (SIGTERM, then SIGKILL); True if one was running."""
    pid_file = _pid_file(var_dir.resolve(), port)
    proc = live_process(read_pid(pid_file), BROKER_MAIN)
    if proc is not None:
        terminate(proc, timeout)
    pid_file.unlink(missing_ok=True)
    return proc is not None


async def cluster_brokers(bootstrap: str, timeout_s: float = 30.0) -> int:
    """How many brokers the cluster at ``bootstrap`` has; InfraError naming the address when it cannot
    be reached within ``timeout_s`` (any one of the addresses answering is enough)."""
    admin = AIOKafkaAdminClient(bootstrap_servers=bootstrap_servers(bootstrap), request_timeout_ms=10_000)
    try:
        await asyncio.wait_for(admin.start(), timeout_s)
        return len((await admin.describe_cluster())["brokers"])
    except Exception as exc:
        raise InfraError(f"no Kafka cluster answers at {bootstrap} ({type(exc).__name__}: {exc})") from exc
    finally:
        await admin.close()


async def create_topics(
    bootstrap: str, names: list[str], partitions: int = 3, replication: int | None = None
) -> list[str]:
    """Create the missing topics with unlimited retention (`retention.ms=-1`), replicated as
    :func:`kmb_shared.messaging.admin.replication_for` says for the cluster's size unless ``replication``
    is given; return those created. Topics that already exist are left as they are, so calling this
    twice is harmless.
    """
    wanted = list(dict.fromkeys(names))
    admin = AIOKafkaAdminClient(bootstrap_servers=bootstrap_servers(bootstrap))
    await admin.start()
    try:
        existing = set(await admin.list_topics())
        missing = [name for name in wanted if name not in existing]
        if not missing:
            return []
        factor, configs = await topic_settings(admin, replication)
        new = [NewTopic(name, partitions, factor, topic_configs=configs) for name in missing]
        response = await admin.create_topics(new)
        created = []
        for topic, code, *rest in response.topic_errors:
            if code == 0:
                created.append(topic)
            elif code != _TOPIC_ALREADY_EXISTS:
                detail = rest[0] if rest and rest[0] else f"error code {code}"
                raise InfraError(f"could not create Kafka topic {topic!r}: {detail}")
        await _await_visible(admin, created)
        return created
    finally:
        await admin.close()


async def _await_visible(admin: AIOKafkaAdminClient, topics: list[str]) -> None:
    """Wait (up to 10 s) until new topics show in the metadata, so a producer right after finds them."""
    for _ in range(100):  # 100 x 0.1 s
        if set(topics) <= set(await admin.list_topics()):
            return
        await asyncio.sleep(0.1)


async def list_topics(bootstrap: str, include_internal: bool = False) -> list[str]:
    """Sorted topic names; internal ones (`__consumer_offsets`, ...) only if asked for."""
    admin = AIOKafkaAdminClient(bootstrap_servers=bootstrap_servers(bootstrap))
    await admin.start()
    try:
        topics = await admin.list_topics()
    finally:
        await admin.close()
    return sorted(t for t in topics if include_internal or not t.startswith("__"))
