"""`kmb partner credentials <slug>` and `kmb partner revoke <slug>`: a partner's principal on the SASL
broker (``kmb-partner-<slug>``, reading only its own topic and groups), issued, rotated and removed by
the launcher's admin."""

from __future__ import annotations

import os
from typing import Annotated

import typer

from kmb_shared.messaging import Topics
from kmb_shared.messaging.flows import partner_username

from ..infra._common import InfraError, run_sync
from ..principals import issue_partner_credentials, revoke_partner, use_admin_credentials
from .common import VarDir, _fail, _kafka_port, _var

Slug = Annotated[str, typer.Argument(help="The partner's slug (its topic is kmb.partner.<slug>.v1)")]


def _admin_and_topics(var_dir: VarDir) -> tuple[str, Topics]:
    var = _var(var_dir)
    _kafka_port()
    if use_admin_credentials(var) is None and "KMB_KAFKA_SASL_USERNAME" not in os.environ:
        _fail(InfraError(f"the broker of {var} does not take SASL: start it with `kmb up --sasl`"))
    return os.environ["KMB_KAFKA_BOOTSTRAP"], Topics(os.environ.get("KMB_TOPIC_PREFIX", ""))


def partner_credentials(slug: Slug, var_dir: VarDir = None) -> None:
    """Issue (or rotate: the old password stops working) the partner's Kafka password, shown once."""
    from kmb_shared.messaging.security import KafkaSecurity

    bootstrap, topics = _admin_and_topics(var_dir)
    try:
        password = run_sync(issue_partner_credentials(bootstrap, KafkaSecurity(), slug, topics))
    except Exception as exc:
        _fail(exc)
        return
    typer.echo(
        f"Kafka principal {partner_username(slug)} may read {topics.partner(slug)} (groups {topics.prefix}kmb.partner.{slug}*)."
    )
    typer.echo("Password (shown once, not stored; run the command again to rotate it):")
    typer.echo(password)
    typer.echo(
        f"\nkmb partner listen {slug} --username {partner_username(slug)} --password-file <file>", err=True
    )


def partner_revoke(slug: Slug, var_dir: VarDir = None) -> None:
    """Remove the partner's ACLs and Kafka user (after deactivating it in referrals)."""
    from kmb_shared.messaging.security import KafkaSecurity

    bootstrap, _ = _admin_and_topics(var_dir)
    try:
        removed, existed = run_sync(revoke_partner(bootstrap, KafkaSecurity(), slug))
    except Exception as exc:
        _fail(exc)
        return
    user = "removed" if existed else "did not exist"
    typer.echo(f"{partner_username(slug)}: {removed} ACL(s) removed, user {user}")


def register(app: typer.Typer) -> None:
    app.command("credentials")(partner_credentials)
    app.command("revoke")(partner_revoke)
