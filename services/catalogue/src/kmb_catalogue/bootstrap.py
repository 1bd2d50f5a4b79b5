"""Catalogue's composition root."""

from __future__ import annotations

from pathlib import Path

from fastapi import FastAPI

from kmb_shared.contracts import SolutionsSuggested
from kmb_shared.service import ServiceSpec, build_service_app

from .config import CatalogueSettings
from .entrypoints.api import router, seed_solutions
from .handlers import handlers

MIGRATIONS = Path(__file__).parent / "migrations" / "versions"


def build_spec() -> ServiceSpec:
    return ServiceSpec(
        name="catalogue",
        title="Katalog řešení / Catalogue",
        description="The catalogue of housing solutions, capacity, suggestions and the public leaflet.",
        migrations=MIGRATIONS,
        routers=[router],
        subscribes=["assessment"],
        handlers=handlers,
        publishes=[SolutionsSuggested],
        on_startup=[seed_solutions],
    )


def build_app(settings: CatalogueSettings | None = None) -> FastAPI:
    return build_service_app(build_spec(), settings or CatalogueSettings())
