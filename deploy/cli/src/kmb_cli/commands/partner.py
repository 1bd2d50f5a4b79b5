"""`kmb partner`: the partner side — follow a partner organisation's own topic like its own system would,
forward it signed (Standard Webhooks) with a delivery log, and look after the topic."""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Annotated

import typer

from .common import VarDir, _fail, _var

partner_app = typer.Typer(
    help="The partner side: follow a partner organisation's own topic, forward it signed, see deliveries.",
    no_args_is_help=True,
)

Org = Annotated[str, typer.Option("--org", help="The partner organisation's slug, e.g. socialni-odbor")]


@partner_app.command("listen")
def partner_listen(
    org: Org,
    forward_url: Annotated[
        str | None,
        typer.Option(
            "--forward-url",
            help="POST each message as JSON to this address instead of printing, signed with the partner's "
            "webhook secret (Standard Webhooks; kmb partner webhook-secret), retried 4 times with backoff, "
            "each delivery in <var>/partners/<org>/deliveries.jsonl (kmb partner deliveries)",
        ),
    ] = None,
    once: Annotated[
        bool, typer.Option("--once", help="Stop when caught up (otherwise follow until Ctrl-C)")
    ] = False,
    username: Annotated[
        str | None,
        typer.Option(
            "--username", help="SASL principal on the broker, kmb-partner-<org> (kmb partner credentials)"
        ),
    ] = None,
    password: Annotated[
        str | None, typer.Option("--password", envvar="KMB_PARTNER_KAFKA_PASSWORD", help="Its password")
    ] = None,
    password_file: Annotated[
        Path | None, typer.Option("--password-file", help="A file holding the password (first line)")
    ] = None,
    ca_file: Annotated[
        Path | None,
        typer.Option(
            "--ca-file",
            help="The broker listens over TLS (SASL_SSL): the CA certificate its certificate is signed by "
            "(a copy of the contact point's var/kafka/tls/ca.pem, or your municipality's CA)",
        ),
    ] = None,
    var_dir: VarDir = None,
) -> None:
    """Follow kmb.partner.<org>.v1 like the partner's own system would (consumer group per partner,
    resumes where it stopped); on a SASL broker as the partner's own principal (--username with
    --password or --password-file), which may read only this topic."""
    import asyncio

    if username:
        secret = password_file.read_text().splitlines()[0].strip() if password_file else password
        if not secret:
            _fail(ValueError("--username needs --password or --password-file"))
        if not os.environ.get("KMB_KAFKA_SECURITY_PROTOCOL", "").startswith("SASL_"):
            os.environ["KMB_KAFKA_SECURITY_PROTOCOL"] = "SASL_PLAINTEXT"
        os.environ["KMB_KAFKA_SASL_USERNAME"] = username
        os.environ["KMB_KAFKA_SASL_PASSWORD"] = str(secret)
    if ca_file:
        os.environ["KMB_KAFKA_SECURITY_PROTOCOL"] = "SASL_SSL" if username else "SSL"
        os.environ["KMB_KAFKA_SSL_CAFILE"] = str(ca_file.resolve())

    from aiokafka.errors import KafkaError

    from ..partner_listener import listen
    from ..partner_webhooks import DeliveryFailed, Forwarding, NoWebhookSecret, listener_dir

    bootstrap = os.environ.setdefault("KMB_KAFKA_BOOTSTRAP", "127.0.0.1:9092")
    prefix = os.environ.get("KMB_TOPIC_PREFIX", "")
    forward = None
    if forward_url:
        try:
            forward = Forwarding.for_partner(forward_url, listener_dir(_var(var_dir), org))
        except NoWebhookSecret:
            typer.secho(
                f"kmb: partner {org} nemá tajný klíč pro podepisování; vydejte ho příkazem "
                f"kmb partner webhook-secret --org {org}",
                err=True,
                fg=typer.colors.RED,
            )
            raise typer.Exit(1) from None
    try:
        handled = asyncio.run(listen(bootstrap, prefix, org, forward=forward, once=once))
    except KeyboardInterrupt:
        return
    except KafkaError as exc:
        typer.secho(f"kmb: {_broker_refusal(bootstrap, exc)}", err=True, fg=typer.colors.RED)
        raise typer.Exit(1) from None
    except DeliveryFailed as exc:
        typer.secho(
            f"kmb: zprávu se nepodařilo doručit ({exc}); zapsáno v záznamu doručení, "
            "při dalším spuštění se doručí znovu",
            err=True,
            fg=typer.colors.RED,
        )
        raise typer.Exit(1) from None
    typer.echo(f"({handled} messages)", err=True)


@partner_app.command("webhook-secret")
def partner_webhook_secret(org: Org, var_dir: VarDir = None) -> None:
    """Issue (or rotate) the partner's secret for signing forwarded messages and show it once.

    Stored in <var>/partners/<org>/webhook-secret (readable only by its owner), beside the delivery log;
    the previous secret stops verifying at once. Give it to the partner's system to verify webhook-signature."""
    from ..partner_webhooks import issue_secret, listener_dir

    folder = listener_dir(_var(var_dir), org)
    secret = issue_secret(folder)
    typer.echo(f"Nový tajný klíč pro podepisování zpráv partnera {org} (zobrazí se jen teď):")
    typer.echo(secret)
    typer.echo(f"Uložen v {folder}; předchozí klíč přestal platit.", err=True)


@partner_app.command("deliveries")
def partner_deliveries(
    org: Org,
    var_dir: VarDir = None,
    failed: Annotated[bool, typer.Option("--failed", help="Only the deliveries that failed")] = False,
    last: Annotated[int, typer.Option("--last", min=1, help="At most this many, newest last")] = 50,
    as_json: Annotated[bool, typer.Option("--json", help="The log's JSON lines as they are")] = False,
) -> None:
    """The delivery log of the forwarded messages (kmb partner listen --forward-url), in Czech."""
    from ..partner_webhooks import FAILED, OUTCOME_CS, listener_dir, read_deliveries

    entries = read_deliveries(listener_dir(_var(var_dir), org))
    if failed:
        entries = [e for e in entries if e.get("outcome") == FAILED]
    entries = entries[-last:]
    if as_json:
        for entry in entries:
            typer.echo(json.dumps(entry, ensure_ascii=False))
        return
    if not entries:
        typer.echo(f"Partner {org}: žádné doručení zatím není zaznamenáno.")
        return
    typer.echo(f"Doručení zpráv partnera {org} (nejnovější dole):")
    for e in entries:
        outcome = OUTCOME_CS.get(str(e.get("outcome")), str(e.get("outcome")))
        answer = f"HTTP {e['http_status']}" if e.get("http_status") else (e.get("error") or "bez odpovědi")
        typer.echo(
            f"{e.get('at', '?')}  {outcome.upper()}  pokusů: {e.get('attempts', '?')}  {answer}  "
            f"zpráva {e.get('webhook_id', '?')}  {e.get('type', '?')}  předání {e.get('referral_id') or '–'}  "
            f"→ {e.get('url', '?')}"
        )
    failures = sum(1 for e in entries if e.get("outcome") == FAILED)
    typer.echo(f"Celkem {len(entries)}, z toho nedoručeno {failures}.")


@partner_app.command("rewrite-topic")
def partner_rewrite_topic(org: Org) -> None:
    """Rewrite kmb.partner.<org>.v1 without personal data: every message of a first version (client,
    case number, notes inside) becomes its thin current version, the rest is copied as it is.

    A verified copy, not compaction (which would keep only a case's last message): the thin messages go
    to kmb.partner.<org>.v1.rewrite and are read back and checked; only then is the topic deleted,
    created again with the same partitions, filled from the copy and checked again, and the partner's
    consumer group set to the same positions in it (the listener resumes where it stopped). Refused
    before anything is deleted if the topic grows meanwhile or the partner's listener is running: stop
    referrals (kmb down) and the listener first."""
    import asyncio

    from ..partner_listener import group_for, topic_for
    from ..partner_rewrite import RewriteRefused, rewrite_partner_topic

    bootstrap = os.environ.setdefault("KMB_KAFKA_BOOTSTRAP", "127.0.0.1:9092")
    prefix = os.environ.get("KMB_TOPIC_PREFIX", "")
    try:
        report = asyncio.run(rewrite_partner_topic(bootstrap, topic_for(prefix, org), group_for(prefix, org)))
    except RewriteRefused as exc:
        typer.secho(f"kmb: přepis tématu partnera {org} neproběhl: {exc}", err=True, fg=typer.colors.RED)
        raise typer.Exit(1) from None
    for line in report.lines_cs():
        typer.echo(line)


def _broker_refusal(bootstrap: str, exc: BaseException) -> str:
    """One line in Czech on why the broker did not let the listener read (wrong or missing credentials,
    no right to the topic, or no broker at the address), instead of a traceback."""
    import asyncio

    from kmb_shared.messaging.kafka import bootstrap_servers
    from kmb_shared.messaging.security import KafkaSecurity, credentials_problem, refusal

    why = refusal(exc) or asyncio.run(credentials_problem(bootstrap_servers(bootstrap), KafkaSecurity()))
    if why:
        fix = "--username a heslo (kmb partner credentials vydá nové)" if "odmítá" in why else "--ca-file"
        return f"Kafka odmítla přihlášení nebo čtení ({why}); zkontrolujte {fix}"
    return f"Kafka na {bootstrap} neodpovídá ({type(exc).__name__}: {exc})"
