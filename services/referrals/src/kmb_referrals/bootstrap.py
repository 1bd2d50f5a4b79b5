"""Referrals' composition root: ``build_app(settings)`` wires the database adapters, the clock, the
outbox, intake, the catalogue and the partner topics into the application, and the application into
the API, the pages, the consumer, the start-up check of the partner topics and the deadline job."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import date
from pathlib import Path
from typing import Any

from fastapi import FastAPI

from kmb_shared.auth import load_secret
from kmb_shared.contracts import (
    BindingOpinionIssued,
    IntegrationEvent,
    PersonalDataErased,
    ReferralAccepted,
    ReferralCancelled,
    ReferralCompleted,
    ReferralDeclined,
    ReferralMade,
    ReferralOverdue,
)
from kmb_shared.erasure import erasure_handler
from kmb_shared.messaging import Handler, HandlerContext
from kmb_shared.service import ReadModel, Runtime, ServiceSpec, build_service_app

from .adapters.catalogue_client import CatalogueClient
from .adapters.clock import CzechClock
from .adapters.erasure import erase_case_data
from .adapters.intake_client import IntakeClient
from .adapters.partner_topics import KafkaPartnerTopics
from .adapters.smtp_mailer import SmtpMailer
from .adapters.store import SqlReferralStore, SqlUnitsOfWork
from .adapters.tables import CASE_FACTS_COLUMNS
from .application import jobs, mail
from .application.deps import ReferralsDeps
from .application.handlers import HANDLERS, EventHandler
from .application.partners import ensure_known_partner_topics
from .config import ReferralsSettings
from .domain.thin import PARTNER_MESSAGES
from .entrypoints.api import ROUTERS
from .entrypoints.deps import DEPS_STATE
from .entrypoints.pages import install_pages

MIGRATIONS = Path(__file__).parent / "migrations" / "versions"

#: ``today`` of the service: the Czech calendar day unless a test moves it
Today = Callable[[], date]


def _consumed(handler: EventHandler) -> Handler:
    """The application's handler in the consumer's transaction (its session)."""

    async def handle(event: Any, ctx: HandlerContext) -> None:
        await handler(event, SqlReferralStore(ctx.session))

    handle.__name__ = handler.__name__
    return handle


def consumer_handlers(_: Runtime) -> Mapping[type[IntegrationEvent], Handler]:
    handlers = {event_type: _consumed(handler) for event_type, handler in HANDLERS.items()}
    return {**handlers, PersonalDataErased: erasure_handler(erase_case_data)}


def deps_for(runtime: Runtime, today: Today | None = None) -> ReferralsDeps:
    """The service's dependencies on the runtime's database, outbox and topics."""
    settings = runtime.settings
    assert isinstance(settings, ReferralsSettings)
    return ReferralsDeps(
        settings=settings,
        uow=SqlUnitsOfWork(runtime.db, runtime.outbox, runtime.relay.wake),
        clock=CzechClock(today),
        partner_topics=KafkaPartnerTopics(settings, runtime.topics),
        intake=IntakeClient(
            settings.intake_url, settings.intake_timeout_s, load_secret(settings.var_dir, settings.secret_key)
        ),
        catalogue=CatalogueClient(settings.catalogue_url, settings.catalogue_timeout_s),
        pseudonym_key=settings.pseudonym_key_bytes(),
    )


def document_partner_topics(runtime: Runtime) -> None:
    """Describe the partner topics in the AsyncAPI document (their messages are not integration events)."""
    topic = runtime.topics.partner("{slug}")
    for message_type, schema, what in PARTNER_MESSAGES:
        runtime.broker.publisher(topic, title=message_type, description=what, schema=schema)


def build_spec(today: Today | None = None) -> ServiceSpec:
    async def check_partner_topics(runtime: Runtime) -> None:
        await ensure_known_partner_topics(deps_for(runtime, today))

    async def overdue_job(runtime: Runtime) -> None:
        await jobs.overdue_job(deps_for(runtime, today))

    async def mail_job(runtime: Runtime) -> None:
        settings = runtime.settings
        assert isinstance(settings, ReferralsSettings)
        await mail.mail_job(deps_for(runtime, today), SmtpMailer(settings) if settings.smtp_host else None)

    return ServiceSpec(
        name="referrals",
        title="Předávání partnerům / Referrals",
        description="Partner organisations, referrals and their lifecycle, deadlines, binding opinions.",
        migrations=MIGRATIONS,
        routers=list(ROUTERS),
        subscribes=["intake"],
        handlers=consumer_handlers,
        publishes=[
            ReferralMade,
            ReferralAccepted,
            ReferralDeclined,
            ReferralCompleted,
            ReferralCancelled,
            ReferralOverdue,
            BindingOpinionIssued,
        ],
        read_models=[ReadModel("referrals_case", columns=CASE_FACTS_COLUMNS, time_column="updated_at")],
        on_startup=[check_partner_topics],
        background=[overdue_job, mail_job],
    )


def build_app(settings: ReferralsSettings | None = None, *, today: Today | None = None) -> FastAPI:
    """The referrals service; ``today`` replaces the Czech calendar day (tests move time with it).

    Raises ``InsecureConfiguration`` (nothing started) in production mode with the development key."""
    settings = settings or ReferralsSettings()
    settings.pseudonym_key_bytes()  # refuse an unfit key before anything starts; creates it on first start
    app = build_service_app(build_spec(today), settings)
    setattr(app.state, DEPS_STATE, deps_for(app.state.runtime, today))
    document_partner_topics(app.state.runtime)
    install_pages(app)
    return app
