"""Every list route of every service bounds its paging at the edge (issue 13, item 8).

An ``offset`` of 2^63 or more did not fit the databases' 64-bit integers and failed with a 500 on the
intake lists and the assessment register. The rule: every ``offset`` and ``limit`` query parameter
of every service has a declared maximum (``offset`` the shared :data:`MAX_OFFSET`), and a request
beyond it answers 422 naming the field in Czech and English before any query runs.

Fast tier: each service's app as its bootstrap builds it, migrated on a SQLite file, called in
process with an API token holding every role of the offices (no broker).
"""

from __future__ import annotations

import importlib
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from kmb_cli import services as svc
from kmb_shared.web.params import MAX_OFFSET
from kmb_testkit.fixtures import TEST_SECRET, bearer

#: the lists that answered 500 before (issue 13 item 8) and the paged lists known when it was fixed
KNOWN_OFFSET_ROUTES = {
    ("intake", "/api/cases"),
    ("intake", "/api/cases/mine"),
    ("intake", "/api/contacts"),
    ("intake", "/api/audit/views"),
    ("assessment", "/api/register"),
}
EVERY_ROLE = bearer("worker", "auditor", "admin", "analyst", "rules_editor")


@pytest.fixture(params=svc.SERVICES)
async def service(request: pytest.FixtureRequest, tmp_path: Path) -> AsyncIterator[tuple[str, Any]]:
    name = request.param
    settings = svc.settings_class(name)(
        database_url=f"sqlite+aiosqlite:///{tmp_path / f'{name}.db'}",
        secret_key=TEST_SECRET,
        var_dir=tmp_path,
        kafka_bootstrap="127.0.0.1:1",
    )
    app = svc.build_app(name, settings)
    await app.state.runtime.db.migrate(importlib.import_module(f"kmb_{name}.bootstrap").MIGRATIONS)
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://t") as client:
        yield name, client
    await app.state.runtime.db.dispose()


def paged_operations(schema: dict[str, Any]) -> list[tuple[str, dict[str, Any]]]:
    """(path, {parameter name: schema}) of each GET operation with an offset or limit query parameter."""
    found = []
    for path, operations in schema["paths"].items():
        get = operations.get("get")
        if get is None:
            continue
        query = {p["name"]: p["schema"] for p in get.get("parameters", []) if p["in"] == "query"}
        if "offset" in query or "limit" in query:
            found.append((path, query))
    return found


async def test_every_offset_and_limit_is_bounded_and_beyond_it_is_a_422(service: tuple[str, Any]) -> None:
    name, client = service
    schema = (await client.get("/openapi.json")).json()
    paged = paged_operations(schema)
    with_offset = {(name, path) for path, query in paged if "offset" in query}
    assert {r for r in KNOWN_OFFSET_ROUTES if r[0] == name} <= with_offset, (
        "a known paged list lost its offset"
    )
    for path, query in paged:
        if "limit" in query:
            assert query["limit"].get("minimum") == 1 and query["limit"].get("maximum"), (name, path, query)
        if "offset" not in query:
            continue
        assert (query["offset"].get("minimum"), query["offset"].get("maximum")) == (0, MAX_OFFSET), (
            name,
            path,
        )
        assert "{" not in path, f"{path}: a paged list with path parameters needs its own case here"
        for value in (2**63, 2**64, MAX_OFFSET + 1):
            response = await client.get(path, params={"offset": str(value)}, headers=EVERY_ROLE)
            assert response.status_code == 422, (name, path, value, response.status_code, response.text)
            [error] = response.json()["detail"]
            # intake names the code in its own vocabulary ("too_large"), the others as pydantic does
            assert error["code"] in ("less_than_equal", "too_large"), (name, path, error)
            assert (error["field"], error["message_cs"], error["message_en"]) == (
                "offset",
                f"Hodnota smí být nejvýše {MAX_OFFSET}.",
                f"The value must be at most {MAX_OFFSET}.",
            ), (name, path)
        # the greatest allowed offset is a page like any other (empty here), not an error
        response = await client.get(path, params={"offset": str(MAX_OFFSET)}, headers=EVERY_ROLE)
        assert response.status_code == 200, (name, path, response.status_code, response.text)
        assert response.json() == [], (name, path)
