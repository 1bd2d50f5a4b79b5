"""`kmb partner listen`: follow a partner organisation's own topic like its own system would."""

from __future__ import annotations

import os
from typing import Annotated

import typer

partner_app = typer.Typer(
    help="The partner side: follow a partner organisation's own topic.", no_args_is_help=True
)


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

    from ..partner_listener import listen

    bootstrap = os.environ.setdefault("KMB_KAFKA_BOOTSTRAP", "127.0.0.1:9092")
    prefix = os.environ.get("KMB_TOPIC_PREFIX", "")
    try:
        handled = asyncio.run(listen(bootstrap, prefix, org, forward_url=forward_url, once=once))
    except KeyboardInterrupt:
        return
    typer.echo(f"({handled} messages)", err=True)
