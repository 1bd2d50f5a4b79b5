"""Request-scoped inputs of the commands: the acting worker, the time and day, the cause."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Annotated, cast

from fastapi import Depends, Request
from fastapi.exceptions import RequestValidationError
from opentelemetry import trace

from kmb_shared.actors import current_actor
from kmb_shared.auth import principal_of
from kmb_shared.contracts import Actor
from kmb_shared.service import get_runtime

from ..commands import CommandContext, InvalidSurvey
from ..config import AssessmentSettings

REQUEST_ID_HEADER = "X-Request-ID"


def settings_of(request: Request) -> AssessmentSettings:
    return cast(AssessmentSettings, get_runtime(request).settings)


def request_cause(request: Request) -> str | None:
    """What the events of this request answer: the caller's request id, else the request's trace."""
    request_id = request.headers.get(REQUEST_ID_HEADER, "").strip()
    if request_id:
        return f"request:{request_id[:100]}"
    span_context = trace.get_current_span().get_span_context()
    if span_context.is_valid:
        return f"trace:{span_context.trace_id:032x}"
    return None


def acting(request: Request) -> Actor:
    """The signed-in user (session or API token) if any, else the caller named in the headers."""
    principal = principal_of(request)
    return principal.actor if principal is not None else current_actor(request)


def command_context(request: Request, actor: Annotated[Actor, Depends(acting)]) -> CommandContext:
    return CommandContext(
        actor=actor,
        now=datetime.now(UTC),
        today=settings_of(request).today(),
        caused_by=request_cause(request),
    )


def as_request_error(error: InvalidSurvey) -> RequestValidationError:
    """A 422 in the same shape as the request validation's (field, code, Czech and English)."""
    return RequestValidationError(
        [
            {
                "type": error.code,
                "loc": ("body", error.field),
                "msg": error.message_en,
                "input": None,
                "ctx": {"cs": error.message_cs, "en": error.message_en},
            }
        ]
    )


CommandDep = Annotated[CommandContext, Depends(command_context)]
