"""The 422 localizer of the intake service: FastAPI's request errors rendered by the intake domain's
message table (field path, code, Czech and English reason)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from ..domain import localize_error_list
from ..domain.accounts import is_account_error, localize_account_errors

#: the first element of a FastAPI error location names where the value came from
_SOURCES = frozenset({"body", "query", "path", "header", "cookie"})


def _without_source(error: Mapping[str, Any]) -> dict[str, Any]:
    loc = tuple(error.get("loc", ()))
    if loc and loc[0] in _SOURCES:
        loc = loc[1:]
    if error.get("type") == "json_invalid":
        loc = ()  # the location is a character offset, not a field
    return {**error, "loc": loc}


def localize_request_errors(errors: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """``{field, code, message_cs, message_en}`` per error; ``field`` is ``"body"`` for errors of the
    request body as a whole (missing, not JSON). Errors of account input have their own texts."""
    stripped = [_without_source(error) for error in errors]
    items: list[dict[str, Any]] = localize_account_errors(e for e in stripped if is_account_error(e))
    items += localize_error_list([e for e in stripped if not is_account_error(e)])
    for item in items:
        item["field"] = item["field"] or "body"
    return items
