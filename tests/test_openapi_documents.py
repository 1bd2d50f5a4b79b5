"""The OpenAPI document of every service says what the service answers (issue 13, item 11).

Fast tier: each service's app as its bootstrap builds it, migrated on a SQLite file, called in process
(no broker). What is expected comes from the rule, checked against the running routes rather than
against the document generator: an operation that answers 401 to a caller without credentials
declares the security schemes and its 401 and 403; a role it does not list is refused with 403; a
document declares no security for an operation that lets anonymous callers in; every 422 is the
shared ``{"detail": [{field, code, message_cs, message_en}]}`` and FastAPI's ``HTTPValidationError``
is gone; and the document is valid OpenAPI whose every reference resolves.
"""

from __future__ import annotations

import json
import re
import uuid
from collections.abc import AsyncIterator, Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
import schemathesis

from kmb_shared.auth import Role
from kmb_testkit.apps import SERVICES, migrated_app
from kmb_testkit.fixtures import bearer

SCHEMES = {"bearerToken", "sessionCookie"}


@pytest.fixture(params=SERVICES)
async def service(
    request: pytest.FixtureRequest, tmp_path: Path
) -> AsyncIterator[tuple[str, Any, dict[str, Any]]]:
    name = request.param
    app = await migrated_app(name, tmp_path)
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://t") as client:
        document = (await client.get("/openapi.json")).json()
        yield name, client, document
    await app.state.runtime.db.dispose()


def operations(document: dict[str, Any]) -> Iterator[tuple[str, str, dict[str, Any]]]:
    for path, item in document["paths"].items():
        for method, operation in item.items():
            if method in {"get", "put", "post", "patch", "delete"}:
                yield method, path, operation


def concrete(path: str, operation: dict[str, Any]) -> str:
    """``path`` with each parameter filled by a value of its declared type."""
    kinds = {p["name"]: p.get("schema", {}) for p in operation.get("parameters", []) if p["in"] == "path"}

    def value(match: re.Match[str]) -> str:
        schema = kinds.get(match.group(1), {})
        return str(uuid.uuid4()) if schema.get("format") == "uuid" else "1"

    return re.sub(r"\{([^}]+)\}", value, path)


async def test_security_is_declared_exactly_where_a_principal_is_checked(
    service: tuple[str, Any, dict[str, Any]],
) -> None:
    name, client, document = service
    for method, path, operation in operations(document):
        url = concrete(path, operation)
        anonymous = await client.request(method, url)
        where = (name, method, path)
        if anonymous.status_code != 401:  # anyone may call it (a probe, the published rule sets)
            assert operation.get("security") == [], (where, anonymous.status_code)
            continue
        # an operation that checks a principal does so before it reads its input
        assert anonymous.json()["detail"]["code"] == "unauthenticated", where
        assert {scheme for requirement in operation["security"] for scheme in requirement} == SCHEMES, where
        for status in ("401", "403"):
            ref = operation["responses"][status]["content"]["application/json"]["schema"]["$ref"]
            assert ref == "#/components/schemas/KmbError", (where, status)
        declared = set(operation["x-kmb-roles"])
        assert declared <= set(Role), where
        for role in sorted(set(Role) - declared) if declared else ():
            refused = await client.request(method, url, headers=bearer(role))
            assert refused.status_code == 403, (where, role, refused.status_code, refused.text)
            assert refused.json()["detail"]["code"] == "forbidden", (where, role)


async def test_every_422_is_the_shared_validation_body(service: tuple[str, Any, dict[str, Any]]) -> None:
    name, _, document = service
    text = json.dumps(document)
    assert "HTTPValidationError" not in text and '"#/components/schemas/ValidationError"' not in text, name
    item = document["components"]["schemas"]["KmbValidationItem"]
    assert set(item["required"]) == {"field", "code", "message_cs", "message_en"}, name
    for method, path, operation in operations(document):
        if operation.get("parameters") or operation.get("requestBody"):
            ref = operation["responses"]["422"]["content"]["application/json"]["schema"]["$ref"]
            assert ref == "#/components/schemas/KmbValidationError", (name, method, path)


async def test_the_document_is_valid_openapi_and_every_reference_resolves(
    service: tuple[str, Any, dict[str, Any]],
) -> None:
    name, _, document = service
    schemathesis.openapi.from_dict(document).validate()
    defined = set(document["components"]["schemas"])
    referenced = set(re.findall(r'"#/components/schemas/([^"]+)"', json.dumps(document)))
    assert referenced <= defined, (name, referenced - defined)
    assert set(document["components"]["securitySchemes"]) == SCHEMES, name


async def test_a_body_that_cannot_be_decoded_is_the_422_of_the_body(
    service: tuple[str, Any, dict[str, Any]],
) -> None:
    """FastAPI answered a JSON body that is not UTF-8 with a bare 400 no document declared."""
    name, client, document = service
    for method, path, operation in operations(document):
        if "application/json" not in operation.get("requestBody", {}).get("content", {}):
            continue
        headers = {**bearer(*operation.get("x-kmb-roles") or ["worker"]), "content-type": "application/json"}
        response = await client.request(
            method, concrete(path, operation), content=b'{"x": "\xc3"}', headers=headers
        )
        where = (name, method, path, response.status_code, response.text)
        assert response.status_code == 422, where
        [error] = response.json()["detail"]
        assert (error["field"], error["code"]) == ("body", "json_invalid"), where
        assert error["message_cs"] == "Tělo požadavku není platný JSON.", where
