"""The catalogue's leaflet and demo loader on in-memory fakes (the commands and the answer to an
assessed need run on every backend in test_use_cases_on_backends.py)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

from kmb_catalogue.adapters.demo import LIPOVEC, load_demo_catalogue
from kmb_catalogue.application.demo import load_demo
from kmb_catalogue.application.leaflet import GENERIC_PUBLISHER, current_leaflet
from kmb_catalogue.domain import (
    Solution,
    SolutionKind,
)
from kmb_shared.contracts import Actor

from .fakes import FakeUnitOfWork

ACTOR = Actor(user_id="editor-3", organisation="kmb-lipovec")
ASSESSED_ON = date(2026, 11, 25)


async def test_the_leaflet_of_a_demo_catalogue_carries_the_demo_town_else_the_generic_heading(
    make_solution: Callable[..., Solution],
) -> None:
    uow = FakeUnitOfWork()
    assert (await current_leaflet(uow, ASSESSED_ON, LIPOVEC)).municipality == GENERIC_PUBLISHER
    for entry in load_demo_catalogue():
        uow.solutions.add(entry)
    demo = await current_leaflet(uow, ASSESSED_ON, LIPOVEC)
    uow.solutions.add(make_solution(SolutionKind.LEGAL_AID, 99))
    mixed = await current_leaflet(uow, ASSESSED_ON, LIPOVEC)

    assert (demo.municipality, demo.contact_point is not None) == (LIPOVEC.municipality, True)
    assert (mixed.municipality, mixed.contact_point) == (GENERIC_PUBLISHER, None)


async def test_the_demo_loader_publishes_each_entry_once() -> None:
    uow = FakeUnitOfWork()

    first = await load_demo(uow.factory, LIPOVEC)
    second = await load_demo(uow.factory, LIPOVEC)

    expected = [e.id for e in load_demo_catalogue()]
    assert (first.created, second.created, second.skipped) == (expected, [], expected)
    assert uow.event_types == ["SolutionPublished"] * len(expected)
