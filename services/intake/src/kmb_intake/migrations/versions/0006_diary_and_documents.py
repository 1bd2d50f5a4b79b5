"""The case diary (dated notes of the case's workers) and the case's documents: the record of each and,
in a table of its own, its content (removed when the document is deleted; the record stays with the
reason)."""

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"


def _case_column() -> sa.Column:  # type: ignore[type-arg]
    return sa.Column(
        "case_id", sa.Uuid, sa.ForeignKey("intake_case.id", ondelete="CASCADE"), nullable=False, index=True
    )


def upgrade() -> None:
    op.create_table(
        "intake_diary_note",
        sa.Column("id", sa.Uuid, primary_key=True),
        _case_column(),
        sa.Column("noted_on", sa.Date, nullable=False),
        sa.Column("text", sa.Text, nullable=False),
        sa.Column("author_id", sa.String(100), nullable=False),
        sa.Column("organisation", sa.String(100), nullable=False),
        sa.Column("written_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("edited_at", sa.DateTime(timezone=True), nullable=True),
    )
    op.create_index("ix_intake_diary_note_case_day", "intake_diary_note", ["case_id", "noted_on"])
    op.create_table(
        "intake_document",
        sa.Column("id", sa.Uuid, primary_key=True),
        _case_column(),
        sa.Column("filename", sa.String(200), nullable=False),
        sa.Column("kind", sa.String(10), nullable=False),
        sa.Column("mime", sa.String(100), nullable=False),
        sa.Column("size", sa.Integer, nullable=False),
        sa.Column("sha256", sa.String(64), nullable=False),
        sa.Column("uploaded_by", sa.String(100), nullable=False),
        sa.Column("organisation", sa.String(100), nullable=False),
        sa.Column("uploaded_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("deleted_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("deleted_by", sa.String(100), nullable=True),
        sa.Column("delete_reason", sa.String(500), nullable=True),
    )
    op.create_table(
        "intake_document_content",
        sa.Column(
            "document_id",
            sa.Uuid,
            sa.ForeignKey("intake_document.id", ondelete="CASCADE"),
            primary_key=True,
        ),
        sa.Column("content", sa.LargeBinary, nullable=False),
    )


def downgrade() -> None:
    op.drop_table("intake_document_content")
    op.drop_table("intake_document")
    op.drop_table("intake_diary_note")
