"""`kmb demo-data --national`: the synthetic national history (:mod:`.national_gen`) written to Kafka,
with the rate and the count of each event type printed."""

from __future__ import annotations

import asyncio
import os

import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TimeElapsedColumn
from rich.table import Table

from kmb_shared.formatting import format_number

from .national_gen import CONTACT_POINTS, HISTORY_END, HISTORY_START, WriteResult, write_history


def _n(value: float) -> str:
    return format_number(value, 0, nbsp=False)


def write_national(
    bootstrap: str, events: int, seed: int, prefix: str, *, validate: bool = True, console: Console
) -> WriteResult:
    """Write the history with a progress bar; the figures table after."""
    columns = (
        "[progress.description]{task.description}",
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
    )
    load_before = os.getloadavg()[0]
    try:
        with Progress(*columns, console=console) as bar:
            task = bar.add_task(f"Národní historie → {bootstrap} (prefix {prefix or '–'})", total=events)
            result = asyncio.run(
                write_history(
                    bootstrap,
                    events,
                    seed,
                    prefix,
                    validate=validate,
                    progress=lambda done: bar.update(task, completed=done),
                )
            )
    except (OSError, RuntimeError) as exc:
        console.print(f"[red]kmb: zápis do Kafky na {bootstrap} selhal: {exc}[/red]")
        raise typer.Exit(1) from None
    except Exception as exc:  # aiokafka's errors (broker down, no such topic) share no base class
        if type(exc).__module__.startswith("aiokafka"):
            console.print(f"[red]kmb: Kafka na {bootstrap}: {exc!r}[/red]")
            raise typer.Exit(1) from None
        raise
    table = Table(
        title=(
            f"Národní demo historie (seed {seed}): {_n(result.events)} událostí, {len(CONTACT_POINTS)} "
            f"kontaktních míst, {HISTORY_START:%Y}–{HISTORY_END:%Y}, syntetická data (DEMO)"
        )
    )
    table.add_column("Událost")
    table.add_column("Počet", justify="right")
    for kind, count in sorted(result.counts.items()):
        table.add_row(kind, _n(count))
    console.print(table)
    console.print(
        f"Zapsáno {_n(result.events)} událostí ({result.value_bytes / 2**20:.0f} MiB dat) za "
        f"{result.seconds:.1f} s = {_n(result.rate)} událostí/s"
        f"{' (každá ověřena smlouvou)' if validate else ''}; zatížení stroje {load_before:.1f} → "
        f"{os.getloadavg()[0]:.1f}. Srovnání se syrovým zápisem: `kmb bench --national`."
    )
    return result
