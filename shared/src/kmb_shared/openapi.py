"""The OpenAPI document says what the services really answer (issue 13, item 11).

``install_openapi(app)`` replaces ``app.openapi`` with FastAPI's document post-processed once:

- the security schemes (bearer API token, session cookie) on every operation that checks a principal
  (found through its dependencies: :func:`kmb_shared.auth.require`, also when a service wraps it), with
  the roles it admits as ``x-kmb-roles`` and in its description;
- the real error bodies of :mod:`kmb_shared.errors` and :mod:`kmb_shared.auth`: 401 and 403 where a
  principal is checked, 404 where a path names a thing, 409 on changes, any error a route declares
  by its description alone (a 503 when a dependency is away), and the 422 of
  ``{"detail": [{field, code, message_cs, message_en}]}`` instead of FastAPI's ``HTTPValidationError``.
"""

from __future__ import annotations

import inspect
from collections.abc import Callable, Iterator
from typing import Any

from fastapi import FastAPI
from fastapi.openapi.utils import get_openapi
from fastapi.routing import iter_route_contexts

from kmb_shared.auth import SESSION_COOKIE

UNSAFE = {"post", "put", "patch", "delete"}
#: an operation's roles: None when it checks no principal, () when any signed-in principal may call it
Roles = tuple[str, ...] | None

_MESSAGE = {
    "type": "object",
    "required": ["code", "message_cs", "message_en"],
    "properties": {
        "code": {"type": "string"},
        "message_cs": {"type": "string"},
        "message_en": {"type": "string"},
    },
}
SCHEMAS: dict[str, Any] = {
    "KmbError": {
        "type": "object",
        "required": ["detail"],
        "properties": {"detail": _MESSAGE},
        "description": "Chyba s kódem a textem česky a anglicky / An error with a code and Czech and English text",
    },
    "KmbValidationItem": {
        "type": "object",
        "required": ["field", "code", "message_cs", "message_en"],
        "properties": {
            "field": {"type": "string", "description": "Dotted path of the field, or 'body'"},
            "code": {"type": "string"},
            "message_cs": {"type": "string"},
            "message_en": {"type": "string"},
        },
    },
    "KmbValidationError": {
        "type": "object",
        "required": ["detail"],
        "properties": {
            "detail": {"type": "array", "items": {"$ref": "#/components/schemas/KmbValidationItem"}}
        },
    },
}
SECURITY_SCHEMES = {
    "bearerToken": {"type": "http", "scheme": "bearer", "description": "API token (Authorization: Bearer …)"},
    "sessionCookie": {
        "type": "apiKey",
        "in": "cookie",
        "name": SESSION_COOKIE,
        "description": "Session of a signed-in user; changes also need the X-CSRF-Token header",
    },
}
SECURITY: list[dict[str, list[str]]] = [{"bearerToken": []}, {"sessionCookie": []}]
RESPONSES = {
    "401": ("Nepřihlášen / Not signed in", "KmbError"),
    "403": ("Bez oprávnění / Forbidden", "KmbError"),
    "404": ("Nenalezeno / Not found", "KmbError"),
    "409": ("Konflikt se současným stavem / Conflict with the current state", "KmbError"),
    "422": ("Neplatný vstup / Invalid input", "KmbValidationError"),
}


def _content(schema: str) -> dict[str, Any]:
    return {"application/json": {"schema": {"$ref": f"#/components/schemas/{schema}"}}}


def _response(status: str) -> dict[str, Any]:
    description, schema = RESPONSES[status]
    return {"description": description, "content": _content(schema)}


def _is_require(call: Any) -> bool:
    return (
        getattr(call, "__module__", None) == "kmb_shared.auth"
        and getattr(call, "__qualname__", "") == "require.<locals>.dependency"
    )


def _roles_of_call(call: Any, depth: int = 0) -> Roles:
    """The roles of a :func:`require` dependency, also reached through the closures that wrap it."""
    if _is_require(call):
        return tuple(str(r) for r in inspect.getclosurevars(call).nonlocals.get("roles", ()))
    if depth > 3 or not inspect.isfunction(call):
        return None
    for value in inspect.getclosurevars(call).nonlocals.values():
        if callable(value):
            found = _roles_of_call(value, depth + 1)
            if found is not None:
                return found
    return None


def _calls(dependant: Any) -> Iterator[Callable[..., Any]]:
    for sub in getattr(dependant, "dependencies", ()):
        if sub.call is not None:
            yield sub.call
        yield from _calls(sub)


def operation_roles(app: FastAPI) -> dict[tuple[str, str], Roles]:
    """(method, path) -> the roles the operation admits (None: it checks no principal)."""
    found: dict[tuple[str, str], Roles] = {}
    for context in iter_route_contexts(app.routes):
        dependant = getattr(context, "dependant", None)
        if dependant is None or not context.path_format:
            continue
        roles: Roles = None
        for call in _calls(dependant):
            roles = _roles_of_call(call)
            if roles is not None:
                break
        for method in context.methods or ():
            found[(method.lower(), context.path_format)] = roles
    return found


def document(schema: dict[str, Any], roles: dict[tuple[str, str], Roles]) -> dict[str, Any]:
    """Post-process a FastAPI OpenAPI document in place (and return it)."""
    components = schema.setdefault("components", {})
    schemas = components.setdefault("schemas", {})
    schemas.pop("HTTPValidationError", None)
    schemas.pop("ValidationError", None)
    schemas.update(SCHEMAS)
    components["securitySchemes"] = SECURITY_SCHEMES
    for path, item in schema.get("paths", {}).items():
        for method, op in item.items():
            if not isinstance(op, dict) or "responses" not in op:
                continue
            responses = op["responses"]
            for status, response in responses.items():
                # an error a route declares by its description only has the shared error body
                if status[0] in "45" and "content" not in response:
                    response["content"] = _content("KmbError")
            if "422" in responses or op.get("parameters") or op.get("requestBody"):
                responses["422"] = _response("422")
            if "{" in path:
                responses.setdefault("404", _response("404"))
            if method in UNSAFE:
                responses.setdefault("409", _response("409"))
            admitted = roles.get((method, path))
            if admitted is None:
                op["security"] = []
                continue
            op["security"] = SECURITY
            op["x-kmb-roles"] = list(admitted)
            who = ", ".join(admitted) if admitted else "any signed-in user"
            op["description"] = (op.get("description", "") + f"\n\nRoles: {who}.").lstrip()
            responses.setdefault("401", _response("401"))
            responses.setdefault("403", _response("403"))
    return schema


def install_openapi(app: FastAPI) -> None:
    """Serve :func:`document` of the app's routes as ``/openapi.json`` (built once, on first use)."""

    def openapi() -> dict[str, Any]:
        if app.openapi_schema is None:
            built = get_openapi(
                title=app.title,
                version=app.version,
                description=app.description,
                routes=app.routes,
                tags=app.openapi_tags,
            )
            app.openapi_schema = document(built, operation_roles(app))
        return app.openapi_schema

    app.openapi = openapi  # type: ignore[method-assign]
