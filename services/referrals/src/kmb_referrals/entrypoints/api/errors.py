"""The translation of the use cases' errors into HTTP answers: 409 for a conflict with the current
state, 422 for a wrong request, 503 when the partner's topic cannot be created, in Czech and English."""

from __future__ import annotations

from collections.abc import Awaitable
from typing import Any, TypeVar

from fastapi import HTTPException
from fastapi.exceptions import RequestValidationError
from pydantic import ValidationError

from kmb_shared.errors import ConflictError

from ...application.errors import CaseRefusal, TopicUnavailable
from ...domain import IllegalTransition, ReferralConflict, ReferralError, ReferralState, state_label

T = TypeVar("T")

#: English texts of the domain's errors, by code (the domain speaks Czech only)
EN_BY_CODE = {
    "partner_does_not_accept": "The partner does not take referrals of this kind, or is inactive.",
    "note_required": "A note is required when the reason or outcome is 'other'.",
    "not_a_housing_offer": "This referral is not a housing offer.",
    "conflict": "The request conflicts with the referral's current state.",
    "invalid": "The request is not valid for this referral.",
}
FIELD_BY_CODE = {"note_required": "note"}


def _english(exc: ReferralError) -> str:
    en = getattr(exc, "message_en", None)
    if en:
        return str(en)
    if isinstance(exc, IllegalTransition) and exc.current and exc.target:
        current, target = ReferralState(exc.current), ReferralState(exc.target)
        return (
            f"A referral in the state '{current.value}' ({state_label(current)}) cannot move to "
            f"'{target.value}' ({state_label(target)})."
        )
    return EN_BY_CODE.get(exc.code, EN_BY_CODE["invalid"])


def http_error(exc: ReferralError) -> Exception:
    """The exception the shared handlers turn into a 409 or a 422 with Czech and English texts."""
    en = _english(exc)
    if isinstance(exc, ReferralConflict):
        return ConflictError(exc.code, exc.message, en)
    field = getattr(exc, "field", None) or FIELD_BY_CODE.get(exc.code)
    loc: tuple[str, ...] = ("body", field) if field else ("body",)
    return RequestValidationError(
        [{"type": exc.code, "loc": loc, "msg": en, "input": None, "ctx": {"cs": exc.message, "en": en}}]
    )


def validation_error(exc: ValidationError, prefix: tuple[str, ...] = ("body",)) -> RequestValidationError:
    """A domain model's validation error as if the request body had failed it."""
    errors: list[Any] = [{**err, "loc": (*prefix, *err.get("loc", ()))} for err in exc.errors()]
    return RequestValidationError(errors)


async def domain_call(call: Awaitable[T]) -> T:
    """Await a use case, answering its domain errors as HTTP errors."""
    try:
        return await call
    except ReferralError as exc:
        raise http_error(exc) from exc
    except ValidationError as exc:
        raise validation_error(exc) from exc
    except CaseRefusal as exc:
        raise HTTPException(status_code=exc.status, detail=exc.detail()) from exc
    except TopicUnavailable as exc:
        raise HTTPException(
            status_code=503,
            detail={
                "code": "kafka_unavailable",
                "message_cs": "Nelze založit téma partnera v Kafce; zkuste to později.",
                "message_en": "The partner's Kafka topic cannot be created; try again later.",
            },
        ) from exc
