"""Catalogue's composition root."""

from __future__ import annotations

from pathlib import Path

from fastapi import FastAPI

from kmb_shared.contracts import (
    CapacityChanged,
    SolutionChanged,
    SolutionPublished,
    SolutionsSuggested,
    SolutionWithdrawn,
)
from kmb_shared.errors import localize
from kmb_shared.service import ReadModel, ServiceSpec, build_service_app

from .config import CatalogueSettings
from .entrypoints import demo, leaflet, solutions, suggestions
from .entrypoints.errors import install_catalogue_errors
from .handlers import handlers
from .web import install_pages

MIGRATIONS = Path(__file__).parent / "migrations" / "versions"

#: built only from NeedAssessed events; the ranked entries themselves depend on the catalogue as it
#: stood then, so only the columns the event decides are compared on replay
SUGGESTIONS_READ_MODEL = ReadModel(
    "catalogue_suggestion",
    columns=("id", "case_id", "assessment_id", "assessed_on", "need_level", "created_at"),
    time_column="created_at",
)


def build_spec() -> ServiceSpec:
    return ServiceSpec(
        name="catalogue",
        title="Katalog řešení / Catalogue",
        description="The catalogue of housing solutions, capacity, suggestions and the public leaflet.",
        migrations=MIGRATIONS,
        routers=[solutions.router, suggestions.router, demo.router, leaflet.router],
        subscribes=["assessment"],
        handlers=handlers,
        publishes=[
            SolutionsSuggested,
            SolutionPublished,
            SolutionChanged,
            SolutionWithdrawn,
            CapacityChanged,
        ],
        read_models=[SUGGESTIONS_READ_MODEL],
        localizer=localize,
    )


def build_app(settings: CatalogueSettings | None = None) -> FastAPI:
    spec = build_spec()
    app = build_service_app(spec, settings or CatalogueSettings())
    install_catalogue_errors(app, spec.localizer)
    install_pages(app)
    return app
