"""The household a match is for, and the hard eligibility rules of an entry, explained in Czech."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from typing import TypeVar

from pydantic import BaseModel, ConfigDict, Field

from kmb_shared.contracts import NeedAssessed
from kmb_shared.contracts.vocabulary import (
    ETHOS_CATEGORIES,
    HOUSEHOLD_TYPES,
    NEED_LEVELS,
    VULNERABILITY_FLAGS,
    Vocabulary,
)
from kmb_shared.formatting import format_money_text

from .errors import CatalogueInvalid
from .kinds import KIND_GROUP, HouseholdType, KindGroup, NeedLevel
from .match_config import MatchConfig
from .model import Solution

T = TypeVar("T")


class MatchRequest(BaseModel):
    """What matching needs to know about a household (the shape of ``NeedAssessed``)."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    need_level: NeedLevel
    ethos_category: int | None = Field(default=None, ge=1, le=13)
    household_type: HouseholdType = HouseholdType.OTHER
    household_size: int = Field(default=1, ge=1)
    children: int = Field(default=0, ge=0)
    income_monthly: int = Field(default=0, ge=0)
    income_ceiling: int | None = Field(default=None, ge=0, description="Ceiling of the register, CZK")
    vulnerability_flags: frozenset[str] = frozenset()
    priority_score: int = 0
    m2_per_person: float | None = Field(default=None, ge=0, description="Space in the current home")
    applicant_age: int | None = Field(default=None, ge=0, le=120, description="Not in NeedAssessed")
    needs_barrier_free: bool = Field(default=False, description="Only barrier-free places fit")

    @classmethod
    def from_need_assessed(
        cls, event: NeedAssessed, *, applicant_age: int | None = None, needs_barrier_free: bool = False
    ) -> MatchRequest:
        try:
            level = NeedLevel(event.need_level)
        except ValueError:
            raise CatalogueInvalid(
                f"Neznámá úroveň bytové nouze: {event.need_level!r}",
                f"Unknown need level: {event.need_level!r}",
            ) from None
        try:
            household_type = HouseholdType(event.household_type)
        except ValueError:
            household_type = HouseholdType.OTHER
        return cls(
            need_level=level,
            ethos_category=event.ethos_category,
            household_type=household_type,
            household_size=max(event.household_size, 1),
            children=event.children,
            income_monthly=event.income_monthly,
            income_ceiling=event.income_ceiling,
            vulnerability_flags=frozenset(event.vulnerability_flags),
            priority_score=event.priority_score,
            m2_per_person=event.m2_per_person,
            applicant_age=applicant_age,
            needs_barrier_free=needs_barrier_free,
        )


@dataclass
class EligibilityCheck:
    """``blockers`` rule an entry out; ``reasons`` explain a fit; ``checks`` ask the worker to verify;
    ``warnings`` speak against an entry that still fits (an unaffordable rent)."""

    blockers: list[str] = field(default_factory=list)
    reasons: list[str] = field(default_factory=list)
    checks: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)


def rent_share(request: MatchRequest, solution: Solution) -> float | None:
    """The entry's rent as a share of the household's income; None when either is unknown."""
    if solution.rent_monthly is None or request.income_monthly <= 0:
        return None
    return solution.rent_monthly / request.income_monthly


def is_unaffordable(request: MatchRequest, solution: Solution, config: MatchConfig) -> bool:
    """The rent would take more than ``config.excessive_rent_share`` of the household's income."""
    share = rent_share(request, solution)
    return share is not None and share > config.excessive_rent_share


def _labels(values: Iterable[object], vocabulary: Vocabulary) -> str:
    """Czech labels of ``values``, in alphabetical order."""
    return ", ".join(sorted(vocabulary.label(v) for v in values))


def _age_range(lo: int | None, hi: int | None) -> str:
    if lo is not None and hi is not None:
        return f"{lo}–{hi} let"
    return f"od {lo} let" if lo is not None else f"do {hi} let"


Check = Callable[[MatchRequest, Solution, MatchConfig, EligibilityCheck], None]


def _relevance(request: MatchRequest, solution: Solution, config: MatchConfig, out: EligibilityCheck) -> None:
    if config.relevance_of(request.need_level, solution.kind) <= 0:
        out.blockers.append(f"Neodpovídá situaci „{NEED_LEVELS.label(request.need_level)}“.")


def _need_levels(request: MatchRequest, solution: Solution, _: MatchConfig, out: EligibilityCheck) -> None:
    rules = solution.eligibility
    if rules.need_levels and request.need_level not in rules.need_levels:
        out.blockers.append(f"Určeno jen pro situace: {_labels(rules.need_levels, NEED_LEVELS)}.")


def _ethos(request: MatchRequest, solution: Solution, _: MatchConfig, out: EligibilityCheck) -> None:
    rules = solution.eligibility
    if not rules.ethos_categories:
        return
    listed = ", ".join(str(c) for c in sorted(rules.ethos_categories))
    if request.ethos_category is None:
        out.checks.append(f"Ověřte situaci: určeno pro kategorie ETHOS {listed}.")
    elif request.ethos_category in rules.ethos_categories:
        c = request.ethos_category
        out.reasons.append(f"Určeno pro kategorii ETHOS {c} ({ETHOS_CATEGORIES.label(c)}).")
    else:
        out.blockers.append(f"Určeno jen pro kategorie ETHOS {listed}.")


def _household_type(request: MatchRequest, solution: Solution, _: MatchConfig, out: EligibilityCheck) -> None:
    rules = solution.eligibility
    if not rules.household_types:
        return
    names = _labels(rules.household_types, HOUSEHOLD_TYPES)
    if request.household_type in rules.household_types:
        out.reasons.append(f"Určeno pro domácnosti: {names}.")
    else:
        out.blockers.append(f"Určeno jen pro domácnosti: {names}.")


def _household_size(request: MatchRequest, solution: Solution, _: MatchConfig, out: EligibilityCheck) -> None:
    rules, size = solution.eligibility, request.household_size
    if rules.max_household_size is not None and size > rules.max_household_size:
        out.blockers.append(f"Pro nejvýše {rules.max_household_size} osoby, domácnost má {size}.")
    if rules.min_household_size is not None and size < rules.min_household_size:
        out.blockers.append(f"Pro domácnosti od {rules.min_household_size} osob, domácnost má {size}.")


def _floor_area(
    request: MatchRequest, solution: Solution, config: MatchConfig, out: EligibilityCheck
) -> None:
    if solution.size_m2 is None or KIND_GROUP[solution.kind] is not KindGroup.HOUSING:
        return
    size = request.household_size
    per_person = solution.size_m2 / size
    if per_person < config.min_m2_per_person:
        out.blockers.append(
            f"Byt {_num(solution.size_m2)} m² je pro {size} os. malý ({_num(per_person)} m² na osobu, "
            f"nejméně {_num(config.min_m2_per_person)} m²)."
        )
    elif request.m2_per_person is not None and per_person > request.m2_per_person:
        out.reasons.append(
            f"Víc prostoru: {_num(per_person)} m² na osobu místo nynějších {_num(request.m2_per_person)} m²."
        )


def _rent(request: MatchRequest, solution: Solution, config: MatchConfig, out: EligibilityCheck) -> None:
    share = rent_share(request, solution)
    if share is not None and is_unaffordable(request, solution, config):
        out.warnings.append(
            f"Nájem by tvořil {round(100 * share)} % příjmu domácnosti "
            f"(nad {round(100 * config.excessive_rent_share)} % je to neúnosné)."
        )


def _children(request: MatchRequest, solution: Solution, _: MatchConfig, out: EligibilityCheck) -> None:
    if not solution.eligibility.children_allowed and request.children > 0:
        out.blockers.append("Nepřijímá domácnosti s dětmi.")


def _income_ceiling(request: MatchRequest, solution: Solution, _: MatchConfig, out: EligibilityCheck) -> None:
    ceiling, income = solution.eligibility.income_ceiling, request.income_monthly
    if ceiling is None:
        return
    if income > ceiling:
        out.blockers.append(
            f"Příjem {format_money_text(income)} překračuje limit {format_money_text(ceiling)}."
        )
    else:
        out.reasons.append(f"Příjem {format_money_text(income)} je v limitu {format_money_text(ceiling)}.")


def _register_ceiling(
    request: MatchRequest, solution: Solution, _: MatchConfig, out: EligibilityCheck
) -> None:
    if not solution.eligibility.within_register_ceiling:
        return
    income = request.income_monthly
    if request.income_ceiling is None:
        out.checks.append("Ověřte příjem: musí být pod stropem pro evidenci potřebných.")
    elif income > request.income_ceiling:
        out.blockers.append(
            f"Příjem {format_money_text(income)} překračuje strop pro evidenci {format_money_text(request.income_ceiling)}."
        )
    else:
        out.reasons.append("Příjem je pod stropem pro evidenci potřebných.")


def _flags(request: MatchRequest, solution: Solution, _: MatchConfig, out: EligibilityCheck) -> None:
    rules = solution.eligibility
    missing = rules.required_flags - request.vulnerability_flags
    if missing:
        out.blockers.append(f"Vyžaduje: {_labels(missing, VULNERABILITY_FLAGS)}.")
    elif rules.required_flags:
        out.reasons.append(f"Určeno pro: {_labels(rules.required_flags, VULNERABILITY_FLAGS)}.")
    present = rules.excluded_flags & request.vulnerability_flags
    if present:
        out.blockers.append(f"Není určeno pro: {_labels(present, VULNERABILITY_FLAGS)}.")


def _age(request: MatchRequest, solution: Solution, _: MatchConfig, out: EligibilityCheck) -> None:
    lo, hi = solution.eligibility.min_age, solution.eligibility.max_age
    if lo is None and hi is None:
        return
    limit = _age_range(lo, hi)
    age = request.applicant_age
    if age is None:
        out.checks.append(f"Ověřte věk: věkový limit {limit}.")
    elif (lo is not None and age < lo) or (hi is not None and age > hi):
        out.blockers.append(f"Věkový limit {limit}.")


def _barrier_free(request: MatchRequest, solution: Solution, _: MatchConfig, out: EligibilityCheck) -> None:
    if not request.needs_barrier_free:
        return
    if solution.wheelchair_accessible is False:
        out.blockers.append("Není bezbariérové.")
    elif solution.wheelchair_accessible is None:
        out.checks.append("Ověřte bezbariérovost.")
    else:
        out.reasons.append("Bezbariérové.")


#: every hard rule, in the order their reasons and blockers are listed
CHECKS: tuple[Check, ...] = (
    _relevance,
    _need_levels,
    _ethos,
    _household_type,
    _household_size,
    _floor_area,
    _rent,
    _children,
    _income_ceiling,
    _register_ceiling,
    _flags,
    _age,
    _barrier_free,
)


def check_eligibility(request: MatchRequest, solution: Solution, config: MatchConfig) -> EligibilityCheck:
    """Every hard rule of ``solution`` applied to ``request`` (capacity and validity aside)."""
    out = EligibilityCheck()
    for check in CHECKS:
        check(request, solution, config, out)
    return out


def _num(value: float) -> str:
    """A number the Czech way, one decimal rounded half up: 7.5 -> '7,5', 11.25 -> '11,3', 30.0 -> '30'."""
    rounded = Decimal(str(value)).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)
    return f"{rounded}".rstrip("0").rstrip(".").replace(".", ",")
