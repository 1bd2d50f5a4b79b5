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
    help="Local Apache Kafka broker (KRaft, one node) from Maven Central.", no_args_is_help=True
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
        int | None, typer.Option("--controller-port", help="[default: port + 1000]", show_default=False)
    ] = None,
    heap: Annotated[str, typer.Option("--heap", help="JVM maximum heap")] = "1g",
    var_dir: VarDirOption = None,
) -> None:
    """Start a one-node broker (or reuse ours if running) and print its bootstrap address."""
    started = time.monotonic()
    handle = _guarded(lambda: kafka.start_broker(_var(var_dir), port, controller_port, heap))
    how = "already running" if handle.reused else f"started in {time.monotonic() - started:.1f} s"
    _say(f"Kafka broker {how} (pid {handle.pid}, log {handle.log_file})")
    typer.echo(handle.bootstrap)


@kafka_app.command("stop")
def kafka_stop(port: KafkaPortOption = 9092, var_dir: VarDirOption = None) -> None:
    """Stop the broker started on this port from this var dir."""
    stopped = _guarded(lambda: kafka.stop_broker(_var(var_dir), port))
    _say(f"Kafka broker on port {port} " + ("stopped" if stopped else "was not running"))


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
