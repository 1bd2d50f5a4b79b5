"""The catalogue's dependencies, typed: built once by ``bootstrap.build_app`` and handed to the
routes, pages and event handlers (instead of a dictionary of extras)."""

from __future__ import annotations

from dataclasses import dataclass

from ..domain import DEFAULT_MATCH_CONFIG, MatchConfig
from .ports import Clock, DemoCatalogue, LeafletPage, LeafletRenderer, UnitOfWorkFactory


@dataclass(frozen=True)
class CatalogueDeps:
    #: a new unit of work (one database transaction with its outbox)
    unit_of_work: UnitOfWorkFactory
    #: today in Prague
    today: Clock
    #: the leaflet as PDF bytes, in a language
    render_leaflet_pdf: LeafletRenderer
    #: the leaflet's web page, in a language
    render_leaflet_html: LeafletPage
    #: the demo town's catalogue shipped with the service
    demo: DemoCatalogue
    match_config: MatchConfig = DEFAULT_MATCH_CONFIG
