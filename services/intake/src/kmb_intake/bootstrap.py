"""Intake's composition root."""

from __future__ import annotations

from pathlib import Path

from fastapi import FastAPI

from kmb_shared.contracts import CaseOpened
from kmb_shared.service import ServiceSpec, build_service_app

from .config import IntakeSettings
from .entrypoints.api import router

MIGRATIONS = Path(__file__).parent / "migrations" / "versions"


def build_spec() -> ServiceSpec:
    return ServiceSpec(
        name="intake",
        title="Příjem a případy / Intake",
        description="Contacts, cases and households; the only place personal data is kept.",
        migrations=MIGRATIONS,
        routers=[router],
        publishes=[CaseOpened],
    )


def build_app(settings: IntakeSettings | None = None) -> FastAPI:
    return build_service_app(build_spec(), settings or IntakeSettings())
