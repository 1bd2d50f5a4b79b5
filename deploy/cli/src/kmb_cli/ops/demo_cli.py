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
from .kafka_io import bootstrap, topics


def demo_data(
    cases: Annotated[int, typer.Option("--cases", min=1, max=5000, help="How many households")] = 50,
    seed: Annotated[int, typer.Option("--seed", help="Same seed, same data")] = 2026,
    national: Annotated[
        bool,
        typer.Option(
            "--national",
            help="Instead: a national history of 132 demo contact points 2021–2026 straight to Kafka",
        ),
    ] = False,
    events: Annotated[
        int, typer.Option("--events", min=1, help="With --national: how many events")
    ] = 1_000_000,
    kafka: Annotated[
        str | None, typer.Option("--bootstrap", help="With --national: Kafka (default KMB_KAFKA_BOOTSTRAP)")
    ] = None,
    prefix: Annotated[
        str | None,
        typer.Option("--topic-prefix", help="With --national: topic prefix (default KMB_TOPIC_PREFIX)"),
    ] = None,
    validate: Annotated[
        bool, typer.Option("--validate/--no-validate", help="With --national: validate every event")
    ] = True,
) -> None:
    """Synthetic, clearly marked demo histories (Czech names with "(DEMO)", notes "syntetická data")
    of the demo town Lipovec over the past year, entered through the services' real APIs; with
    ``--national`` a national event history (demo actors, districts and partners) written to Kafka."""
    console = Console()
    if national:
        from .national_cli import write_national

        write_national(
            kafka or bootstrap(),
            events,
            seed,
            topics().prefix if prefix is None else prefix,
            validate=validate,
            console=console,
        )
        return
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
