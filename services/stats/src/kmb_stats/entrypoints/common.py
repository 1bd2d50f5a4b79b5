"""What the HTTP entry points share: 422 errors in Czech and English and the projection for a day."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from typing import NoReturn

from fastapi.exceptions import RequestValidationError
from sqlmodel.ext.asyncio.session import AsyncSession

from kmb_shared.service import Runtime

from ..adapters.projections import live_cache, projection_before
from ..clock import day_end, office_today
from ..domain import Projection


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


async def projection_as_of(runtime: Runtime, session: AsyncSession, day: date | None) -> Projection:
    """The projection to answer for ``day``: the live one for today or later (or no day), otherwise
    a fresh one of the events dated up to that day, as the figures stood then."""
    if day is None or day >= office_today():
        return await live_cache(runtime).current(session)
    return await projection_before(session, day_end(day))
