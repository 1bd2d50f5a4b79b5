"""`kmb`: the operator's command for running KMB locally (its command groups live in ``commands/``)."""

from __future__ import annotations

import typer

from .commands import system
from .commands.accounts import token, users_app
from .commands.contracts import contracts_app
from .commands.demo import demo_app
from .commands.partner import partner_app
from .commands.partner_credentials import register as register_partner_credentials
from .commands.replay import replay
from .commands.soak import soak
from .infra.cli import kafka_app, pg_app

app = typer.Typer(help="KMB – kontaktní místo pro bydlení: run and operate the system.", no_args_is_help=True)
app.add_typer(kafka_app, name="kafka")
app.add_typer(pg_app, name="pg")
system.register(app)
app.command()(replay)
app.add_typer(users_app, name="users")
app.command()(token)
app.add_typer(demo_app, name="demo")
app.add_typer(partner_app, name="partner")
register_partner_credentials(partner_app)
app.add_typer(contracts_app, name="contracts")
app.command()(soak)


def main() -> None:
    from .infra._common import default_var_dir
    from .ops import register
    from .principals import use_admin_credentials

    register(app)
    use_admin_credentials(default_var_dir())  # the local broker takes SASL: the commands act as its admin
    app()
