"""Loading the demo catalogue from the JSON data file shipped with the package."""

from __future__ import annotations

import json
from datetime import date
from functools import cache
from importlib import resources
from typing import Any

from ...domain.leaflet import Leaflet, LeafletItem, leaflet_content
from ...domain.model import Solution

DEMO_DATA_FILE = "lipovec.json"
DEMO_MUNICIPALITY = "Město Lipovec (DEMO)"


@cache
def _raw() -> dict[str, Any]:
    text = resources.files(__package__).joinpath(DEMO_DATA_FILE).read_text(encoding="utf-8")
    data: dict[str, Any] = json.loads(text)
    return data


def load_demo_catalogue() -> tuple[Solution, ...]:
    """The demo entries, validated; raises ``ValueError`` if one is not marked as demo."""
    solutions = tuple(Solution.model_validate(entry) for entry in _raw()["solutions"])
    for s in solutions:
        if not s.demo or "(DEMO)" not in s.title or "(DEMO)" not in s.provider.name:
            raise ValueError(f"demo entry {s.id} is not marked as demo")
    return solutions


def demo_contact_point() -> LeafletItem:
    """The demo town's own contact point, shown first on the leaflet."""
    return LeafletItem.model_validate(_raw()["contact_point"])


def demo_leaflet(on: date) -> Leaflet:
    """The leaflet of the demo town as it stands on ``on``."""
    return leaflet_content(load_demo_catalogue(), on, DEMO_MUNICIPALITY, contact_point=demo_contact_point())


class ShippedDemoCatalogue:
    """The demo town's catalogue from the data file (the application's ``DemoCatalogue`` port)."""

    municipality = DEMO_MUNICIPALITY

    def entries(self) -> tuple[Solution, ...]:
        return load_demo_catalogue()

    def contact_point(self) -> LeafletItem:
        return demo_contact_point()


LIPOVEC = ShippedDemoCatalogue()
