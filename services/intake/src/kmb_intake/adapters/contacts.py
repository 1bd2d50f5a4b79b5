"""Contact queries."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from uuid import UUID

from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from kmb_shared.db import where_equal

from .tables import ContactRow


async def list_contacts(
    session: AsyncSession,
    *,
    on: date | None = None,
    worker_id: str | None = None,
    case_id: UUID | None = None,
    organisation: str | None = None,
    limit: int,
    offset: int = 0,
) -> Sequence[ContactRow]:
    """Contacts matching every given criterion, the latest first."""
    query = where_equal(
        select(ContactRow),
        (ContactRow.contact_date, on),
        (ContactRow.worker_id, worker_id),
        (ContactRow.case_id, case_id),
        (ContactRow.organisation, organisation),
    )
    query = (
        query.order_by(col(ContactRow.contact_date).desc(), col(ContactRow.recorded_at).desc())
        .limit(limit)
        .offset(offset)
    )
    return (await session.exec(query)).all()
