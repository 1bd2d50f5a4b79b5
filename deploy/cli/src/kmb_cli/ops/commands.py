"""`kmb audit case` and `kmb dlq list|replay`: reading the event log directly, no database involved."""

from __future__ import annotations

import asyncio
import json
from datetime import datetime
from typing import Annotated

import typer
from rich.console import Console
from rich.table import Table

from kmb_shared.formatting import format_datetime, plural
from kmb_shared.messaging.topics import CONTEXTS

from . import dlq
from .audit import CaseNotFound, timeline
from .kafka_io import Record, bootstrap, read_topics, topics, var_dir

JsonOpt = Annotated[bool, typer.Option("--json", help="Machine-readable output")]

audit_app = typer.Typer(help="Audit from the event log alone (no database).", no_args_is_help=True)
dlq_app = typer.Typer(
    help="Dead-letter topic: list failed events, replay them after a fix.", no_args_is_help=True
)

err = Console(stderr=True)


def fail(message: str) -> None:
    err.print(f"[red]kmb: {message}[/red]")
    raise typer.Exit(1)


def _read(names: list[str], what: str) -> list[Record]:
    try:
        with err.status(f"Čtu {what} z Kafky ({bootstrap()})…"):
            return asyncio.run(read_topics(bootstrap(), names))
    except Exception as exc:  # broker down or unreachable: say so plainly
        fail(f"Kafka na {bootstrap()} není dostupná: {exc}")
        raise


def events_cs(n: int) -> str:
    """Czech plural: 1 událost, 2–4 události, 0 and 5+ událostí."""
    return plural(n, "událost", "události", "událostí", nbsp=False)


def _local(moment: datetime) -> str:
    """The moment in Prague's time: "2. 3. 2026 12:00:00"."""
    return format_datetime(moment, seconds=True)


@audit_app.command("case")
def audit_case(
    case: Annotated[str, typer.Argument(help="Case number KMB-YYYY-NNNNN or case id (UUID)")],
    as_json: JsonOpt = False,
) -> None:
    """The whole history of one case across the four context topics, read from offset 0 (Kafka only)."""
    records = _read([topics().context(c) for c in CONTEXTS], "kontextová témata")
    try:
        entries = timeline(records, case)
    except CaseNotFound as exc:
        fail(str(exc))
        return
    if as_json:
        typer.echo(json.dumps([e.as_json() for e in entries], ensure_ascii=False, indent=2))
        return
    if not entries:
        err.print(f"O případu {case} není na tématech žádná událost.")
        return
    table = Table(title=f"Historie případu {case} ({events_cs(len(entries))}, čas Europe/Prague)")
    for column in ("Čas", "Událost", "Kdo", "Organizace", "Shrnutí", "Trace"):
        table.add_column(column, overflow="fold")
    for e in entries:
        kind = e.event_type.removeprefix("kmb.").rsplit(".v", 1)[0]
        table.add_row(
            _local(e.time), kind, e.actor_user or "", e.organisation or "", e.summary, (e.trace_id or "")[:16]
        )
    Console().print(table)


@dlq_app.command("list")
def dlq_list(as_json: JsonOpt = False) -> None:
    """Every record on the dead-letter topic, and whether it was already replayed."""
    ledger_path = var_dir() / dlq.LEDGER_FILE
    records = _read([topics().dlq], "dead-letter téma")
    found = dlq.entries(records, dlq.load_ledger(ledger_path))
    if as_json:
        typer.echo(json.dumps([e.as_json() for e in found], ensure_ascii=False, indent=2))
        return
    table = Table(title=f"{topics().dlq}: {len(found)} záznamů")
    for column in ("ID", "Čas", "Služba", "Původně", "Fáze", "Chyba", "Důvod", "Událost", "Znovu odesláno"):
        table.add_column(column, overflow="fold")
    for e in found:
        reason = (e.reason or "").replace("\n", " ")
        replayed = e.replayed
        table.add_row(
            e.ref,
            e.dead_lettered_at[:19] if e.dead_lettered_at else "",
            e.service or "",
            f"{e.original_topic}[{e.original_partition}]@{e.original_offset}",
            e.stage or "",
            e.error or "",
            reason[:70] + ("…" if len(reason) > 70 else ""),
            (e.event_type or "").removeprefix("kmb."),
            f"ano → [{replayed['partition']}]@{replayed['offset']}" if replayed else "ne",
        )
    Console().print(table)
    err.print(f"Znovu odeslané záznamy eviduje soubor {ledger_path} (ne Kafka). ID = oddíl:offset.")


@dlq_app.command("replay")
def dlq_replay(
    ref: Annotated[
        str, typer.Argument(help="The dead letter: partition:offset as `kmb dlq list` shows, or offset")
    ],
    force: Annotated[
        bool, typer.Option("--force", help="Replay even if the ledger says it was done")
    ] = False,
) -> None:
    """After a fix: publish the original event (value, key, headers without kmb_dlq_*) to its original topic."""
    records = _read([topics().dlq], "dead-letter téma")
    try:
        record = dlq.find(records, ref)
        done = asyncio.run(dlq.replay(bootstrap(), record, var_dir() / dlq.LEDGER_FILE, force=force))
    except dlq.DlqError as exc:
        fail(str(exc))
        return
    typer.echo(
        f"Znovu odesláno: {done.ref} → {done.topic}[{done.partition}]@{done.offset} (událost {done.event_id}). "
        "Pokud ji služba už zpracovala, její inbox ji přeskočí."
    )
