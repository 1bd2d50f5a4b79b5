"""`kmb demo load`: the demo catalogue and partners of the fictional town Lipovec."""

from __future__ import annotations

import typer

from .. import services as svc
from .common import VarDir, _fail, _var, admin_headers

demo_app = typer.Typer(
    help="Demo data of the fictional town Lipovec (clearly marked DEMO).", no_args_is_help=True
)


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
            response = httpx.post(url, headers=admin_headers(service), timeout=60)
        except httpx.HTTPError as exc:
            _fail(RuntimeError(f"{service} not reachable at {url}: {exc}"))
            return
        if response.status_code >= 400:
            _fail(RuntimeError(f"{service} refused the demo {what}: {response.status_code} {response.text}"))
        typer.echo(f"• demo {what}: {response.text[:200]}")
