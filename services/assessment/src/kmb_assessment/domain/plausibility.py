"""Plausibility of the special-vulnerability flags (§6) against the household they are recorded for.

A flag that the household's own data contradicts (a child at risk in a household without a minor,
a large family with fewer dependent children than the rule set's minimum, a pregnancy where every
member is recorded as male) is not scored silently: the assessment is refused with the flag, where it
was recorded and why, so the worker corrects either the flag or the household. Pure: no I/O.

Readings used here (document them when they change):
- ``child_at_risk`` (ohrožené dítě, OSPOD) concerns a minor: the household needs a member aged 0-17;
  recorded on a member, that member must be a minor.
- ``large_family``: at least ``rules.large_family_children`` dependent children. A member whose
  dependent-child status is not established yet counts as one here (only a flag that is implausible
  whatever the missing facts turn out to be is refused; the missing fact is asked separately).
- ``single_parent``: the household needs a dependent child (same counting as above).
- ``senior_alone``: the household needs a member aged 65+; recorded on a member, that member.
- ``young_adult_leaving_care``: care (ústavní výchova, pěstounská péče) ends at 18, prolonged at the
  latest before 26, so the household needs a member aged 15-25; recorded on a member, that member.
- ``pregnancy``: implausible only when the data says so: recorded on a member whose sex is ``male``,
  or on the household when every member's sex is recorded and none is ``female``.
- Other flags (domestic violence, disability, serious illness, leaving an institution) have no fact in
  the household data to check them against.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from kmb_shared.contracts import HouseholdSnapshot, MemberSnapshot

from .facts import members_as_found
from .household import is_dependent_child, needs_dependent_child_fact
from .model import SurveyFindings
from .rules import RuleSet
from .vocabulary import MINOR_BANDS, SENIOR_BAND, YOUNG_ADULT_BAND

CHILD_AT_RISK = "child_at_risk"
LARGE_FAMILY = "large_family"
SINGLE_PARENT = "single_parent"
SENIOR_ALONE = "senior_alone"
YOUNG_ADULT_LEAVING_CARE = "young_adult_leaving_care"
PREGNANCY = "pregnancy"

_YOUNG_BANDS = ("15-17", YOUNG_ADULT_BAND)


@dataclass(frozen=True, slots=True)
class ImplausibleFlag:
    """A flag the household's data contradicts, where it was recorded (``field``) and why."""

    flag: str
    field: str
    reason_cs: str
    reason_en: str


def _is_minor(member: MemberSnapshot) -> bool:
    return member.age_band in MINOR_BANDS


def _possible_children(members: Sequence[MemberSnapshot], rules: RuleSet) -> int:
    """Dependent children, counting a member whose status is not established yet as one."""
    amounts = rules.subsistence_minimum
    return sum(
        1
        for member in members
        if is_dependent_child(member, amounts)
        or (member.dependent_child is None and needs_dependent_child_fact(member, amounts))
    )


def _children_cs(count: int) -> str:
    if count == 1:
        return "1 nezaopatřené dítě"
    if 2 <= count <= 4:
        return f"{count} nezaopatřené děti"
    return f"{count} nezaopatřených dětí"


def _household_problem(
    flag: str, members: Sequence[MemberSnapshot], rules: RuleSet
) -> tuple[str, str] | None:
    """(Czech, English) reason why ``flag`` does not fit the household, or None."""
    if flag == CHILD_AT_RISK and not any(_is_minor(member) for member in members):
        return (
            "Příznak „ohrožené dítě“ nesedí: v domácnosti není žádné dítě mladší 18 let.",
            "Flag 'child at risk' does not fit: no member of the household is under 18.",
        )
    if flag == LARGE_FAMILY:
        minimum = rules.large_family_children
        children = _possible_children(members, rules)
        if children < minimum:
            return (
                f"Příznak „početná rodina“ nesedí: domácnost má {_children_cs(children)},"
                f" početná rodina má alespoň {minimum}.",
                f"Flag 'large family' does not fit: the household has {children} dependent"
                f" child(ren), a large family has at least {minimum}.",
            )
    if flag == SINGLE_PARENT and _possible_children(members, rules) == 0:
        return (
            "Příznak „osamělý rodič“ nesedí: v domácnosti není žádné nezaopatřené dítě.",
            "Flag 'single parent' does not fit: the household has no dependent child.",
        )
    if flag == SENIOR_ALONE and not any(member.age_band == SENIOR_BAND for member in members):
        return (
            "Příznak „osamělý senior“ nesedí: v domácnosti není nikdo ve věku 65 a více let.",
            "Flag 'senior living alone' does not fit: no member of the household is aged 65+.",
        )
    if flag == YOUNG_ADULT_LEAVING_CARE and not any(member.age_band in _YOUNG_BANDS for member in members):
        return (
            "Příznak „mladý dospělý odcházející z náhradní péče“ nesedí: v domácnosti není nikdo"
            " ve věku 15–25 let.",
            "Flag 'young adult leaving care' does not fit: no member of the household is aged 15-25.",
        )
    if flag == PREGNANCY and members:
        sexes = [member.sex for member in members]
        if all(sex is not None for sex in sexes) and "female" not in sexes:
            return (
                "Příznak „těhotenství“ nesedí: v domácnosti podle údajů není žádná žena.",
                "Flag 'pregnancy' does not fit: according to the data no member is female.",
            )
    return None


def _member_problem(flag: str, member: MemberSnapshot, number: int) -> tuple[str, str] | None:
    """(Czech, English) reason why ``flag`` does not fit the member (``number`` from 1), or None."""
    who_cs, who_en = f"člen domácnosti č. {number}", f"household member no. {number}"
    age_cs = member.age_band.replace("-", "–")
    if flag == CHILD_AT_RISK and member.age_band is not None and not _is_minor(member):
        return (
            f"Příznak „ohrožené dítě“ nesedí: {who_cs} má věk {age_cs} let, dítětem je osoba mladší 18 let.",
            f"Flag 'child at risk' does not fit: {who_en} is aged {member.age_band}, not under 18.",
        )
    if flag == SENIOR_ALONE and member.age_band != SENIOR_BAND:
        return (
            f"Příznak „osamělý senior“ nesedí: {who_cs} má věk {age_cs} let, ne 65 a více.",
            f"Flag 'senior living alone' does not fit: {who_en} is aged {member.age_band}, not 65+.",
        )
    if flag == YOUNG_ADULT_LEAVING_CARE and member.age_band not in _YOUNG_BANDS:
        return (
            f"Příznak „mladý dospělý odcházející z náhradní péče“ nesedí: {who_cs} má věk {age_cs} let,"
            " ne 15–25.",
            f"Flag 'young adult leaving care' does not fit: {who_en} is aged {member.age_band}, not 15-25.",
        )
    if flag == PREGNANCY and member.sex == "male":
        return (
            f"Příznak „těhotenství“ nesedí: {who_cs} je podle údajů muž.",
            f"Flag 'pregnancy' does not fit: {who_en} is recorded as male.",
        )
    return None


def _check_household_flags(
    flags: Iterable[str], field: str, members: Sequence[MemberSnapshot], rules: RuleSet
) -> list[ImplausibleFlag]:
    out = []
    for flag in dict.fromkeys(flags):
        problem = _household_problem(flag, members, rules)
        if problem is not None:
            out.append(ImplausibleFlag(flag, field, *problem))
    return out


def implausible_survey_flags(
    household: HouseholdSnapshot, survey: SurveyFindings, rules: RuleSet
) -> tuple[ImplausibleFlag, ...]:
    """The survey's own flags (``extra_flags``) that the household contradicts."""
    members = members_as_found(household, survey)
    return tuple(_check_household_flags(survey.extra_flags, "extra_flags", members, rules))


def implausible_flags(
    household: HouseholdSnapshot, survey: SurveyFindings, rules: RuleSet
) -> tuple[ImplausibleFlag, ...]:
    """Every recorded flag (intake's household and member flags, the survey's) that the household's
    data contradicts, in the order: household, members, survey. Flags the rule set does not know are
    left alone (they score nothing)."""
    members = members_as_found(household, survey)
    known = rules.special_vulnerability
    out = _check_household_flags(
        (flag for flag in household.vulnerability_flags if flag in known),
        "household.vulnerability_flags",
        members,
        rules,
    )
    for index, member in enumerate(members):
        for flag in dict.fromkeys(member.flags):
            if flag not in known:
                continue
            problem = _member_problem(flag, member, index + 1) or _household_problem(flag, members, rules)
            if problem is not None:
                out.append(ImplausibleFlag(flag, f"household.members.{index}.flags", *problem))
    out.extend(
        _check_household_flags((f for f in survey.extra_flags if f in known), "extra_flags", members, rules)
    )
    return tuple(out)
