"""Assessment's composition root."""

from __future__ import annotations

from pathlib import Path

from fastapi import FastAPI

from kmb_shared.contracts import NeedAssessed
from kmb_shared.service import ServiceSpec, build_service_app

from .config import AssessmentSettings
from .entrypoints.api import router
from .handlers import handlers

MIGRATIONS = Path(__file__).parent / "migrations" / "versions"


def build_spec() -> ServiceSpec:
    return ServiceSpec(
        name="assessment",
        title="Šetření bytové situace / Assessment",
        description="The unified assessment of housing need and the register of people in need.",
        migrations=MIGRATIONS,
        routers=[router],
        subscribes=["intake"],
        handlers=handlers,
        publishes=[NeedAssessed],
    )


def build_app(settings: AssessmentSettings | None = None) -> FastAPI:
    return build_service_app(build_spec(), settings or AssessmentSettings())
