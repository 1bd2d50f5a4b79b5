"""Intake's case and contact commands as one behavioural suite on three backends: the in-memory case
store (fast tier), and the SQL case store on SQLite and on PostgreSQL whose outbox is relayed to the
real Kafka broker (broker tier). Each block is one transaction, committed as a route commits it; the
events asserted are the ones the fake committed or the ones that arrived on the broker.

Expected values by hand, from the rules: cases are numbered ``KMB-<year>-<5 digits>`` one after the
other per year (the year in Prague); 15 June 2026 at 10:00 UTC is noon of that day in Prague, when the
applicant born 15 March 1985 is 41 (band 26-64) and a child born 10 January 2020 is 6 (band 6-14);
every change bumps the case's version by one and is refused on an older version; a case closes once
(on today's date) and reopens once per closing; a case or contact of another organisation is not
found. Events carry the de-identified snapshot: no name or date of birth, no contact's note. A search
finds the cases meeting every criterion given: the number by a part of it, the district by its whole
name, each word of a name in the first or last name of one and the same member (case and diacritics
ignored), that member's birth date; the latest opened first, then the higher number."""

from __future__ import annotations

from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import AbstractAsyncContextManager, asynccontextmanager
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any, cast
from uuid import UUID

import pytest

from kmb_intake.adapters.store import SqlCaseStore
from kmb_intake.adapters.tables import CaseRow
from kmb_intake.application import cases as commands
from kmb_intake.application.ports import CaseStore
from kmb_intake.application.queries import CaseFilter, search_cases
from kmb_intake.config import MIGRATIONS
from kmb_intake.domain import CaseIn, CloseCaseIn, ContactIn, HouseholdChangeIn
from kmb_shared.contracts import Actor, IntegrationEvent
from kmb_shared.errors import ConflictError, NotFoundError
from kmb_testkit.backends import RelayedOutbox, transactions, type_names

from .fakes import FakeCaseStore, FakeCaseTransactions

WORKER = Actor(user_id="w-17", organisation="up-praha")
STRANGER = Actor(user_id="w-9", organisation="up-brno")
#: 15 June 2026, 10:00 UTC (noon in Prague)
NOON = datetime(2026, 6, 15, 10, 0, tzinfo=UTC)
Data = Callable[..., dict[str, Any]]


@dataclass
class Backend:
    open: Callable[[], AbstractAsyncContextManager[CaseStore]]
    events: Callable[[], Awaitable[list[IntegrationEvent]]]

    async def case(self, case_id: UUID) -> CaseRow:
        async with self.open() as store:
            case = await store.case(case_id)
            assert case is not None
            return case

    async def open_case(self, case_data: Data, actor: Actor = WORKER, **data: Any) -> CaseRow:
        async with self.open() as store:
            return await commands.open_case(store, case_in(case_data(**data)), ctx(actor))

    async def search(self, **criteria: Any) -> list[str]:
        """The numbers of the cases a search of the worker's organisation lists, in its order."""
        found = CaseFilter(organisation=WORKER.organisation, **criteria)
        async with self.open() as store:
            if isinstance(store, SqlCaseStore):
                rows = await search_cases(store.session, found, limit=20)
            else:
                rows = await cast(FakeCaseStore, store).search(found, limit=20)
        return [row.number for row in rows]


def sql_transactions(relayed: RelayedOutbox) -> Callable[[], AbstractAsyncContextManager[CaseStore]]:
    @asynccontextmanager
    async def transaction() -> AsyncIterator[CaseStore]:
        async with relayed.db.session() as session:
            yield SqlCaseStore(session, relayed.outbox)
            await session.commit()

    return transaction


@pytest.fixture
async def backend(backend_parts: tuple[str, str, str] | None) -> AsyncIterator[Backend]:
    async with transactions(
        backend_parts, FakeCaseTransactions, "intake", MIGRATIONS, sql_transactions
    ) as opened:
        yield Backend(*opened)


def ctx(actor: Actor = WORKER) -> commands.CommandContext:
    return commands.CommandContext(actor=actor, now=NOON, caused_by="request:t-1")


def case_in(data: dict[str, Any]) -> CaseIn:
    return CaseIn.model_validate(data, context={"today": date(2026, 6, 15)})


def with_child(case_data: Data, member_data: Data, **change: Any) -> HouseholdChangeIn:
    child = member_data(first_name="Bořivoj", relationship="child", date_of_birth="2020-01-10")
    return HouseholdChangeIn.model_validate(
        {**case_data(members=[member_data(), child]), **change}, context={"today": date(2026, 6, 15)}
    )


async def test_opening_cases_numbers_them_in_turn_and_tells_the_snapshot_without_personal_data(
    backend: Backend, case_data: Data
) -> None:
    first = await backend.open_case(case_data)
    second = await backend.open_case(case_data)

    stored = await backend.case(first.id)
    assert (stored.number, stored.status, stored.version, stored.organisation, stored.worker_id) == (
        "KMB-2026-00001",
        "open",
        1,
        "up-praha",
        "w-17",
    )
    assert (await backend.case(second.id)).number == "KMB-2026-00002"
    events = await backend.events()  # two cases, two keys: in either order
    assert type_names(events) == ["CaseOpened", "CaseOpened"]
    [opened] = [event for event in events if event.case_id == first.id]  # type: ignore[attr-defined]
    assert (opened.case_id, opened.case_number, opened.actor, opened.caused_by) == (  # type: ignore[attr-defined]
        first.id,
        "KMB-2026-00001",
        WORKER,
        "request:t-1",
    )
    household = opened.household  # type: ignore[attr-defined]
    assert [(m.age_band, m.relationship) for m in household.members] == [("26-64", "applicant")]
    assert (household.district, household.orp_code) == ("Praha 7", "1000")
    wire = opened.model_dump_json()
    assert "Hronková" not in wire and "Květoslava" not in wire and "1985" not in wire


async def test_a_household_change_tells_the_new_snapshot_and_one_on_an_old_version_is_refused(
    backend: Backend, case_data: Data, member_data: Data
) -> None:
    case = await backend.open_case(case_data)
    change = with_child(case_data, member_data, note="Narodil se syn")

    async with backend.open() as store:
        await commands.change_household(store, case.id, change, ctx(), expected_version=1)
    with pytest.raises(commands.CaseChangedMeanwhile):
        async with backend.open() as store:
            await commands.change_household(store, case.id, change, ctx(), expected_version=1)

    assert (await backend.case(case.id)).version == 2
    events = await backend.events()
    assert type_names(events) == ["CaseOpened", "HouseholdChanged"]
    changed = events[1]
    assert changed.case_number == "KMB-2026-00001"  # type: ignore[attr-defined]
    bands = [(m.age_band, m.relationship) for m in changed.household.members]  # type: ignore[attr-defined]
    assert bands == [("26-64", "applicant"), ("6-14", "child")]
    assert "Bořivoj" not in changed.model_dump_json()


async def test_a_case_closes_once_reopens_and_a_closed_case_keeps_its_household(
    backend: Backend, case_data: Data, member_data: Data
) -> None:
    case = await backend.open_case(case_data)

    async with backend.open() as store:
        await commands.close_case(store, case.id, CloseCaseIn(reason="moved_away"), ctx(), expected_version=1)
    closed = await backend.case(case.id)
    assert (closed.status, closed.close_reason, closed.closed_on, closed.version) == (
        "closed",
        "moved_away",
        date(2026, 6, 15),
        2,
    )
    for refused, command in (
        ("case_already_closed", lambda s: commands.close_case(s, case.id, CloseCaseIn(reason="died"), ctx())),
        (
            "case_already_closed",
            lambda s: commands.change_household(s, case.id, with_child(case_data, member_data), ctx()),
        ),
    ):
        with pytest.raises(ConflictError) as caught:
            async with backend.open() as store:
                await command(store)
        assert caught.value.code == refused
    async with backend.open() as store:
        await commands.reopen_case(store, case.id, ctx())
    with pytest.raises(ConflictError):
        async with backend.open() as store:
            await commands.reopen_case(store, case.id, ctx())

    reopened = await backend.case(case.id)
    assert (reopened.status, reopened.reopen_count, reopened.version) == ("open", 1, 3)
    events = await backend.events()
    assert type_names(events) == ["CaseOpened", "CaseClosed", "CaseReopened"]
    assert events[1].reason == "moved_away"  # type: ignore[attr-defined]


async def test_contacts_are_recorded_with_or_without_a_case_and_their_note_stays_in_intake(
    backend: Backend, case_data: Data, contact_data: Data
) -> None:
    case = await backend.open_case(case_data)
    about_case = ContactIn.model_validate(contact_data(case_id=str(case.id), note="Pan volal kvůli výpovědi"))
    anonymous = ContactIn.model_validate(contact_data(anonymous=True, channel="phone"))

    async with backend.open() as store:
        linked = await commands.record_contact(store, about_case, ctx())
        unnamed = await commands.record_contact(store, anonymous, ctx())

    events = await backend.events()  # the anonymous contact is keyed apart from the case: any order
    assert sorted(type_names(events)) == ["CaseOpened", "ContactRecorded", "ContactRecorded"]
    told = {event.contact_id: event for event in events if type(event).__name__ == "ContactRecorded"}  # type: ignore[attr-defined]
    assert (told[linked.id].case_id, told[linked.id].anonymous) == (case.id, False)  # type: ignore[attr-defined]
    assert (told[unnamed.id].case_id, told[unnamed.id].channel, told[unnamed.id].anonymous) == (  # type: ignore[attr-defined]
        None,
        "phone",
        True,
    )
    assert all("výpověd" not in event.model_dump_json() for event in events)
    async with backend.open() as store:
        kept = await store.contact(linked.id)
    assert kept is not None and kept.note == "Pan volal kvůli výpovědi"


async def test_another_organisations_worker_finds_neither_the_case_nor_its_contact(
    backend: Backend, case_data: Data, contact_data: Data
) -> None:
    case = await backend.open_case(case_data)
    async with backend.open() as store:
        contact = await commands.record_contact(store, ContactIn.model_validate(contact_data()), ctx())
    about_case = ContactIn.model_validate(contact_data(case_id=str(case.id)))
    from_contact = case_in(case_data(contact_id=str(contact.id)))

    for command in (
        lambda s: commands.change_household(
            s, case.id, HouseholdChangeIn.model_validate(case_data()), ctx(STRANGER)
        ),
        lambda s: commands.close_case(s, case.id, CloseCaseIn(reason="moved_away"), ctx(STRANGER)),
        lambda s: commands.record_contact(s, about_case, ctx(STRANGER)),
        lambda s: commands.open_case(s, from_contact, ctx(STRANGER)),
    ):
        with pytest.raises(NotFoundError):
            async with backend.open() as store:
                await command(store)

    stored = await backend.case(case.id)
    assert (stored.status, stored.version) == ("open", 1)
    assert sorted(type_names(await backend.events())) == ["CaseOpened", "ContactRecorded"]


async def test_a_search_finds_the_organisations_cases_meeting_every_criterion_latest_first(
    backend: Backend, case_data: Data, member_data: Data
) -> None:
    hronkova = await backend.open_case(case_data)
    novak = member_data(first_name="Jan", last_name="Novák", date_of_birth="1990-05-20")
    wife = member_data(first_name="Jana", last_name="Nováková", relationship="partner")  # born 15 Mar 1985
    address = {"orp_code": "1000", "district": "Praha 8"}
    await backend.open_case(case_data, members=[novak, wife], address=address)
    await backend.open_case(case_data, STRANGER)  # KMB-2026-00003, another Hronková elsewhere
    async with backend.open() as store:
        await commands.change_household(store, hronkova.id, with_child(case_data, member_data), ctx())
    async with backend.open() as store:
        await commands.close_case(store, hronkova.id, CloseCaseIn(reason="moved_away"), ctx())

    first, second = "KMB-2026-00001", "KMB-2026-00002"
    assert await backend.search() == [second, first]  # opened at the same moment: the higher number first
    for criteria, found in (
        ({"name": "hronkova"}, [first]),
        ({"name": "KVĚT hronk"}, [first]),
        ({"name": "borivoj"}, [first]),  # the child added by the household change
        ({"name": "nova"}, [second]),
        ({"name": "jana novak"}, [second]),
        ({"name": "jan hronkova"}, []),  # no one member has both
        ({"name": "novak", "birth_date": date(1990, 5, 20)}, [second]),
        ({"name": "jana", "birth_date": date(1990, 5, 20)}, []),  # Jan was born that day, not Jana
        ({"birth_date": date(1985, 3, 15)}, [second, first]),  # the applicant, and Jana
        ({"district": "PRAHA 8"}, [second]),
        ({"district": "Praha"}, []),
        ({"number": "2026-00002"}, [second]),
        ({"status": "closed"}, [first]),
        ({"status": "open", "worker_id": "w-17"}, [second]),
    ):
        assert await backend.search(**criteria) == found, criteria
