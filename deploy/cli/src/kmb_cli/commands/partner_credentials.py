"""`kmb partner credentials <slug>` and `kmb partner revoke <slug>`: a partner's principal on the SASL
broker (``kmb-partner-<slug>``, reading only its own topic and groups), issued, rotated and removed by
the launcher's admin; `kmb partner deactivate|activate <slug>` and `kmb partner sync-acls`: its rights
on the broker follow referrals' registry (:mod:`kmb_cli.partner_acls`)."""

from __future__ import annotations

import os
import time
from typing import Annotated

import typer

from kmb_shared.messaging import Topics
from kmb_shared.messaging.flows import partner_username

from .. import partner_acls as acls
from .. import services as svc
from ..infra._common import InfraError, run_sync
from ..principals import issue_partner_credentials, revoke_partner, use_admin_credentials
from .common import VarDir, _fail, _kafka_port, _var, admin_headers

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
        active = _registry().get(slug)
    except acls.RegistryUnavailable as exc:
        _fail(exc)
    if not active:
        _fail(InfraError(f"partner {slug} není v referrals registrován nebo je deaktivován: heslo nevydáno"))
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
        f"\nkmb partner listen --org {slug} --username {partner_username(slug)} --password-file <file>",
        err=True,
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


def _registry() -> dict[str, bool]:
    return acls.registry(svc.url_of("referrals"), admin_headers("referrals"))


def _sync(bootstrap: str, topics: Topics, active: dict[str, bool], whole: bool = False) -> acls.Applied:
    from kmb_shared.messaging.security import KafkaSecurity

    apply = acls.follow_registry if whole else acls.apply_partner_states
    return run_sync(apply(bootstrap, KafkaSecurity(), topics, active))


def _set_active(slug: str, active: bool, var_dir: VarDir) -> None:
    """Referrals first (it decides; its users and tokens follow at once), then the broker; a broker step
    that fails says how to finish it (sync-acls makes the broker what referrals says)."""
    bootstrap, topics = _admin_and_topics(var_dir)
    try:
        acls.set_active(svc.url_of("referrals"), admin_headers("referrals"), slug, active)
    except acls.RegistryUnavailable as exc:
        _fail(exc)
    state = "aktivován" if active else "deaktivován"
    try:
        applied = _sync(bootstrap, topics, {slug: active})
    except Exception as exc:
        _fail(
            RuntimeError(
                f"partner {slug} je v referrals {state}, ale broker se nezměnil ({exc}); "
                "zopakujte kmb partner sync-acls"
            )
        )
        return
    typer.echo(f"Partner {slug} {state} v referrals.")
    for line in applied.lines_cs() or [f"{partner_username(slug)}: na brokeru nebylo co odebrat"]:
        typer.echo(line)


def partner_deactivate(slug: Slug, var_dir: VarDir = None) -> None:
    """Deactivate the partner in referrals and remove its ACLs on the broker (its Kafka user and password
    stay: `kmb partner activate` gives the access back; `kmb partner revoke` removes the user too)."""
    _set_active(slug, False, var_dir)


def partner_activate(slug: Slug, var_dir: VarDir = None) -> None:
    """Activate the partner in referrals again and give its principal back its ACLs."""
    _set_active(slug, True, var_dir)


def partner_sync_acls(
    every: Annotated[
        float | None,
        typer.Option(
            "--every",
            min=1.0,
            help="Keep doing it every this many seconds (until Ctrl-C), so a partner deactivated or "
            "registered on the referrals page is followed on the broker within that time",
        ),
    ] = None,
    var_dir: VarDir = None,
) -> None:
    """Make every partner's ACLs what referrals' registry says: an active partner reads its topic, a
    deactivated or no longer registered one has no rights on the broker."""
    bootstrap, topics = _admin_and_topics(var_dir)
    if every is None:
        try:
            applied = _sync(bootstrap, topics, _registry(), whole=True)
        except Exception as exc:
            _fail(exc)
            return
        for line in applied.lines_cs():
            typer.echo(line)
        typer.echo(
            f"Oprávnění partnerů na brokeru odpovídají referrals (aktivní partneři: {len(applied.granted)})."
        )
        return
    while True:  # following: only what changed is said
        try:
            applied = _sync(bootstrap, topics, _registry(), whole=True)
        except Exception as exc:
            typer.secho(f"kmb: oprávnění partnerů nesladěna ({exc}); znovu za {every:.0f} s", err=True)
        else:
            for line in applied.lines_cs(granted=False):
                typer.echo(line)
        time.sleep(every)


def register(app: typer.Typer) -> None:
    app.command("credentials")(partner_credentials)
    app.command("revoke")(partner_revoke)
    app.command("deactivate")(partner_deactivate)
    app.command("activate")(partner_activate)
    app.command("sync-acls")(partner_sync_acls)
