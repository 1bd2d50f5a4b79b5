"""Whether a case is closed, as referrals learns it from intake's events (CaseClosed, CaseReopened), and
what that means for a new referral: refused while closed, made again once reopened; an event older than
what the row already says changes nothing (a replay agrees)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from uuid import UUID, uuid4

import pytest

from kmb_referrals.application.errors import CaseIsClosed, CaseNotFound, CaseUnconfirmed
from kmb_referrals.application.handlers import on_case_facts, on_case_state
from kmb_referrals.application.referrals import MakeReferral, refer
from kmb_referrals.domain import ReferralKind
from kmb_shared.contracts import (
    Actor,
    CaseClosed,
    CaseOpened,
    CaseReopened,
    HouseholdSnapshot,
    MemberSnapshot,
)

from .fakes import Fakes
from .test_application import WORKER, partner

K = ReferralKind
OPENED_AT = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
ACTOR = Actor(user_id="worker-7", organisation=WORKER.organisation)


def _opened(case_id: UUID) -> CaseOpened:
    household = HouseholdSnapshot(members=(MemberSnapshot(age_band="26-64", relationship="applicant"),))
    return CaseOpened(
        case_id=case_id, case_number="KMB-2026-00007", household=household, actor=ACTOR, occurred_at=OPENED_AT
    )


def _closed(case_id: UUID, minutes: int) -> CaseClosed:
    at = OPENED_AT + timedelta(minutes=minutes)
    return CaseClosed(
        case_id=case_id, case_number="KMB-2026-00007", reason="moved_away", actor=ACTOR, occurred_at=at
    )


def _reopened(case_id: UUID, minutes: int) -> CaseReopened:
    at = OPENED_AT + timedelta(minutes=minutes)
    return CaseReopened(case_id=case_id, case_number="KMB-2026-00007", actor=ACTOR, occurred_at=at)


async def _refer(fakes: Fakes, case_id: UUID) -> UUID:
    command = MakeReferral(case_id=case_id, partner="ngo-domov", kind=K.SOCIAL_WORK)
    return (await refer(fakes.deps, fakes.uow, command, WORKER, {})).id


async def test_closing_and_reopening_decide_whether_a_referral_is_made() -> None:
    fakes = Fakes()
    partner(fakes, "ngo-domov", K.SOCIAL_WORK)
    case_id = uuid4()
    await on_case_facts(_opened(case_id), fakes.store)
    await on_case_state(_closed(case_id, 10), fakes.store)

    with pytest.raises(CaseIsClosed) as refused:
        await _refer(fakes, case_id)
    assert refused.value.code == "case_closed" and "KMB-2026-00007" in refused.value.message

    await on_case_state(_reopened(case_id, 5), fakes.store)  # older than the closing: ignored
    assert fakes.store.cases[case_id].closed is True
    await on_case_state(_reopened(case_id, 20), fakes.store)
    assert fakes.store.cases[case_id].closed is False
    assert await _refer(fakes, case_id) in fakes.store.referrals_by_id
    assert fakes.intake.status_asked == [], "the events told it: intake was not asked"


async def test_a_closing_heard_before_the_opening_is_kept() -> None:
    fakes = Fakes()
    case_id = uuid4()
    await on_case_state(_closed(case_id, 10), fakes.store)
    await on_case_facts(_opened(case_id), fakes.store)  # older than the row: only its organisation counts

    row = fakes.store.cases[case_id]
    assert (row.closed, row.organisation, row.case_number) == (True, WORKER.organisation, "KMB-2026-00007")


async def test_a_case_not_heard_of_is_asked_of_intake() -> None:
    fakes = Fakes()
    partner(fakes, "ngo-domov", K.SOCIAL_WORK)
    fresh, gone, closed = uuid4(), uuid4(), uuid4()
    fakes.intake.statuses.update({gone: None, closed: "closed"})

    assert await _refer(fakes, fresh) in fakes.store.referrals_by_id
    with pytest.raises(CaseNotFound):
        await _refer(fakes, gone)
    with pytest.raises(CaseIsClosed):
        await _refer(fakes, closed)
    fakes.intake.down = True
    with pytest.raises(CaseUnconfirmed):
        await _refer(fakes, uuid4())
    assert len(fakes.store.referrals_by_id) == 1
