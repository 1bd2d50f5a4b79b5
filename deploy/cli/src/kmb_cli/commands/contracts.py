"""`kmb contracts export|asyncapi`: the event JSON Schemas and a service's AsyncAPI document."""

from __future__ import annotations

import json
from typing import Annotated

import typer

from .. import services as svc
from .common import _fail

contracts_app = typer.Typer(
    help="Event contracts: JSON Schemas and AsyncAPI documents.", no_args_is_help=True
)


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
