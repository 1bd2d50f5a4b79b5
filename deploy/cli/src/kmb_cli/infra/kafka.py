"""A real Apache Kafka broker or cluster (KRaft, broker+controller in each JVM) from Maven Central.

The jars come from `deploy/kafka/pom.xml` via Maven; the broker runs as a detached `java` process
whose pid file and log live under the var dir, so any later command can find and stop it.
"""

from __future__ import annotations

import asyncio
import contextlib
import dataclasses
import hashlib
import json
import logging
import os
import re
import shutil
import subprocess
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import psutil
from aiokafka.admin import AIOKafkaAdminClient, NewTopic

from kmb_shared.messaging.acl import new_password
from kmb_shared.messaging.admin import replication_for, topic_settings
from kmb_shared.messaging.kafka import bootstrap_servers
from kmb_shared.messaging.security import (
    SCRAM_MECHANISM,
    KafkaCredentials,
    client_options,
)
from kmb_shared.messaging.security import (
    sasl as sasl_credentials,
)

from ._common import InfraError, live_process, port_in_use, read_pid, repo_root, run_sync
from .tls import TlsFiles, ensure_tls, pem_property

MIN_JAVA = 17
BROKER_MAIN = "kafka.Kafka"
STORAGE_TOOL = "kafka.tools.StorageTool"
_MARKER = ".kmb-fetch-complete"
_TOPIC_ALREADY_EXISTS = 36
#: the launcher's admin principal on a SASL broker
ADMIN_USERNAME = "admin"
#: in a data dir formatted with SASL (its admin's SCRAM credentials bootstrapped)
_SASL_MARK = "kmb-sasl"


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
    node_id: int = 1
    #: the admin principal when the node takes SASL (None: PLAINTEXT)
    admin: Admin | None = None
    #: the CA clients trust when the client listener takes TLS (SASL_SSL; None: no TLS)
    ca_file: Path | None = None

    @property
    def bootstrap(self) -> str:
        return f"127.0.0.1:{self.port}"

    @property
    def security(self) -> KafkaCredentials:
        """What a client needs to connect as the admin (PLAINTEXT without SASL)."""
        return self.admin.credentials(self.ca_file) if self.admin else KafkaCredentials()

    def stop(self) -> bool:
        return stop_broker(self.var_dir, self.port)


@dataclass(frozen=True)
class ClusterHandle:
    """The running nodes of a local cluster (one or more), in node-id order."""

    nodes: tuple[BrokerHandle, ...]
    cluster_id: str

    @property
    def bootstrap(self) -> str:
        """Every node's address, comma-separated (what KMB_KAFKA_BOOTSTRAP takes)."""
        return ",".join(node.bootstrap for node in self.nodes)

    @property
    def reused(self) -> bool:
        return all(node.reused for node in self.nodes)

    @property
    def admin(self) -> Admin | None:
        return self.nodes[0].admin

    @property
    def security(self) -> KafkaCredentials:
        return self.nodes[0].security

    @property
    def ca_file(self) -> Path | None:
        return self.nodes[0].ca_file

    def stop(self) -> bool:
        return stop_broker(self.nodes[0].var_dir, self.nodes[0].port)


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
    libs = var_dir / "kafka" / "libs"
    if fetched(libs):
        return libs
    check_prerequisites()
    if libs.exists():
        shutil.rmtree(libs)  # a half-finished or outdated fetch: start clean
    libs.mkdir(parents=True)
    cmd = ["mvn", "-q", "-B", "-Dstyle.color=never", "-f", str(_pom()), "dependency:copy-dependencies"]
    cmd += ["-DincludeScope=runtime", f"-DoutputDirectory={libs}"]
    result = _capture(cmd)
    if result.returncode != 0:
        output = "\n".join((result.stdout + result.stderr).splitlines()[-15:])
        raise InfraError(f"Maven could not fetch the Kafka jars (exit {result.returncode}):\n{output}")
    (libs / _MARKER).write_text(_pom_digest() + "\n")
    return libs


def _pom_digest() -> str:
    return hashlib.sha256(_pom().read_bytes()).hexdigest()


def fetched(libs: Path) -> bool:
    """True if ``libs`` holds a finished fetch of the current POM (so a var dir can link to it)."""
    marker = libs / _MARKER
    return marker.is_file() and marker.read_text().strip() == _pom_digest()


def kafka_version(libs: Path) -> str:
    """The broker version in a fetched libs folder, from the `kafka_2.13-<version>.jar` name."""
    for jar in libs.glob("kafka_2.13-*.jar"):
        return jar.name.removeprefix("kafka_2.13-").removesuffix(".jar")
    raise InfraError(f"no kafka_2.13 jar in {libs}: run `kmb kafka fetch`")


def broker_properties(
    port: int, controller_port: int, data_dir: Path, admin: Admin | None = None, tls: TlsFiles | None = None
) -> str:
    """server.properties of a one-node KRaft broker+controller listening on 127.0.0.1 only."""
    return node_properties(1, [port], [controller_port], data_dir, admin, tls)


@dataclass(frozen=True)
class Admin:
    """The launcher's admin principal of a SASL broker: the only super user."""

    username: str
    password: str

    @property
    def security(self) -> KafkaCredentials:
        return sasl_credentials(self.username, self.password)

    def credentials(self, ca_file: Path | None) -> KafkaCredentials:
        """The admin's client settings: SASL_SSL trusting ``ca_file`` when given, else SASL_PLAINTEXT."""
        return sasl_credentials(self.username, self.password, str(ca_file) if ca_file else None)


def _jaas(module: str, **options: str) -> str:
    return f"{module} required " + " ".join(f'{k}="{v}"' for k, v in options.items()) + ";"


def _tls_settings(tls: TlsFiles) -> dict[str, str]:
    """The SSL listener's PEM key store (certificate chain and key inline, as Kafka takes an unencrypted
    key only so) and trust store (the CA, for the brokers' own connections between each other)."""
    return {
        "ssl.keystore.type": "PEM",
        "ssl.keystore.certificate.chain": pem_property(tls.broker_chain.read_text()),
        "ssl.keystore.key": pem_property(tls.broker_key.read_text()),
        "ssl.truststore.type": "PEM",
        "ssl.truststore.location": str(tls.ca),
        "ssl.enabled.protocols": "TLSv1.3,TLSv1.2",
    }


def _listener_settings(
    port: int, controller_port: int, admin: Admin | None, tls: TlsFiles | None = None
) -> dict[str, str]:
    """Listeners: PLAINTEXT for clients and the controller; with ``admin``, SASL_PLAINTEXT with
    SCRAM-SHA-512 for clients (and between brokers, as the admin), the controller listener (127.0.0.1)
    with SASL PLAIN knowing only the admin (KRaft controllers cannot check SCRAM: the credentials live in
    the metadata they serve), and the StandardAuthorizer with the admin as the only super user. With
    ``tls`` as well, the client listener is SASL_SSL with the certificate of :mod:`.tls`."""
    if admin is None:
        return {
            "listeners": f"PLAINTEXT://127.0.0.1:{port},CONTROLLER://127.0.0.1:{controller_port}",
            "advertised.listeners": f"PLAINTEXT://127.0.0.1:{port}",
            "listener.security.protocol.map": "PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT",
            "inter.broker.listener.name": "PLAINTEXT",
        }
    scram = "org.apache.kafka.common.security.scram.ScramLoginModule"
    plain = "org.apache.kafka.common.security.plain.PlainLoginModule"
    name, password = admin.username, admin.password
    client = "SASL_SSL" if tls else "SASL_PLAINTEXT"
    return {
        "listeners": f"{client}://127.0.0.1:{port},CONTROLLER://127.0.0.1:{controller_port}",
        "advertised.listeners": f"{client}://127.0.0.1:{port}",
        "listener.security.protocol.map": f"{client}:{client},CONTROLLER:SASL_PLAINTEXT",
        "inter.broker.listener.name": client,
        "sasl.enabled.mechanisms": SCRAM_MECHANISM,
        "sasl.mechanism.inter.broker.protocol": SCRAM_MECHANISM,
        f"listener.name.{client.lower()}.scram-sha-512.sasl.jaas.config": _jaas(
            scram, username=name, password=password
        ),
        **(_tls_settings(tls) if tls else {}),
        "sasl.mechanism.controller.protocol": "PLAIN",
        "listener.name.controller.sasl.enabled.mechanisms": "PLAIN",
        "listener.name.controller.plain.sasl.jaas.config": _jaas(
            plain, username=name, password=password, **{f"user_{name}": password}
        ),
        "authorizer.class.name": "org.apache.kafka.metadata.authorizer.StandardAuthorizer",
        "super.users": f"User:{name}",
        "allow.everyone.if.no.acl.found": "false",
    }


def node_properties(
    node_id: int,
    ports: list[int],
    controller_ports: list[int],
    data_dir: Path,
    admin: Admin | None = None,
    tls: TlsFiles | None = None,
) -> str:
    """server.properties of node ``node_id`` (1-based) of a KRaft cluster of combined broker+controller
    nodes on 127.0.0.1: node *i* listens on ``ports[i-1]`` and ``controller_ports[i-1]``, and all nodes are
    the controller quorum. Internal topics and the defaults are replicated as
    :func:`kmb_shared.messaging.admin.replication_for` says for the cluster's size. With ``admin``, the
    client listener takes SASL (SCRAM-SHA-512) and ACLs decide, over TLS with ``tls``
    (:func:`_listener_settings`)."""
    port, controller_port = ports[node_id - 1], controller_ports[node_id - 1]
    voters = ",".join(f"{i}@127.0.0.1:{cport}" for i, cport in enumerate(controller_ports, start=1))
    factor, in_sync = (str(n) for n in replication_for(len(ports)))
    settings = {
        "process.roles": "broker,controller",
        "node.id": str(node_id),
        "controller.quorum.voters": voters,
        **_listener_settings(port, controller_port, admin, tls),
        "controller.listener.names": "CONTROLLER",
        "log.dirs": str(data_dir),
        "num.partitions": "3",
        "default.replication.factor": factor,
        "min.insync.replicas": in_sync,
        "offsets.topic.replication.factor": factor,
        "transaction.state.log.replication.factor": factor,
        "transaction.state.log.min.isr": in_sync,
        "share.coordinator.state.topic.replication.factor": factor,
        "share.coordinator.state.topic.min.isr": in_sync,
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


def _formatted_id(data_dir: Path) -> str | None:
    """The cluster id a formatted data dir belongs to (None: not formatted)."""
    try:
        text = (data_dir / "meta.properties").read_text()
    except OSError:
        return None
    match = re.search(r"^cluster\.id=(\S+)", text, re.MULTILINE)
    return match.group(1) if match else None


def _new_cluster_id(libs: Path) -> str:
    uuid = _capture(_java_cmd(libs, "256m", STORAGE_TOOL, "random-uuid"))
    cluster_id = uuid.stdout.strip().splitlines()[-1] if uuid.stdout.strip() else ""
    if uuid.returncode != 0 or not cluster_id:
        raise InfraError(f"Kafka StorageTool random-uuid failed: {(uuid.stderr or uuid.stdout)[-500:]}")
    return cluster_id


def _format_storage(libs: Path, nodes: list[tuple[Path, Path]], admin: Admin | None = None) -> str:
    """Format the unformatted data dirs of ``nodes`` (properties file, data dir) with one cluster id
    (the one already formatted dirs carry, else a new one), all at once; return the cluster id. With
    ``admin``, its SCRAM-SHA-512 credentials are bootstrapped into the metadata (``--add-scram``)."""
    known = {found for _, data_dir in nodes if (found := _formatted_id(data_dir))}
    if len(known) > 1:
        dirs = ", ".join(str(data_dir) for _, data_dir in nodes)
        raise InfraError(f"the data dirs {dirs} belong to different Kafka clusters: stop it and delete them")
    cluster_id = known.pop() if known else _new_cluster_id(libs)
    todo = [(props, data_dir) for props, data_dir in nodes if _formatted_id(data_dir) is None]
    scram = []
    if admin is not None:
        scram = ["--add-scram", f"{SCRAM_MECHANISM}=[name={admin.username},password={admin.password}]"]
    procs = [
        (
            data_dir,
            subprocess.Popen(
                _java_cmd(libs, "256m", STORAGE_TOOL, "format", "-t", cluster_id, "-c", str(props), *scram),
                stdout=subprocess.PIPE,
                stderr=subprocess.STDOUT,
                text=True,
            ),
        )
        for props, data_dir in todo
    ]
    failed = []
    for data_dir, proc in procs:
        output, _ = proc.communicate()
        if proc.returncode != 0:
            failed.append(f"Kafka storage format failed in {data_dir}: {output[-500:]}")
    if failed:
        raise InfraError("\n".join(failed))
    if admin is not None:
        for _, data_dir in todo:
            (data_dir / _SASL_MARK).write_text("SCRAM-SHA-512 admin bootstrapped by kmb_cli.infra.kafka\n")
    return cluster_id


def credentials_dir(var_dir: Path) -> Path:
    """Where the launcher keeps the passwords it generated (the folder 0700, each file 0600)."""
    return var_dir.resolve() / "kafka" / "credentials"


def write_secret(path: Path, text: str) -> None:
    """Write ``text`` to a file only its owner may read (created so, never world-readable a moment)."""
    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    path.parent.chmod(0o700)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w") as handle:
        handle.write(text)
    path.chmod(0o600)


def save_credentials(var_dir: Path, username: str, password: str) -> Path:
    """Store a principal's password under the var dir (0600); return the file."""
    path = credentials_dir(var_dir) / f"{username}.json"
    write_secret(path, json.dumps({"username": username, "password": password}) + "\n")
    return path


def load_credentials(var_dir: Path, username: str) -> tuple[str, str] | None:
    """(username, password) stored for ``username`` under the var dir, or None."""
    try:
        data = json.loads((credentials_dir(var_dir) / f"{username}.json").read_text())
        return str(data["username"]), str(data["password"])
    except (OSError, ValueError, KeyError, TypeError):
        return None


def admin_of(var_dir: Path, create: bool = False) -> Admin | None:
    """The launcher's admin principal of this var dir (generated once when ``create``)."""
    stored = load_credentials(var_dir, ADMIN_USERNAME)
    if stored is None and create:
        stored = ADMIN_USERNAME, new_password()
        save_credentials(var_dir, *stored)
    return Admin(*stored) if stored else None


def _check_sasl_state(nodes: list[BrokerHandle], sasl: bool) -> None:
    """Refuse to start a data dir formatted one way (SASL or not) the other way."""
    for node in nodes:
        if _formatted_id(node.data_dir) is None:
            continue
        formatted_sasl = (node.data_dir / _SASL_MARK).is_file()
        if formatted_sasl != sasl:
            how = "with --sasl" if formatted_sasl else "without --sasl"
            raise InfraError(
                f"{node.data_dir} was formatted {how}: start it the same way, or stop it and delete "
                f"{node.data_dir} (its topics go with it), or use other ports"
            )


def _props_file(var_dir: Path, port: int) -> Path:
    return var_dir / "kafka" / f"server-{port}.properties"


def _check_running_protocol(nodes: list[BrokerHandle], protocol: str) -> None:
    """Refuse to reuse a running node whose client listener takes another protocol than asked for
    (e.g. started without --tls, asked now with it): clients would be given the wrong settings."""
    for node in nodes:
        if not node.reused:
            continue
        try:
            text = _props_file(node.var_dir, node.port).read_text()
        except OSError:
            continue
        match = re.search(r"^advertised\.listeners=(\w+)://", text, re.MULTILINE)
        if match and match.group(1) != protocol:
            raise InfraError(
                f"the Kafka node on port {node.port} runs with {match.group(1)}, not {protocol}: stop it "
                f"(kmb kafka stop --port {node.port}) and start it again the way you want"
            )


async def _registered_ids(bootstrap: str, security: KafkaCredentials) -> set[int] | None:
    """The ids of the brokers the node at ``bootstrap`` reports as registered (None: it does not answer)."""
    admin = AIOKafkaAdminClient(
        bootstrap_servers=bootstrap_servers(bootstrap), request_timeout_ms=5000, **security.client_options()
    )
    try:
        await asyncio.wait_for(admin.start(), 10)
        cluster = await asyncio.wait_for(admin.describe_cluster(), 10)
        return {int(broker["node_id"]) for broker in cluster.get("brokers", [])}
    except Exception:
        return None
    finally:
        await admin.close()


async def _views(nodes: tuple[BrokerHandle, ...]) -> list[set[int] | None]:
    async def view(node: BrokerHandle) -> set[int] | None:
        return await _registered_ids(node.bootstrap, node.security) if port_in_use(node.port) else None

    return list(await asyncio.gather(*(view(node) for node in nodes)))


def _not_ready(nodes: tuple[BrokerHandle, ...]) -> list[BrokerHandle]:
    """The nodes that do not answer or that some answering node does not see registered."""
    views = run_sync(_views(nodes))
    answers = [view for view in views if view is not None]
    seen_by_all = set.intersection(*answers) if answers else set()
    return [
        node
        for node, view in zip(nodes, views, strict=True)
        if view is None or node.node_id not in seen_by_all
    ]


_DUPLICATE = "DUPLICATE_BROKER_REGISTRATION"


_START_MARK = "=== kmb: node starting"


def _log_since_start(log_file: Path, lines: int = 20) -> str:
    """What the node wrote since its last start by us: the ERROR lines and the end, at most ``lines``."""
    try:
        text = log_file.read_text(encoding="utf-8", errors="replace")
    except OSError:
        return ""
    _, mark, since = text.rpartition(_START_MARK)
    written = since.splitlines()[1:] if mark else since.splitlines()  # after the mark's own line
    if len(written) <= lines:
        return "\n".join(written) or "(nothing written since the start)"
    errors = [line for line in written if " ERROR " in line or _DUPLICATE in line][-(lines // 2) :]
    return "\n".join([*errors, "...", *written[-(lines - len(errors)) :]])


def _node_report(node: BrokerHandle, what: str) -> str:
    log = _log_since_start(node.log_file)
    why = (
        "; the controller still held its registration from before it was killed "
        "(it expires after broker.session.timeout.ms)"
        if _DUPLICATE in log
        else ""
    )
    return f"Kafka node {node.node_id} (127.0.0.1:{node.port}) {what}{why}; from {node.log_file}:\n{log}"


def _wait_ready(
    nodes: tuple[BrokerHandle, ...], timeout: float, children: dict[int, subprocess.Popen[bytes]]
) -> None:
    """Until every node answers and every node sees all of them registered (a node restarted after a
    kill -9 is refused with DUPLICATE_BROKER_REGISTRATION until its old session expires: that is waited
    for too); InfraError naming the node that exited or is still missing after ``timeout`` seconds."""
    deadline = time.monotonic() + timeout
    with _quiet("aiokafka"):  # a node not up yet is expected here, not worth a line per attempt
        _wait_loop(nodes, deadline, timeout, children)


@contextlib.contextmanager
def _quiet(logger_name: str) -> Iterator[None]:
    logger = logging.getLogger(logger_name)
    level = logger.level
    logger.setLevel(logging.CRITICAL)
    try:
        yield
    finally:
        logger.setLevel(level)


def _wait_loop(
    nodes: tuple[BrokerHandle, ...],
    deadline: float,
    timeout: float,
    children: dict[int, subprocess.Popen[bytes]],
) -> None:
    while True:
        for node in nodes:
            if _exited(node, children.get(node.port)):
                raise InfraError(_node_report(node, "exited during start"))
        missing = _not_ready(nodes)
        if not missing:
            return
        if time.monotonic() >= deadline:
            raise InfraError(
                "\n".join(
                    _node_report(node, f"was not registered within {timeout:.0f} s") for node in missing
                )
            )
        time.sleep(0.5)


def _exited(node: BrokerHandle, child: subprocess.Popen[bytes] | None) -> bool:
    # A node started now is watched through its Popen: right after the start its command line can
    # still read empty (the java launcher re-executes itself), which looked like a broker that had died.
    if child is not None:
        return child.poll() is not None
    return live_process(node.pid, BROKER_MAIN) is None


def _pid_file(var_dir: Path, port: int) -> Path:
    return var_dir / "run" / f"kafka-{port}.pid"


def _shape_file(var_dir: Path, port: int) -> Path:
    """Which ports the cluster whose first node listens on ``port`` has (kept with the data)."""
    return var_dir / "kafka" / f"cluster-{port}.json"


def _node_ports(var_dir: Path, port: int) -> list[int]:
    try:
        return [int(p) for p in json.loads(_shape_file(var_dir, port).read_text())["ports"]]
    except (OSError, ValueError, KeyError, TypeError):
        return [port]


def start_broker(
    var_dir: Path,
    port: int = 9092,
    controller_port: int | None = None,
    heap: str = "1g",
    timeout: float = 120.0,
    sasl: bool = False,
    tls: bool = False,
) -> BrokerHandle:
    """Start (or reuse, if our pid file points at a live broker) a one-node broker; wait until it answers.
    With ``sasl``, clients must authenticate (SCRAM-SHA-512) and ACLs decide, with ``tls`` over TLS
    (see :func:`start_cluster`)."""
    cport = controller_port if controller_port is not None else port + 1000
    return start_cluster(var_dir, [port], [cport], heap, timeout, sasl=sasl, tls=tls).nodes[0]


def cluster_ports(brokers: int, port: int, controller_port: int | None) -> tuple[list[int], list[int]]:
    """Client ports ``port``, ``port+1``, ... and controller ports from ``controller_port`` (default
    ``port+1000``) on, one of each per node."""
    cport = controller_port if controller_port is not None else port + 1000
    return [port + i for i in range(brokers)], [cport + i for i in range(brokers)]


def start_cluster(
    var_dir: Path,
    ports: list[int],
    controller_ports: list[int],
    heap: str = "1g",
    timeout: float = 120.0,
    sasl: bool = False,
    tls: bool = False,
) -> ClusterHandle:
    """Start the nodes of a local KRaft cluster (one per port; every node a broker and a controller),
    reusing those whose pid file points at a live broker, and wait until all of them are registered.
    All nodes share one cluster id; node *i* has its own data dir, log and pid file named by its port.
    A node that fails stops the nodes started now; the error names it and shows the end of its log.

    With ``sasl`` the client listener takes SASL_PLAINTEXT with SCRAM-SHA-512 only, the StandardAuthorizer
    allows nothing without an ACL, and the launcher's admin (password generated once, kept 0600 under
    ``<var>/kafka/credentials``, bootstrapped at format time) is the only super user. With ``tls`` too,
    the client listener is SASL_SSL with a certificate signed by the var dir's own CA
    (``<var>/kafka/tls/ca.pem``, what clients trust: :mod:`.tls`)."""
    if len(ports) != len(controller_ports) or not ports:
        raise InfraError("one client port and one controller port per node are needed")
    if tls and not sasl:
        raise InfraError("TLS on the client listener is offered with SASL only: add --sasl")
    taken = [*ports, *controller_ports]
    if len(set(taken)) != len(taken):
        raise InfraError(f"the node ports must all differ: {taken}")
    var_dir = var_dir.resolve()
    admin = admin_of(var_dir, create=True) if sasl else None
    certificates = ensure_tls(var_dir) if tls else None
    ca_file = certificates.ca if certificates else None
    shape = _shape_file(var_dir, ports[0])
    shape_text = json.dumps({"ports": ports, "controller_ports": controller_ports}) + "\n"
    if shape.is_file() and shape.read_text() != shape_text:
        raise InfraError(
            f"{shape} describes another cluster ({shape.read_text().strip()}): use it as it is "
            f"(kmb up --external-kafka), or stop it (kmb kafka stop --port {ports[0]}) and delete "
            f"{var_dir / 'kafka'}/data-* and {shape}, or use other ports"
        )
    nodes: list[BrokerHandle] = []
    for node_id, (port, cport) in enumerate(zip(ports, controller_ports, strict=True), start=1):
        running = live_process(read_pid(_pid_file(var_dir, port)), BROKER_MAIN)
        data_dir = var_dir / "kafka" / f"data-{port}"
        log_file = var_dir / "log" / f"kafka-{port}.log"
        pid = running.pid if running is not None else 0
        nodes.append(
            BrokerHandle(
                port, cport, pid, var_dir, data_dir, log_file, running is not None, node_id, admin, ca_file
            )
        )
    _check_sasl_state(nodes, sasl)
    _check_running_protocol(nodes, "SASL_SSL" if tls else "SASL_PLAINTEXT" if sasl else "PLAINTEXT")
    for node in nodes:
        if not node.reused:
            _pid_file(var_dir, node.port).unlink(missing_ok=True)
            for busy in (node.port, node.controller_port):
                if port_in_use(busy):
                    raise InfraError(f"port {busy} is already in use by a process not started from {var_dir}")

    if len(ports) > 1 and not shape.is_file():
        if formatted := [str(node.data_dir) for node in nodes if _formatted_id(node.data_dir)]:
            raise InfraError(
                f"{', '.join(formatted)} hold a one-node broker's data: delete them, or use other ports"
            )
        shape.parent.mkdir(parents=True, exist_ok=True)
        shape.write_text(shape_text)

    libs = ensure_jars(var_dir)
    props = {node.port: _props_file(var_dir, node.port) for node in nodes}
    for node in nodes:
        for folder in (node.data_dir, node.log_file.parent, var_dir / "run"):
            folder.mkdir(parents=True, exist_ok=True)
        if not node.reused:  # holds the admin's password with SASL: only its owner may read it
            write_secret(
                props[node.port],
                node_properties(node.node_id, ports, controller_ports, node.data_dir, admin, certificates),
            )
    cluster_id = _format_storage(libs, [(props[node.port], node.data_dir) for node in nodes], admin)

    children = {node.port: _launch(libs, heap, node, props[node.port]) for node in nodes if not node.reused}
    started = [
        dataclasses.replace(node, pid=children[node.port].pid) if not node.reused else node for node in nodes
    ]
    handle = ClusterHandle(tuple(started), cluster_id)
    try:
        _wait_ready(handle.nodes, timeout, children)
    except InfraError:
        for port, child in children.items():
            child.kill()
            child.wait(10)
            _pid_file(var_dir, port).unlink(missing_ok=True)
        raise
    return handle


def _launch(libs: Path, heap: str, node: BrokerHandle, props: Path) -> subprocess.Popen[bytes]:
    with node.log_file.open("ab") as log:
        log.write(f"{_START_MARK} {node.node_id} at {time.strftime('%Y-%m-%dT%H:%M:%S')} ===\n".encode())
        log.flush()
        proc = subprocess.Popen(
            _java_cmd(libs, heap, BROKER_MAIN, str(props)),
            stdin=subprocess.DEVNULL,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
            cwd=node.var_dir,
        )
    _pid_file(node.var_dir, node.port).write_text(f"{proc.pid}\n")
    return proc


def stop_broker(var_dir: Path, port: int, timeout: float = 30.0) -> bool:
    """Stop the broker our pid file names, or every node of the cluster whose first node listens on
    ``port`` (SIGTERM to all, then SIGKILL after ``timeout``); True if one was running."""
    var_dir = var_dir.resolve()
    return _stop_nodes(var_dir, _node_ports(var_dir, port), timeout)


def _stop_nodes(var_dir: Path, ports: list[int], timeout: float = 30.0) -> bool:
    procs = [live_process(read_pid(_pid_file(var_dir, port)), BROKER_MAIN) for port in ports]
    alive = [proc for proc in procs if proc is not None]
    for proc in alive:
        with contextlib.suppress(psutil.NoSuchProcess):
            proc.terminate()
    _, left = psutil.wait_procs(alive, timeout=timeout)
    for proc in left:
        with contextlib.suppress(psutil.NoSuchProcess):
            proc.kill()
    psutil.wait_procs(left, timeout=10)
    for port in ports:
        _pid_file(var_dir, port).unlink(missing_ok=True)
    return bool(alive)


async def cluster_brokers(
    bootstrap: str, timeout_s: float = 30.0, security: KafkaCredentials | None = None
) -> int:
    """How many brokers the cluster at ``bootstrap`` has; InfraError naming the address when it cannot
    be reached within ``timeout_s`` (any one of the addresses answering is enough)."""
    admin = AIOKafkaAdminClient(
        bootstrap_servers=bootstrap_servers(bootstrap), request_timeout_ms=10_000, **client_options(security)
    )
    try:
        await asyncio.wait_for(admin.start(), timeout_s)
        return len((await admin.describe_cluster())["brokers"])
    except Exception as exc:
        raise InfraError(f"no Kafka cluster answers at {bootstrap} ({type(exc).__name__}: {exc})") from exc
    finally:
        await admin.close()


async def create_topics(
    bootstrap: str,
    names: list[str],
    partitions: int = 3,
    replication: int | None = None,
    security: KafkaCredentials | None = None,
) -> list[str]:
    """Create the missing topics with unlimited retention (`retention.ms=-1`), replicated as
    :func:`kmb_shared.messaging.admin.replication_for` says for the cluster's size unless ``replication``
    is given; return those created. Topics that already exist are left as they are, so calling this
    twice is harmless.
    """
    wanted = list(dict.fromkeys(names))
    admin = AIOKafkaAdminClient(bootstrap_servers=bootstrap_servers(bootstrap), **client_options(security))
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


async def list_topics(
    bootstrap: str, include_internal: bool = False, security: KafkaCredentials | None = None
) -> list[str]:
    """Sorted topic names; internal ones (`__consumer_offsets`, ...) only if asked for."""
    admin = AIOKafkaAdminClient(bootstrap_servers=bootstrap_servers(bootstrap), **client_options(security))
    await admin.start()
    try:
        topics = await admin.list_topics()
    finally:
        await admin.close()
    return sorted(t for t in topics if include_internal or not t.startswith("__"))
