"""Catalogue's composition root: ``build_app(settings)`` wires the adapters (database, outbox, PDF
renderer, demo data, clock) into the typed :class:`CatalogueDeps` and mounts the API, the pages and
the event handlers on the shared service app. ``load_demo_standalone`` loads the demo catalogue
from a separate process (the ``kmb`` command line)."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

from fastapi import FastAPI

from kmb_shared.clock import prague_today
from kmb_shared.contracts import (
    CapacityChanged,
    IntegrationEvent,
    PersonalDataErased,
    SolutionChanged,
    SolutionPublished,
    SolutionsSuggested,
    SolutionWithdrawn,
)
from kmb_shared.erasure import erasure_handler
from kmb_shared.errors import localize
from kmb_shared.messaging import Handler
from kmb_shared.service import ReadModel, Runtime, ServiceSpec, build_runtime, build_service_app

from .adapters.demo import LIPOVEC
from .adapters.unit_of_work import SqlUnitOfWork, unit_of_work_factory
from .application.demo import DemoLoadResult, load_demo
from .application.deps import CatalogueDeps
from .config import CatalogueSettings
from .domain import Leaflet
from .entrypoints.api import ROUTERS
from .entrypoints.api.errors import install_catalogue_errors
from .entrypoints.deps import install_deps
from .entrypoints.events import event_handlers
from .entrypoints.pages import install_pages

MIGRATIONS = Path(__file__).parent / "migrations" / "versions"

#: built only from NeedAssessed events; the ranked entries themselves depend on the catalogue as it
#: stood then, so only the columns the event decides are compared on replay
SUGGESTIONS_READ_MODEL = ReadModel(
    "catalogue_suggestion",
    columns=("id", "case_id", "assessment_id", "assessed_on", "need_level", "organisation", "created_at"),
    time_column="created_at",
)
#: each case's organisation, built only from intake's CaseOpened
CASES_READ_MODEL = ReadModel("catalogue_case", columns=("case_id", "organisation"))
PUBLISHES = (SolutionsSuggested, SolutionPublished, SolutionChanged, SolutionWithdrawn, CapacityChanged)
TITLE = "Katalog řešení / Catalogue"


def render_leaflet_pdf(leaflet: Leaflet, lang: str = "cs") -> bytes:
    from .adapters.leaflet_pdf import render_leaflet_pdf as render  # WeasyPrint loads only when asked for

    return render(leaflet, lang)


def render_leaflet_html(leaflet: Leaflet, lang: str = "cs") -> str:
    from .adapters.leaflet_pdf import leaflet_html

    return leaflet_html(leaflet, lang)


def build_deps(runtime: Runtime) -> CatalogueDeps:
    """The catalogue's dependencies on the runtime's database and outbox."""
    return CatalogueDeps(
        unit_of_work=unit_of_work_factory(runtime.db, runtime.outbox, runtime.relay.wake),
        today=prague_today,
        render_leaflet_pdf=render_leaflet_pdf,
        render_leaflet_html=render_leaflet_html,
        demo=LIPOVEC,
    )


def build_spec(deps: list[CatalogueDeps] | None = None) -> ServiceSpec:
    """The service's spec; its event handlers use the deps built on the runtime (kept in ``deps``)."""
    built = deps if deps is not None else []

    def handlers(runtime: Runtime) -> Mapping[type[IntegrationEvent], Handler]:
        built.append(build_deps(runtime))
        return {**event_handlers(built[-1], SqlUnitOfWork), PersonalDataErased: erasure_handler()}

    return ServiceSpec(
        name="catalogue",
        title=TITLE,
        description="The catalogue of housing solutions, capacity, suggestions and the public leaflet.",
        migrations=MIGRATIONS,
        routers=list(ROUTERS),
        subscribes=["assessment", "intake"],
        handlers=handlers,
        publishes=list(PUBLISHES),
        read_models=[SUGGESTIONS_READ_MODEL, CASES_READ_MODEL],
        localizer=localize,
    )


def build_app(settings: CatalogueSettings | None = None) -> FastAPI:
    """The catalogue service: HTTP API, pages, the consumer of assessments and the outbox relay."""
    built: list[CatalogueDeps] = []
    spec = build_spec(built)
    app = build_service_app(spec, settings or CatalogueSettings())
    install_deps(app, built[-1] if built else build_deps(app.state.runtime))
    install_catalogue_errors(app, spec.localizer)
    install_pages(app)
    return app


async def load_demo_standalone(settings: CatalogueSettings | None = None) -> DemoLoadResult:
    """Load the demo catalogue from outside the service: migrate its database, publish the entries
    and their events, and wait until the broker has acknowledged them.

    Uses a runtime without consumers, so it never takes partitions from the running service. On
    PostgreSQL the running service's relay and this one claim rows (SKIP LOCKED), so each row goes
    once; on SQLite (one copy per database) a row both send meanwhile carries the same event id, and
    consumers apply it once.
    """
    producer_only = ServiceSpec(name="catalogue", title=TITLE, migrations=MIGRATIONS, publishes=PUBLISHES)
    runtime = build_runtime(producer_only, settings or CatalogueSettings())
    try:
        await runtime.db.migrate(MIGRATIONS)
        result = await load_demo(build_deps(runtime).unit_of_work, LIPOVEC)
        await runtime.broker.start()
        while await runtime.relay.publish_pending():
            pass
        return result
    finally:
        await runtime.close()
