"""Intake's case and contact commands on the in-memory store: what they store and stage, and that a
refused command stages nothing."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, date, datetime
from typing import Any
from uuid import uuid4

import pytest

from kmb_intake.application import cases as commands
from kmb_intake.domain import CaseIn, CloseCaseIn, ContactIn, HouseholdChangeIn
from kmb_shared.contracts import (
    Actor,
    CaseClosed,
    CaseOpened,
    CaseReopened,
    ContactRecorded,
    HouseholdChanged,
)
from kmb_shared.errors import ConflictError, NotFoundError

from .fakes import FakeCaseStore

WORKER = Actor(user_id="w-17", organisation="up-praha")
#: 15 June 2026, 10:00 UTC (noon in Prague)
NOON = datetime(2026, 6, 15, 10, 0, tzinfo=UTC)


def ctx(at: datetime = NOON, actor: Actor = WORKER) -> commands.CommandContext:
    return commands.CommandContext(actor=actor, now=at, caused_by="request:t-1")


def case_in(case_data: Callable[..., dict[str, Any]], **overrides: Any) -> CaseIn:
    return CaseIn.model_validate(case_data(**overrides), context={"today": date(2026, 6, 15)})


async def test_open_case_numbers_cases_per_year_and_stages_the_snapshot(
    case_data: Callable[..., dict[str, Any]],
) -> None:
    store = FakeCaseStore()
    first = await commands.open_case(store, case_in(case_data), ctx())
    second = await commands.open_case(store, case_in(case_data), ctx())
    assert (first.number, second.number) == ("KMB-2026-00001", "KMB-2026-00002")
    assert first.status == "open" and first.organisation == "up-praha" and first.worker_id == "w-17"
    assert [type(e) for e in store.staged] == [CaseOpened, CaseOpened]
    opened = store.staged[0]
    assert isinstance(opened, CaseOpened)
    assert opened.case_id == first.id and opened.case_number == "KMB-2026-00001"
    assert opened.caused_by == "request:t-1" and opened.actor == WORKER
    assert [h.kind for h in store.history] == ["opened", "opened"]
    assert store.members[first.id] == [("Květoslava", "Hronková", date(1985, 3, 15))]


async def test_the_year_of_the_number_is_the_year_in_prague(case_data: Callable[..., dict[str, Any]]) -> None:
    # 31 December 2026 23:30 UTC is already 1 January 2027, 00:30 in Prague (CET = UTC+1)
    store = FakeCaseStore()
    case = await commands.open_case(
        store, case_in(case_data), ctx(datetime(2026, 12, 31, 23, 30, tzinfo=UTC))
    )
    assert case.number == "KMB-2027-00001"


async def test_a_contact_of_another_organisation_is_not_found_and_nothing_is_staged(
    case_data: Callable[..., dict[str, Any]], contact_data: Callable[..., dict[str, Any]]
) -> None:
    store = FakeCaseStore()
    other = Actor(user_id="w-9", organisation="up-brno")
    contact = await commands.record_contact(store, ContactIn.model_validate(contact_data()), ctx(actor=other))
    store.staged.clear()
    with pytest.raises(NotFoundError):
        await commands.open_case(store, case_in(case_data, contact_id=str(contact.id)), ctx())
    assert store.staged == [] and store.cases == {}


async def test_close_then_reopen_and_the_refusals(case_data: Callable[..., dict[str, Any]]) -> None:
    store = FakeCaseStore()
    case = await commands.open_case(store, case_in(case_data), ctx())
    closed = await commands.close_case(
        store, case.id, CloseCaseIn(reason="moved_away"), ctx(), expected_version=1
    )
    assert (closed.status, closed.close_reason, closed.closed_on, closed.version) == (
        "closed",
        "moved_away",
        date(2026, 6, 15),
        2,
    )
    staged = len(store.staged)
    with pytest.raises(ConflictError):
        await commands.close_case(store, case.id, CloseCaseIn(reason="moved_away"), ctx())
    with pytest.raises(ConflictError) as refused:
        await commands.change_household(store, case.id, HouseholdChangeIn.model_validate(case_data()), ctx())
    assert refused.value.code == "case_already_closed"
    assert len(store.staged) == staged
    reopened = await commands.reopen_case(store, case.id, ctx())
    assert (reopened.status, reopened.reopen_count, reopened.close_note, reopened.version) == (
        "open",
        1,
        None,
        3,
    )
    assert [type(e) for e in store.staged] == [CaseOpened, CaseClosed, CaseReopened]
    with pytest.raises(ConflictError):
        await commands.reopen_case(store, case.id, ctx())


async def test_a_change_based_on_an_old_version_is_refused(case_data: Callable[..., dict[str, Any]]) -> None:
    store = FakeCaseStore()
    case = await commands.open_case(store, case_in(case_data), ctx())
    change = HouseholdChangeIn.model_validate({**case_data(), "note": "Nová adresa"})
    await commands.change_household(store, case.id, change, ctx(), expected_version=1)
    with pytest.raises(commands.CaseChangedMeanwhile):
        await commands.change_household(store, case.id, change, ctx(), expected_version=1)
    assert [type(e) for e in store.staged] == [CaseOpened, HouseholdChanged]
    assert [h.kind for h in store.history] == ["opened", "household_changed"]
    assert store.history[1].note == "Nová adresa"


async def test_a_case_of_another_organisation_is_not_found(case_data: Callable[..., dict[str, Any]]) -> None:
    store = FakeCaseStore()
    case = await commands.open_case(store, case_in(case_data), ctx())
    other = Actor(user_id="w-9", organisation="up-brno")
    with pytest.raises(NotFoundError):
        await commands.close_case(store, case.id, CloseCaseIn(reason="moved_away"), ctx(actor=other))
    with pytest.raises(NotFoundError):
        await commands.load_case(store, case.id, "up-brno")
    assert len(store.staged) == 1


async def test_record_contact_leaves_the_note_out_of_the_event(
    contact_data: Callable[..., dict[str, Any]],
) -> None:
    store = FakeCaseStore()
    body = ContactIn.model_validate(contact_data(note="Paní volala kvůli výpovědi"))
    contact = await commands.record_contact(store, body, ctx())
    event = store.staged[0]
    assert isinstance(event, ContactRecorded)
    assert event.contact_id == contact.id and list(event.topics) == ["loss_of_housing"]
    assert "note" not in event.model_dump() and contact.note == "Paní volala kvůli výpovědi"


async def test_a_contact_linked_to_an_unknown_case_is_refused(
    contact_data: Callable[..., dict[str, Any]],
) -> None:
    store = FakeCaseStore()
    with pytest.raises(NotFoundError):
        await commands.record_contact(
            store, ContactIn.model_validate(contact_data(case_id=str(uuid4()))), ctx()
        )
    assert store.staged == [] and store.contacts == {}
