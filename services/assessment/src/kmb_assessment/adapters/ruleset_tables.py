"""Tables of the rule sets a rules editor manages (migration 0004).

- ``rule_set_upload``: an uploaded rule set (its YAML exactly as uploaded), a draft until activated;
  an activated one is chosen by date like the packaged sets, by every copy of the service.
- ``rule_set_preview``: one impact preview of a draft (progress and counts, in the database so any
  page load on any copy shows it).
- ``rule_set_preview_item``: a case whose result would change under the draft (no personal data:
  case number, pseudonymous worker id, levels and points).
- ``reassessment_flag``: a case flagged for reassessment on its worker's desk by an activation.
"""

from __future__ import annotations

from datetime import date, datetime
from enum import StrEnum
from uuid import UUID, uuid4

import sqlalchemy as sa
from sqlmodel import Field, SQLModel

from .tables import text_column, time_column, utcnow


class UploadStatus(StrEnum):
    DRAFT = "draft"
    ACTIVE = "active"


class PreviewStatus(StrEnum):
    RUNNING = "running"
    FINISHED = "finished"
    FAILED = "failed"


class RuleSetUploadRow(SQLModel, table=True):
    __tablename__ = "rule_set_upload"

    id: UUID = Field(default_factory=uuid4, primary_key=True)
    version: str = Field(max_length=40, index=True)
    effective_from: date
    title: str = Field(sa_column=text_column(nullable=False))
    #: the file as uploaded (parsed again whenever it is used)
    source_yaml: str = Field(sa_column=text_column(nullable=False))
    status: str = Field(max_length=20, index=True, description="draft or active")
    uploaded_by: str = Field(max_length=100)
    #: the uploader's name as signed in (people read it; ``uploaded_by`` is the pseudonymous id)
    uploaded_by_name: str | None = Field(default=None, max_length=200)
    uploaded_at: datetime = Field(default_factory=utcnow, sa_column=time_column(nullable=False))
    activated_by: str | None = Field(default=None, max_length=100)
    activated_by_name: str | None = Field(default=None, max_length=200)
    activated_at: datetime | None = Field(default=None, sa_column=time_column(nullable=True))
    #: the preview whose findings the activation flagged
    activated_preview_id: UUID | None = None
    activated_event_id: str | None = Field(default=None, max_length=64)


class RuleSetPreviewRow(SQLModel, table=True):
    __tablename__ = "rule_set_preview"

    id: UUID = Field(default_factory=uuid4, primary_key=True)
    upload_id: UUID = Field(index=True)
    status: str = Field(max_length=20, description="running, finished or failed")
    total: int = 0
    processed: int = 0
    enters: int = 0
    leaves: int = 0
    need_level_changes: int = 0
    priority_changes: int = 0
    #: cases whose stored survey could not be evaluated under the draft
    failed: int = 0
    started_by: str = Field(max_length=100)
    started_at: datetime = Field(default_factory=utcnow, sa_column=time_column(nullable=False))
    finished_at: datetime | None = Field(default=None, sa_column=time_column(nullable=True))
    error: str | None = Field(default=None, sa_column=text_column(nullable=True))


class _Impact(SQLModel):
    """What a rule change does to one case's result: the columns a preview item and a reassessment
    flag share."""

    #: comma-separated: enters, leaves, need_level, priority (or failed)
    changes: str = Field(max_length=100)
    need_level_before: str = Field(max_length=20)
    need_level_after: str | None = Field(default=None, max_length=20)
    qualifies_before: bool
    qualifies_after: bool | None = None
    priority_before: int
    priority_after: int | None = None


class RuleSetPreviewItemRow(_Impact, table=True):
    __tablename__ = "rule_set_preview_item"

    id: UUID = Field(default_factory=uuid4, primary_key=True)
    preview_id: UUID = Field(index=True)
    case_id: UUID
    case_number: str = Field(max_length=20)
    assessment_id: UUID
    #: pseudonymous id of the worker who submitted the latest assessment
    worker_id: str | None = Field(default=None, max_length=100)
    in_register: bool


class ReassessmentFlagRow(_Impact, table=True):
    __tablename__ = "reassessment_flag"
    __table_args__ = (
        sa.UniqueConstraint("case_id", "rule_set_version", name="uq_reassessment_flag_case_version"),
    )

    id: UUID = Field(default_factory=uuid4, primary_key=True)
    case_id: UUID = Field(index=True)
    case_number: str = Field(max_length=20)
    assessment_id: UUID
    worker_id: str | None = Field(default=None, max_length=100, index=True)
    rule_set_version: str = Field(max_length=40)
    effective_from: date
    flagged_at: datetime = Field(default_factory=utcnow, sa_column=time_column(nullable=False))
