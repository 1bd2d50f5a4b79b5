"""`kmb kafka ...` and `kmb pg ...`: typer sub-apps around the infra launchers.

Commands that start something print one line on stdout (the bootstrap address or the database URL),
so scripts can capture it; progress and errors go to stderr.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable
from pathlib import Path
from typing import Annotated, TypeVar

import typer

from . import kafka, postgres
from ._common import InfraError, default_var_dir

T = TypeVar("T")

kafka_app = typer.Typer(
    help="Local Apache Kafka broker or cluster (KRaft) from Maven Central.", no_args_is_help=True
)
pg_app = typer.Typer(help="Throwaway local PostgreSQL server for tests.", no_args_is_help=True)
infra_app = typer.Typer(help="KMB local infrastructure.", no_args_is_help=True)
infra_app.add_typer(kafka_app, name="kafka")
infra_app.add_typer(pg_app, name="pg")

VarDirOption = Annotated[
    Path | None,
    typer.Option("--var-dir", help="State folder [default: $KMB_VAR_DIR or <repo>/var]", show_default=False),
]
KafkaPortOption = Annotated[int, typer.Option("--port", help="PLAINTEXT listener port on 127.0.0.1")]
PgPortOption = Annotated[int, typer.Option("--port", help="Port on 127.0.0.1")]


def _var(var_dir: Path | None) -> Path:
    return (var_dir or default_var_dir()).resolve()


def _say(message: str) -> None:
    typer.echo(message, err=True)


def _guarded(action: Callable[[], T]) -> T:
    """Run an infra step; a known failure becomes a one-line error and exit code 1."""
    try:
        return action()
    except InfraError as exc:
        _say(f"error: {exc}")
        raise typer.Exit(1) from exc


@kafka_app.command("fetch")
def kafka_fetch(var_dir: VarDirOption = None) -> None:
    """Fetch the Kafka jars with Maven into <var>/kafka/libs (skipped when already there)."""
    started = time.monotonic()
    libs = _guarded(lambda: kafka.ensure_jars(_var(var_dir)))
    version = _guarded(lambda: kafka.kafka_version(libs))
    _say(f"Kafka {version} jars in {libs} ({time.monotonic() - started:.1f} s)")


@kafka_app.command("start")
def kafka_start(
    port: KafkaPortOption = 9092,
    controller_port: Annotated[
        int | None,
        typer.Option("--controller-port", help="[default: port + 1000]; node i gets +i", show_default=False),
    ] = None,
    brokers: Annotated[
        int,
        typer.Option(
            "--brokers", min=1, help="Nodes (each a broker and a controller) on ports port, port+1, ..."
        ),
    ] = 1,
    heap: Annotated[str, typer.Option("--heap", help="JVM maximum heap of each node")] = "1g",
    sasl: Annotated[
        bool,
        typer.Option(
            "--sasl",
            help="Clients must authenticate (SASL_PLAINTEXT, SCRAM-SHA-512) and ACLs decide; the admin's "
            "password is kept in <var>/kafka/credentials/admin.json (0600)",
        ),
    ] = False,
    tls: Annotated[
        bool,
        typer.Option(
            "--tls",
            help="With --sasl: the client listener takes TLS (SASL_SSL) with a certificate of a CA made "
            "here for local use, <var>/kafka/tls/ca.pem (clients: KMB_KAFKA_SSL_CAFILE)",
        ),
    ] = False,
    var_dir: VarDirOption = None,
) -> None:
    """Start a broker, or a cluster of --brokers nodes (or reuse ours if running), and print the
    bootstrap address (comma-separated for a cluster)."""
    started = time.monotonic()
    ports, controller_ports = kafka.cluster_ports(brokers, port, controller_port)
    cluster = _guarded(
        lambda: kafka.start_cluster(_var(var_dir), ports, controller_ports, heap, sasl=sasl, tls=tls)
    )
    how = "already running" if cluster.reused else f"started in {time.monotonic() - started:.1f} s"
    what = "Kafka broker" if brokers == 1 else f"Kafka cluster of {brokers} nodes (id {cluster.cluster_id})"
    pids = ", ".join(str(node.pid) for node in cluster.nodes)
    _say(f"{what} {how} (pid {pids}, log {', '.join(str(node.log_file) for node in cluster.nodes)})")
    if cluster.admin is not None:
        where = kafka.credentials_dir(_var(var_dir)) / f"{cluster.admin.username}.json"
        protocol = "SASL_SSL" if cluster.ca_file else "SASL_PLAINTEXT"
        _say(f"{protocol} (SCRAM-SHA-512), ACLs on; super user {cluster.admin.username}, password in {where}")
        if cluster.ca_file:
            _say(f"TLS: clients trust {cluster.ca_file} (KMB_KAFKA_SSL_CAFILE)")
    typer.echo(cluster.bootstrap)


@kafka_app.command("stop")
def kafka_stop(port: KafkaPortOption = 9092, var_dir: VarDirOption = None) -> None:
    """Stop the broker started on this port from this var dir (every node of a cluster whose first
    node listens on this port)."""
    stopped = _guarded(lambda: kafka.stop_broker(_var(var_dir), port))
    _say(f"Kafka broker on port {port} " + ("stopped" if stopped else "was not running"))


@kafka_app.command("provision")
def kafka_provision(
    bootstrap: Annotated[str, typer.Option("--bootstrap", help="host:port of a listener the admin uses")],
) -> None:
    """Create each service's SCRAM user (password from KMB_KAFKA_PASSWORD_<SERVICE>) and its ACLs from the
    flows declaration, as the admin of KMB_KAFKA_* (docker-compose.yml's kafka-principals runs it)."""
    import os

    from kmb_shared.messaging import Topics
    from kmb_shared.messaging.security import KafkaSecurity

    from ..principals import passwords_from_env, provision_given

    try:
        passwords = passwords_from_env(os.environ)
        topics = Topics(os.environ.get("KMB_TOPIC_PREFIX", ""))
        names = asyncio.run(provision_given(bootstrap, KafkaSecurity(), passwords, topics))
    except Exception as exc:
        _say(f"error: cannot provision the principals on {bootstrap}: {exc}")
        raise typer.Exit(1) from exc
    _say(f"principals and ACLs ready: {', '.join(names)}")


@kafka_app.command("topics")
def kafka_topics(
    bootstrap: Annotated[str, typer.Option("--bootstrap", help="host:port")] = "127.0.0.1:9092",
    internal: Annotated[bool, typer.Option("--internal", help="Include __consumer_offsets etc.")] = False,
) -> None:
    """List the topics, one per line."""
    try:
        topics = asyncio.run(kafka.list_topics(bootstrap, include_internal=internal))
    except Exception as exc:
        _say(f"error: cannot list topics on {bootstrap}: {exc}")
        raise typer.Exit(1) from exc
    for topic in topics:
        typer.echo(topic)


@pg_app.command("start")
def pg_start(port: PgPortOption = postgres.DEFAULT_PORT, var_dir: VarDirOption = None) -> None:
    """Start the throwaway PostgreSQL server (or reuse it) and print its URL."""
    started = time.monotonic()
    db_url = _guarded(lambda: postgres.start(_var(var_dir), port))
    _say(f"PostgreSQL ready on 127.0.0.1:{port} ({time.monotonic() - started:.1f} s)")
    typer.echo(db_url)


@pg_app.command("stop")
def pg_stop(port: PgPortOption = postgres.DEFAULT_PORT, var_dir: VarDirOption = None) -> None:
    """Stop the throwaway PostgreSQL server of this port and var dir."""
    stopped = _guarded(lambda: postgres.stop(_var(var_dir), port))
    _say(f"PostgreSQL on port {port} " + ("stopped" if stopped else "was not running"))
