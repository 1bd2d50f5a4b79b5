"""The typed dependencies of the running service (built once by ``bootstrap``), instead of a
dictionary of extras: what the routes, pages and jobs hand to the use cases."""

from __future__ import annotations

from dataclasses import dataclass

from ..config import AssessmentSettings
from .ports import Clock, UnitOfWorkFactory


@dataclass(frozen=True)
class AssessmentDeps:
    settings: AssessmentSettings
    #: opens one transaction with its outbox
    uow: UnitOfWorkFactory
    #: now (UTC) and today at the contact point
    clock: Clock
