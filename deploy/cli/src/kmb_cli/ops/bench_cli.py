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

from kmb_shared.formatting import format_number, format_percent

from .. import services as svc
from ..infra._common import InfraError, repo_root
from ..infra.kafka import kafka_version
from .bench import REPLAYED, end_to_end, raw_throughput, replay_rate, service_rss_mb
from .bench_report import Figures, Machine, markdown
from .kafka_io import api_headers, bootstrap, var_dir


def _n(value: float, decimals: int = 0) -> str:
    """A figure of the Czech table: "30 000", "17,4" (plain spaces for the terminal)."""
    return format_number(value, decimals, min_decimals=decimals, nbsp=False)


def _share(fraction: float, decimals: int) -> str:
    """0.1234 -> "12,3 %"."""
    return format_percent(fraction * 100, decimals, min_decimals=decimals)


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
    national: Annotated[
        bool, typer.Option("--national", help="Measure the national history (kmb demo-data --national)")
    ] = False,
    events: Annotated[
        int, typer.Option("--events", min=1, help="--national: events to generate")
    ] = 1_000_000,
    seed: Annotated[int, typer.Option("--seed", help="--national: seed of the history")] = 2026,
    prefix: Annotated[
        str, typer.Option("--topic-prefix", help="--national: the history's topics")
    ] = "national.",
    postgres_url: Annotated[
        str | None, typer.Option("--postgres-url", help="--national: PostgreSQL server for stats")
    ] = None,
    replayed: Annotated[str, typer.Option("--replay", help="--national: services to replay")] = ",".join(
        REPLAYED
    ),
) -> None:
    """Raw Kafka rate, stats replay rate, end-to-end latency under load, and memory of each service;
    with ``--national`` the same on the national history (report docs/performance-national.md)."""
    console = Console()
    var, kafka = var_dir(), bootstrap()
    if national:
        from .bench_national import bench_national

        if output.name == "performance.md":
            output = output.with_name("performance-national.md")
        history = (events, seed, prefix, postgres_url, tuple(replayed.split(",")))
        bench_national(
            kafka, *history, raw_events, output if write else None, note, _kafka_version(var), console
        )
        return
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
    with console.status(f"1/4 Kafka: zápis a čtení {_n(raw_events)} událostí…"):
        raw = asyncio.run(raw_throughput(kafka, raw_events))
    with console.status(
        f"2/4 Zátěž: {format_number(rate, 2)} případů/s po dobu {format_number(seconds, 2)} s…"
    ):
        latency = asyncio.run(
            end_to_end(
                svc.url_of("intake"), stats_settings.resolved_database_url, api_headers(), rate, seconds
            )
        )
    time.sleep(2)
    rss_loaded = service_rss_mb(var)
    replays = []
    for name in REPLAYED:
        with console.status(f"3/4 Replay služby {name} od offsetu 0…"), tempfile.TemporaryDirectory() as work:
            replays.append(asyncio.run(replay_rate(svc.settings_class(name)(), Path(work), name)))
    replay = replays[0]
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
        replays[1:],
    )
    table = Table(title="kmb bench")
    table.add_column("Měření")
    table.add_column("Výsledek", justify="right")
    table.add_row("Kafka zápis", f"{_n(raw.produce_rate)} událostí/s")
    table.add_row("Kafka čtení", f"{_n(raw.consume_rate)} událostí/s")
    for each in replays:
        table.add_row(
            f"Replay {each.service}",
            f"{_n(each.rate)} událostí/s ({_n(each.events)} za {_n(each.seconds, 2)} s: příprava "
            f"{_n(each.setup_s, 2)}, čtení a zápis {_n(each.apply_s, 2)}, digest {_n(each.digest_s, 2)} s), "
            f"{_share(each.rate / raw.consume_rate, 1)} čtení, "
            + (
                f"živý stav nepřečten: {each.live_error}"
                if each.live_error
                else "digest EQUAL"
                if each.equal
                else f"digest DIFFERENT ({each.rows} / živě {each.live_rows} řádků)"
            ),
        )
    table.add_row("Replay statistik / čtení", _share(figures.replay_share, 1))
    table.add_row(
        "Pipeline / čtení",
        f"{_share(figures.pipeline_share, 2)} ({_n(latency.completed_rate, 1)} z {_n(latency.achieved_rate, 1)} případů/s)",
    )
    table.add_row(
        "Latence end-to-end",
        f"p50 {_n(latency.p(50))} ms, p95 {_n(latency.p(95))} ms, p99 {_n(latency.p(99))} ms",
    )
    table.add_row("Zatížení stroje (1 min, před → po)", f"{_n(load_before, 1)} → {_n(os.getloadavg()[0], 1)}")
    table.add_row("Odesláno / odmítnuto / chybí", f"{latency.sent} / {latency.refused} / {latency.missing}")
    for name in svc.SERVICES:
        idle, loaded = rss_idle[name], rss_loaded[name]
        table.add_row(f"RSS {name} (klid → po zátěži)", f"{_n(idle or 0)} → {_n(loaded or 0)} MiB")
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
