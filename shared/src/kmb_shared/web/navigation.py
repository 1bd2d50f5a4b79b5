"""What each service declares about itself for the others: its name, its default port and the entries it
adds to the shared navigation. A service publishes a :class:`ServiceManifest` under the ``kmb.services``
entry point of its package (``kmb_<service>.nav:SERVICE``); the shared layout renders what is installed,
so no service path, port or role list lives in the kernel."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from functools import cache
from importlib.metadata import entry_points

log = logging.getLogger(__name__)

ENTRY_POINT_GROUP = "kmb.services"


@dataclass(frozen=True)
class NavItem:
    """One link of the navigation: its Czech label, its path on the service, who sees it, and its place
    among all services' links (lower first)."""

    label: str
    path: str
    roles: tuple[str, ...]
    order: int


@dataclass(frozen=True)
class ServiceManifest:
    name: str
    #: the port it listens on unless ``KMB_<SERVICE>_PORT`` says otherwise
    port: int
    nav: tuple[NavItem, ...] = ()


@cache
def installed_services() -> dict[str, ServiceManifest]:
    """The manifests of the services installed in this environment, by name."""
    found: dict[str, ServiceManifest] = {}
    for point in entry_points(group=ENTRY_POINT_GROUP):
        manifest = point.load()
        if not isinstance(manifest, ServiceManifest) or manifest.name != point.name:
            raise TypeError(
                f"entry point {point.name} = {point.value} is not the ServiceManifest of {point.name}"
            )
        found[manifest.name] = manifest
    return dict(sorted(found.items(), key=lambda item: item[1].port))


def navigation() -> tuple[tuple[str, NavItem], ...]:
    """Every installed service's links as (service, item), in their declared order."""
    items = [(name, item) for name, manifest in installed_services().items() for item in manifest.nav]
    return tuple(sorted(items, key=lambda pair: pair[1].order))
