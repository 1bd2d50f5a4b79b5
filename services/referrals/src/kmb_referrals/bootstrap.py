"""Referrals' composition root."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from pathlib import Path

from fastapi import FastAPI

from kmb_shared.contracts import (
    BindingOpinionIssued,
    ReferralAccepted,
    ReferralCancelled,
    ReferralCompleted,
    ReferralDeclined,
    ReferralMade,
    ReferralOverdue,
)
from kmb_shared.service import ReadModel, Runtime, ServiceSpec, build_service_app

from .adapters.tables import CASE_FACTS_COLUMNS
from .application.context import context_of, install_context
from .application.partners import ensure_known_partner_topics
from .config import ReferralsSettings
from .domain import PARTNER_MESSAGE_TYPE, PARTNER_STATUS_TYPE, PartnerMessage, PartnerStatusUpdate
from .entrypoints.api import routers
from .handlers import handlers
from .jobs import overdue_job
from .web import install_pages

MIGRATIONS = Path(__file__).parent / "migrations" / "versions"


async def check_partner_topics(runtime: Runtime) -> None:
    await ensure_known_partner_topics(context_of(runtime))


def document_partner_topics(runtime: Runtime) -> None:
    """Describe the partner topics in the AsyncAPI document (their messages are not integration events)."""
    topic = runtime.topics.partner("{slug}")
    for message_type, schema, what in (
        (PARTNER_MESSAGE_TYPE, PartnerMessage, "A referral to the partner, identifiers only with consent"),
        (PARTNER_STATUS_TYPE, PartnerStatusUpdate, "A step of a referral the partner received"),
    ):
        runtime.broker.publisher(topic, title=message_type, description=what, schema=schema)


def build_spec() -> ServiceSpec:
    return ServiceSpec(
        name="referrals",
        title="Předávání partnerům / Referrals",
        description="Partner organisations, referrals and their lifecycle, deadlines, binding opinions.",
        migrations=MIGRATIONS,
        routers=routers,
        subscribes=["intake"],
        handlers=handlers,
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
        background=[overdue_job],
    )


def build_app(
    settings: ReferralsSettings | None = None, *, today: Callable[[], date] | None = None
) -> FastAPI:
    """The referrals service; ``today`` replaces the Czech calendar day (tests move time with it)."""
    app = build_service_app(build_spec(), settings or ReferralsSettings())
    install_context(app.state.runtime, today)
    document_partner_topics(app.state.runtime)
    install_pages(app)
    return app
