"""What the HTTP entry points share: 422 errors in Czech and English and the service's dependencies."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from typing import NoReturn, cast

from fastapi import Depends, Request
from fastapi.exceptions import RequestValidationError

from ..application.deps import StatsDeps


def get_deps(request: Request) -> StatsDeps:
    """The dependencies :func:`kmb_stats.bootstrap.build_app` gave this app."""
    return cast(StatsDeps, request.app.state.stats)


DepsDep = Depends(get_deps)


def invalid(field: str, code: str, message_cs: str, message_en: str) -> NoReturn:
    """Refuse a request parameter with HTTP 422 and a reason in Czech and English."""
    raise RequestValidationError(
        [
            {
                "type": code,
                "loc": ("query", field),
                "msg": message_en,
                "ctx": {"cs": message_cs, "en": message_en},
            }
        ]
    )


def require_choice(field: str, value: str, allowed: Iterable[str]) -> str:
    options = list(allowed)
    if value not in options:
        listed = ", ".join(options)
        invalid(
            field,
            "unknown_choice",
            f"Neznámá hodnota {value!r}; povolené: {listed}.",
            f"Unknown value {value!r}; allowed: {listed}.",
        )
    return value


def require_order(date_from: date | None, date_to: date | None) -> None:
    if date_from is not None and date_to is not None and date_from > date_to:
        invalid(
            "from",
            "range_reversed",
            "Začátek období je po jeho konci.",
            "The start of the range is after its end.",
        )
