"""The typed dependencies of the running service (built once by ``bootstrap``), instead of a
dictionary of extras: what the routes, pages and jobs hand to the use cases."""

from __future__ import annotations

from dataclasses import dataclass

from ..config import AssessmentSettings
from .ports import Clock, UnitOfWorkFactory
from .rulesets import RuleSetsPort


@dataclass(frozen=True)
class AssessmentDeps:
    settings: AssessmentSettings
    #: opens one transaction with its outbox
    uow: UnitOfWorkFactory
    #: now (UTC) and today at the contact point
    clock: Clock
    #: the rule sets a rules editor manages, and those in use (packaged + activated) for choosing by date
    rulesets: RuleSetsPort
