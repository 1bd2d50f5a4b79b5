"""The catalogue's Czech pages, rendered on the server with the shared layout; usable without JavaScript.

A case's suggestions (``/cases/{id}/suggestions``), the catalogue list and an entry's detail
(``/catalogue``, ``/catalogue/{id}``), and its administration: a new entry, editing, withdrawing and
changing the capacity; and the public leaflet (``leaflet``, no sign-in).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from fastapi import APIRouter, FastAPI

from kmb_shared.contracts.vocabulary import (
    ETHOS_CATEGORIES,
    HOUSEHOLD_TYPES,
    NEED_LEVELS,
    SOLUTION_KINDS,
    VULNERABILITY_FLAGS,
    ethos_label,
)
from kmb_shared.web import pages_for

from ...domain import SITUATION_TITLES, format_opening_hours
from ...domain.hours import WEEKDAYS_CS
from ...domain.kinds import MUNICIPAL_CATEGORY_LABELS_CS
from . import catalogue_pages, entry_pages, leaflet, suggestion_pages
from .common import LoginRequired, PageForbidden, on_forbidden, on_login_required

TEMPLATES = Path(__file__).parents[2] / "templates"

#: (value, Czech label) lists for selects and checkbox groups
OPTIONS: dict[str, list[tuple[str, str]]] = {
    "kind": SOLUTION_KINDS.choices(),
    "municipal_category": [(c.value, label) for c, label in MUNICIPAL_CATEGORY_LABELS_CS.items()],
    "situations": [(s.value, cs) for s, (cs, _) in SITUATION_TITLES.items()],
    "need_levels": NEED_LEVELS.choices(capital=False),
    "household_types": HOUSEHOLD_TYPES.choices(capital=False),
    "ethos_categories": [(code, ethos_label(code)) for code in ETHOS_CATEGORIES.codes],
    "flags": VULNERABILITY_FLAGS.choices(capital=False),
    "weekdays": [(str(i), day) for i, day in enumerate(WEEKDAYS_CS)],
    "wheelchair_accessible": [("yes", "ano"), ("no", "ne")],
}


def kind_label(kind: Any) -> str:
    return SOLUTION_KINDS.label(kind, capital=True)


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
    pages.env.filters.update(hours=format_opening_hours)  # cz_date, cz_number, cz_money: the shared ones
    app.include_router(page_router())
    app.include_router(leaflet.router)  # public, and listed in the API document as before
    app.add_exception_handler(LoginRequired, on_login_required)
    app.add_exception_handler(PageForbidden, on_forbidden)
