"""Stats' composition root."""

from __future__ import annotations

from pathlib import Path

from fastapi import FastAPI

from kmb_shared.service import ServiceSpec, build_service_app

from .config import StatsSettings
from .entrypoints.api import router
from .handlers import handlers

MIGRATIONS = Path(__file__).parent / "migrations" / "versions"


def build_spec() -> ServiceSpec:
    return ServiceSpec(
        name="stats",
        title="Statistika / Statistics",
        description="Statistics of housing need built only from events; reports; audit by replay.",
        migrations=MIGRATIONS,
        routers=[router],
        subscribes=["intake", "assessment", "catalogue", "referrals"],
        handlers=handlers,
    )


def build_app(settings: StatsSettings | None = None) -> FastAPI:
    return build_service_app(build_spec(), settings or StatsSettings())
