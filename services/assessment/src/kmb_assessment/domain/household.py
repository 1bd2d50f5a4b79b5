"""Who lives in the household: dependent children, subsistence minimum, household type.

Reading of zákon č. 110/2006 Sb. used here (document it when it changes). The rule set's
``subsistence_minimum.categories`` says which person categories apply:

``further_adult`` (until 30 June 2026):
- a minor (age bands 0-5, 6-14, 15-17) is always a dependent child (nezaopatřené dítě);
- a member aged 18-25 is one when ``dependent_child`` says so, or, when that is not established,
  when intake flags the member ``dependent`` (the reading these assessments were made with);
- the first member who is not a dependent child gets the first-adult amount, every further such
  member the further-adult amount.

``further_person_15_plus`` (from 1 July 2026):
- a member aged 0-5 or 6-14 is always a dependent child;
- a member aged 15-17, or aged 18-25 and recorded as a child of the household (``dependent``), is a
  dependent child only when ``dependent_child`` is True (studies, or cannot for illness); False
  makes them a further person 15+; None is a missing fact that the survey must establish -
  the assessment refuses to guess it (see ``missing_dependent_child_facts``);
- a member aged 18-25 not recorded as a child of the household is a further person 15+ unless
  ``dependent_child`` says True (the fact is not asked for them);
- the first member who is not a dependent child gets the first-person amount, every further
  such member the further-person-15+ amount.

In both periods: a household of one person gets the single-person amount, whatever the age; from
26 no one is a dependent child; a member with an unknown age band counts as an adult.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from kmb_shared.contracts import MemberSnapshot

from .rules import SubsistenceMinimum, SubsistenceMinimumFurtherPerson15
from .vocabulary import (
    MINOR_BANDS,
    PARTNER_RELATIONSHIPS,
    SENIOR_BAND,
    YOUNG_ADULT_BAND,
    HouseholdType,
)

_ALWAYS_CHILD_BANDS = ("0-5", "6-14")
_FIFTEEN_TO_SEVENTEEN = "15-17"


@dataclass(frozen=True, slots=True)
class MissingFact:
    """A fact the assessment needs and must not guess; the survey asks it before submission."""

    code: str
    member_index: int
    field: str
    question_cs: str
    question_en: str


class MissingFactsError(ValueError):
    """The assessment cannot be finalised: facts listed in ``missing`` must be established first."""

    def __init__(self, missing: Sequence[MissingFact]) -> None:
        self.missing = tuple(missing)
        listed = "; ".join(fact.question_cs for fact in self.missing)
        super().__init__(f"Chybí údaje potřebné k posouzení (missing facts): {listed}")


def _new_categories(amounts: SubsistenceMinimum) -> bool:
    return isinstance(amounts, SubsistenceMinimumFurtherPerson15)


def needs_dependent_child_fact(member: MemberSnapshot, amounts: SubsistenceMinimum) -> bool:
    """Whether the member's dependent-child status decides their category under ``amounts``."""
    if not _new_categories(amounts):
        return False
    if member.age_band == _FIFTEEN_TO_SEVENTEEN:
        return True
    return member.age_band == YOUNG_ADULT_BAND and member.dependent


def missing_dependent_child_facts(
    members: Sequence[MemberSnapshot], amounts: SubsistenceMinimum
) -> tuple[MissingFact, ...]:
    """Members 15-25 whose dependent-child status is needed (household of 2+) and not established."""
    if len(members) < 2:
        return ()
    return tuple(
        MissingFact(
            code="dependent_child",
            member_index=index,
            field=f"members.{index}.dependent_child",
            question_cs=(
                f"Člen domácnosti č. {index + 1} (věk {member.age_band.replace('-', '–')} let): studuje,"
                " nebo se pro nemoc nemůže soustavně připravovat na povolání? (nezaopatřené dítě)"
            ),
            question_en=(
                f"Household member no. {index + 1} (aged {member.age_band}): studying, or unable to"
                " study for illness? (dependent child)"
            ),
        )
        for index, member in enumerate(members)
        if member.dependent_child is None and needs_dependent_child_fact(member, amounts)
    )


def is_dependent_child(member: MemberSnapshot, amounts: SubsistenceMinimum | None = None) -> bool:
    """Dependent child under the categories of ``amounts`` (default: those until 30 June 2026).

    Under the July 2026 categories an unestablished fact counts as not dependent here; callers
    that decide must first check ``missing_dependent_child_facts``.
    """
    if amounts is not None and _new_categories(amounts):
        if member.age_band in _ALWAYS_CHILD_BANDS:
            return True
        if member.age_band not in (_FIFTEEN_TO_SEVENTEEN, YOUNG_ADULT_BAND):
            return False
        return member.dependent_child is True
    if member.age_band in MINOR_BANDS:
        return True
    if member.age_band != YOUNG_ADULT_BAND:
        return False
    return member.dependent if member.dependent_child is None else member.dependent_child


def count_children(members: Sequence[MemberSnapshot], amounts: SubsistenceMinimum | None = None) -> int:
    return sum(1 for member in members if is_dependent_child(member, amounts))


def _child_amount(member: MemberSnapshot, amounts: SubsistenceMinimum) -> int:
    if member.age_band == "0-5":
        return amounts.child_under_6
    if member.age_band == "6-14":
        return amounts.child_6_to_15
    return amounts.dependent_15_to_26


def subsistence_minimum(members: Sequence[MemberSnapshot], amounts: SubsistenceMinimum) -> int:
    """Monthly subsistence minimum of the whole household, CZK (0 for no members)."""
    if not members:
        return 0
    if len(members) == 1:
        return amounts.single_person
    children = [member for member in members if is_dependent_child(member, amounts)]
    others = len(members) - len(children)
    total = sum(_child_amount(child, amounts) for child in children)
    if others:
        total += amounts.first + amounts.further * (others - 1)
    return total


def household_type(
    members: Sequence[MemberSnapshot], amounts: SubsistenceMinimum | None = None
) -> HouseholdType:
    """single, couple, single_parent, family_with_children, senior or other.

    Children decide first (one adult: single parent, more: family); then a household whose adults
    are all 65+ is senior; then one person is single and two partners are a couple.
    """
    if not members:
        return HouseholdType.OTHER
    adults = [member for member in members if not is_dependent_child(member, amounts)]
    children = len(members) - len(adults)
    if children:
        if len(adults) == 1:
            return HouseholdType.SINGLE_PARENT
        return HouseholdType.FAMILY_WITH_CHILDREN if adults else HouseholdType.OTHER
    if all(adult.age_band == SENIOR_BAND for adult in adults):
        return HouseholdType.SENIOR
    if len(adults) == 1:
        return HouseholdType.SINGLE
    partners = any(adult.relationship in PARTNER_RELATIONSHIPS for adult in adults)
    if len(adults) == 2 and partners:
        return HouseholdType.COUPLE
    return HouseholdType.OTHER
