"""Test builders: a household situation written as plain data, turned into the domain's inputs."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta

from kmb_assessment.domain import SurveyFindings
from kmb_shared.contracts import DwellingSnapshot, HouseholdSnapshot, MemberSnapshot

#: Assessment day under rule set 2026.1 (act 175/2025 Sb., coefficient 1.43).
ACT_DAY = date(2026, 3, 2)
#: Assessment day under rule set 2026.3 (from 1 July 2026: amounts of act 110/2006 Sb. of that day,
#: coefficient 1.6; it supersedes 2026.2, which had the old amounts with 1.6).
DECREE_DAY = date(2026, 9, 1)


def member(spec: str) -> MemberSnapshot:
    """'26-64 applicant', '18-25 child dependent', '26-64 applicant flag=disability';
    'studies' / 'works' set dependent_child True / False (not established without either)."""
    band, relationship, *rest = spec.split()
    flags = tuple(word.removeprefix("flag=") for word in rest if word.startswith("flag="))
    dependent_child = True if "studies" in rest else False if "works" in rest else None
    return MemberSnapshot(
        age_band=band,
        relationship=relationship,
        dependent="dependent" in rest,
        flags=flags,
        dependent_child=dependent_child,
    )


@dataclass(frozen=True)
class Situation:
    members: tuple[str, ...]
    kind: str | None = None
    title: str | None = None
    size_m2: float | None = None
    income: int = 0
    rent: int = 0
    services: int = 0
    energy: int = 0
    debts: int = 0
    eviction_in_days: int | None = None
    notice_days_ago: int | None = None
    flags: tuple[str, ...] = ()
    on: date = ACT_DAY
    # survey (§16) findings
    survey_kind: str | None = None
    housing_ends_in_days: int | None = None
    unfit: bool = False
    can_pay_unexpected_expense: bool | None = None
    extra_flags: tuple[str, ...] = field(default=())

    def household(self) -> HouseholdSnapshot:
        dwelling = None
        if self.kind is not None:
            dwelling = DwellingSnapshot(
                kind=self.kind, legal_title=self.title or "none", size_m2=self.size_m2
            )
        return HouseholdSnapshot(
            members=tuple(member(spec) for spec in self.members),
            district="Praha 7",
            orp_code="1100",
            dwelling=dwelling,
            income_monthly=self.income,
            rent_monthly=self.rent,
            services_monthly=self.services,
            energy_monthly=self.energy,
            debts_total=self.debts,
            eviction_date=self._days(self.eviction_in_days),
            notice_date=self._days(None if self.notice_days_ago is None else -self.notice_days_ago),
            vulnerability_flags=self.flags,
        )

    def survey(self) -> SurveyFindings:
        return SurveyFindings(
            assessed_on=self.on,
            dwelling_kind=self.survey_kind,
            housing_ends_on=self._days(self.housing_ends_in_days),
            unfit_for_habitation=self.unfit,
            can_pay_unexpected_expense=self.can_pay_unexpected_expense,
            extra_flags=self.extra_flags,
        )

    def _days(self, days: int | None) -> date | None:
        return None if days is None else self.on + timedelta(days=days)


@dataclass(frozen=True)
class Expected:
    """Values worked out by hand from the rule set (see the comment beside each row)."""

    ethos: int | None
    light: str | None
    level: str
    household_type: str
    children: int
    subsistence_minimum: int
    ceiling: int
    ratio: float
    burden: float | None
    energy: float | None
    m2: float | None
    flags: tuple[str, ...]
    qualifies: bool
    score: int
    steps: tuple[str, ...]


def check(result: object, expected: Expected) -> None:
    """Compare an Assessment with the hand-worked values, field by field."""
    from kmb_assessment.domain import Assessment

    assert isinstance(result, Assessment)
    actual = Expected(
        ethos=result.ethos_category,
        light=None if result.ethos_light is None else result.ethos_light.value,
        level=result.need_level.value,
        household_type=result.household_type.value,
        children=result.children,
        subsistence_minimum=result.subsistence_minimum,
        ceiling=result.income_ceiling or 0,
        ratio=result.income_ratio or 0.0,
        burden=result.housing_cost_burden_pct,
        energy=result.energy_share_pct,
        m2=result.m2_per_person,
        flags=result.vulnerability_flags,
        qualifies=result.qualifies_for_register,
        score=result.priority_score,
        steps=tuple(step.code for step in result.next_steps),
    )
    assert actual == expected
    assert result.priority_score == sum(item.points for item in result.priority_contributions)
