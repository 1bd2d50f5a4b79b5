"""Stats' composition root: :func:`build_app` wires the API, the pages, the consumer and the typed
dependencies of the use cases."""

from __future__ import annotations

from pathlib import Path

from fastapi import FastAPI

from kmb_shared.service import ReadModel, ServiceSpec, build_service_app

from .application.consume import event_handlers
from .application.deps import StatsDeps
from .config import StatsSettings
from .entrypoints import api
from .entrypoints.pages import ROUTERS as PAGE_ROUTERS
from .entrypoints.pages.web import install_web

MIGRATIONS = Path(__file__).parent / "migrations" / "versions"

#: the one table built from events; ``kmb replay stats`` rebuilds it from offset 0 and compares
EVENTS_READ_MODEL = ReadModel(
    "stats_event", columns=("event_id", "event_type", "occurred_at", "payload"), time_column="occurred_at"
)


def build_spec() -> ServiceSpec:
    return ServiceSpec(
        name="stats",
        title="Statistika / Statistics",
        description=(
            "Statistics of housing need built only from events: figures, breakdowns and series, "
            "periodic reports (suppressed downloads, printable page), a dashboard and case audit trails."
        ),
        migrations=MIGRATIONS,
        routers=[api.figures, api.reports, api.audit],
        subscribes=["intake", "assessment", "catalogue", "referrals"],
        handlers=lambda _runtime: event_handlers(),
        read_models=[EVENTS_READ_MODEL],
    )


def build_app(settings: StatsSettings | None = None, deps: StatsDeps | None = None) -> FastAPI:
    """The stats service: the HTTP API and the Czech pages, every route checked for sign-in and role
    (see :mod:`kmb_stats.entrypoints.access`)."""
    app = build_service_app(build_spec(), settings or StatsSettings())
    app.state.stats = deps or StatsDeps()
    install_web(app, PAGE_ROUTERS)
    return app
