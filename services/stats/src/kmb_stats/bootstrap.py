"""Stats' composition root."""

from __future__ import annotations

from pathlib import Path

from fastapi import FastAPI

from kmb_shared.service import ReadModel, ServiceSpec, build_service_app

from .config import StatsSettings
from .entrypoints import audit_pages, dashboard, pages
from .entrypoints.api import router as figures
from .entrypoints.audit_api import router as audit
from .entrypoints.reports_api import router as reports
from .entrypoints.web import install_web
from .handlers import handlers

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
        routers=[figures, reports, audit],
        subscribes=["intake", "assessment", "catalogue", "referrals"],
        handlers=handlers,
        read_models=[EVENTS_READ_MODEL],
    )


def build_app(settings: StatsSettings | None = None) -> FastAPI:
    """The stats service: the HTTP API and the Czech pages, every route checked for sign-in and role
    (see :mod:`kmb_stats.entrypoints.access`)."""
    app = build_service_app(build_spec(), settings or StatsSettings())
    install_web(app, [dashboard.router, pages.router, audit_pages.router])
    return app
