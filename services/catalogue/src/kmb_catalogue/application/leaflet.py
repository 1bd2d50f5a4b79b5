"""The public leaflet "Informace a kontakty pro osoby v bytové nouzi", drawn from the entries in
force today; the same content feeds the web page and the PDF."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

from ..domain import Leaflet, Solution, SolutionFilter, leaflet_content
from .ports import DemoCatalogue, LeafletRenderer, UnitOfWork

#: the heading when the catalogue is not the demo town's (a setting once the municipality is configurable)
GENERIC_PUBLISHER = "Kontaktní místo pro bydlení"


def build_leaflet(entries: Iterable[Solution], on: date, demo: DemoCatalogue) -> Leaflet:
    """The leaflet of ``entries`` in force on ``on``; the demo town's own heading and contact point
    when every entry is a demo entry."""
    current = [s for s in entries if s.is_valid_on(on)]
    if current and all(s.demo for s in current):
        return leaflet_content(current, on, demo.municipality, contact_point=demo.contact_point())
    return leaflet_content(current, on, GENERIC_PUBLISHER)


async def current_leaflet(uow: UnitOfWork, on: date, demo: DemoCatalogue) -> Leaflet:
    """The leaflet as it stands on ``on`` (today, for the public page)."""
    return build_leaflet(await uow.solutions.search(SolutionFilter(valid_on=on)), on, demo)


async def current_leaflet_pdf(
    uow: UnitOfWork, on: date, demo: DemoCatalogue, render: LeafletRenderer
) -> bytes:
    """The leaflet of ``on`` as a printable document (Czech)."""
    return render(await current_leaflet(uow, on, demo))
