"""`kmb`: the operator's command for running KMB locally."""

from __future__ import annotations

import json
import os
import signal
import time
from pathlib import Path
from typing import Annotated

import typer

from kmb_shared.messaging import Topics

from . import services as svc
from .infra import kafka
from .infra._common import InfraError, default_var_dir, run_sync
from .infra.cli import kafka_app, pg_app
from .lag import consumer_lag

app = typer.Typer(help="KMB – kontaktní místo pro bydlení: run and operate the system.", no_args_is_help=True)
app.add_typer(kafka_app, name="kafka")
app.add_typer(pg_app, name="pg")

VarDir = Annotated[
    Path | None, typer.Option("--var-dir", help="State folder [default: $KMB_VAR_DIR or ./var]")
]


def _var(var_dir: Path | None) -> Path:
    path = (var_dir or default_var_dir()).resolve()
    os.environ["KMB_VAR_DIR"] = str(path)
    return path


def _kafka_port() -> int:
    bootstrap = os.environ.setdefault("KMB_KAFKA_BOOTSTRAP", "127.0.0.1:9092")
    return int(bootstrap.rsplit(":", 1)[1])


def _fail(exc: Exception) -> None:
    typer.secho(f"kmb: {exc}", err=True, fg=typer.colors.RED)
    raise typer.Exit(1)


@app.command()
def up(
    detach: Annotated[
        bool, typer.Option("--detach", "-d", help="Start and return; stop with `kmb down`")
    ] = False,
    var_dir: VarDir = None,
) -> None:
    """Fetch Kafka if absent, start it, create topics, start the five services and wait until ready."""
    var = _var(var_dir)
    port = _kafka_port()
    try:
        kafka.check_prerequisites()
        typer.echo("• Kafka: fetching jars from Maven Central if absent…")
        kafka.ensure_jars(var)
        broker = kafka.start_broker(var, port=port)
        typer.echo(f"• Kafka broker {'reused' if broker.reused else 'started'} at {broker.bootstrap}")
        topics = Topics(os.environ.get("KMB_TOPIC_PREFIX", ""))
        created = run_sync(kafka.create_topics(broker.bootstrap, topics.core))
        typer.echo(f"• Topics ready ({len(topics.core)}; created now: {len(created)})")
        procs = svc.start_services(var)
        typer.echo("• Starting services (migrations run on start)…")
        svc.wait_ready(procs)
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
    stopped = svc.stop_services(var)
    typer.echo(f"• Stopped services: {', '.join(stopped) or 'none running'}")
    typer.echo("• Kafka broker stopped" if kafka.stop_broker(var, port) else "• Kafka broker was not running")


@app.command()
def down(var_dir: VarDir = None) -> None:
    """Stop the services and the local Kafka broker started by `kmb up`."""
    _down(_var(var_dir), _kafka_port())


@app.command()
def status(
    var_dir: VarDir = None,
    as_json: Annotated[bool, typer.Option("--json", help="Machine-readable output")] = False,
) -> None:
    """Each service: up, ready, consumer lag."""
    var = _var(var_dir)
    _kafka_port()
    rows = [svc.service_status(var, name) for name in svc.SERVICES]
    prefix = os.environ.get("KMB_TOPIC_PREFIX", "")
    try:
        lags = run_sync(
            consumer_lag(os.environ["KMB_KAFKA_BOOTSTRAP"], [f"{prefix}kmb.{n}" for n in svc.SERVICES])
        )
    except Exception as exc:  # broker down: still show the services
        lags = {}
        typer.secho(f"(consumer lag unavailable: {exc})", err=True)
    for row in rows:
        row["lag"] = lags.get(f"{prefix}kmb.{row['service']}")
    if as_json:
        typer.echo(json.dumps(rows, indent=2))
        return
    typer.echo(f"{'service':<11} {'up':<4} {'ready':<6} {'lag':>5}  url")
    for r in rows:
        lag = "-" if r["lag"] is None else str(r["lag"])
        typer.echo(
            f"{r['service']:<11} {'yes' if r['up'] else 'no':<4} {'yes' if r['ready'] else 'no':<6} {lag:>5}  {r['url']}"
        )


@app.command()
def serve(
    service: Annotated[str, typer.Argument(help="intake, assessment, catalogue, referrals or stats")],
) -> None:
    """Run one service in the foreground (what `kmb up` starts for each)."""
    if service not in svc.SERVICES:
        _fail(ValueError(f"unknown service {service!r}; choose one of {', '.join(svc.SERVICES)}"))
    svc.serve(service)


@app.command()
def replay(
    service: Annotated[str, typer.Argument(help="intake, assessment, catalogue, referrals or stats")],
    until: Annotated[
        str | None,
        typer.Option(
            "--until", help="Only events up to this time (ISO 8601, e.g. 2026-03-31T23:59:59+02:00)"
        ),
    ] = None,
) -> None:
    """Rebuild a service's read models from offset 0 into a fresh store and compare with the live digest."""
    import asyncio
    import importlib
    from datetime import UTC, datetime

    import httpx
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TimeElapsedColumn

    from kmb_shared.replay import rebuild

    if service not in svc.SERVICES:
        _fail(ValueError(f"unknown service {service!r}; choose one of {', '.join(svc.SERVICES)}"))
    moment = None
    if until:
        try:
            moment = datetime.fromisoformat(until)
        except ValueError as exc:
            _fail(ValueError(f"--until: not an ISO 8601 time: {until!r} ({exc})"))
            return
        moment = moment if moment.tzinfo else moment.replace(tzinfo=UTC)
    _kafka_port()
    spec = importlib.import_module(f"kmb_{service}.bootstrap").build_spec()
    settings = svc.settings_class(service)()
    with Progress(
        "[progress.description]{task.description}", BarColumn(), MofNCompleteColumn(), TimeElapsedColumn()
    ) as bar:
        task = bar.add_task(f"replaying {service}", total=None)
        result = asyncio.run(
            rebuild(
                spec,
                settings,
                until=moment,
                progress=lambda done, total: bar.update(task, completed=done, total=total),
            )
        )
    params = {"until": moment.isoformat()} if moment else {}
    try:
        response = httpx.get(
            f"{svc.url_of(service)}/internal/read-models/digest",
            params=params,
            headers=_admin_headers(service),
            timeout=30,
        )
    except httpx.HTTPError as exc:
        _fail(RuntimeError(f"live {service} not reachable at {svc.url_of(service)}: {exc}"))
        return
    if response.status_code != 200:
        _fail(RuntimeError(f"live {service} answered {response.status_code}: {response.text[:300]}"))
    live = response.json()
    same = live["digest"] == result.digest
    typer.echo(
        f"events read {result.events_read}, applied {result.events_applied}, "
        f"after --until {result.skipped_after_until}, dead letters {result.dead_letters}"
    )
    typer.echo(f"rebuilt: {result.digest}  ({result.rows} rows)")
    typer.echo(f"live:    {live['digest']}  ({live['rows']} rows)")
    if not same:
        typer.secho(
            "DIFFERENT: the rebuilt read models do not equal the live ones", fg=typer.colors.RED, err=True
        )
        raise typer.Exit(1)
    typer.secho("EQUAL: the live read models are exactly what the event log says", fg=typer.colors.GREEN)


def _admin_headers(service: str) -> dict[str, str]:
    """A token for this operator command, signed with the secret the local services share."""
    from kmb_shared.auth import Role, Signer, load_secret

    settings = svc.settings_class(service)()
    token = Signer(load_secret(settings.var_dir, settings.secret_key)).api_token(
        "kmb-cli", {Role.ADMIN, Role.CATALOGUE_EDITOR, Role.WORKER}, "kmb"
    )
    return {"Authorization": f"Bearer {token}"}


users_app = typer.Typer(help="Accounts of the people who sign in (kept by intake).", no_args_is_help=True)
app.add_typer(users_app, name="users")


@users_app.command("create-admin")
def users_create_admin(
    username: Annotated[str, typer.Option("--username", prompt="Uživatelské jméno")],
    name: Annotated[str, typer.Option("--name", prompt="Jméno a příjmení")],
    password: Annotated[
        str,
        typer.Option(
            "--password", prompt="Heslo (aspoň 10 znaků)", hide_input=True, confirmation_prompt=True
        ),
    ],
    var_dir: VarDir = None,
) -> None:
    """Create the first administrator (who then creates the other users on the Uživatelé page)."""
    import asyncio

    from pydantic import ValidationError

    from kmb_intake.config import IntakeSettings
    from kmb_intake.users import create_admin

    _var(var_dir)
    try:
        asyncio.run(create_admin(IntakeSettings(), username, password, name))
    except ValidationError as exc:
        _fail(ValueError("; ".join(str(e["msg"]) for e in exc.errors())))
    except Exception as exc:
        _fail(RuntimeError(getattr(exc, "message_cs", None) or str(exc)))
    typer.echo(f"Administrátor {username} vytvořen. Přihlaste se na {svc.url_of('intake')}/login")


@app.command()
def token(
    role: Annotated[
        list[str], typer.Option("--role", help="worker, partner, analyst, catalogue_editor, admin, auditor")
    ],
    org: Annotated[
        str, typer.Option("--org", help="Organisation slug ('kmb' for the contact point)")
    ] = "kmb",
    user: Annotated[
        str, typer.Option("--user", help="Pseudonymous user id recorded as the actor")
    ] = "operator",
    var_dir: VarDir = None,
) -> None:
    """Print an API token signed with this machine's secret (for curl and scripts on this host)."""
    from kmb_shared.auth import Role, Signer, load_secret

    _var(var_dir)
    unknown = [r for r in role if r not in {x.value for x in Role}]
    if unknown:
        _fail(ValueError(f"unknown role(s): {', '.join(unknown)}"))
    settings = svc.settings_class("intake")()
    typer.echo(Signer(load_secret(settings.var_dir, settings.secret_key)).api_token(user, set(role), org))


demo_app = typer.Typer(
    help="Demo data of the fictional town Lipovec (clearly marked DEMO).", no_args_is_help=True
)
app.add_typer(demo_app, name="demo")


@demo_app.command("load")
def demo_load(var_dir: VarDir = None) -> None:
    """Load the demo catalogue and the demo partner organisations into the running services."""
    import httpx

    _var(var_dir)
    for service, path, what in (
        ("catalogue", "/api/demo/load", "catalogue"),
        ("referrals", "/api/demo/partners", "partners"),
    ):
        url = f"{svc.url_of(service)}{path}"
        try:
            response = httpx.post(url, headers=_admin_headers(service), timeout=60)
        except httpx.HTTPError as exc:
            _fail(RuntimeError(f"{service} not reachable at {url}: {exc}"))
            return
        if response.status_code >= 400:
            _fail(RuntimeError(f"{service} refused the demo {what}: {response.status_code} {response.text}"))
        typer.echo(f"• demo {what}: {response.text[:200]}")


partner_app = typer.Typer(
    help="The partner side: follow a partner organisation's own topic.", no_args_is_help=True
)
app.add_typer(partner_app, name="partner")


@partner_app.command("listen")
def partner_listen(
    org: Annotated[str, typer.Option("--org", help="The partner organisation's slug, e.g. socialni-odbor")],
    forward_url: Annotated[
        str | None,
        typer.Option("--forward-url", help="POST each message as JSON to this address instead of printing"),
    ] = None,
    once: Annotated[
        bool, typer.Option("--once", help="Stop when caught up (otherwise follow until Ctrl-C)")
    ] = False,
) -> None:
    """Follow kmb.partner.<org>.v1 like the partner's own system would (consumer group per partner,
    resumes where it stopped)."""
    import asyncio

    from kmb_referrals.partner_listener import listen

    bootstrap = os.environ.setdefault("KMB_KAFKA_BOOTSTRAP", "127.0.0.1:9092")
    prefix = os.environ.get("KMB_TOPIC_PREFIX", "")
    try:
        handled = asyncio.run(listen(bootstrap, prefix, org, forward_url=forward_url, once=once))
    except KeyboardInterrupt:
        return
    typer.echo(f"({handled} messages)", err=True)


contracts_app = typer.Typer(
    help="Event contracts: JSON Schemas and AsyncAPI documents.", no_args_is_help=True
)
app.add_typer(contracts_app, name="contracts")


@contracts_app.command("export")
def contracts_export() -> None:
    """Write the JSON Schema of every event type into the shared package (commit them to release)."""
    from kmb_shared.contracts.schemas import SCHEMA_DIR, export

    typer.echo(f"{len(export())} schemas written to {SCHEMA_DIR}")


@contracts_app.command("asyncapi")
def contracts_asyncapi(
    service: Annotated[str, typer.Argument(help="intake, assessment, catalogue, referrals or stats")],
) -> None:
    """Print a service's AsyncAPI 3.0 document (FastStream's generator), as its /asyncapi.json serves it."""
    import importlib

    from kmb_shared.service import asyncapi_document

    if service not in svc.SERVICES:
        _fail(ValueError(f"unknown service {service!r}; choose one of {', '.join(svc.SERVICES)}"))
    bootstrap = importlib.import_module(f"kmb_{service}.bootstrap")
    application = bootstrap.build_app()
    typer.echo(json.dumps(asyncapi_document(bootstrap.build_spec(), application.state.runtime), indent=2))


def main() -> None:
    from .ops import register

    register(app)
    app()
