"""The rules of erasure and retention on fakes: when a case is due (the shredding plan's count from
1 January after the year of closing), what an erasure refuses, what it records and announces, and what
a retention run does with due, newer, held and already erased cases."""

from __future__ import annotations

import json
from collections.abc import Sequence
from datetime import UTC, date, datetime
from uuid import UUID

import pytest

from kmb_intake.adapters.erasure_tables import ErasureRow, RetentionRunRow
from kmb_intake.adapters.tables import CaseRow
from kmb_intake.application.erasure import (
    Erasure,
    ReferralsUnavailable,
    erase_case,
    erase_member,
    report_for,
    run_retention,
)
from kmb_intake.domain.erasure import (
    ErasureIn,
    closed_before,
    erasable_members,
    has_erasure,
    is_due,
    retention_due_on,
)
from kmb_shared.contracts import Actor, IntegrationEvent, PersonalDataErased
from kmb_shared.errors import ConflictError, NotFoundError

ADMIN = Actor(user_id="admin-1", organisation="up-praha")
NOW = datetime(2026, 12, 4, 9, 0, tzinfo=UTC)


class FakeStore:
    def __init__(self, *cases: CaseRow) -> None:
        self.cases = {case.id: case for case in cases}
        self.rows: list[ErasureRow | RetentionRunRow | CaseRow] = []
        self.staged: list[IntegrationEvent] = []
        self.erased: list[UUID] = []

    async def case(self, case_id: UUID) -> CaseRow | None:
        return self.cases.get(case_id)

    async def erase_case_data(self, case: CaseRow, household: str) -> None:
        self.erased.append(case.id)
        case.household = household

    async def erase_member_data(self, case: CaseRow, position: int, household: str) -> None:
        self.erased.append(case.id)
        case.household = household

    def add(self, row: ErasureRow | RetentionRunRow | CaseRow) -> None:
        self.rows.append(row)

    async def flush(self) -> None:
        return None

    def stage(self, event: IntegrationEvent) -> str:
        self.staged.append(event)
        return f"e-{len(self.staged)}"

    async def due_cases(self, closed_before: date) -> Sequence[CaseRow]:
        return [c for c in self.cases.values() if c.status == "closed" and c.erased_at is None
                and c.closed_on is not None and c.closed_on < closed_before]  # fmt: skip


class FakeReferrals:
    def __init__(self, open_counts: dict[UUID, int | None] | None = None) -> None:
        self.open_counts = open_counts or {}

    async def count(self, case_id: UUID, organisation: str) -> int | None:
        return self.open_counts.get(case_id, 0)


def case(number: int, status: str = "closed", closed_on: date | None = date(2014, 6, 2)) -> CaseRow:
    return CaseRow(number=f"KMB-2014-{number:05d}", status=status, household='{"members": [{"last_name": "X"}]}',
                   worker_id="w-1", organisation="up-praha", closed_on=closed_on)  # fmt: skip


@pytest.mark.parametrize(
    ("closed_on", "years", "due_on"),
    [(date(2014, 6, 2), 10, date(2025, 1, 1)), (date(2015, 12, 31), 10, date(2026, 1, 1)),
     (date(2016, 1, 1), 10, date(2027, 1, 1)), (date(2020, 3, 3), 5, date(2026, 1, 1))],
)  # fmt: skip
def test_the_period_runs_from_1_january_after_the_year_of_closing(
    closed_on: date, years: int, due_on: date
) -> None:
    assert retention_due_on(closed_on, years) == due_on
    assert is_due("closed", closed_on, due_on, years)
    assert not is_due("closed", closed_on, date(due_on.year - 1, 12, 31), years)
    assert (closed_on < closed_before(due_on, years)) is True


def test_an_open_case_or_one_without_a_closing_day_is_never_due() -> None:
    assert not is_due("open", date(2000, 1, 1), date(2026, 1, 1), 10)
    assert not is_due("closed", None, date(2026, 1, 1), 10)


def test_an_administrator_gives_a_code_other_than_retention_and_a_recorded_reason() -> None:
    assert ErasureIn.model_validate({"reason": "consent_withdrawn", "note": "Odvolán 3. 12."}).note
    for bad in ({"reason": "retention", "note": "abc"}, {"reason": "consent_withdrawn", "note": " "}):
        with pytest.raises(ValueError):
            ErasureIn.model_validate(bad)


async def test_an_erasure_records_its_reason_and_announces_only_the_code() -> None:
    target = case(1)
    store = FakeStore(target)
    what = Erasure(actor=ADMIN, now=NOW, reason="consent_withdrawn", note="Odvolán dopisem, č. j. 7/2026")

    row = await erase_case(store, FakeReferrals(), target.id, what)

    (event,) = store.staged
    assert isinstance(event, PersonalDataErased)
    assert (event.case_id, event.reason, event.erased_at, event.member_position) == (
        target.id, "consent_withdrawn", NOW, None)  # fmt: skip
    assert "č. j." not in event.model_dump_json()
    assert (row.note, row.erased_by, row.event_id, row.organisation) == (
        what.note,
        "admin-1",
        "e-1",
        "up-praha",
    )
    assert target.erased_at == NOW and store.erased == [target.id]
    assert json.loads(target.household) == {
        "members": [], "erased": {"at": NOW.isoformat(), "on": "2026-12-04", "reason": "consent_withdrawn"}}  # fmt: skip


@pytest.mark.parametrize(
    ("status", "open_count", "refusal"),
    [("open", 0, "case_open"), ("closed", 1, "open_referrals")],
)
async def test_what_is_refused_erases_and_stages_nothing(status: str, open_count: int, refusal: str) -> None:
    target = case(1, status=status)
    store = FakeStore(target)
    with pytest.raises(ConflictError) as refused:
        await erase_case(
            store, FakeReferrals({target.id: open_count}), target.id, Erasure(ADMIN, NOW, "other")
        )
    assert refused.value.code == refusal
    assert (store.staged, store.erased, store.rows) == ([], [], [])


async def test_referrals_not_answering_or_another_organisation_erase_nothing() -> None:
    target = case(1)
    store = FakeStore(target)
    with pytest.raises(ReferralsUnavailable):
        await erase_case(store, FakeReferrals({target.id: None}), target.id, Erasure(ADMIN, NOW, "other"))
    with pytest.raises(NotFoundError):
        other = Actor(user_id="admin-2", organisation="up-brno")
        await erase_case(store, FakeReferrals(), target.id, Erasure(other, NOW, "other"))
    assert store.erased == []


async def test_a_run_erases_the_due_holds_those_with_open_referrals_and_leaves_the_newer() -> None:
    due, held, newer, still_open = case(1), case(2, closed_on=date(2015, 12, 31)), case(3, closed_on=date(2016, 1, 4)), case(4, "open")  # fmt: skip
    store = FakeStore(due, held, newer, still_open)

    run = await run_retention(store, FakeReferrals({held.id: 2}), now=NOW, years=10)

    assert (run.closed_before, run.erased, run.held, run.dry_run, run.by) == (
        date(2016, 1, 1),
        1,
        1,
        False,
        "retention",
    )
    assert [(c["number"], c["outcome"], c.get("why")) for c in json.loads(run.cases)] == [
        (due.number, "erased", None), (held.number, "held", "open_referrals")]  # fmt: skip
    assert store.erased == [due.id]
    assert [(e.reason, e.actor.user_id) for e in store.staged] == [("retention", "retention")]
    (erasure,) = [r for r in store.rows if isinstance(r, ErasureRow)]
    assert (erasure.reason, erasure.run_id) == ("retention", run.id)
    assert report_for(run, "up-praha")[1:] == (1, 1)
    assert report_for(run, "up-brno") == ([], 0, 0)  # another organisation's administrator sees none


async def test_a_dry_run_lists_what_it_would_erase_and_erases_nothing() -> None:
    due = case(1)
    store = FakeStore(due)
    run = await run_retention(store, FakeReferrals(), now=NOW, years=10, dry_run=True, by="admin-1")
    assert [(c["number"], c["outcome"]) for c in json.loads(run.cases)] == [(due.number, "would_erase")]
    assert (run.erased, run.by, store.erased, store.staged) == (1, "admin-1", [], [])


HOUSEHOLD = {"members": [{"first_name": "Jana", "relationship": "applicant"},
                         {"first_name": "Petr", "last_name": "X", "relationship": "child", "birth_number": "1"}]}  # fmt: skip


async def test_a_member_is_erased_alone_and_keeps_only_the_relationship() -> None:
    target = case(1)
    target.household = json.dumps(HOUSEHOLD)
    store = FakeStore(target)
    assert erasable_members(target.household) == [("1", "2. člen domácnosti (dítě)")]

    row = await erase_member(
        store, FakeReferrals(), target.id, 1, Erasure(ADMIN, NOW, "consent_withdrawn", "x")
    )

    members = json.loads(target.household)["members"]
    assert members[0] == HOUSEHOLD["members"][0]
    assert members[1] == {"relationship": "child", "erased": {"at": NOW.isoformat(), "on": "2026-12-04",
                                                             "reason": "consent_withdrawn"}}  # fmt: skip
    (event,) = store.staged
    assert isinstance(event, PersonalDataErased)
    assert (event.member_position, row.member_position, target.erased_at) == (1, 1, None)
    assert has_erasure(target.household) and not has_erasure(json.dumps(HOUSEHOLD))
    assert erasable_members(target.household) == []


@pytest.mark.parametrize(("position", "refusal"), [(0, ConflictError), (2, NotFoundError)])
async def test_the_applicant_or_a_member_not_there_is_not_erased_alone(position: int, refusal: type) -> None:
    target = case(1)
    target.household = json.dumps(HOUSEHOLD)
    store = FakeStore(target)
    with pytest.raises(refusal):
        await erase_member(store, FakeReferrals(), target.id, position, Erasure(ADMIN, NOW, "other", "x"))
    assert (store.staged, store.erased) == ([], [])
