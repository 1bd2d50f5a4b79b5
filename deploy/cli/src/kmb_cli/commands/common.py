"""What every command module shares: the state folder option, the broker address, failing with a message
and the operator's admin token."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Annotated

import typer

from .. import services as svc
from ..infra._common import default_var_dir

VarDir = Annotated[
    Path | None, typer.Option("--var-dir", help="State folder [default: $KMB_VAR_DIR or ./var]")
]


def _var(var_dir: Path | None) -> Path:
    from ..principals import use_admin_credentials

    path = (var_dir or default_var_dir()).resolve()
    os.environ["KMB_VAR_DIR"] = str(path)
    use_admin_credentials(path)  # a SASL broker of this var dir: the commands act as its admin
    return path


def _kafka_port() -> int:
    bootstrap = os.environ.setdefault("KMB_KAFKA_BOOTSTRAP", "127.0.0.1:9092")
    return int(bootstrap.rsplit(":", 1)[1])


def _fail(exc: Exception) -> None:
    typer.secho(f"kmb: {exc}", err=True, fg=typer.colors.RED)
    raise typer.Exit(1)


def admin_headers(service: str) -> dict[str, str]:
    """A token for this operator command, signed with the secret the local services share."""
    from kmb_shared.auth import Role, Signer, load_secret

    settings = svc.settings_class(service)()
    token = Signer(load_secret(settings.var_dir, settings.secret_key)).api_token(
        "kmb-cli", {Role.ADMIN, Role.CATALOGUE_EDITOR, Role.WORKER}, "kmb"
    )
    return {"Authorization": f"Bearer {token}"}
