"""Referrals' Czech pages, rendered on the server with the shared layout; usable without JavaScript.

The referrals of a case and making new ones (workers), the partner organisation's inbox (partner
users), and the partner registry (administrators). The forms call the same use cases as the API.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

from fastapi import APIRouter, FastAPI

from kmb_shared.web import pages_for

from ...domain import (
    DECLINE_REASON_LABELS_CS,
    KIND_LABELS_CS,
    OUTCOME_LABELS_CS,
    PARTNER_KIND_LABELS_CS,
    STATE_LABELS_CS,
)
from . import case_pages, inbox_pages, partner_pages, refer_pages
from .common import LoginRequired, PageForbidden, on_forbidden, on_login_required

TEMPLATES = Path(__file__).parents[2] / "templates"


def cz_date(value: Any) -> str:
    """``2026-03-05`` -> ``5. 3. 2026`` (dates and ISO strings)."""
    if isinstance(value, str):
        try:
            value = date.fromisoformat(value[:10])
        except ValueError:
            return value
    if isinstance(value, date):
        return f"{value.day}. {value.month}. {value.year}"
    return "" if value is None else str(value)


def cz_money(value: Any) -> str:
    """``9800`` -> ``9 800 Kč``."""
    if value is None or value == "":
        return ""
    try:
        number = int(value)
    except (TypeError, ValueError):
        return str(value)
    return f"{number:,}".replace(",", "\u00a0") + "\u00a0Kč"


def _options(labels: dict[Any, str]) -> list[tuple[str, str]]:
    return [(str(code), text) for code, text in labels.items()]


def page_router() -> APIRouter:
    router = APIRouter(include_in_schema=False)
    for module in (case_pages, refer_pages, inbox_pages, partner_pages):
        router.include_router(module.router)
    return router


def install_pages(app: FastAPI) -> None:
    """Mount the shared static files and the referrals pages on ``app``."""
    pages = pages_for(app, "referrals", [TEMPLATES])
    pages.env.globals.update(
        kind_options=_options(KIND_LABELS_CS),
        reason_options=_options(DECLINE_REASON_LABELS_CS),
        outcome_options=_options(OUTCOME_LABELS_CS),
        partner_kind_options=_options(PARTNER_KIND_LABELS_CS),
        kind_labels={str(k): v for k, v in KIND_LABELS_CS.items()},
        state_labels={str(k): v for k, v in STATE_LABELS_CS.items()},
        partner_kind_labels={str(k): v for k, v in PARTNER_KIND_LABELS_CS.items()},
    )
    pages.env.filters.update(cz_date=cz_date, cz_money=cz_money)
    app.include_router(page_router())
    app.add_exception_handler(LoginRequired, on_login_required)
    app.add_exception_handler(PageForbidden, on_forbidden)
