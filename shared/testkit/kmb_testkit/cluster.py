"""A real three-node Kafka cluster for the fault tests (marker ``cluster``): started once per test session
in a temporary var dir on free ports, stopped at the end of the session.

The jars are linked from a finished fetch of the other var dirs (``KMB_TEST_VAR_DIR``, ``var/test``,
``var``, ``var/dev``) when there is one, so the fixture does not run Maven again.
"""

from __future__ import annotations

import os
import signal
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

if TYPE_CHECKING:
    from kmb_cli.infra.kafka import ClusterHandle

NODES = 3
#: each node's JVM heap: three of them next to the five services on a small machine
HEAP = "384m"
#: a start from empty or a node's restart after kill -9 (seconds; measured 8-35 s here)
START_TIMEOUT_S = 180.0


@dataclass
class KafkaCluster:
    """The running cluster; ``kill`` and ``restart`` act on one node."""

    var_dir: Path
    ports: list[int]
    controller_ports: list[int]
    handle: ClusterHandle
    restarts: list[float] = field(default_factory=list)  # seconds each restart took

    @property
    def bootstrap(self) -> str:
        """The three addresses, comma-separated."""
        return self.handle.bootstrap

    def pid(self, node_id: int) -> int:
        return self.handle.nodes[node_id - 1].pid

    def kill(self, node_id: int, timeout: float = 30.0) -> None:
        """kill -9 node ``node_id`` (1-based) and wait until its process is gone."""
        import psutil

        pid = self.pid(node_id)
        os.kill(pid, signal.SIGKILL)
        try:
            psutil.Process(pid).wait(timeout)
        except psutil.NoSuchProcess:
            pass

    def restart(self) -> ClusterHandle:
        """Start the nodes that are not running (the others are reused) and wait until all are registered."""
        from kmb_cli.infra.kafka import start_cluster

        begun = time.monotonic()
        self.handle = start_cluster(self.var_dir, self.ports, self.controller_ports, HEAP, START_TIMEOUT_S)
        self.restarts.append(time.monotonic() - begun)
        return self.handle

    def stop(self) -> None:
        from kmb_cli.infra.kafka import stop_broker

        stop_broker(self.var_dir, self.ports[0])


def _link_jars(var_dir: Path) -> None:
    """Point ``<var_dir>/kafka/libs`` at a finished fetch elsewhere, if there is one."""
    from kmb_cli.infra._common import repo_root
    from kmb_cli.infra.kafka import fetched

    root = repo_root()
    candidates = [root / "var" / "test", root / "var", root / "var" / "dev"]
    if os.environ.get("KMB_TEST_VAR_DIR"):
        candidates.insert(0, Path(os.environ["KMB_TEST_VAR_DIR"]))
    for candidate in candidates:
        libs = candidate / "kafka" / "libs"
        if fetched(libs):
            (var_dir / "kafka").mkdir(parents=True, exist_ok=True)
            (var_dir / "kafka" / "libs").symlink_to(libs.resolve(), target_is_directory=True)
            return


@pytest.fixture(scope="session")
def kafka_cluster(tmp_path_factory: pytest.TempPathFactory) -> Iterator[KafkaCluster]:
    """Three KRaft nodes (each a broker and a controller) on free ports of 127.0.0.1."""
    from kmb_cli.infra._common import InfraError
    from kmb_cli.infra.kafka import start_cluster
    from kmb_testkit.system import free_port

    var_dir = tmp_path_factory.mktemp("kafka-cluster")
    _link_jars(var_dir)
    ports = [free_port() for _ in range(NODES)]
    controller_ports = [free_port() for _ in range(NODES)]
    begun = time.monotonic()
    try:
        handle = start_cluster(var_dir, ports, controller_ports, HEAP, START_TIMEOUT_S)
    except InfraError as exc:
        pytest.fail(f"the {NODES}-node Kafka cluster did not start: {exc}", pytrace=False)
    print(f"\n{NODES}-node Kafka cluster at {handle.bootstrap} started in {time.monotonic() - begun:.1f} s")
    cluster = KafkaCluster(var_dir, ports, controller_ports, handle)
    try:
        yield cluster
    finally:
        cluster.stop()


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """A test that uses the cluster must be marked `cluster`, or a default tier would start three JVMs."""
    unmarked = [
        item.nodeid
        for item in items
        if "kafka_cluster" in getattr(item, "fixturenames", ()) and item.get_closest_marker("cluster") is None
    ]
    if unmarked:
        raise pytest.UsageError("uses kafka_cluster but is not marked `cluster`: " + ", ".join(unmarked))
