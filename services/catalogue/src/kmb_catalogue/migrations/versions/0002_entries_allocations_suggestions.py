"""The full catalogue: entries stored whole as JSON, allocations of units to cases, suggestions with
the entries ruled out. Replaces the thin tables of 0001 (their data was seed data only).
"""

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"


def _timestamp(name: str) -> sa.Column:  # type: ignore[type-arg]
    return sa.Column(name, sa.DateTime(timezone=True), nullable=False)


def upgrade() -> None:
    op.drop_table("catalogue_suggestion")
    op.drop_table("catalogue_solution")
    op.create_table(
        "catalogue_solution",
        sa.Column("id", sa.Uuid, primary_key=True),
        sa.Column("kind", sa.String(40), nullable=False, index=True),
        sa.Column("title", sa.String(200), nullable=False, index=True),
        sa.Column("valid_from", sa.Date, nullable=False, index=True),
        sa.Column("valid_to", sa.Date, nullable=True, index=True),
        sa.Column("withdrawn", sa.Boolean, nullable=False, index=True),
        sa.Column("demo", sa.Boolean, nullable=False),
        sa.Column("version", sa.Integer, nullable=False),
        sa.Column("data", sa.JSON, nullable=False),
        _timestamp("created_at"),
        _timestamp("updated_at"),
    )
    op.create_table(
        "catalogue_allocation",
        sa.Column("solution_id", sa.Uuid, sa.ForeignKey("catalogue_solution.id"), primary_key=True),
        sa.Column("case_id", sa.Uuid, primary_key=True, index=True),
        _timestamp("allocated_at"),
    )
    op.create_table(
        "catalogue_suggestion",
        sa.Column("id", sa.Uuid, primary_key=True),
        sa.Column("case_id", sa.Uuid, nullable=False, index=True),
        sa.Column("assessment_id", sa.Uuid, nullable=True),
        sa.Column("assessed_on", sa.Date, nullable=False),
        sa.Column("need_level", sa.String(20), nullable=False),
        sa.Column("municipal_stock_exhausted", sa.Boolean, nullable=False),
        sa.Column("suggestions", sa.JSON, nullable=False),
        sa.Column("rejected", sa.JSON, nullable=False),
        _timestamp("created_at"),
    )


def downgrade() -> None:
    op.drop_table("catalogue_suggestion")
    op.drop_table("catalogue_allocation")
    op.drop_table("catalogue_solution")
    op.create_table(
        "catalogue_solution",
        sa.Column("id", sa.Uuid, primary_key=True),
        sa.Column("kind", sa.String(40), nullable=False, index=True),
        sa.Column("title", sa.String(200), nullable=False),
        sa.Column("provider", sa.String(200), nullable=False),
        sa.Column("need_levels", sa.Text, nullable=False),
        sa.Column("capacity_total", sa.Integer, nullable=True),
        sa.Column("capacity_free", sa.Integer, nullable=True),
        sa.Column("version", sa.Integer, nullable=False),
    )
    op.create_table(
        "catalogue_suggestion",
        sa.Column("id", sa.Uuid, primary_key=True),
        sa.Column("case_id", sa.Uuid, nullable=False, index=True),
        sa.Column("assessment_id", sa.Uuid, nullable=True),
        sa.Column("payload", sa.Text, nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
    )
