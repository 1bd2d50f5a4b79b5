"""The organisation of each case (from intake's CaseOpened), which scopes the case's suggestions and
allocations; and on each suggestion and allocation, the organisation of the worker who made it, which
decides while intake has not said the case's.

``catalogue_case`` starts empty: the catalogue now also consumes intake's topic, and as its consumer
group has no offsets there yet it reads the topic from the start (``auto_offset_reset="earliest"``,
topics kept for ever), so every case's CaseOpened fills it. Existing suggestions and allocations take
the organisation their own event named (``SolutionsSuggested`` and ``CapacityChanged`` still in the
outbox carry the actor), else ``kmb``, as intake's own migration gave the cases it had.
"""

import json
from typing import Any

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"

DEFAULT_ORGANISATION = "kmb"
SUGGESTED = "kmb.catalogue.solutions_suggested.v1"
CAPACITY = "kmb.catalogue.capacity_changed.v1"

_outbox = sa.table(
    "kmb_outbox",
    sa.column("id", sa.Integer),
    sa.column("event_type", sa.String),
    sa.column("payload", sa.Text),
)
_suggestion = sa.table(
    "catalogue_suggestion",
    sa.column("case_id", sa.Uuid),
    sa.column("assessment_id", sa.Uuid),
    sa.column("organisation", sa.String),
)
_allocation = sa.table(
    "catalogue_allocation",
    sa.column("solution_id", sa.Uuid),
    sa.column("case_id", sa.Uuid),
    sa.column("organisation", sa.String),
)


def _organisation(payload: dict[str, Any]) -> str | None:
    actor = payload.get("actor")
    found = actor.get("organisation") if isinstance(actor, dict) else None
    return found[:100] if isinstance(found, str) and found else None


def _backfill(bind: sa.engine.Connection) -> None:
    """Each suggestion and allocation gets the actor's organisation of the newest outbox event about it."""
    query = sa.select(_outbox.c.event_type, _outbox.c.payload).where(
        _outbox.c.event_type.in_([SUGGESTED, CAPACITY])
    )
    suggested: dict[tuple[str, str | None], str] = {}
    allocated: dict[tuple[str, str], str] = {}
    for event_type, text in bind.execute(query.order_by(_outbox.c.id)):
        try:
            payload = json.loads(text)
        except ValueError:
            continue
        organisation = _organisation(payload) if isinstance(payload, dict) else None
        if organisation is None or not payload.get("case_id"):
            continue
        if event_type == SUGGESTED:
            suggested[(str(payload["case_id"]), payload.get("assessment_id"))] = organisation
        elif payload.get("solution_id"):
            allocated[(str(payload["solution_id"]), str(payload["case_id"]))] = organisation
    rows = bind.execute(sa.select(_suggestion.c.case_id, _suggestion.c.assessment_id)).all()
    for case_id, assessment_id in rows:
        key = (str(case_id), str(assessment_id) if assessment_id is not None else None)
        organisation = suggested.get(key, DEFAULT_ORGANISATION)
        bind.execute(
            _suggestion.update()
            .where(_suggestion.c.case_id == case_id)
            .where(
                _suggestion.c.assessment_id.is_(None)
                if assessment_id is None
                else _suggestion.c.assessment_id == assessment_id
            )
            .values(organisation=organisation)
        )
    for solution_id, case_id in bind.execute(
        sa.select(_allocation.c.solution_id, _allocation.c.case_id)
    ).all():
        organisation = allocated.get((str(solution_id), str(case_id)), DEFAULT_ORGANISATION)
        bind.execute(
            _allocation.update()
            .where(_allocation.c.solution_id == solution_id, _allocation.c.case_id == case_id)
            .values(organisation=organisation)
        )


def upgrade() -> None:
    op.create_table(
        "catalogue_case",
        sa.Column("case_id", sa.Uuid, primary_key=True),
        sa.Column("organisation", sa.String(100), nullable=False, index=True),
    )
    for table in ("catalogue_suggestion", "catalogue_allocation"):
        with op.batch_alter_table(table) as batch:
            batch.add_column(sa.Column("organisation", sa.String(100), nullable=True))
    _backfill(op.get_bind())
    for table in ("catalogue_suggestion", "catalogue_allocation"):
        with op.batch_alter_table(table) as batch:
            batch.alter_column("organisation", existing_type=sa.String(100), nullable=False)


def downgrade() -> None:
    for table in ("catalogue_allocation", "catalogue_suggestion"):
        with op.batch_alter_table(table) as batch:
            batch.drop_column("organisation")
    op.drop_table("catalogue_case")
