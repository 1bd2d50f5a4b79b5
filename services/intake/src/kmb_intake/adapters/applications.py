"""Applications of a case in intake's database, and the application kinds read from their YAML files.

An application keeps the worker's current values (personal data: never on an event, never in a log);
each print is a version with the values it printed and its PDF, kept for download; a signed copy
scanned back is a document of the case linked to the version it signs.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime
from pathlib import Path
from uuid import UUID, uuid4

import sqlalchemy as sa
import yaml
from sqlmodel import Field, SQLModel, col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from ..domain.applications import ApplicationKind, KindFileError, merge_kinds, parse_kind
from .tables import _part_of_case

#: the kinds shipped with intake
SHIPPED_KINDS = Path(__file__).parents[1] / "application_kinds"


def _moment(nullable: bool = False) -> sa.Column:  # type: ignore[type-arg]
    return sa.Column(sa.DateTime(timezone=True), nullable=nullable)


class ApplicationRow(SQLModel, table=True):
    """One application of a case, its current values and where it stands."""

    __tablename__ = "intake_application"

    id: UUID = Field(default_factory=uuid4, primary_key=True)
    case_id: UUID = _part_of_case()
    organisation: str = Field(max_length=100)
    kind: str = Field(max_length=40)
    group: str = Field(max_length=40)
    title: str = Field(max_length=200)
    #: the worker's values, JSON {field key: text}
    values: str = Field(sa_column=sa.Column(sa.Text, nullable=False))
    state: str = Field(default="draft", max_length=20)
    created_by: str = Field(max_length=100)
    created_at: datetime = Field(sa_column=_moment())
    updated_at: datetime = Field(sa_column=_moment())
    versions: int = 0
    submitted_on: date | None = None
    submitted_to: str | None = Field(default=None, max_length=300)
    submitted_how: str | None = Field(default=None, max_length=20)
    answer_due: date | None = Field(default=None, index=True)
    decided_on: date | None = None
    outcome: str | None = Field(default=None, max_length=20)
    decision_note: str | None = Field(default=None, max_length=1000)


class ApplicationVersionRow(SQLModel, table=True):
    """One printout of an application: final or a draft (KONCEPT), its values and its PDF."""

    __tablename__ = "intake_application_version"
    __table_args__ = (sa.UniqueConstraint("application_id", "number", name="uq_intake_application_version"),)

    id: UUID = Field(default_factory=uuid4, primary_key=True)
    application_id: UUID = Field(
        sa_column=sa.Column(
            sa.Uuid, sa.ForeignKey("intake_application.id", ondelete="CASCADE"), nullable=False, index=True
        )
    )
    number: int
    final: bool
    values: str = Field(sa_column=sa.Column(sa.Text, nullable=False))
    printed_by: str = Field(max_length=100)
    printed_at: datetime = Field(sa_column=_moment())
    sha256: str = Field(max_length=64)
    pdf: bytes = Field(sa_column=sa.Column(sa.LargeBinary, nullable=False))
    #: the scanned signed copy (a document of the case)
    signed_document_id: UUID | None = Field(
        default=None,
        sa_column=sa.Column(sa.Uuid, sa.ForeignKey("intake_document.id", ondelete="SET NULL"), nullable=True),
    )


async def applications_of(session: AsyncSession, case_id: UUID) -> Sequence[ApplicationRow]:
    query = (
        select(ApplicationRow)
        .where(col(ApplicationRow.case_id) == case_id)
        .order_by(col(ApplicationRow.created_at).desc())
    )
    return (await session.exec(query)).all()


async def versions_of(session: AsyncSession, application_id: UUID) -> Sequence[ApplicationVersionRow]:
    """The versions without their PDF loaded, the latest first."""
    query = (
        select(ApplicationVersionRow)
        .where(col(ApplicationVersionRow.application_id) == application_id)
        .order_by(col(ApplicationVersionRow.number).desc())
        .options(sa.orm.defer(ApplicationVersionRow.pdf))  # type: ignore[arg-type]
    )
    return (await session.exec(query)).all()


async def version_of(
    session: AsyncSession, application_id: UUID, number: int
) -> ApplicationVersionRow | None:
    query = select(ApplicationVersionRow).where(
        col(ApplicationVersionRow.application_id) == application_id,
        col(ApplicationVersionRow.number) == number,
    )
    return (await session.exec(query)).first()


async def due_answers(session: AsyncSession, organisation: str, until: date) -> Sequence[ApplicationRow]:
    """Submitted applications of the organisation whose answer is due by ``until``, the earliest first."""
    query = (
        select(ApplicationRow)
        .where(
            col(ApplicationRow.organisation) == organisation,
            col(ApplicationRow.state) == "submitted",
            col(ApplicationRow.answer_due) <= until,
        )
        .order_by(col(ApplicationRow.answer_due))
    )
    return (await session.exec(query)).all()


# --- the kinds' files ------------------------------------------------------------------------------


def read_kind_files(folder: Path) -> list[ApplicationKind]:
    """The kinds of a folder's ``*.yaml`` files (sorted by name); a bad file: :class:`KindFileError`."""
    if not folder.is_dir():
        raise KindFileError(f"Složka druhů žádostí {folder} neexistuje.")
    kinds = []
    for path in sorted(folder.glob("*.yaml")):
        try:
            data = yaml.safe_load(path.read_text(encoding="utf-8"))
        except (yaml.YAMLError, UnicodeDecodeError) as exc:
            raise KindFileError(f"Soubor druhu žádosti {path.name} není platný YAML: {exc}") from None
        kinds.append(parse_kind(path.name, data))
    return kinds


def load_kinds(extra: Path | None = None) -> dict[str, ApplicationKind]:
    """The shipped kinds, with the contact point's own folder (if set) adding and replacing by code."""
    layers = [read_kind_files(SHIPPED_KINDS)]
    if extra is not None:
        layers.append(read_kind_files(extra))
    return merge_kinds(*layers)
