"""De-identification: the household as other services may see it (no direct identifiers)."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

from kmb_shared.contracts import DwellingSnapshot, HouseholdSnapshot, MemberSnapshot

from .ages import DEPENDENT_CHILD_BANDS, age_band, age_in_years
from .case import CaseDataIn
from .codes import INCOME_SOURCES
from .household import MemberIn

#: a child of the household is counted as dependent below this age
DEPENDENT_AGE_LIMIT = 26
#: the API's dependent-child code -> ``MemberSnapshot.dependent_child``
_DEPENDENT_CHILD: dict[str, bool | None] = {"yes": True, "no": False, "unknown": None}


def whole_czk(amount: Decimal) -> int:
    """Round to whole crowns, halves away from zero."""
    return int(amount.quantize(Decimal(1), rounding=ROUND_HALF_UP))


def _member_snapshot(member: MemberIn, today: date) -> MemberSnapshot:
    age = age_in_years(member.date_of_birth, today)
    band = age_band(member.date_of_birth, today)
    return MemberSnapshot(
        age_band=band,
        relationship=member.relationship,
        sex=member.sex,
        dependent=member.relationship == "child" and age < DEPENDENT_AGE_LIMIT,
        flags=member.flags,
        # studies (or cannot for illness) / does not / not established; outside 15-25 not asked
        dependent_child=_DEPENDENT_CHILD[member.dependent_child] if band in DEPENDENT_CHILD_BANDS else None,
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
