"""Who lives in the household: dependent children, subsistence minimum, household type.

Reading of zákon č. 110/2006 Sb. used here (document it when it changes):
- a minor (age bands 0-5, 6-14, 15-17) is always a dependent child (nezaopatřené dítě);
  a member aged 18-25 is one only when flagged ``dependent``; from 26 no one is;
- a household of one person gets the single-person amount, whatever the age;
- otherwise the first member who is not a dependent child gets the first-adult amount, every
  further such member the further-adult amount, and each dependent child the amount of its age;
- a member with an unknown age band counts as an adult.
"""

from __future__ import annotations

from collections.abc import Sequence

from kmb_shared.contracts import MemberSnapshot

from .rules import SubsistenceMinimum
from .vocabulary import (
    MINOR_BANDS,
    PARTNER_RELATIONSHIPS,
    SENIOR_BAND,
    YOUNG_ADULT_BAND,
    HouseholdType,
)


def is_dependent_child(member: MemberSnapshot) -> bool:
    if member.age_band in MINOR_BANDS:
        return True
    return member.age_band == YOUNG_ADULT_BAND and member.dependent


def count_children(members: Sequence[MemberSnapshot]) -> int:
    return sum(1 for member in members if is_dependent_child(member))


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
    children = [member for member in members if is_dependent_child(member)]
    adults = len(members) - len(children)
    total = sum(_child_amount(child, amounts) for child in children)
    if adults:
        total += amounts.first_adult + amounts.further_adult * (adults - 1)
    return total


def household_type(members: Sequence[MemberSnapshot]) -> HouseholdType:
    """single, couple, single_parent, family_with_children, senior or other.

    Children decide first (one adult: single parent, more: family); then a household whose adults
    are all 65+ is senior; then one person is single and two partners are a couple.
    """
    if not members:
        return HouseholdType.OTHER
    adults = [member for member in members if not is_dependent_child(member)]
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
