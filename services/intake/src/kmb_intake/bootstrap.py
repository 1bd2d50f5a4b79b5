"""Intake's composition root."""

from __future__ import annotations

from pathlib import Path

from fastapi import FastAPI

from kmb_shared.contracts import CaseClosed, CaseOpened, CaseReopened, ContactRecorded, HouseholdChanged
from kmb_shared.service import ServiceSpec, build_service_app

from .config import IntakeSettings
from .entrypoints.api import router
from .entrypoints.errors import localize_request_errors
from .web import install_pages

MIGRATIONS = Path(__file__).parent / "migrations" / "versions"


def build_spec() -> ServiceSpec:
    return ServiceSpec(
        name="intake",
        title="Příjem a případy / Intake",
        description="Contacts, cases and households; the only place personal data is kept.",
        migrations=MIGRATIONS,
        routers=[router],
        publishes=[CaseOpened, HouseholdChanged, CaseClosed, CaseReopened, ContactRecorded],
        localizer=localize_request_errors,
    )


def build_app(settings: IntakeSettings | None = None) -> FastAPI:
    """The intake service: the HTTP API (roles checked on every route) and the Czech pages."""
    app = build_service_app(build_spec(), settings or IntakeSettings())
    install_pages(app)
    return app
