"""Events about the rule sets of the assessment (dated, versioned data a rules editor manages).

Thin: the version, its dates and the counts of the impact preview; never a case or a person.
"""

from __future__ import annotations

from datetime import date
from uuid import UUID

from pydantic import Field

from .base import IntegrationEvent
from .registry import event


@event("kmb.assessment.rule_set_activated.v1")
class RuleSetActivated(IntegrationEvent):
    """A rules editor activated an uploaded rule set: it is chosen by date from ``effective_from`` on.
    Households whose result would change were flagged for reassessment; no register entry changed."""

    subject_field = "version"

    version: str = Field(description="Version of the activated rule set")
    effective_from: date
    supersedes: tuple[str, ...] = Field(default=(), description="Versions it replaces from that day")
    upload_id: UUID = Field(description="The uploaded rule set (assessment's own id)")
    preview_id: UUID = Field(description="The impact preview its activation acted on")
    cases_evaluated: int = Field(ge=0, description="Open cases and register entries re-evaluated")
    would_enter_register: int = Field(ge=0)
    would_leave_register: int = Field(ge=0)
    need_level_changes: int = Field(ge=0)
    priority_changes: int = Field(ge=0)
    flagged_for_reassessment: int = Field(ge=0, description="Cases flagged on their worker's desk")
