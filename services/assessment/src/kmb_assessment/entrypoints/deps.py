"""Request-scoped inputs of the use cases, shared by the API and the pages: the service's
dependencies, a unit of work, who may call (roles), the acting worker, the time and day, the cause."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Annotated

from fastapi import Depends, Request
from fastapi.exceptions import RequestValidationError

from kmb_shared.auth import Principal, Role, require
from kmb_shared.telemetry import request_cause

from ..application.commands import InvalidSurveyFacts
from ..application.context import CommandContext, InvalidSurvey
from ..application.deps import AssessmentDeps
from ..application.ports import AssessmentStore, UnitOfWork
from ..config import AssessmentSettings

#: where ``bootstrap`` puts the service's dependencies on the app
DEPS_STATE = "assessment"


def deps_of(request: Request) -> AssessmentDeps:
    deps = getattr(request.app.state, DEPS_STATE)
    assert isinstance(deps, AssessmentDeps)
    return deps


def settings_of(request: Request) -> AssessmentSettings:
    return deps_of(request).settings


async def unit_of_work(request: Request) -> AsyncIterator[UnitOfWork]:
    """One transaction per request; the use case's route commits it (else it is rolled back)."""
    async with deps_of(request).uow() as uow:
        yield uow


async def store(uow: Annotated[UnitOfWork, Depends(unit_of_work)]) -> AssessmentStore:
    """The store of a request that only reads."""
    return uow.store


Deps = Annotated[AssessmentDeps, Depends(deps_of)]
UowDep = Annotated[UnitOfWork, Depends(unit_of_work)]
StoreDep = Annotated[AssessmentStore, Depends(store)]


#: Assessments are about identifiable cases: workers change them; workers and auditors read them,
#: each only for the cases of their own organisation (the application answers 404 for another's).
#: Administrators, analysts, catalogue and rules editors and partners are refused (403): an
#: administrator manages accounts, not cases (personal data minimisation).
WRITERS = (Role.WORKER,)
READERS = (Role.WORKER, Role.AUDITOR)

#: one dependency object per rule, so FastAPI checks it once per request
as_worker = require(*WRITERS)
as_reader = require(*READERS)
WorkerDep = Annotated[Principal, Depends(as_worker)]
ReaderDep = Annotated[Principal, Depends(as_reader)]


def context_for(request: Request, principal: Principal) -> CommandContext:
    """The signed-in user acts (their pseudonymous id and organisation), now, on the office's today."""
    clock = deps_of(request).clock
    return CommandContext(
        actor=principal.actor,
        now=clock.now(),
        today=clock.today(),
        caused_by=request_cause(request),
        actor_name=principal.name,
    )


def command_context(request: Request, principal: WorkerDep) -> CommandContext:
    return context_for(request, principal)


def as_request_error(error: InvalidSurvey | InvalidSurveyFacts) -> RequestValidationError:
    """A 422 in the same shape as the request validation's (field, code, Czech and English), one item
    per problem."""
    problems = error.problems if isinstance(error, InvalidSurveyFacts) else (error,)
    return RequestValidationError(
        [
            {
                "type": problem.code,
                "loc": ("body", *problem.field.split(".")),
                "msg": problem.message_en,
                "input": None,
                "ctx": {"cs": problem.message_cs, "en": problem.message_en},
            }
            for problem in problems
        ]
    )


CommandDep = Annotated[CommandContext, Depends(command_context)]
