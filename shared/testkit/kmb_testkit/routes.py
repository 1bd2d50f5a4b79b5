"""The routes of a service app, for tests that check every route is covered (scoping, roles)."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import Any

from fastapi.routing import APIRoute

from kmb_shared.web.error_pages import OPERATIONS_PREFIXES


def api_routes(routes: Iterable[Any]) -> Iterator[APIRoute]:
    """The app's routes, with those of included routers (kept inside a wrapper by FastAPI)."""
    for route in routes:
        inner = getattr(route, "original_router", None)
        if inner is not None:
            yield from api_routes(inner.routes)
        elif isinstance(route, APIRoute):
            yield route


#: the path prefixes of what every service serves besides its own routes (operations, documents)
INFRASTRUCTURE = OPERATIONS_PREFIXES


def method_paths(routes: Iterable[Any], *, skip: tuple[str, ...] = INFRASTRUCTURE) -> set[tuple[str, str]]:
    """``(method, path)`` of every route but those whose path starts with one of ``skip`` (HEAD, which
    a route may answer next to GET, is not counted)."""
    return {
        (method, route.path)
        for route in api_routes(routes)
        if not route.path.startswith(skip)
        for method in route.methods or ()
        if method != "HEAD"
    }
