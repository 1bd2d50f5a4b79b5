"""`kmb retention run [--dry-run]` (the retention job now, through intake's API) and `kmb audit erasure
<case>` (whether every consuming service has done its part of a case's erasure: the inbox row of the
PersonalDataErased event in its own database)."""

from __future__ import annotations

import asyncio
import json
from typing import Annotated, Any

import typer

from .. import services as svc
from ..ops.commands import audit_app
from .common import VarDir, _fail, _var, admin_headers

retention_app = typer.Typer(help="Erasure of closed cases past their retention period.", no_args_is_help=True)

#: the services that consume intake's topic, each of which confirms an erasure
CONSUMERS = ("referrals", "assessment", "catalogue", "stats")
OUTCOMES = {"erased": "vymazán", "would_erase": "byl by vymazán", "held": "ponechán"}


@retention_app.callback()
def retention() -> None:
    """Erasure of closed cases past their retention period (KMB_INTAKE_RETENTION_YEARS)."""


@retention_app.command("run")
def retention_run(
    dry_run: Annotated[bool, typer.Option("--dry-run", help="Only list what would be erased")] = False,
    var_dir: VarDir = None,
) -> None:
    """Run intake's retention job now and print its report (the same as the admin page's buttons)."""
    import httpx

    _var(var_dir)
    url = f"{svc.url_of('intake')}/api/retention/runs"
    try:
        response = httpx.post(url, params={"dry_run": str(dry_run).lower()}, headers=admin_headers("intake"))
    except httpx.HTTPError as exc:
        _fail(RuntimeError(f"příjem ({url}) neodpovídá: {type(exc).__name__}; běží `kmb up`?"))
    if response.status_code != 201:
        _fail(RuntimeError(f"příjem odpověděl {response.status_code}: {response.text[:200]}"))
    run = response.json()
    what = "by se vymazalo" if run["dry_run"] else "vymazáno"
    typer.echo(
        f"Případy uzavřené před {run['closed_before']}: {what} {run['erased']}, ponecháno {run['held']}."
    )
    for case in run["cases"]:
        why = f" ({case['why']})" if case.get("why") else ""
        typer.echo(
            f"  {case['number']} uzavřen {case['closed_on']}: {OUTCOMES.get(case['outcome'], '')}{why}"
        )


async def erasure_status(case: str) -> dict[str, Any]:
    """The case's erasure in intake's database and, per consuming service, when it handled the event."""
    import sqlalchemy as sa
    from sqlalchemy.ext.asyncio import create_async_engine

    async def rows(service: str, query: str, **params: Any) -> list[Any]:
        engine = create_async_engine(svc.settings_class(service)().resolved_database_url)
        try:
            async with engine.connect() as conn:
                return list((await conn.execute(sa.text(query), params)).all())
        finally:
            await engine.dispose()

    found = await rows(
        "intake",
        "SELECT e.event_id, e.erased_at, e.reason, c.number FROM intake_erasure e JOIN intake_case c"
        " ON c.id = e.case_id WHERE (c.number = :case OR CAST(c.id AS TEXT) = :case) AND e.member_position"
        " IS NULL",
        case=case.strip(),
    )
    if not found:
        return {"case": case, "erased": False}
    event_id, erased_at, reason, number = found[0]
    confirmed = {}
    for service in CONSUMERS:
        handled = await rows(service, "SELECT processed_at FROM kmb_inbox WHERE event_id = :e", e=event_id)
        confirmed[service] = str(handled[0][0]) if handled else None
    return {"case": number, "erased": True, "erased_at": str(erased_at), "reason": reason,
            "event_id": event_id, "confirmed": confirmed}  # fmt: skip


@audit_app.command("erasure")
def audit_erasure(
    case: Annotated[str, typer.Argument(help="The case's number (KMB-2026-00001) or id")],
    as_json: Annotated[bool, typer.Option("--json", help="The answer as one JSON object")] = False,
    var_dir: VarDir = None,
) -> None:
    """Whether the case's personal data were erased and every consuming service has confirmed it (exit
    status 1 while one has not, or when the case was not erased)."""
    from kmb_shared.contracts.vocabulary import ERASURE_REASONS

    _var(var_dir)
    status = asyncio.run(erasure_status(case))
    if as_json:
        typer.echo(json.dumps(status, ensure_ascii=False))
    elif not status["erased"]:
        typer.echo(f"Případ {case}: údaje nebyly vymazány.")
    else:
        typer.echo(f"Případ {status['case']}: údaje vymazány {status['erased_at']} "
                   f"({ERASURE_REASONS.label(status['reason'])}).")  # fmt: skip
        for service, at in status["confirmed"].items():
            typer.echo(f"  {service}: {'potvrzeno ' + at if at else 'ještě nepotvrzeno'}")
    if not status["erased"] or not all(status["confirmed"].values()):
        raise typer.Exit(1)
