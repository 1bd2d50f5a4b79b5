"""The catalogue's domain errors as HTTP answers, in Czech and English:
a conflict with the current state is 409, a request the domain refuses is 422 (the same shape as
the shared validation errors), a value that breaks an entry's rules is 422 with its field."""

from __future__ import annotations

from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse
from pydantic import ValidationError

from kmb_shared.errors import Localizer, localize

from ...domain import CatalogueConflict, CatalogueError, LeafletFontMissing

#: English fallback by error code, for a domain error raised without an English message
_ENGLISH: dict[str, str] = {
    "version_conflict": "The entry changed since you read it. Reload it and repeat the change.",
    "no_free_capacity": "No free place or unit is left.",
    "nothing_to_release": "No taken place to release.",
    "capacity_below_taken": "The capacity cannot go below the places that are taken.",
    "capacity_not_tracked": "This entry does not track capacity.",
    "already_held": "The case already holds a place of this entry.",
    "not_held": "The case holds no place of this entry.",
    "invalid": "The request cannot be carried out in the entry's current state.",
    "conflict": "The request conflicts with the entry's current state.",
}


def _english(exc: CatalogueError) -> str:
    return exc.message_en or _ENGLISH.get(exc.code, "The request cannot be carried out.")


def install_catalogue_errors(app: FastAPI, localizer: Localizer = localize) -> None:
    """Register the handlers on ``app`` (after the shared ones for 404, 409 and request 422)."""

    async def domain_error(_: Request, exc: Exception) -> JSONResponse:
        assert isinstance(exc, CatalogueError)
        if isinstance(exc, LeafletFontMissing):
            body = {"code": exc.code, "message_cs": exc.message, "message_en": _english(exc)}
            return JSONResponse(status_code=503, content={"detail": body})
        if isinstance(exc, CatalogueConflict):
            body = {"code": exc.code, "message_cs": exc.message, "message_en": _english(exc)}
            return JSONResponse(status_code=409, content={"detail": body})
        item = {"field": exc.field, "code": exc.code, "message_cs": exc.message, "message_en": _english(exc)}
        return JSONResponse(status_code=422, content={"detail": [item]})

    async def rule_broken(_: Request, exc: Exception) -> JSONResponse:
        # A change that passed request validation but breaks the entry's rules once applied.
        assert isinstance(exc, ValidationError)
        errors = [{**e, "loc": ("body", *e["loc"])} for e in exc.errors(include_url=False)]
        return JSONResponse(status_code=422, content={"detail": localizer(errors)})

    app.add_exception_handler(CatalogueError, domain_error)
    app.add_exception_handler(ValidationError, rule_broken)
