"""`kmb users create-admin` and `kmb token`: the first administrator and API tokens for this host."""

from __future__ import annotations

from typing import Annotated

import typer

from .. import services as svc
from .common import VarDir, _fail, _var

users_app = typer.Typer(help="Accounts of the people who sign in (kept by intake).", no_args_is_help=True)


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

    from kmb_intake.bootstrap import create_admin
    from kmb_intake.config import IntakeSettings

    _var(var_dir)
    try:
        asyncio.run(create_admin(IntakeSettings(), username, password, name))
    except ValidationError as exc:
        _fail(ValueError("; ".join(str(e["msg"]) for e in exc.errors())))
    except Exception as exc:
        _fail(RuntimeError(getattr(exc, "message_cs", None) or str(exc)))
    typer.echo(f"Administrátor {username} vytvořen. Přihlaste se na {svc.url_of('intake')}/login")


def token(
    role: Annotated[
        list[str],
        typer.Option(
            "--role", help="worker, partner, analyst, catalogue_editor, rules_editor, admin, auditor"
        ),
    ],
    org: Annotated[
        str, typer.Option("--org", help="Organisation slug ('kmb' for the contact point)")
    ] = "kmb",
    user: Annotated[
        str, typer.Option("--user", help="Pseudonymous user id recorded as the actor")
    ] = "operator",
    days: Annotated[
        float | None,
        typer.Option("--days", min=0.01, help="How long it is valid (default: KMB_API_TOKEN_DAYS, 90)"),
    ] = None,
    var_dir: VarDir = None,
) -> None:
    """Print an API token signed with this machine's secret (for curl and scripts on this host); its id
    and expiry go to stderr (revoke it by id: DELETE /api/tokens/<id> on intake)."""
    from datetime import UTC, datetime, timedelta
    from uuid import uuid4

    from kmb_shared.auth import DEFAULT_API_TOKEN_DAYS, Role, Signer, load_secret

    _var(var_dir)
    unknown = [r for r in role if r not in {x.value for x in Role}]
    if unknown:
        _fail(ValueError(f"unknown role(s): {', '.join(unknown)}"))
    settings = svc.settings_class("intake")()
    valid_days = (
        days if days is not None else float(getattr(settings, "api_token_days", DEFAULT_API_TOKEN_DAYS))
    )
    sid = uuid4().hex
    signer = Signer(load_secret(settings.var_dir, settings.secret_key))
    typer.echo(signer.api_token(user, set(role), org, days=valid_days, sid=sid))
    until = datetime.now(UTC) + timedelta(days=valid_days)
    typer.echo(f"token id {sid}, valid until {until:%Y-%m-%d %H:%M} UTC", err=True)
