"""`kmb bench --national`: the national history (:mod:`.national_gen`) measured in one run.

- the anchors: raw produce and consume of aiokafka on the same broker (:func:`.bench.raw_throughput`);
- writing the history (events/s, against raw produce);
- the replay of stats and of every other consuming service from offset 0 of the history's topics
  (:func:`.bench.replay_rate`, the machinery of `kmb bench`), against raw consume;
- a stats service on PostgreSQL serving that history: the time it takes to consume it live, then the
  p50/p95 of its dashboard, summary, series and a yearly report (JSON, XLSX, PDF), and its memory (RSS)
  before and while serving. It runs as its own process (``python -m kmb_cli.serve stats``) with intake
  beside it (every request's sign-in is checked with intake, as in production), on ports of their own,
  with the history's topic prefix, a fresh PostgreSQL database and a secret of the bench's.
"""

from __future__ import annotations

import asyncio
import importlib
import os
import secrets
import shutil
import socket
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx
import psutil
import sqlalchemy as sa
import typer
from rich.console import Console
from rich.table import Table
from sqlalchemy.engine import make_url
from sqlalchemy.ext.asyncio import create_async_engine

from kmb_shared.auth import Signer
from kmb_shared.messaging import Topics
from kmb_shared.messaging.topics import CONTEXTS
from kmb_shared.replay import topic_partitions

from .. import services as svc
from ..infra._common import InfraError
from .bench import RawResult, ReplayResult, percentile, raw_throughput, replay_rate
from .bench_report import Machine
from .national_cli import _n, write_national
from .national_gen import WriteResult

#: the requests timed against the stats service: name, path, how many times
REQUESTS: tuple[tuple[str, str, int], ...] = (
    ("dashboard", "/dashboard", 5),
    ("summary", "/api/stats/summary", 5),
    ("series (months)", "/api/stats/series/cases_opened?interval=month", 5),
    ("report 2025 JSON", "/api/stats/reports/live/2025.json", 2),
    ("report 2025 XLSX", "/api/stats/reports/live/2025.xlsx", 2),
    ("report 2025 PDF", "/api/stats/reports/live/2025.pdf", 2),
)
#: issue 15's targets: p95 of these below their limits, ms
LIMITS_MS = {"dashboard": 200.0, "summary": 200.0, "report 2025 PDF": 3000.0}
RSS_LIMIT_MB = 500.0
PORTS = {"intake": 18_901, "stats": 18_905}


async def history_events(bootstrap: str, prefix: str) -> int:
    """How many records the context topics under ``prefix`` hold."""
    from aiokafka import AIOKafkaConsumer

    from kmb_shared.messaging.kafka import bootstrap_servers
    from kmb_shared.messaging.security import client_options

    topics = Topics(prefix)
    partitions = await topic_partitions(bootstrap, [topics.context(c) for c in CONTEXTS])
    if not partitions:
        return 0
    consumer = AIOKafkaConsumer(bootstrap_servers=bootstrap_servers(bootstrap), **client_options())
    await consumer.start()
    try:
        ends = await consumer.end_offsets(partitions)
        starts = await consumer.beginning_offsets(partitions)
    finally:
        await consumer.stop()
    return sum(ends[tp] - starts[tp] for tp in partitions)


async def national_replays(
    bootstrap: str, prefix: str, names: tuple[str, ...], stats_url: str | None, work: Path
) -> list[ReplayResult]:
    """Each service's rebuild from offset 0 of the history (stats' digest compared with the stats
    service's store on PostgreSQL when it has consumed the history; the others have no live store)."""
    results = []
    for name in names:
        url = (
            stats_url if name == "stats" and stats_url else f"sqlite+aiosqlite:///{work / f'{name}-none.db'}"
        )
        settings = svc.settings_class(name)(
            kafka_bootstrap=bootstrap, topic_prefix=prefix, var_dir=work, database_url=url
        )
        folder = work / f"replay-{name}"
        folder.mkdir(exist_ok=True)
        results.append(await replay_rate(settings, folder, name))
    return results


@dataclass
class Serving:
    """The stats service on PostgreSQL with the history."""

    events: int
    consume_s: float
    timings_ms: dict[str, list[float]] = field(default_factory=dict)
    first_ms: dict[str, float] = field(default_factory=dict)
    failures: dict[str, str] = field(default_factory=dict)
    rss_mb: dict[str, dict[str, float]] = field(default_factory=dict)  # service -> {phase: MiB}
    digest: str = ""

    @property
    def consume_rate(self) -> float:
        return self.events / self.consume_s if self.consume_s else 0.0

    def p(self, name: str, q: float) -> float:
        return percentile(self.timings_ms.get(name, []), q)


async def fresh_database(server_url: str, name: str) -> str:
    """``name`` dropped and created again on the PostgreSQL server of ``server_url``; its URL."""
    engine = create_async_engine(server_url, isolation_level="AUTOCOMMIT")
    try:
        async with engine.connect() as conn:
            await conn.execute(sa.text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
            await conn.execute(sa.text(f'CREATE DATABASE "{name}"'))
    finally:
        await engine.dispose()
    return make_url(server_url).set(database=name).render_as_string(hide_password=False)


def _answers(port: int) -> bool:
    """Whether something listens on 127.0.0.1:``port``."""
    with socket.socket() as probe:
        probe.settimeout(0.5)
        return probe.connect_ex(("127.0.0.1", port)) == 0


def _rss(pid: int) -> float:
    try:
        return float(psutil.Process(pid).memory_info().rss) / 2**20
    except psutil.Error:
        return float("nan")


async def load_stats_store(bootstrap: str, prefix: str, database_url: str) -> tuple[int, float]:
    """Stats' store on ``database_url`` filled from offset 0 of the history's topics by stats' own
    migrations and handler (``EventConsumer.handle_batch``, batches of 5,000 as a replay), and the
    stats consumer group's offsets committed at the end, so the service starts caught up. Returns the
    events stored and the seconds it took (stats' live consumer is far slower: see the report)."""
    from aiokafka import AIOKafkaConsumer, TopicPartition

    from kmb_shared.messaging import EventConsumer
    from kmb_shared.messaging.kafka import bootstrap_servers
    from kmb_shared.messaging.security import client_options
    from kmb_shared.replay import REPLAY_BATCH, read_to_end
    from kmb_shared.runtime import build_runtime

    spec = importlib.import_module("kmb_stats.bootstrap").build_spec()
    settings = svc.settings_class("stats")(
        kafka_bootstrap=bootstrap, topic_prefix=prefix, database_url=database_url
    )
    runtime = build_runtime(spec, settings)
    started = time.perf_counter()
    failed: list[str] = []

    async def refuse(record: Any, exc: BaseException, stage: str, attempts: int) -> None:
        failed.append(f"{record.topic}[{record.partition}]@{record.offset}: {exc}")

    assert spec.handlers is not None
    consumer = EventConsumer(
        name="stats",
        db=runtime.db,
        outbox=runtime.outbox,
        handlers=spec.handlers(runtime),
        dead_letter=refuse,
        # no inbox rows: their batch insert misses processed_at on PostgreSQL (NOT NULL) and falls back
        # to one event per transaction; the group's offsets are committed past the history, so none of
        # its events is delivered again to need them
        remember_in_memory=True,
    )
    ends: dict[TopicPartition, int] = {}
    try:
        await runtime.db.migrate(spec.migrations)
        topics = [runtime.topics.context(c) for c in spec.subscribes]
        async for records, _total in read_to_end(bootstrap, topics, batch_size=REPLAY_BATCH):
            await consumer.handle_batch(records)
            for record in records:
                ends[TopicPartition(record.topic, record.partition)] = record.offset + 1
    finally:
        await runtime.db.dispose()
    if failed:
        raise InfraError(f"stats refused {len(failed)} events of the history, e.g. {failed[0]}")
    group = AIOKafkaConsumer(
        bootstrap_servers=bootstrap_servers(bootstrap),
        group_id=settings.consumer_group,
        enable_auto_commit=False,
        **client_options(),
    )
    await group.start()
    try:
        group.assign(list(ends))
        await group.commit(ends)
    finally:
        await group.stop()
    return consumer.applied, time.perf_counter() - started


async def stats_store(bootstrap: str, prefix: str, postgres_url: str, events: int) -> tuple[str, Serving]:
    """Stats' store on a fresh PostgreSQL database filled with the history (:func:`load_stats_store`):
    its URL and the serving record to fill."""
    stats_db = await fresh_database(postgres_url, "kmb_national_stats")
    stored, load_s = await load_stats_store(bootstrap, prefix, stats_db)
    if stored != events:
        raise InfraError(f"stats stored {stored:,} of the history's {events:,} events")
    return stats_db, Serving(stored, load_s)


async def serve_history(
    bootstrap: str,
    prefix: str,
    stats_db: str,
    serving: Serving,
    var: Path,
    *,
    status: Callable[[str], None] = lambda _text: None,
) -> Serving:
    """Intake and stats (on ``stats_db``) started on their own ports with the history's prefix; the
    requests timed, RSS measured, both stopped."""
    secret = secrets.token_urlsafe(32)
    env = {
        "KMB_TOPIC_PREFIX": prefix,
        "KMB_KAFKA_BOOTSTRAP": bootstrap,
        "KMB_SECRET_KEY": secret,
        "KMB_VAR_DIR": str(var),
        "KMB_INTAKE_PORT": str(PORTS["intake"]),
        "KMB_STATS_PORT": str(PORTS["stats"]),
        "KMB_INTAKE_URL": f"http://127.0.0.1:{PORTS['intake']}",
    }
    per_service = {"stats": {"KMB_STATS_DATABASE_URL": stats_db}}
    taken = [port for port in PORTS.values() if _answers(port)]
    if taken:  # another process there would answer /readyz for ours (and refuse our token)
        raise InfraError(f"ports {taken} are taken: stop what listens there first")
    processes = svc.start_services(var, ("intake", "stats"), env, per_service)
    pids = {p.name: p.pid for p in processes}
    try:
        svc.wait_ready(processes, timeout=120)
        serving.rss_mb = {name: {"after consuming": _rss(pid)} for name, pid in pids.items()}
        token = Signer(secret).api_token("kmb-bench", {"worker", "admin"}, "demo-kmb-001")
        await _time_requests(serving, f"http://127.0.0.1:{PORTS['stats']}", token, pids, status)
    finally:
        svc.stop_services(var, ("intake", "stats"))
    return serving


async def _time_requests(
    serving: Serving, url: str, token: str, pids: dict[str, int], status: Callable[[str], None]
) -> None:
    peak = dict.fromkeys(pids, 0.0)

    async def sample() -> None:
        while True:
            for name, pid in pids.items():
                peak[name] = max(peak[name], _rss(pid))
            await asyncio.sleep(0.2)

    sampler = asyncio.create_task(sample())
    headers = {"Authorization": f"Bearer {token}"}
    try:
        async with httpx.AsyncClient(base_url=url, headers=headers, timeout=1200) as client:
            for name, path, times in REQUESTS:
                status(f"stats: {name} ({times}×)")
                timings: list[float] = []
                for i in range(times + 1):  # the first one warms the projection up: reported apart
                    begun = time.perf_counter()
                    response = await client.get(path)
                    elapsed = (time.perf_counter() - begun) * 1000
                    if response.status_code != 200:
                        serving.failures[name] = f"HTTP {response.status_code}: {response.text[:200]}"
                        break
                    if i == 0:
                        serving.first_ms[name] = elapsed
                    else:
                        timings.append(elapsed)
                serving.timings_ms[name] = timings
            digest = await client.get("/api/stats/digest")
            if digest.status_code == 200:
                serving.digest = str(digest.json().get("digest", ""))
    finally:
        sampler.cancel()
    for name, pid in pids.items():
        serving.rss_mb[name]["peak while serving"] = peak[name]
        serving.rss_mb[name]["after serving"] = _rss(pid)


@dataclass
class NationalFigures:
    machine: Any
    raw: RawResult
    written: WriteResult | None
    events: int
    replays: list[ReplayResult]
    serving: Serving | None
    load_avg: tuple[float, float]
    bootstrap: str
    prefix: str
    note: str = ""
    serving_error: str = ""

    def targets(self) -> list[tuple[str, str, bool | None]]:
        rows: list[tuple[str, str, bool | None]] = []
        consume = self.raw.consume_rate
        for r in self.replays:
            share = r.rate / consume
            rows.append(
                (
                    f"{r.service} replay ≥ 30% of raw consume",
                    f"{share:.1%} ({r.rate:,.0f} events/s)",
                    share >= 0.3,
                )
            )
        s = self.serving
        if s is not None:
            for name, limit in LIMITS_MS.items():
                p95 = s.p(name, 95)
                rows.append((f"{name} p95 < {limit:.0f} ms", f"{p95:,.0f} ms", p95 < limit))
            worst = max((v for rss in s.rss_mb.values() for v in rss.values()), default=float("nan"))
            rows.append(
                (
                    f"no service above {RSS_LIMIT_MB:.0f} MB RSS",
                    f"largest {worst:,.0f} MiB",
                    worst < RSS_LIMIT_MB,
                )
            )
        rows.append(("intake search p95 < 100 ms over 1,000,000 cases", "not measured (see below)", None))
        return rows


def markdown(f: NationalFigures, command: str) -> str:
    from datetime import UTC, datetime

    m, raw = f.machine, f.raw
    lines = [
        "# Performance on a national history",
        "",
        f"Measured by `{command}` on {datetime.now(UTC):%Y-%m-%d %H:%M} UTC, all parts in one run on one broker. "
        "The history is synthetic and marked as demo data (`kmb demo-data --national`, see "
        "`deploy/cli/src/kmb_cli/ops/national_gen.py`): 132 demo contact points, 2021–2026.",
        "",
        "## Machine",
        "",
        f"- {m.cores} cores, {m.ram_gib:.1f} GiB RAM, CPU: {m.cpu}; {m.os}, Python {m.python}, Apache Kafka {m.kafka}",
        "- The broker, PostgreSQL, the services, other helpers' work and the benchmark share these cores.",
        f"- Load average (1 min): {f.load_avg[0]:.1f} before the run, {f.load_avg[1]:.1f} after it "
        "(above the core count: other work competed for the CPU, the figures are pessimistic).",
        "",
        "## Results",
        "",
        "| Measurement | Result | / anchor |",
        "| --- | --- | ---: |",
        f"| Raw produce (aiokafka, idempotent, acks awaited, one record a send) | {raw.produce_rate:,.0f} events/s | 1 |",
        f"| Raw consume (aiokafka, from offset 0) | {raw.consume_rate:,.0f} events/s | 1 |",
    ]
    if f.written is not None:
        w = f.written
        lines.append(
            f"| Writing the history (generated, validated, batches of 512 KiB) | {w.rate:,.0f} events/s "
            f"({w.events:,} events, {w.value_bytes / 2**20:,.0f} MiB in {w.seconds:,.1f} s) | "
            f"{w.rate / raw.produce_rate:.2f} × raw produce |"
        )
    lines.append(f"| Events on the history's topics | {f.events:,} | |")
    for r in f.replays:
        verdict = "EQUAL" if r.equal else ("–" if r.live_error else "DIFFERENT")
        lines.append(
            f"| Replay of {r.service} (fresh SQLite, digest vs live: {verdict}) | {r.rate:,.0f} events/s "
            f"({r.events:,} events in {r.seconds:,.1f} s: store {r.setup_s:.1f} s, read and apply "
            f"{r.apply_s:,.1f} s, digest {r.digest_s:,.1f} s) | {r.rate / raw.consume_rate:.1%} of raw consume |"
        )
    s = f.serving
    if s is not None:
        lines.append(
            f"| Stats' store filled on PostgreSQL (its handler, batches of 5,000) | {s.consume_rate:,.0f} events/s "
            f"({s.events:,} in {s.consume_s:,.0f} s) | {s.consume_rate / raw.consume_rate:.1%} of raw consume |"
        )
        lines += [
            "",
            "Stats on PostgreSQL serving the history (one request at a time; the first, which "
            "builds the in-memory projection, apart):",
            "",
            "| Request | First | p50 | p95 | n | Problem |",
            "| --- | ---: | ---: | ---: | ---: | --- |",
        ]
        for name, path, _times in REQUESTS:
            lines.append(
                f"| {name} (`{path}`) | {s.first_ms.get(name, float('nan')):,.0f} ms | {s.p(name, 50):,.0f} ms | "
                f"{s.p(name, 95):,.0f} ms | {len(s.timings_ms.get(name, []))} | {s.failures.get(name, '')} |"
            )
        phases = sorted({phase for rss in s.rss_mb.values() for phase in rss})
        lines += [
            "",
            "Memory (RSS, MiB):",
            "",
            "| Service | " + " | ".join(phases) + " |",
            "| --- |" + " ---: |" * len(phases),
        ]
        for name, rss in s.rss_mb.items():
            lines.append(
                f"| {name} | " + " | ".join(f"{rss.get(p, float('nan')):,.0f}" for p in phases) + " |"
            )
    elif f.serving_error:
        lines += ["", f"Stats on PostgreSQL was not measured: {f.serving_error}"]
    lines += ["", "## Targets (issue 15)", "", "| Target | Measured | Met |", "| --- | --- | --- |"]
    for target, measured, ok in f.targets():
        lines.append(f"| {target} | {measured} | {'–' if ok is None else 'met' if ok else 'not met'} |")
    lines += [
        "",
        "## Method",
        "",
        "- Raw: as `kmb bench` (30,000 CaseOpened-shaped records of 1.5 KB to a throwaway topic, then read "
        "from offset 0).",
        "- History: `NationalHistory(seed)` builds each event's JSON from a per-type template pydantic "
        "serialised (the tests check every value is byte for byte its contract's `model_dump_json()`), "
        "validates it with the contract's `model_validate_json` and appends it to an aiokafka batch of its "
        "topic partition (the default partitioner's choice for its key); full batches go out with "
        "`send_batch`, up to 24 in flight, one idempotent producer with `acks=all`. Headers as the outbox "
        "relay writes them (`ce_*`, `content-type`) plus `traceparent`.",
        "- Replay: `kmb_shared.replay.rebuild` of each consuming service from offset 0 of the history's "
        "topics into a fresh SQLite file (its own migrations and handlers, every event validated), as "
        "`kmb bench` does; the rate is events read over the whole rebuild.",
        "- Stats serving: stats' store on a fresh PostgreSQL database `kmb_national_stats` is filled by "
        "the bench with stats' own migrations and batch handler, no inbox rows (`EventConsumer.handle_batch`, "
        "batches of 5,000, as a replay reads them), and the consumer group's offsets are committed at the "
        "end of the history; then intake and stats are started as their own processes "
        f"(`python -m kmb_cli.serve`) on ports {PORTS['intake']} and {PORTS['stats']} with the history's "
        "topic prefix (stats consuming, caught up); each request one at a time with an API token (intake "
        "checks the sign-in). RSS by psutil, sampled every 0.2 s while serving. Why not stats' live "
        "consumer: on this machine it stored about 35 events/s into PostgreSQL (25,632 events in 12 "
        "minutes, load 7–8, 2026-12-04 01:55), days for a national history: a finding of this bench.",
        "- Intake search over 1,000,000 cases: not measured in this run. Intake's search "
        "(`kmb_intake.adapters.cases.search_cases`) matches each word of a name with `LIKE '%word%'` on the "
        "folded `first_name_key` / `last_name_key` of `intake_case_member` inside an `EXISTS`, and orders "
        "by `opened_at DESC, number DESC` within an organisation: over a million cases that is a scan "
        "unless PostgreSQL has trigram indexes (`CREATE EXTENSION pg_trgm`; GIN `gin_trgm_ops` on both "
        "keys) and a B-tree on `intake_case (organisation, opened_at DESC, number DESC)` (today only "
        "`opened_at` alone). Both need an intake migration, which another change is adding now, so this "
        "bench leaves it.",
        f"- This run: broker `{f.bootstrap}`, topic prefix `{f.prefix or '(none)'}`.",
        *([f"- Note: {f.note}"] if f.note else []),
        "",
        "## How to reproduce",
        "",
        "```",
        f".venv/bin/{command.removeprefix('kmb ').join(('kmb ', ''))}",
        "```",
        "",
    ]
    return "\n".join(lines)


def run_dir() -> Path:
    """A folder for the bench's services and replays (under var/, removed by the caller)."""
    base = Path(os.environ.get("KMB_VAR_DIR", "var")) / "national"
    base.mkdir(parents=True, exist_ok=True)
    return Path(tempfile.mkdtemp(prefix="bench-", dir=base))


def bench_national(
    kafka: str,
    events: int,
    seed: int,
    prefix: str,
    postgres_url: str | None,
    replayed: tuple[str, ...],
    raw_events: int,
    output: Path | None,
    note: str,
    kafka_version: str,
    console: Console,
) -> NationalFigures:
    """`kmb bench --national`: the anchors, the history written (unless its topics hold it already:
    the same number of events, written before with the same seed), the replays of every consuming
    service, stats on PostgreSQL serving it; the table printed, the report written."""
    load_before = os.getloadavg()[0]
    with console.status(f"Kafka: zápis a čtení {_n(raw_events)} událostí…"):
        raw = asyncio.run(raw_throughput(kafka, raw_events))
    written = None
    total = asyncio.run(history_events(kafka, prefix))
    if total == 0:
        written = write_national(kafka, events, seed, prefix, console=console)
        total = asyncio.run(history_events(kafka, prefix))
    elif total != events:
        console.print(
            f"[red]kmb: témata s prefixem {prefix!r} už drží {_n(total)} událostí, ne {_n(events)}: zvolte "
            "jiný --topic-prefix nebo --events[/red]"
        )
        raise typer.Exit(1)
    else:
        console.print(f"Historie na tématech {prefix}* už je ({_n(total)} událostí): nezapisuji ji znovu.")
    work = run_dir()
    serving, serving_error = None, ""
    try:
        stats_db = None
        if postgres_url:
            with console.status(
                "Statistika: ukládám historii do PostgreSQL (handler služby, dávky po 5 000)…"
            ):
                try:
                    stats_db, serving = asyncio.run(stats_store(kafka, prefix, postgres_url, total))
                except (InfraError, OSError, sa.exc.SQLAlchemyError) as exc:
                    serving_error = str(exc).splitlines()[0][:300]
            if serving is not None:
                console.print(f"Úložiště statistiky na PostgreSQL: {_n(serving.consume_rate)} událostí/s")
        else:
            serving_error = "no --postgres-url given"
        replays = []
        for name in replayed:
            with console.status(f"Replay služby {name} od offsetu 0 ({_n(total)} událostí na tématech)…"):
                replays += asyncio.run(national_replays(kafka, prefix, (name,), stats_db, work))
            r = replays[-1]
            console.print(
                f"Replay {name}: {_n(r.rate)} událostí/s ({_n(r.events)} za {r.seconds:.1f} s) = "
                f"{r.rate / raw.consume_rate:.1%} čtení; digest {'EQUAL' if r.equal else r.live_error or 'DIFFERENT'}"
            )
        if stats_db is not None and serving is not None:
            with console.status("Statistika na PostgreSQL obsluhuje…") as shown:
                try:
                    serving = asyncio.run(
                        serve_history(kafka, prefix, stats_db, serving, work, status=shown.update)
                    )
                except (InfraError, OSError, httpx.HTTPError) as exc:
                    serving_error = str(exc).splitlines()[0][:300]
                    serving = None
        if serving_error:
            console.print(f"[yellow]upozornění: statistika na PostgreSQL neměřena: {serving_error}[/yellow]")
    finally:
        shutil.rmtree(work, ignore_errors=True)
    figures = NationalFigures(
        Machine.here(kafka_version),
        raw,
        written,
        total,
        replays,
        serving,
        (load_before, os.getloadavg()[0]),
        kafka,
        prefix,
        note,
        serving_error,
    )
    table = Table(title=f"kmb bench --national ({_n(total)} událostí)")
    table.add_column("Měření")
    table.add_column("Výsledek", justify="right")
    table.add_row("Kafka zápis / čtení", f"{_n(raw.produce_rate)} / {_n(raw.consume_rate)} událostí/s")
    if written is not None:
        table.add_row(
            "Zápis historie", f"{_n(written.rate)} událostí/s = {written.rate / raw.produce_rate:.2f} × zápis"
        )
    for r in replays:
        table.add_row(
            f"Replay {r.service}", f"{_n(r.rate)} událostí/s = {r.rate / raw.consume_rate:.1%} čtení"
        )
    if serving is not None:
        table.add_row("Statistika: živá konzumace", f"{_n(serving.consume_rate)} událostí/s")
        for name in serving.timings_ms:
            table.add_row(
                f"Statistika: {name}", f"p50 {_n(serving.p(name, 50))} ms, p95 {_n(serving.p(name, 95))} ms"
            )
        for name, rss in serving.rss_mb.items():
            table.add_row(f"RSS {name}", ", ".join(f"{phase} {_n(v)} MiB" for phase, v in rss.items()))
    table.add_row("Zatížení stroje (před → po)", f"{load_before:.1f} → {os.getloadavg()[0]:.1f}")
    console.print(table)
    if output is not None:
        output.parent.mkdir(parents=True, exist_ok=True)
        command = f"kmb bench --national --events {events} --seed {seed} --topic-prefix {prefix}"
        output.write_text(
            markdown(figures, command + (" --postgres-url URL" if postgres_url else "")), encoding="utf-8"
        )
        console.print(f"Zpráva zapsána do {output}")
    return figures
