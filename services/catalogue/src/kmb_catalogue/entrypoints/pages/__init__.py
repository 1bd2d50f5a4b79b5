"""The catalogue's Czech pages, rendered on the server with the shared layout; usable without JavaScript.

A case's suggestions (``/cases/{id}/suggestions``), the catalogue list and an entry's detail
(``/catalogue``, ``/catalogue/{id}``), and its administration: a new entry, editing, withdrawing and
changing the capacity; and the public leaflet (``leaflet``, no sign-in).
"""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from fastapi import APIRouter, FastAPI

from kmb_shared.web import pages_for

from ...domain import KIND_LABELS_CS, SITUATION_TITLES, SolutionKind, format_czk, format_opening_hours
from ...domain.hours import WEEKDAYS_CS
from ...domain.kinds import (
    ETHOS_LABELS_CS,
    FLAG_LABELS_CS,
    HOUSEHOLD_TYPE_LABELS_CS,
    MUNICIPAL_CATEGORY_LABELS_CS,
    NEED_LEVEL_LABELS_CS,
)
from . import catalogue_pages, entry_pages, leaflet, suggestion_pages
from .common import LoginRequired, PageForbidden, on_forbidden, on_login_required

TEMPLATES = Path(__file__).parents[2] / "templates"
LOCAL_ZONE = ZoneInfo("Europe/Prague")

#: (value, Czech label) lists for selects and checkbox groups
OPTIONS: dict[str, list[tuple[str, str]]] = {
    "kind": [(k.value, label) for k, label in KIND_LABELS_CS.items()],
    "municipal_category": [(c.value, label) for c, label in MUNICIPAL_CATEGORY_LABELS_CS.items()],
    "situations": [(s.value, cs) for s, (cs, _) in SITUATION_TITLES.items()],
    "need_levels": [(n.value, label) for n, label in NEED_LEVEL_LABELS_CS.items()],
    "household_types": [(h.value, label) for h, label in HOUSEHOLD_TYPE_LABELS_CS.items()],
    "ethos_categories": [(str(n), f"{n} – {label}") for n, label in ETHOS_LABELS_CS.items()],
    "flags": list(FLAG_LABELS_CS.items()),
    "weekdays": [(str(i), day) for i, day in enumerate(WEEKDAYS_CS)],
    "wheelchair_accessible": [("yes", "ano"), ("no", "ne")],
}


def cz_date(value: Any) -> str:
    """``2026-03-05`` -> ``5. 3. 2026`` (a moment in the office's time zone)."""
    if isinstance(value, datetime):
        value = value.astimezone(LOCAL_ZONE).date() if value.tzinfo else value.date()
    if isinstance(value, date):
        return f"{value.day}. {value.month}. {value.year}"
    return "" if value is None else str(value)


def cz_number(value: float) -> str:
    """``54.5`` -> ``54,5``; ``28.0`` -> ``28`` (one decimal at most, a decimal comma)."""
    return f"{value:.1f}".removesuffix(".0").replace(".", ",")


def kind_label(kind: Any) -> str:
    try:
        return KIND_LABELS_CS[SolutionKind(str(kind))]
    except ValueError:
        return str(kind)


def labels(code_list: str, codes: Any) -> str:
    """Czech labels of ``codes`` from one of :data:`OPTIONS`, comma-separated."""
    names = dict(OPTIONS[code_list])
    return ", ".join(names.get(str(code), str(code)) for code in sorted(codes or (), key=str))


def page_router() -> APIRouter:
    router = APIRouter(include_in_schema=False)
    # "/catalogue/new" before "/catalogue/{id}"
    for module in (suggestion_pages, entry_pages, catalogue_pages):
        router.include_router(module.router)
    return router


def install_pages(app: FastAPI) -> None:
    """Mount the shared static files and the catalogue's pages on ``app``."""
    pages = pages_for(app, "catalogue", [TEMPLATES])
    pages.env.globals.update(options=OPTIONS, labels=labels, kind_label=kind_label)
    pages.env.filters.update(cz_date=cz_date, cz_number=cz_number, czk=format_czk, hours=format_opening_hours)
    app.include_router(page_router())
    app.include_router(leaflet.router)  # public, and listed in the API document as before
    app.add_exception_handler(LoginRequired, on_login_required)
    app.add_exception_handler(PageForbidden, on_forbidden)
