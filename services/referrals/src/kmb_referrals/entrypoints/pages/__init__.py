"""Referrals' Czech pages, rendered on the server with the shared layout; usable without JavaScript.

The referrals of a case and making new ones (workers), the partner organisation's inbox (partner
users), and the partner registry (administrators). The forms call the same use cases as the API.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from fastapi import APIRouter, FastAPI

from kmb_shared.contracts.vocabulary import (
    DECLINE_REASONS,
    REFERRAL_KINDS,
    REFERRAL_OUTCOMES,
    REFERRAL_STATES,
)
from kmb_shared.web import pages_for

from ...domain import PARTNER_KIND_LABELS_CS, kind_label, state_label
from . import case_pages, inbox_pages, notification_pages, partner_pages, refer_pages
from .common import LoginRequired, PageForbidden, on_forbidden, on_login_required

TEMPLATES = Path(__file__).parents[2] / "templates"


def _options(labels: dict[Any, str]) -> list[tuple[str, str]]:
    return [(str(code), text) for code, text in labels.items()]


def page_router() -> APIRouter:
    router = APIRouter(include_in_schema=False)
    for module in (case_pages, refer_pages, inbox_pages, partner_pages, notification_pages):
        router.include_router(module.router)
    return router


def install_pages(app: FastAPI) -> None:
    """Mount the shared static files and the referrals pages on ``app``."""
    pages = pages_for(app, "referrals", [TEMPLATES])
    pages.env.globals.update(
        kind_options=REFERRAL_KINDS.choices(),
        reason_options=DECLINE_REASONS.choices(),
        outcome_options=REFERRAL_OUTCOMES.choices(),
        state_options=REFERRAL_STATES.choices(capital=False),
        partner_kind_options=_options(PARTNER_KIND_LABELS_CS),
        kind_label=kind_label,
        state_label=state_label,
        partner_kind_labels={str(k): v for k, v in PARTNER_KIND_LABELS_CS.items()},
    )  # cz_date and cz_money: the shared page filters
    app.include_router(page_router())
    app.add_exception_handler(LoginRequired, on_login_required)
    app.add_exception_handler(PageForbidden, on_forbidden)
