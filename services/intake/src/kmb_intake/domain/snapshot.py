"""De-identification: the household as other services may see it (no direct identifiers)."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

from kmb_shared.contracts import DwellingSnapshot, HouseholdSnapshot, MemberSnapshot

from .case import CaseDataIn
from .codes import INCOME_SOURCES
from .household import MemberIn

#: (lowest age, band code), ascending; a band runs up to the next band's lowest age
_AGE_BANDS: tuple[tuple[int, str], ...] = (
    (0, "0-5"),
    (6, "6-14"),
    (15, "15-17"),
    (18, "18-25"),
    (26, "26-64"),
    (65, "65+"),
)
#: a child of the household is counted as dependent below this age
DEPENDENT_AGE_LIMIT = 26


def age_in_years(date_of_birth: date, today: date) -> int:
    """Completed years. Someone born on 29 February completes a year on 1 March in other years."""
    if date_of_birth > today:
        raise ValueError("date of birth after the reference date")
    before_birthday = (today.month, today.day) < (date_of_birth.month, date_of_birth.day)
    return today.year - date_of_birth.year - int(before_birthday)


def age_band(date_of_birth: date, today: date) -> str:
    """The age band code (0-5, 6-14, 15-17, 18-25, 26-64, 65+) of a person at ``today``."""
    age = age_in_years(date_of_birth, today)
    return next(code for lowest, code in reversed(_AGE_BANDS) if age >= lowest)


def whole_czk(amount: Decimal) -> int:
    """Round to whole crowns, halves away from zero."""
    return int(amount.quantize(Decimal(1), rounding=ROUND_HALF_UP))


def _member_snapshot(member: MemberIn, today: date) -> MemberSnapshot:
    age = age_in_years(member.date_of_birth, today)
    return MemberSnapshot(
        age_band=age_band(member.date_of_birth, today),
        relationship=member.relationship,
        sex=member.sex,
        dependent=member.relationship == "child" and age < DEPENDENT_AGE_LIMIT,
        flags=member.flags,
    )


def _income_by_source(members: Iterable[MemberIn]) -> dict[str, int]:
    totals: dict[str, Decimal] = {}
    for member in members:
        for income in member.incomes:
            totals[income.source] = totals.get(income.source, Decimal(0)) + income.amount_monthly
    # in code-list order, so equal households give equal snapshots
    return {
        source: whole_czk(totals[source])
        for source in INCOME_SOURCES.codes
        if source in totals and whole_czk(totals[source]) > 0
    }


def to_household_snapshot(case_in: CaseDataIn, today: date) -> HouseholdSnapshot:
    """The de-identified household of a ``CaseIn`` or ``HouseholdChangeIn``: ages as bands at
    ``today``, the address as district and ORP code, money as whole CZK per month. Household-level
    vulnerability flags are passed as entered; member flags stay on the members. The total income
    is the sum of the per-source totals."""
    income_by_source = _income_by_source(case_in.members)
    dwelling = case_in.dwelling
    return HouseholdSnapshot(
        members=tuple(_member_snapshot(member, today) for member in case_in.members),
        district=case_in.address.district,
        orp_code=case_in.address.orp_code,
        dwelling=DwellingSnapshot(
            kind=dwelling.kind,
            legal_title=dwelling.legal_title,
            size_m2=float(dwelling.size_m2) if dwelling.size_m2 is not None else None,
            rooms=dwelling.rooms,
        ),
        income_monthly=sum(income_by_source.values()),
        income_by_source=income_by_source,
        rent_monthly=whole_czk(case_in.costs.rent),
        services_monthly=whole_czk(case_in.costs.services),
        energy_monthly=whole_czk(case_in.costs.energy),
        debts_total=whole_czk(case_in.arrears + case_in.other_debts),
        eviction_date=case_in.eviction_date,
        notice_date=case_in.notice_date,
        vulnerability_flags=case_in.vulnerability_flags,
        consent_partners=case_in.consent.partners if case_in.consent is not None else (),
        legal_basis=case_in.legal_basis,
    )
