"""Referrals' composition root."""

from __future__ import annotations

from pathlib import Path

from fastapi import FastAPI

from kmb_shared.contracts import ReferralMade
from kmb_shared.service import ServiceSpec, build_service_app

from .config import ReferralsSettings
from .entrypoints.api import router

MIGRATIONS = Path(__file__).parent / "migrations" / "versions"


def build_spec() -> ServiceSpec:
    return ServiceSpec(
        name="referrals",
        title="Předávání partnerům / Referrals",
        description="Partner organisations, referrals and their lifecycle, deadlines, binding opinions.",
        migrations=MIGRATIONS,
        routers=[router],
        publishes=[ReferralMade],
    )


def build_app(settings: ReferralsSettings | None = None) -> FastAPI:
    return build_service_app(build_spec(), settings or ReferralsSettings())
