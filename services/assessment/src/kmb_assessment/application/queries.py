"""The read side the API and the pages share: assessments with their register entry and binding
opinions, and the register; each only of the caller's organisation (another organisation's case
reads as one that does not exist)."""

from __future__ import annotations

from collections.abc import Sequence
from uuid import UUID

from kmb_shared.errors import NotFoundError

from ..adapters.register import RegisterQuery
from ..adapters.tables import AssessmentRow, RegisterStatus
from ..domain.register import RegisterFilter
from .commands import load_assessment, of_organisation
from .ports import AssessmentStore
from .views import AssessmentOut, RegistrationOut


async def present(store: AssessmentStore, rows: Sequence[AssessmentRow]) -> list[AssessmentOut]:
    """``rows`` as the API returns them (with their register entries and binding opinions)."""
    ids = [row.id for row in rows]
    entries = await store.entries_for_assessments(ids)
    opinions = await store.opinions_for(ids)
    return [AssessmentOut.of(row, entries.get(row.id), opinions.get(row.id, ())) for row in rows]


async def assessments_of_case(
    store: AssessmentStore, case_id: UUID, organisation: str
) -> list[AssessmentOut]:
    """Every assessment of the case, oldest first (reassessments keep the earlier ones); none when
    the case belongs to another organisation than ``organisation``."""
    rows = [row for row in await store.assessments_of_case(case_id) if of_organisation(row, organisation)]
    return await present(store, rows)


async def case_file(store: AssessmentStore, case_id: UUID, organisation: str) -> list[AssessmentOut]:
    """The case's assessments for its page: NotFoundError when the case is another organisation's
    (as intake answers); none yet when its events have not arrived."""
    owner = await store.case_organisation(case_id)
    if owner is not None and owner != organisation:
        raise NotFoundError("Případ", "Case")
    return await assessments_of_case(store, case_id, organisation)


async def assessment(store: AssessmentStore, assessment_id: UUID, organisation: str) -> AssessmentOut:
    """One assessment (NotFoundError when there is none, or its case is another organisation's)."""
    row = await load_assessment(store, assessment_id, organisation)
    return (await present(store, [row]))[0]


async def register_entries(
    store: AssessmentStore,
    status: RegisterStatus | None,
    *,
    organisation: str,
    limit: int,
    offset: int,
    where: RegisterFilter = RegisterFilter(),
) -> list[RegistrationOut]:
    """The organisation's entries of the register that pass ``where``, highest priority first, with
    their binding opinions and the size of the household assessed."""
    rows = await store.register_entries(RegisterQuery(status, organisation, limit, offset, where))
    ids = [row.assessment_id for row in rows]
    opinions = await store.opinions_for(ids)
    sizes = await store.household_sizes(ids)
    return [
        RegistrationOut.of(row, opinions.get(row.assessment_id, ()), sizes.get(row.assessment_id))
        for row in rows
    ]
