"""What the HTTP entry points share: 422 errors in Czech and English and the service's dependencies."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime
from typing import Annotated, NoReturn, cast

from fastapi import Depends, Request
from fastapi.exceptions import RequestValidationError
from pydantic import AfterValidator
from pydantic_core import PydanticCustomError

from kmb_shared.clock import as_utc

from ..application.deps import StatsDeps
from ..domain.bounds import FIRST_DAY, LAST_DAY, day_problem, span_problem


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


def _known_day(day: date) -> date:
    problem = day_problem(day)
    if problem is not None:
        code, cs, en = problem
        raise PydanticCustomError(code, en, {"cs": cs, "en": en})
    return day


def _known_moment(moment: datetime) -> datetime:
    _known_day(as_utc(moment).date())
    return moment


#: what the date parameters say about their bounds in the API documents
BOUNDS = f"; between {FIRST_DAY.isoformat()} and {LAST_DAY.isoformat()}"
#: a day statistics answer for (FIRST_DAY to LAST_DAY); another one is refused with 422 date_out_of_range
Day = Annotated[date, AfterValidator(_known_day)]
#: a moment on such a day (UTC)
Moment = Annotated[datetime, AfterValidator(_known_moment)]


def require_span(interval: str, date_from: date | None, date_to: date | None) -> None:
    """Refuse a series longer than its interval allows (422 ``range_too_long`` on ``from``)."""
    if date_from is not None and date_to is not None:
        problem = span_problem(interval, date_from, date_to)
        if problem is not None:
            invalid("from", *problem)
