"""Turn pydantic validation errors into items the web layer returns with HTTP 422:
``{"field": "members.0.birth_number", "code": "...", "message_cs": "...", "message_en": "..."}``."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from pydantic import ValidationError

from .messages import MESSAGES, render

#: pydantic's built-in error types -> codes of the message table
_BUILTIN_CODES: Mapping[str, str] = {
    "missing": "required",
    "extra_forbidden": "unknown_field",
    "string_too_long": "too_long",
    "string_too_short": "too_short",
    "too_short": "too_few_items",
    "greater_than_equal": "too_small",
    "less_than_equal": "too_large",
    "decimal_max_places": "too_many_decimals",
    "int_parsing": "invalid_number",
    "int_from_float": "invalid_number",
    "int_type": "invalid_number",
    "decimal_parsing": "invalid_number",
    "decimal_type": "invalid_number",
    "finite_number": "invalid_number",
    "float_parsing": "invalid_number",
    "date_parsing": "invalid_date",
    "date_from_datetime_parsing": "invalid_date",
    "date_from_datetime_inexact": "invalid_date",
    "date_type": "invalid_date",
    "uuid_parsing": "invalid_uuid",
    "uuid_type": "invalid_uuid",
    "bool_parsing": "invalid_bool",
    "bool_type": "invalid_bool",
    "string_type": "invalid_type",
    "model_type": "invalid_type",
    "model_attributes_type": "invalid_type",
    "dict_type": "invalid_type",
    "list_type": "invalid_type",
    "tuple_type": "invalid_type",
}


def _code_of(error_type: str, ctx: Mapping[str, Any]) -> str:
    if error_type in MESSAGES:
        return error_type
    code = _BUILTIN_CODES.get(error_type, "invalid_value")
    if code == "too_short" and str(ctx.get("min_length")) == "1":
        return "required"  # an empty string where text is required
    return code


def _field_path(loc: Iterable[Any], ctx: Mapping[str, Any]) -> str:
    parts = [str(part) for part in loc]
    sub_field = ctx.get("field")
    if sub_field:
        parts.extend(str(sub_field).split("."))
    return ".".join(parts)


def localize_error_list(errors: Iterable[Mapping[str, Any]]) -> list[dict[str, str]]:
    """Localise error dicts in pydantic's ``errors()`` shape (e.g. from FastAPI's
    ``RequestValidationError.errors()``; strip its leading ``"body"`` from ``loc`` first)."""
    items = []
    for error in errors:
        ctx: Mapping[str, Any] = error.get("ctx") or {}
        if "cs" in ctx and "en" in ctx:  # an error that brings its own texts (as the shared kit's do)
            code, message_cs, message_en = (
                str(error.get("type", "invalid_value")),
                str(ctx["cs"]),
                str(ctx["en"]),
            )
        else:
            code = _code_of(str(error.get("type", "")), ctx)
            message_cs, message_en = render(code, ctx)
        items.append(
            {
                "field": _field_path(error.get("loc", ()), ctx),
                "code": code,
                "message_cs": message_cs,
                "message_en": message_en,
            }
        )
    return items


def localize_errors(exc: ValidationError) -> list[dict[str, str]]:
    """One item per error: field path (dot-separated), code, Czech and English message."""
    return localize_error_list(exc.errors())
