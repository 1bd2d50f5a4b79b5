"""The case both unit suites of the use cases start from (on the fakes and on the backends): a worker of
kmb-praha7, a single adult applicant in Praha 7 whose case was opened on 1 September 2026, surveyed as
sleeping rough (dwelling kind ``street``, no legal title) on Wednesday 30 September 2026."""

from __future__ import annotations

from datetime import UTC, date, datetime
from uuid import uuid4

from kmb_assessment.application.survey import Survey
from kmb_shared.contracts import Actor, CaseOpened, HouseholdSnapshot, MemberSnapshot

TODAY = date(2026, 9, 30)
WORKER = Actor(user_id="worker-7", organisation="kmb-praha7")
ROUGH_SLEEPER = Survey(dwelling_kind="street", legal_title="none")
OPENED_AT = datetime(2026, 9, 1, 9, 0, tzinfo=UTC)


def household(district: str = "Praha 7") -> HouseholdSnapshot:
    applicant = MemberSnapshot(age_band="26-64", relationship="applicant")
    return HouseholdSnapshot(members=(applicant,), district=district, orp_code="1100")


def case_opened(at: datetime = OPENED_AT) -> CaseOpened:
    """A new case (a new id each call) of the worker's organisation."""
    return CaseOpened(
        case_id=uuid4(),
        case_number="KMB-2026-00001",
        household=household(),
        occurred_at=at,
        actor=WORKER,
    )
