"""Assessment's composition root."""

from __future__ import annotations

from pathlib import Path

from fastapi import FastAPI

from kmb_shared.contracts import NeedAssessed, RegisteredInNeed, RegistrationExpired
from kmb_shared.service import ReadModel, ServiceSpec, build_service_app

from .config import AssessmentSettings
from .entrypoints.api import router as assessments_router
from .entrypoints.register import router as register_router
from .handlers import handlers
from .jobs import register_validity
from .web import install_pages

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


def build_spec() -> ServiceSpec:
    return ServiceSpec(
        name="assessment",
        title="Šetření bytové situace / Assessment",
        description="The unified assessment of housing need and the register of people in need.",
        migrations=MIGRATIONS,
        routers=[assessments_router, register_router],
        subscribes=["intake", "referrals"],
        handlers=handlers,
        publishes=[NeedAssessed, RegisteredInNeed, RegistrationExpired],
        read_models=READ_MODELS,
        background=[register_validity],
    )


def build_app(settings: AssessmentSettings | None = None) -> FastAPI:
    app = build_service_app(build_spec(), settings or AssessmentSettings())
    install_pages(app)
    return app
