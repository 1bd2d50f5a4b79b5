"""The rule sets a rules editor manages, on the database: uploads, impact previews and their items,
reassessment flags; the population a preview re-evaluates (read in a few set-based queries, never
one query per case); and the rule sets in use (packaged + activated) for choosing one by date.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable, Sequence
from contextlib import asynccontextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any
from uuid import UUID

import sqlalchemy as sa
from sqlalchemy import update
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from kmb_shared.contracts import IntegrationEvent
from kmb_shared.db import Database
from kmb_shared.messaging import Outbox

from ..domain import RuleSet, load_rule_sets, parse_rule_set
from .ruleset_tables import (
    ReassessmentFlagRow,
    RuleSetPreviewItemRow,
    RuleSetPreviewRow,
    RuleSetUploadRow,
    UploadStatus,
)
from .tables import (
    IN_FORCE,
    AssessmentRow,
    AssessmentStatus,
    CaseEventKind,
    CaseEventRow,
    RegisterEntryRow,
    as_utc,
)

_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)


@dataclass(frozen=True)
class Target:
    """The latest submitted assessment of a case the preview re-evaluates."""

    assessment_id: UUID
    in_register: bool


@dataclass(frozen=True)
class PopulationRow:
    """What a preview needs of one stored assessment: its inputs and the result stored for it."""

    assessment_id: UUID
    case_id: UUID
    case_number: str
    worker_id: str | None
    household: str
    survey: str | None
    need_level: str | None
    qualifies: bool | None
    priority: int | None


def _aware(value: datetime | None) -> datetime:
    if value is None:
        return _EPOCH
    return as_utc(value)


class SqlRuleSetStore:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    # uploads
    def add(self, row: RuleSetUploadRow | RuleSetPreviewRow) -> None:
        self.session.add(row)

    async def get_upload(self, upload_id: UUID) -> RuleSetUploadRow | None:
        return await self.session.get(RuleSetUploadRow, upload_id)

    async def uploads(self) -> Sequence[RuleSetUploadRow]:
        query = select(RuleSetUploadRow).order_by(col(RuleSetUploadRow.uploaded_at).desc())
        return (await self.session.exec(query)).all()

    async def activate(self, upload_id: UUID, values: dict[str, Any]) -> bool:
        """Draft -> active, once (False when it was no longer a draft: another copy did it)."""
        statement = (
            update(RuleSetUploadRow)
            .where(
                col(RuleSetUploadRow.id) == upload_id,
                col(RuleSetUploadRow.status) == UploadStatus.DRAFT.value,
            )
            .values(**values)
        )
        result = await self.session.exec(statement)  # type: ignore[call-overload]
        return bool(result.rowcount == 1)

    # previews
    async def get_preview(self, preview_id: UUID) -> RuleSetPreviewRow | None:
        return await self.session.get(RuleSetPreviewRow, preview_id)

    async def latest_preview(self, upload_id: UUID) -> RuleSetPreviewRow | None:
        query = (
            select(RuleSetPreviewRow)
            .where(col(RuleSetPreviewRow.upload_id) == upload_id)
            .order_by(col(RuleSetPreviewRow.started_at).desc())
            .limit(1)
        )
        return (await self.session.exec(query)).first()

    async def update_preview(self, preview_id: UUID, values: dict[str, Any]) -> None:
        statement = update(RuleSetPreviewRow).where(col(RuleSetPreviewRow.id) == preview_id).values(**values)
        await self.session.exec(statement)  # type: ignore[call-overload]

    async def add_items(self, rows: Sequence[dict[str, Any]]) -> None:
        """Preview items as plain values, in one statement."""
        if rows:
            connection = await self.session.connection()
            await connection.execute(sa.insert(RuleSetPreviewItemRow.__table__), list(rows))  # type: ignore[attr-defined]

    async def preview_items(self, preview_id: UUID) -> Sequence[RuleSetPreviewItemRow]:
        query = (
            select(RuleSetPreviewItemRow)
            .where(col(RuleSetPreviewItemRow.preview_id) == preview_id)
            .order_by(col(RuleSetPreviewItemRow.worker_id), col(RuleSetPreviewItemRow.case_number))
        )
        return (await self.session.exec(query)).all()

    # the population of a preview
    async def population(self) -> list[Target]:
        """The latest submitted assessment of every open case and of every case with an entry in force."""
        submitted = await self.session.exec(
            select(
                AssessmentRow.id, AssessmentRow.case_id, AssessmentRow.submitted_at, AssessmentRow.created_at
            ).where(col(AssessmentRow.status) == AssessmentStatus.SUBMITTED.value)
        )
        latest: dict[UUID, tuple[datetime, datetime, UUID]] = {}
        for assessment_id, case_id, submitted_at, created_at in submitted.all():
            key = (_aware(submitted_at), _aware(created_at), assessment_id)
            if case_id not in latest or key > latest[case_id]:
                latest[case_id] = key
        lifecycle = await self.session.exec(
            select(CaseEventRow.case_id, CaseEventRow.kind, CaseEventRow.occurred_at).where(
                col(CaseEventRow.kind).in_([CaseEventKind.CLOSED.value, CaseEventKind.REOPENED.value])
            )
        )
        last_change: dict[UUID, tuple[datetime, str]] = {}
        for case_id, kind, occurred_at in lifecycle.all():
            if case_id not in last_change or _aware(occurred_at) > last_change[case_id][0]:
                last_change[case_id] = (_aware(occurred_at), kind)
        closed = {case_id for case_id, (_, kind) in last_change.items() if kind == CaseEventKind.CLOSED.value}
        registered = set(
            (
                await self.session.exec(
                    select(RegisterEntryRow.case_id).where(col(RegisterEntryRow.status).in_(IN_FORCE))
                )
            ).all()
        )
        return [
            Target(assessment_id=key[2], in_register=case_id in registered)
            for case_id, key in latest.items()
            if case_id not in closed or case_id in registered
        ]

    async def submitted_since(self, moment: datetime) -> int:
        submitted = await self.session.exec(
            select(AssessmentRow.submitted_at).where(
                col(AssessmentRow.status) == AssessmentStatus.SUBMITTED.value
            )
        )
        return sum(1 for at in submitted.all() if at is not None and _aware(at) > moment)

    async def population_rows(self, assessment_ids: Sequence[UUID]) -> list[PopulationRow]:
        table = AssessmentRow.__table__  # type: ignore[attr-defined]
        columns = [
            table.c.id,
            table.c.case_id,
            table.c.case_number,
            table.c.submitted_by,
            table.c.household,
            table.c.survey,
            table.c.need_level,
            table.c.qualifies_for_register,
            table.c.priority_score,
        ]
        query = sa.select(*columns).where(table.c.id.in_(list(assessment_ids)))
        connection = await self.session.connection()
        return [PopulationRow(*row) for row in (await connection.execute(query)).all()]

    # reassessment flags
    async def flagged_cases(self, version: str) -> set[UUID]:
        query = select(ReassessmentFlagRow.case_id).where(
            col(ReassessmentFlagRow.rule_set_version) == version
        )
        return set((await self.session.exec(query)).all())

    def add_flags(self, rows: Sequence[ReassessmentFlagRow]) -> None:
        self.session.add_all(rows)

    async def open_flags(
        self, worker_id: str | None, limit: int, organisation: str | None = None
    ) -> Sequence[ReassessmentFlagRow]:
        """Flags of cases not reassessed since (no assessment of the case submitted after the flag);
        with ``organisation``, only of that organisation's cases."""
        later = (
            select(AssessmentRow.id)
            .where(
                col(AssessmentRow.case_id) == col(ReassessmentFlagRow.case_id),
                col(AssessmentRow.status) == AssessmentStatus.SUBMITTED.value,
                col(AssessmentRow.submitted_at) > col(ReassessmentFlagRow.flagged_at),
            )
            .exists()
        )
        query = select(ReassessmentFlagRow).where(~later)
        if worker_id is not None:
            query = query.where(col(ReassessmentFlagRow.worker_id) == worker_id)
        if organisation is not None:
            own = select(AssessmentRow.id).where(col(AssessmentRow.organisation) == organisation)
            query = query.where(col(ReassessmentFlagRow.assessment_id).in_(own))
        query = query.order_by(
            col(ReassessmentFlagRow.flagged_at).desc(), col(ReassessmentFlagRow.case_number)
        )
        return (await self.session.exec(query.limit(limit))).all()

    async def activated(self) -> Sequence[tuple[UUID, str]]:
        query = select(RuleSetUploadRow.id, RuleSetUploadRow.source_yaml).where(
            col(RuleSetUploadRow.status) == UploadStatus.ACTIVE.value
        )
        return [(row_id, text) for row_id, text in (await self.session.exec(query)).all()]

    async def activated_ids(self) -> set[UUID]:
        query = select(RuleSetUploadRow.id).where(col(RuleSetUploadRow.status) == UploadStatus.ACTIVE.value)
        return set((await self.session.exec(query)).all())


class SqlRuleSetWork:
    """One transaction of the rule-set use cases: the store and the outbox rows commit together."""

    def __init__(self, session: AsyncSession, outbox: Outbox, after_commit: Callable[[], None]) -> None:
        self.session = session
        self.outbox = outbox
        self.after_commit = after_commit
        self.store = SqlRuleSetStore(session)

    def stage(self, event: IntegrationEvent) -> str:
        return self.outbox.stage(self.session, event)

    async def commit(self) -> None:
        await self.session.commit()
        self.after_commit()


class SqlRuleSets:
    """Opens rule-set transactions on ``db`` and reads the rule sets in use: the packaged ones and the
    activated ones from the database (so every copy of the service chooses the same set by date).
    Activated files are parsed once per process; each read costs one small query."""

    def __init__(self, db: Database, outbox: Outbox, after_commit: Callable[[], None]) -> None:
        self.db = db
        self.outbox = outbox
        self.after_commit = after_commit
        self._parsed: dict[UUID, RuleSet] = {}

    @asynccontextmanager
    async def __call__(self) -> AsyncIterator[SqlRuleSetWork]:
        async with self.db.session() as session:
            yield SqlRuleSetWork(session, self.outbox, self.after_commit)

    async def available(self) -> tuple[RuleSet, ...]:
        async with self.db.session() as session:
            store = SqlRuleSetStore(session)
            ids = await store.activated_ids()
            if not ids.issubset(self._parsed):
                for row_id, text in await store.activated():
                    if row_id not in self._parsed:
                        self._parsed[row_id] = parse_rule_set(text, f"activated {row_id}")
        activated = [self._parsed[row_id] for row_id in ids]
        return tuple(
            sorted((*load_rule_sets(), *activated), key=lambda rules: (rules.effective_from, rules.version))
        )
