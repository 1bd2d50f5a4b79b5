"""`kmb soak --cases N`: drive N cases through the running system's HTTP APIs, reconcile them against
Kafka and stats, and print lost, doubled and unreconciled counts and the time it took (not run in CI)."""

from __future__ import annotations

from typing import Annotated

import typer

from .. import services as svc
from .common import VarDir, _fail, _var

USER = "kmb-soak"
OPERATOR_ROLES = frozenset({"worker", "admin", "catalogue_editor", "analyst"})


def _ready(urls: dict[str, str]) -> None:
    import httpx

    for name, url in urls.items():
        try:
            ready = httpx.get(f"{url}/readyz", timeout=10).json().get("ready")
        except (httpx.HTTPError, ValueError) as exc:
            _fail(RuntimeError(f"{name} not reachable at {url} ({exc}); start the system with `kmb up`"))
        if not ready:
            _fail(RuntimeError(f"{name} at {url} is not ready; see `kmb status`"))


def soak(
    cases: Annotated[
        int, typer.Option("--cases", min=1, help="Cases to drive through the whole flow")
    ] = 1000,
    concurrency: Annotated[int, typer.Option("--concurrency", min=1, help="Cases in flight at once")] = 8,
    settle_s: Annotated[
        float,
        typer.Option("--settle", min=1, help="Seconds to wait for the last events on Kafka and in stats"),
    ] = 180,
    timeout_s: Annotated[float, typer.Option("--timeout", min=1, help="Seconds per HTTP request")] = 30,
    attempts: Annotated[int, typer.Option("--attempts", min=1, help="Attempts per HTTP request")] = 5,
    var_dir: VarDir = None,
) -> None:
    """Open, assess, refer and accept CASES cases through the HTTP APIs, then check Kafka: per case one
    CaseOpened, NeedAssessed, ReferralMade, ReferralAccepted and partner message, and stats the same.
    Exits 1 when anything is lost, doubled or unreconciled."""
    import asyncio

    from ..ops.kafka_io import api_headers, bootstrap, topics
    from ..ops.soak_drive import PARTNER_SLUG, Limits, soak_run

    _var(var_dir)
    urls = {name: svc.url_of(name) for name in svc.SERVICES}
    _ready(urls)
    slug = PARTNER_SLUG
    names = [topics().context(c) for c in ("intake", "assessment", "referrals")] + [topics().partner(slug)]
    step = max(1, cases // 10)

    def progress(done: int) -> None:
        if done % step == 0 or done == cases:
            typer.echo(f"  {done}/{cases} cases driven", err=True)

    report = asyncio.run(
        soak_run(
            urls,
            api_headers(USER, OPERATOR_ROLES, "kmb"),
            api_headers(f"{slug}-soak", frozenset({"partner"}), slug),
            bootstrap(),
            names,
            cases,
            concurrency,
            settle_s,
            Limits(timeout_s=timeout_s, attempts=attempts),
            progress,
        )
    )
    result = report.result
    rows = [
        ("cases driven", f"{result.cases}"),
        ("flows completed", f"{report.completed}"),
        ("lost (expected event missing)", f"{sum(result.lost.values())}"),
        ("doubled (same event, another id)", f"{sum(result.doubled.values())}"),
        ("unreconciled (HTTP failures)", f"{result.unreconciled}"),
        ("HTTP retries", f"{report.retried.total()}"),
        ("drive time", f"{report.drive_s:.1f} s"),
        ("throughput", f"{report.throughput:.1f} cases/s"),
        ("total time (with reconciliation)", f"{report.total_s:.1f} s"),
    ]
    rows += [(f"  lost: {kind}", f"{n}") for kind, n in sorted(result.lost.items())]
    rows += [(f"  doubled: {kind}", f"{n}") for kind, n in sorted(result.doubled.items())]
    rows += [(f"  failed: {reason}", f"{n}") for reason, n in result.failures.most_common(5)]
    rows += [(f"  retried: {reason}", f"{n}") for reason, n in report.retried.most_common(5)]
    width = max(len(label) for label, _ in rows)
    typer.echo(f"kmb soak: {cases} cases, concurrency {concurrency}")
    for label, value in rows:
        typer.echo(f"  {label.ljust(width)}  {value.rjust(10)}")
    if result.problems:
        raise typer.Exit(1)
