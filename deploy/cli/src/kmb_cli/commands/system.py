"""`kmb up`, `kmb down`, `kmb status` and `kmb serve`: the local system of a broker and five services."""

from __future__ import annotations

import json
import os
import signal
import time
from pathlib import Path
from typing import Annotated, Any

import httpx
import typer

from kmb_shared.messaging import Topics
from kmb_shared.metrics import summary as metrics_summary

from .. import partner_acls, principals
from .. import services as svc
from ..infra import kafka
from ..infra._common import InfraError, run_sync
from ..lag import consumer_lag
from .common import VarDir, _fail, _kafka_port, _var


def register(app: typer.Typer) -> None:
    app.command()(up)
    app.command()(down)
    app.command()(status)
    app.command()(serve)


#: `kmb up --external-kafka` leaves this under var/run, so that `kmb down` leaves that cluster alone
EXTERNAL_MARK = "kafka-external"
#: what `kmb status` reads of each service's /metrics
METRIC_FIELDS = ("lag", "outbox_backlog", "outbox_oldest_age_s", "dead_lettered", "dlq_topic_records")


def _external(var: Path) -> Path:
    return var / "run" / EXTERNAL_MARK


def up(
    detach: Annotated[
        bool, typer.Option("--detach", "-d", help="Start and return; stop with `kmb down`")
    ] = False,
    sasl: Annotated[
        bool,
        typer.Option(
            "--sasl/--no-sasl",
            envvar="KMB_KAFKA_SASL_LOCAL",
            help="The local broker takes SASL (SCRAM-SHA-512) with ACLs; each service gets its own principal "
            "(--no-sasl: PLAINTEXT, anyone on the machine reads every topic)",
        ),
    ] = True,
    tls: Annotated[
        bool,
        typer.Option(
            "--tls/--no-tls",
            envvar="KMB_KAFKA_TLS_LOCAL",
            help="The local broker's client listener takes TLS as well (SASL_SSL), with a certificate of a "
            "CA the launcher makes in <var>/kafka/tls (ca.pem: what clients trust; the services get it)",
        ),
    ] = False,
    external_kafka: Annotated[
        bool,
        typer.Option(
            "--external-kafka",
            envvar="KMB_KAFKA_EXTERNAL",
            help="Use the cluster at KMB_KAFKA_BOOTSTRAP (e.g. three brokers) instead of starting a local one",
        ),
    ] = False,
    var_dir: VarDir = None,
) -> None:
    """Fetch Kafka if absent, start it (or use an external cluster), create topics, start the five
    services and wait until ready."""
    var = _var(var_dir)
    port = _kafka_port()
    try:
        if external_kafka:
            bootstrap = os.environ["KMB_KAFKA_BOOTSTRAP"]
            brokers = run_sync(kafka.cluster_brokers(bootstrap))
            (var / "run").mkdir(parents=True, exist_ok=True)
            _external(var).write_text(bootstrap)
            typer.echo(f"• Kafka: the external cluster at {bootstrap} ({brokers} broker(s))")
        else:
            kafka.check_prerequisites()
            typer.echo("• Kafka: fetching jars from Maven Central if absent…")
            kafka.ensure_jars(var)
            broker = kafka.start_broker(var, port=port, sasl=sasl, tls=tls)
            bootstrap = broker.bootstrap
            _external(var).unlink(missing_ok=True)
            typer.echo(f"• Kafka broker {'reused' if broker.reused else 'started'} at {bootstrap}")
        topics = Topics(os.environ.get("KMB_TOPIC_PREFIX", ""))
        security = None if external_kafka else broker.security
        created = run_sync(kafka.create_topics(bootstrap, topics.core, security=security))
        typer.echo(f"• Topics ready ({len(topics.core)}; created now: {len(created)})")
        credentials: dict[str, dict[str, str]] = {}
        if sasl and not external_kafka:
            principals.mark_sasl(var, tls)
            principals.use_admin_credentials(var)
            credentials = run_sync(principals.provision_services(bootstrap, broker.security, var, topics))
            typer.echo(f"• SASL: principals and ACLs of {len(credentials)} services ready (one each)")
            if broker.ca_file:
                typer.echo(f"• TLS: SASL_SSL; clients trust {broker.ca_file} (KMB_KAFKA_SSL_CAFILE)")
        elif not external_kafka:
            principals.sasl_mark(var).unlink(missing_ok=True)
        procs = svc.start_services(var, per_service=credentials)
        typer.echo("• Starting services (migrations run on start)…")
        svc.wait_ready(procs)
        if credentials:  # the launcher's admin makes the partners' broker rights follow referrals
            pid, log_file = partner_acls.start_keeper(var)
            typer.echo(f"• Partners' rights on the broker follow referrals (pid {pid}, log {log_file})")
    except InfraError as exc:
        _fail(exc)
        return
    typer.echo("\nKMB is running:")
    for p in procs:
        typer.echo(f"  {p.name:<11} {p.url}   (docs: {p.url}/docs, log: {p.log_file})")
    if detach:
        typer.echo("\nStop everything with: kmb down")
        return
    typer.echo("\nCtrl-C stops everything.")
    stop = False

    def _stop(*_: object) -> None:
        nonlocal stop
        stop = True

    signal.signal(signal.SIGINT, _stop)
    signal.signal(signal.SIGTERM, _stop)
    while not stop:
        time.sleep(0.5)
    _down(var, port)


def _down(var: Path, port: int) -> None:
    if partner_acls.stop_keeper(var):
        typer.echo("• Stopped following the partners' rights (kmb partner sync-acls)")
    stopped = svc.stop_services(var)
    typer.echo(f"• Stopped services: {', '.join(stopped) or 'none running'}")
    if _external(var).exists():
        typer.echo(f"• Kafka: the external cluster at {_external(var).read_text()} was left running")
        _external(var).unlink()
        return
    typer.echo("• Kafka broker stopped" if kafka.stop_broker(var, port) else "• Kafka broker was not running")


def down(var_dir: VarDir = None) -> None:
    """Stop the services and the local Kafka broker started by `kmb up`."""
    _down(_var(var_dir), _kafka_port())


def _service_metrics(url: str) -> dict[str, Any]:
    """The figures `kmb status` shows, from the service's /metrics (empty when it does not answer)."""
    try:
        response = httpx.get(f"{url}/metrics", timeout=5.0)
        response.raise_for_status()
    except httpx.HTTPError:
        return {}
    return metrics_summary(response.text)


def status(
    var_dir: VarDir = None,
    as_json: Annotated[bool, typer.Option("--json", help="Machine-readable output")] = False,
) -> None:
    """Each service: up, ready, and from its /metrics the consumer lag, the outbox backlog with the age
    of its oldest unsent row, the records it dead-lettered since it started and the records on the
    dead-letter topic (from every service). A service that does not answer shows its consumer group's lag
    as the broker has it."""
    var = _var(var_dir)
    _kafka_port()
    rows = [svc.service_status(var, name) for name in svc.SERVICES]
    for row in rows:
        figures = _service_metrics(row["url"]) if row["up"] else {}
        row.update({key: figures.get(key) for key in METRIC_FIELDS})
        row["lag_partitions"] = figures.get("lag_partitions", {})
        row["lag_source"] = "metrics" if row["lag"] is not None else None
    silent = [row for row in rows if row["lag"] is None]
    if silent:
        prefix = os.environ.get("KMB_TOPIC_PREFIX", "")
        try:
            lags = run_sync(
                consumer_lag(
                    os.environ["KMB_KAFKA_BOOTSTRAP"], [f"{prefix}kmb.{r['service']}" for r in silent]
                )
            )
        except Exception as exc:  # broker down: still show the services
            lags = {}
            typer.secho(f"(consumer lag of the stopped services unavailable: {exc})", err=True)
        for row in silent:
            row["lag"] = lags.get(f"{prefix}kmb.{row['service']}")
            row["lag_source"] = "broker" if row["lag"] is not None else None
    if as_json:
        typer.echo(json.dumps(rows, indent=2))
        return
    typer.echo(
        f"{'service':<11} {'up':<4} {'ready':<6} {'lag':>5} {'outbox':>6} {'oldest':>8} {'dlq':>4} "
        f"{'dlq-topic':>9}  url"
    )
    for r in rows:
        lag = "-" if r["lag"] is None else f"{r['lag']}{'*' if r['lag_source'] == 'broker' else ''}"
        backlog = "-" if r["outbox_backlog"] is None else str(r["outbox_backlog"])
        oldest = "-" if r["outbox_oldest_age_s"] is None else f"{r['outbox_oldest_age_s']:.1f}s"
        dlq = "-" if r["dead_lettered"] is None else str(r["dead_lettered"])
        on_topic = "-" if r["dlq_topic_records"] is None else str(r["dlq_topic_records"])
        typer.echo(
            f"{r['service']:<11} {'yes' if r['up'] else 'no':<4} {'yes' if r['ready'] else 'no':<6} "
            f"{lag:>5} {backlog:>6} {oldest:>8} {dlq:>4} {on_topic:>9}  {r['url']}"
        )
    typer.echo(
        "dlq: records the service dead-lettered since it started; "
        "dlq-topic: records on the dead-letter topic, from every service"
    )
    if any(r["lag_source"] == "broker" for r in rows):
        typer.echo("* the consumer group's lag as the broker has it (the service does not answer)")
    for r in rows:
        if r.get("kafka") not in (None, "ok"):
            typer.echo(f"{r['service']}: {r['kafka'].removeprefix('error: ')}")


def serve(
    service: Annotated[str, typer.Argument(help="intake, assessment, catalogue, referrals or stats")],
) -> None:
    """Run one service in the foreground (what `kmb up` starts for each)."""
    if service not in svc.SERVICES:
        _fail(ValueError(f"unknown service {service!r}; choose one of {', '.join(svc.SERVICES)}"))
    svc.serve(service)
