"""`kmb demo-data`: synthetic case histories through the running services' HTTP APIs."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Annotated

import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TimeElapsedColumn
from rich.table import Table

from .. import services as svc
from .demo_gen import generate
from .demo_run import DemoRun, ServiceDown


def demo_data(
    cases: Annotated[int, typer.Option("--cases", min=1, max=5000, help="How many households")] = 50,
    seed: Annotated[int, typer.Option("--seed", help="Same seed, same data")] = 2026,
) -> None:
    """Synthetic, clearly marked demo histories (Czech names with "(DEMO)", notes "syntetická data")
    of the demo town Lipovec over the past year, entered through the services' real APIs."""
    console = Console()
    run = DemoRun({name: svc.url_of(name) for name in svc.SERVICES})
    try:
        run.discover()
    except ServiceDown as exc:
        console.print(f"[red]kmb: {exc}[/red]")
        raise typer.Exit(1) from None
    with console.status("Demo katalog a demo partneři…"):
        run.load_catalogue()
        partners = run.load_partners()
    plans = generate(cases, seed, date.today(), partners)
    columns = (
        "[progress.description]{task.description}",
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
    )
    with Progress(*columns, console=console) as bar:

        def ticker(label: str, total: int) -> Callable[[], None]:
            task = bar.add_task(label, total=total)
            return lambda: bar.advance(task)

        opened = run.open_cases(plans, ticker("Kontakty a případy", cases))
        run.find_assessments(opened, ticker("Čekám na šetření", len(opened)))
        run.assess(opened, ticker("Šetření", len(opened)))
        run.refer(opened, ticker("Předání partnerům", len(opened)))
        run.respond(opened, ticker("Odpovědi partnerů", len(opened)))
        run.close(opened, ticker("Uzavření případů", len(opened)))
    table = Table(title=f"Demo data: {len(opened)} případů (seed {seed}), syntetická data")
    table.add_column("Krok")
    table.add_column("Počet", justify="right")
    for name, count in sorted(run.counts.items()):
        table.add_row(name, str(count))
    console.print(table)
    for message in run.warnings.values():
        console.print(f"[yellow]upozornění:[/yellow] {message}")
    console.print(
        "Události nesou dnešní čas (API razí „teď“); rozložení do roku je v datech: data kontaktů, souhlasů, "
        "výpovědí a narození."
    )
