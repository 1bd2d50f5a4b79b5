"""Full cases and contacts: lifecycle columns, member search index, case history, contacts.

Cases opened before this revision (the thin-flow shape with ``name`` and ``birth_date`` per member)
are indexed too, so search finds them.
"""

import json
import unicodedata
from datetime import date
from typing import Any

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"


def _key(text: str) -> str:
    # Frozen copy of the search key of this revision: lower case, no diacritics, single spaces.
    decomposed = unicodedata.normalize("NFKD", text)
    plain = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return " ".join(plain.casefold().split())


def upgrade() -> None:
    with op.batch_alter_table("intake_case") as batch:
        batch.add_column(sa.Column("district_key", sa.String(100), nullable=True))
        batch.add_column(sa.Column("organisation", sa.String(100), nullable=False, server_default="kmb"))
        batch.add_column(sa.Column("contact_id", sa.Uuid, nullable=True))
        batch.add_column(sa.Column("close_reason", sa.String(40), nullable=True))
        batch.add_column(sa.Column("close_note", sa.Text, nullable=True))
        batch.add_column(sa.Column("closed_on", sa.Date, nullable=True))
        batch.add_column(sa.Column("reopen_count", sa.Integer, nullable=False, server_default="0"))
        batch.add_column(sa.Column("updated_at", sa.DateTime(timezone=True), nullable=True))
        batch.add_column(sa.Column("updated_by", sa.String(100), nullable=True))
    op.create_index("ix_intake_case_district_key", "intake_case", ["district_key"])
    op.create_index("ix_intake_case_worker_status", "intake_case", ["worker_id", "status"])
    op.create_index("ix_intake_case_opened_at", "intake_case", ["opened_at"])

    op.create_table(
        "intake_case_member",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column(
            "case_id",
            sa.Uuid,
            sa.ForeignKey("intake_case.id", ondelete="CASCADE"),
            nullable=False,
            index=True,
        ),
        sa.Column("position", sa.Integer, nullable=False),
        sa.Column("first_name_key", sa.String(100), nullable=False),
        sa.Column("last_name_key", sa.String(100), nullable=False),
        sa.Column("date_of_birth", sa.Date, nullable=False, index=True),
    )
    op.create_table(
        "intake_case_history",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column(
            "case_id",
            sa.Uuid,
            sa.ForeignKey("intake_case.id", ondelete="CASCADE"),
            nullable=False,
            index=True,
        ),
        sa.Column("version", sa.Integer, nullable=False),
        sa.Column("kind", sa.String(30), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("by", sa.String(100), nullable=False),
        sa.Column("organisation", sa.String(100), nullable=False),
        sa.Column("note", sa.Text, nullable=True),
    )
    op.create_table(
        "intake_contact",
        sa.Column("id", sa.Uuid, primary_key=True),
        sa.Column("channel", sa.String(40), nullable=False),
        sa.Column("contact_date", sa.Date, nullable=False, index=True),
        sa.Column("topics", sa.Text, nullable=False),
        sa.Column("duration_minutes", sa.Integer, nullable=False),
        sa.Column("note", sa.Text, nullable=True),
        sa.Column("worker_id", sa.String(100), nullable=False, index=True),
        sa.Column("case_id", sa.Uuid, sa.ForeignKey("intake_case.id"), nullable=True, index=True),
        sa.Column("anonymous", sa.Boolean, nullable=False),
        sa.Column("recorded_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("recorded_by", sa.String(100), nullable=False),
        sa.Column("organisation", sa.String(100), nullable=False),
    )
    _index_existing_cases()


def _thin_members(household: dict[str, Any]) -> list[tuple[str, str, date]]:
    out = []
    for member in household.get("members") or []:
        first, last = member.get("first_name"), member.get("last_name")
        if first is None and last is None:
            first, _, last = str(member.get("name", "")).partition(" ")
        born = member.get("date_of_birth") or member.get("birth_date")
        if born:
            out.append((_key(first or ""), _key(last or ""), date.fromisoformat(str(born))))
    return out


_cases = sa.table(
    "intake_case",
    sa.column("id", sa.Uuid),
    sa.column("household", sa.Text),
    sa.column("district", sa.String),
    sa.column("district_key", sa.String),
    sa.column("worker_id", sa.String),
    sa.column("opened_at", sa.DateTime(timezone=True)),
)
_members = sa.table(
    "intake_case_member",
    sa.column("case_id", sa.Uuid),
    sa.column("position", sa.Integer),
    sa.column("first_name_key", sa.String),
    sa.column("last_name_key", sa.String),
    sa.column("date_of_birth", sa.Date),
)
_history = sa.table(
    "intake_case_history",
    sa.column("case_id", sa.Uuid),
    sa.column("version", sa.Integer),
    sa.column("kind", sa.String),
    sa.column("at", sa.DateTime(timezone=True)),
    sa.column("by", sa.String),
    sa.column("organisation", sa.String),
)


def _index_existing_cases() -> None:
    bind = op.get_bind()
    rows = bind.execute(
        sa.select(_cases.c.id, _cases.c.household, _cases.c.district, _cases.c.worker_id, _cases.c.opened_at)
    ).all()
    for case_id, household, district, worker_id, opened_at in rows:
        if district:
            bind.execute(_cases.update().where(_cases.c.id == case_id).values(district_key=_key(district)))
        bind.execute(
            _history.insert().values(
                case_id=case_id, version=1, kind="opened", at=opened_at, by=worker_id, organisation="kmb"
            )
        )
        try:
            parsed = json.loads(household)
        except ValueError:
            continue
        for position, (first, last, born) in enumerate(_thin_members(parsed)):
            bind.execute(
                _members.insert().values(
                    case_id=case_id,
                    position=position,
                    first_name_key=first[:100],
                    last_name_key=last[:100],
                    date_of_birth=born,
                )
            )


def downgrade() -> None:
    op.drop_table("intake_contact")
    op.drop_table("intake_case_history")
    op.drop_table("intake_case_member")
    op.drop_index("ix_intake_case_opened_at", table_name="intake_case")
    op.drop_index("ix_intake_case_worker_status", table_name="intake_case")
    op.drop_index("ix_intake_case_district_key", table_name="intake_case")
    with op.batch_alter_table("intake_case") as batch:
        for column in (
            "updated_by",
            "updated_at",
            "reopen_count",
            "closed_on",
            "close_reason",
            "close_note",
            "contact_id",
            "organisation",
            "district_key",
        ):
            batch.drop_column(column)
