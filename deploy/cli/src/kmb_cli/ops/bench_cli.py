"""`kmb bench`: measure the running system and write docs/performance.md."""

from __future__ import annotations

import asyncio
import os
import tempfile
import time
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.table import Table

from .. import services as svc
from ..infra._common import InfraError, repo_root
from ..infra.kafka import kafka_version
from .bench import end_to_end, raw_throughput, replay_rate, service_rss_mb
from .bench_report import Figures, Machine, markdown
from .kafka_io import api_headers, bootstrap, var_dir


def _kafka_version(var: Path) -> str:
    for libs in (var / "kafka" / "libs", repo_root() / "var" / "kafka" / "libs"):
        try:
            return kafka_version(libs)
        except InfraError:
            continue
    return "unknown"


def bench(
    seconds: Annotated[float, typer.Option("--seconds", min=1, help="Length of the steady load")] = 20,
    rate: Annotated[
        float, typer.Option("--rate", min=1, help="Cases opened per second during the load")
    ] = 50,
    raw_events: Annotated[
        int, typer.Option("--raw-events", min=1000, help="Records for the raw test")
    ] = 30_000,
    output: Annotated[Path, typer.Option("--output", help="Where to write the report")] = Path(
        "docs/performance.md"
    ),
    write: Annotated[bool, typer.Option("--write/--no-write", help="Write the report file")] = True,
    note: Annotated[
        str, typer.Option("--note", help="Circumstances of the run, written into the report")
    ] = "",
) -> None:
    """Raw Kafka rate, stats replay rate, end-to-end latency under load, and memory of each service."""
    console = Console()
    var, kafka = var_dir(), bootstrap()
    stats_settings = svc.settings_class("stats")()
    for name in ("intake", "stats"):
        status = svc.service_status(var, name)
        if not status["ready"]:
            console.print(
                f"[red]kmb: {name} na {status['url']} není připraven; spusťte `kmb up --detach`[/red]"
            )
            raise typer.Exit(1)
    rss_idle = service_rss_mb(var)
    load_before = os.getloadavg()[0]
    with console.status(f"1/4 Kafka: zápis a čtení {raw_events:,} událostí…"):
        raw = asyncio.run(raw_throughput(kafka, raw_events))
    with console.status(f"2/4 Zátěž: {rate:g} případů/s po dobu {seconds:g} s…"):
        latency = asyncio.run(
            end_to_end(
                svc.url_of("intake"), stats_settings.resolved_database_url, api_headers(), rate, seconds
            )
        )
    time.sleep(2)
    rss_loaded = service_rss_mb(var)
    with console.status("3/4 Replay statistik od offsetu 0…"), tempfile.TemporaryDirectory() as work:
        replay = asyncio.run(replay_rate(stats_settings, Path(work)))
    figures = Figures(
        Machine.here(_kafka_version(var)),
        raw,
        replay,
        latency,
        rss_idle,
        rss_loaded,
        seconds,
        rate,
        kafka,
        os.environ.get("KMB_TOPIC_PREFIX", ""),
        (load_before, os.getloadavg()[0]),
        note,
    )
    table = Table(title="kmb bench")
    table.add_column("Měření")
    table.add_column("Výsledek", justify="right")
    table.add_row("Kafka zápis", f"{raw.produce_rate:,.0f} událostí/s")
    table.add_row("Kafka čtení", f"{raw.consume_rate:,.0f} událostí/s")
    table.add_row(
        "Replay statistik", f"{replay.rate:,.0f} událostí/s ({replay.events:,} za {replay.seconds:.1f} s)"
    )
    table.add_row("Replay / čtení", f"{figures.replay_share:.1%}")
    table.add_row(
        "Pipeline / čtení",
        f"{figures.pipeline_share:.2%} ({latency.completed_rate:.1f} z {latency.achieved_rate:.1f} případů/s)",
    )
    table.add_row(
        "Latence end-to-end",
        f"p50 {latency.p(50):.0f} ms, p95 {latency.p(95):.0f} ms, p99 {latency.p(99):.0f} ms",
    )
    table.add_row("Zatížení stroje (1 min, před → po)", f"{load_before:.1f} → {os.getloadavg()[0]:.1f}")
    table.add_row("Odesláno / odmítnuto / chybí", f"{latency.sent} / {latency.refused} / {latency.missing}")
    for name in svc.SERVICES:
        idle, loaded = rss_idle[name], rss_loaded[name]
        table.add_row(f"RSS {name} (klid → po zátěži)", f"{idle or 0:.0f} → {loaded or 0:.0f} MiB")
    for target, measured, ok in figures.targets():
        table.add_row(target, f"{measured}: {'splněno' if ok else 'nesplněno'}")
    console.print(table)
    if write:
        with console.status("4/4 Zapisuji zprávu…"):
            output.parent.mkdir(parents=True, exist_ok=True)
            output.write_text(
                markdown(figures, f"kmb bench --seconds {seconds:g} --rate {rate:g}"), encoding="utf-8"
            )
        console.print(f"Zpráva zapsána do {output}")
