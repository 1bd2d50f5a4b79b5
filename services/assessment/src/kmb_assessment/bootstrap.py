"""Assessment's composition root: ``build_app(settings)`` wires the database adapters, the clock and
the outbox into the application, and the application into the API, the pages, the consumer and the
register job."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

from fastapi import FastAPI

from kmb_shared.contracts import (
    IntegrationEvent,
    NeedAssessed,
    PersonalDataErased,
    RegisteredInNeed,
    RegistrationExpired,
    RuleSetActivated,
)
from kmb_shared.erasure import erasure_handler
from kmb_shared.messaging import Handler, HandlerContext
from kmb_shared.service import ReadModel, Runtime, ServiceSpec, build_service_app

from .adapters.clock import OfficeClock
from .adapters.erasure import erase_case_data
from .adapters.rulesets import SqlRuleSets
from .adapters.store import SqlAssessmentStore, SqlUnitsOfWork
from .application import jobs
from .application.deps import AssessmentDeps
from .application.handlers import HANDLERS, EventHandler
from .config import AssessmentSettings
from .entrypoints.api import ROUTERS
from .entrypoints.deps import DEPS_STATE
from .entrypoints.pages import install_pages

MIGRATIONS = Path(__file__).parent / "migrations" / "versions"

#: Tables built only from consumed events; their rows never change once written.
READ_MODELS = [
    ReadModel(
        table="assessment_case_event",
        columns=("id", "case_id", "case_number", "kind", "household", "occurred_at"),
        time_column="occurred_at",
    ),
    ReadModel(
        table="binding_opinion",
        columns=(
            "id",
            "case_id",
            "referral_id",
            "partner",
            "positive",
            "justified_housing_costs",
            "estimated_benefit",
            "issued_at",
        ),
        time_column="issued_at",
    ),
]


def _consumed(handler: EventHandler) -> Handler:
    """The application's handler in the consumer's transaction (its session, the event's id)."""

    async def handle(event: Any, ctx: HandlerContext) -> None:
        await handler(event, ctx.meta.id, SqlAssessmentStore(ctx.session))

    handle.__name__ = handler.__name__
    return handle


def consumer_handlers(_: Runtime) -> Mapping[type[IntegrationEvent], Handler]:
    handlers = {event_type: _consumed(handler) for event_type, handler in HANDLERS.items()}
    return {**handlers, PersonalDataErased: erasure_handler(erase_case_data)}


def deps_for(runtime: Runtime) -> AssessmentDeps:
    """The service's dependencies on the runtime's database and outbox."""
    settings = runtime.settings
    assert isinstance(settings, AssessmentSettings)
    return AssessmentDeps(
        settings=settings,
        uow=SqlUnitsOfWork(runtime.db, runtime.outbox, runtime.relay.wake),
        clock=OfficeClock(settings.today_override),
        rulesets=SqlRuleSets(runtime.db, runtime.outbox, runtime.relay.wake),
    )


async def register_validity(runtime: Runtime) -> None:
    """The register's validity job (§23), for the service's lifetime."""
    deps = deps_for(runtime)
    await jobs.register_validity(
        deps.uow, deps.clock, deps.settings.register_check_interval_s, deps.rulesets.available
    )


def build_spec() -> ServiceSpec:
    return ServiceSpec(
        name="assessment",
        title="Šetření bytové situace / Assessment",
        description="The unified assessment of housing need and the register of people in need.",
        migrations=MIGRATIONS,
        routers=list(ROUTERS),
        subscribes=["intake", "referrals"],
        handlers=consumer_handlers,
        publishes=[NeedAssessed, RegisteredInNeed, RegistrationExpired, RuleSetActivated],
        read_models=READ_MODELS,
        background=[register_validity],
    )


def build_app(settings: AssessmentSettings | None = None) -> FastAPI:
    app = build_service_app(build_spec(), settings or AssessmentSettings())
    setattr(app.state, DEPS_STATE, deps_for(app.state.runtime))
    install_pages(app)
    return app
