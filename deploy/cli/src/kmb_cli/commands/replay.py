"""`kmb replay`: rebuild a service's read models from the event log and compare with the live ones."""

from __future__ import annotations

from typing import Annotated

import typer

from .. import services as svc
from .common import _fail, _kafka_port, admin_headers


def _consumes(service: str) -> bool:
    import importlib

    spec = importlib.import_module(f"kmb_{service}.bootstrap").build_spec()
    return bool(spec.handlers and spec.subscribes)


def replay(
    service: Annotated[
        str, typer.Argument(help="a service that consumes events: assessment, catalogue, referrals or stats")
    ],
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
    spec = importlib.import_module(f"kmb_{service}.bootstrap").build_spec()
    if not spec.handlers or not spec.subscribes:
        consumers = [name for name in svc.SERVICES if name != service and _consumes(name)]
        _fail(
            ValueError(
                f"{service} consumes no events, so it has no read models to rebuild from the log "
                f"(its own tables are the record); services with read models: {', '.join(consumers)}"
            )
        )
    _kafka_port()
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
            headers=admin_headers(service),
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
