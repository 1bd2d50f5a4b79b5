"""In-memory ports of intake's application: a case store of rows in dictionaries that numbers cases
per year, refuses a change of a case someone changed meanwhile, searches its cases as the database
does and collects the events it stages; and its transactions, as the behavioural suite opens them."""

from __future__ import annotations

from collections.abc import AsyncIterator, Sequence
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from typing import Any
from uuid import UUID

from kmb_intake.adapters.cases import CaseFilter
from kmb_intake.adapters.search import search_key, search_tokens
from kmb_intake.adapters.tables import CaseHistoryRow, CaseRow, ContactRow
from kmb_intake.domain import MemberIn, format_case_number
from kmb_shared.contracts import IntegrationEvent


@dataclass
class FakeCaseStore:
    cases: dict[UUID, CaseRow] = field(default_factory=dict)
    contacts: dict[UUID, ContactRow] = field(default_factory=dict)
    history: list[CaseHistoryRow] = field(default_factory=list)
    #: case id -> the members' (first name, last name, date of birth) in the search index
    members: dict[UUID, list[tuple[str, str, Any]]] = field(default_factory=dict)
    counters: dict[int, int] = field(default_factory=dict)
    staged: list[IntegrationEvent] = field(default_factory=list)

    async def case(self, case_id: UUID) -> CaseRow | None:
        return self.cases.get(case_id)

    async def contact(self, contact_id: UUID) -> ContactRow | None:
        return self.contacts.get(contact_id)

    async def next_case_number(self, year: int) -> str:
        self.counters[year] = self.counters.get(year, 0) + 1
        return format_case_number(year, self.counters[year])

    def add(self, row: CaseRow | CaseHistoryRow | ContactRow) -> None:
        if isinstance(row, CaseRow):
            self.cases[row.id] = row
        elif isinstance(row, ContactRow):
            self.contacts[row.id] = row
        else:
            self.history.append(row)

    async def flush(self) -> None:
        return None

    async def update_case(self, case: CaseRow, values: dict[str, Any]) -> bool:
        stored = self.cases.get(case.id)
        if stored is None or stored.version != case.version:
            return False
        for name, value in {**values, "version": case.version + 1}.items():
            setattr(stored, name, value)
        return True

    async def index_members(
        self, case_id: UUID, members: Sequence[MemberIn], *, replace: bool = False
    ) -> None:
        rows = [(m.first_name, m.last_name, m.date_of_birth) for m in members]
        self.members[case_id] = rows if replace else self.members.get(case_id, []) + rows

    def stage(self, event: IntegrationEvent) -> str:
        self.staged.append(event)
        return str(len(self.staged))

    async def search(self, criteria: CaseFilter, *, limit: int, offset: int = 0) -> list[CaseRow]:
        """What ``adapters.cases.search_cases`` finds: every criterion given holds (the number a part
        of the case's, the district's key the same, every word of the name a part of one member's first
        or last name and that member's birth date the one asked), the most recently opened first."""
        found = [case for case in self.cases.values() if self._matches(case, criteria)]
        found.sort(key=lambda case: (case.opened_at, case.number), reverse=True)
        return found[offset : offset + limit]

    def _matches(self, case: CaseRow, criteria: CaseFilter) -> bool:
        number = (criteria.number or "").strip().upper()
        district = search_key(criteria.district or "")
        tokens = search_tokens(criteria.name or "")

        def member_matches(first: str, last: str, born: Any) -> bool:
            keys = (search_key(first), search_key(last))
            named = all(any(token in key for key in keys) for token in tokens)
            return named and criteria.birth_date in (None, born)

        wanted = {
            "status": criteria.status,
            "worker_id": criteria.worker_id,
            "organisation": criteria.organisation,
        }
        return (
            number in case.number
            and (not district or case.district_key == district)
            and all(value in (None, getattr(case, name)) for name, value in wanted.items())
            and (
                (not tokens and criteria.birth_date is None)
                or any(member_matches(*member) for member in self.members.get(case.id, []))
            )
        )


@dataclass
class FakeCaseTransactions:
    """Opens the one :class:`FakeCaseStore` as a transaction (``async with open() as store``): the
    events it staged are ``committed`` when the block ends, dropped when it raises. (The rows change
    at once: a refused command changes none.)"""

    store: FakeCaseStore = field(default_factory=FakeCaseStore)
    committed: list[IntegrationEvent] = field(default_factory=list)

    @asynccontextmanager
    async def __call__(self) -> AsyncIterator[FakeCaseStore]:
        try:
            yield self.store
        except BaseException:
            self.store.staged.clear()
            raise
        self.committed += self.store.staged
        self.store.staged.clear()
