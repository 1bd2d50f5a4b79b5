"""Clear errors for people: HTTP 422 with the field and a reason in Czech and English, 409 for conflicts."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exception_handlers import http_exception_handler
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, Response
from starlette.exceptions import HTTPException

from kmb_shared.web.error_pages import error_page

#: pydantic error type -> (Czech, English) message templates; {…} filled from the error's ctx
MESSAGES: dict[str, tuple[str, str]] = {
    "missing": ("Povinný údaj chybí.", "This field is required."),
    "greater_than_equal": ("Hodnota musí být alespoň {ge}.", "The value must be at least {ge}."),
    "greater_than": ("Hodnota musí být větší než {gt}.", "The value must be greater than {gt}."),
    "less_than_equal": ("Hodnota smí být nejvýše {le}.", "The value must be at most {le}."),
    "less_than": ("Hodnota musí být menší než {lt}.", "The value must be less than {lt}."),
    "too_short": ("Údaj je příliš krátký nebo prázdný.", "The value is too short or empty."),
    "too_long": ("Údaj je příliš dlouhý.", "The value is too long."),
    "string_too_short": ("Text je příliš krátký.", "The text is too short."),
    "string_too_long": ("Text je příliš dlouhý (nejvýše {max_length} znaků).", "The text is too long."),
    "string_pattern_mismatch": ("Údaj nemá správný formát.", "The value has the wrong format."),
    "enum": ("Neznámá hodnota; povolené: {expected}.", "Unknown value; allowed: {expected}."),
    "literal_error": ("Neznámá hodnota; povolené: {expected}.", "Unknown value; allowed: {expected}."),
    "int_parsing": ("Zadejte celé číslo.", "Enter a whole number."),
    "int_type": ("Zadejte celé číslo.", "Enter a whole number."),
    "float_parsing": ("Zadejte číslo.", "Enter a number."),
    "date_parsing": ("Zadejte datum ve tvaru RRRR-MM-DD.", "Enter a date as YYYY-MM-DD."),
    "date_from_datetime_parsing": ("Zadejte datum ve tvaru RRRR-MM-DD.", "Enter a date as YYYY-MM-DD."),
    "time_parsing": ("Zadejte čas ve tvaru HH:MM.", "Enter a time as HH:MM."),
    "datetime_parsing": (
        "Zadejte datum a čas (RRRR-MM-DDTHH:MM).",
        "Enter a date and time (YYYY-MM-DDTHH:MM).",
    ),
    "uuid_parsing": ("Neplatný identifikátor.", "Invalid identifier."),
    "bool_parsing": ("Zadejte ano, nebo ne.", "Enter yes or no."),
    "value_error": ("Neplatná hodnota: {error}", "Invalid value: {error}"),
    "json_invalid": ("Tělo požadavku není platný JSON.", "The request body is not valid JSON."),
    "body_invalid": ("Tělo požadavku nelze přečíst.", "The request body cannot be read."),
    "model_attributes_type": ("Očekává se objekt.", "An object is expected."),
    "list_type": ("Očekává se seznam.", "A list is expected."),
    "extra_forbidden": ("Neznámý údaj.", "Unknown field."),
}


def _field(loc: tuple[Any, ...]) -> str:
    parts = [str(p) for p in loc if p not in ("body", "query", "path", "header", "cookie")]
    return ".".join(parts) or "body"


def localize(errors: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Turn pydantic errors into ``{field, code, message_cs, message_en}`` items.

    A custom error (``PydanticCustomError``) may carry its own texts in ``ctx['cs']`` / ``ctx['en']``.
    """
    out = []
    for err in errors:
        ctx = dict(err.get("ctx") or {})
        code = str(err.get("type", "value_error"))
        if "cs" in ctx:
            cs, en = str(ctx["cs"]), str(ctx.get("en") or err.get("msg", ""))
        else:
            cs_t, en_t = MESSAGES.get(code, ("Neplatná hodnota.", str(err.get("msg", "Invalid value."))))
            try:
                cs, en = cs_t.format(**ctx), en_t.format(**ctx)
            except (KeyError, IndexError):
                cs, en = cs_t, en_t
        out.append(
            {"field": _field(tuple(err.get("loc", ()))), "code": code, "message_cs": cs, "message_en": en}
        )
    return out


class ConflictError(Exception):
    """A request that conflicts with the current state (HTTP 409), with Czech and English texts."""

    def __init__(self, code: str, message_cs: str, message_en: str) -> None:
        super().__init__(message_en)
        self.code, self.message_cs, self.message_en = code, message_cs, message_en


class NotFoundError(Exception):
    def __init__(self, what_cs: str, what_en: str) -> None:
        super().__init__(what_en)
        self.what_cs, self.what_en = what_cs, what_en


#: what FastAPI says when it cannot parse a request body at all (``fastapi.routing``)
_UNREADABLE_BODY = "There was an error parsing the body"


def _is_unreadable_body(exc: HTTPException) -> bool:
    return exc.status_code == 400 and exc.detail == _UNREADABLE_BODY and exc.__cause__ is not None


Localizer = Callable[[list[dict[str, Any]]], list[dict[str, Any]]]


def install_error_handlers(app: FastAPI, localizer: Localizer = localize) -> None:
    """422 (validation, via ``localizer``), 409 (:class:`ConflictError`), 404 (:class:`NotFoundError`);
    on a page path of an app with pages, a wrong address is a Czech page instead
    (:mod:`kmb_shared.web.error_pages`)."""

    async def validation(request: Request, exc: Exception) -> Response:
        assert isinstance(exc, RequestValidationError)
        errors = list(exc.errors())
        # a page's address that does not parse (a case id that is not one) is a wrong address (400); a
        # form without what the page needs, a refused form (422): both a Czech page, not JSON
        in_address = all(tuple(e.get("loc", ()))[:1] in (("path",), ("query",)) for e in errors)
        page = error_page(request, 400 if in_address else 422)
        return page or JSONResponse(status_code=422, content={"detail": localizer(errors)})

    async def conflict(_: Request, exc: Exception) -> JSONResponse:
        assert isinstance(exc, ConflictError)
        body = {"code": exc.code, "message_cs": exc.message_cs, "message_en": exc.message_en}
        return JSONResponse(status_code=409, content={"detail": body})

    async def not_found(request: Request, exc: Exception) -> Response:
        assert isinstance(exc, NotFoundError)
        if page := error_page(request, 404):
            return page
        body = {
            "code": "not_found",
            "message_cs": f"{exc.what_cs} nenalezen(o).",
            "message_en": f"{exc.what_en} not found.",
        }
        return JSONResponse(status_code=404, content={"detail": body})

    async def unreadable_body(request: Request, exc: Exception) -> Response:
        """FastAPI answers a body it cannot even decode (JSON that is not UTF-8, a broken form) with a
        bare 400; it is invalid input like any other, so it is the 422 of the ``body`` field."""
        assert isinstance(exc, HTTPException)
        if not _is_unreadable_body(exc):
            page = error_page(request, exc.status_code, exc.headers)
            return page or await http_exception_handler(request, exc)
        code = "json_invalid" if isinstance(exc.__cause__, UnicodeDecodeError) else "body_invalid"
        error = {"type": code, "loc": ("body",), "msg": MESSAGES[code][1], "input": None}
        return await validation(request, RequestValidationError([error]))

    app.add_exception_handler(RequestValidationError, validation)
    app.add_exception_handler(HTTPException, unreadable_body)
    app.add_exception_handler(ConflictError, conflict)
    app.add_exception_handler(NotFoundError, not_found)
