"""The survey of the housing situation (§16) as the worker records it: validated input, stored as
JSON on the assessment, and turned into the domain's ``SurveyFindings`` on submission."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import date
from functools import cache
from typing import Annotated, Any

from pydantic import AfterValidator, BaseModel, ConfigDict, Field
from pydantic_core import PydanticCustomError

from kmb_shared.contracts import HouseholdSnapshot

from ..domain import SurveyFindings, load_rule_sets
from ..domain.household import MissingFact as MissingFactOfMember
from ..domain.household import missing_dependent_child_facts

#: The most members a survey answers for (a household snapshot larger than this is not expected).
MAX_MEMBERS = 50

#: Facts the worker could not establish in the survey (code -> Czech label).
MISSING_FACTS: dict[str, str] = {
    "household_members": "složení domácnosti",
    "income": "příjmy domácnosti",
    "housing_costs": "náklady na bydlení",
    "debts": "dluhy",
    "dwelling_kind": "druh bydlení",
    "legal_title": "právní důvod užívání",
    "floor_area": "podlahová plocha",
    "housing_end_date": "datum konce bydlení",
    "vulnerability": "zvláštní zranitelnost",
}

#: Documents the worker checked in the survey (code -> Czech label).
DOCUMENTS: dict[str, str] = {
    "identity_document": "doklad totožnosti",
    "lease_contract": "nájemní nebo podnájemní smlouva",
    "lodging_contract": "smlouva o ubytování",
    "ownership_record": "výpis z katastru nemovitostí",
    "income_statement": "potvrzení o příjmu",
    "benefit_decision": "rozhodnutí o dávce",
    "housing_costs_statement": "doklad o nákladech na bydlení",
    "energy_bill": "vyúčtování energií",
    "notice": "výpověď z nájmu nebo ubytování",
    "eviction_order": "výzva nebo rozhodnutí o vyklizení",
    "debt_statement": "přehled dluhů nebo exekucí",
    "medical_report": "lékařská zpráva",
    "disability_decision": "rozhodnutí o zdravotním postižení",
    "release_confirmation": "potvrzení o propuštění z instituce",
    "other": "jiný doklad",
}


@cache
def dwelling_kinds() -> dict[str, str]:
    """Dwelling kinds any shipped rule set knows (code -> Czech label of the newest set)."""
    return {code: rule.label for rules in load_rule_sets() for code, rule in rules.dwelling_kinds.items()}


@cache
def legal_titles() -> dict[str, str]:
    return {code: rule.label for rules in load_rule_sets() for code, rule in rules.legal_titles.items()}


@cache
def vulnerability_flags() -> dict[str, str]:
    return {
        code: rule.label for rules in load_rule_sets() for code, rule in rules.special_vulnerability.items()
    }


def _one_of(code_list: Callable[[], Mapping[str, str]], what_cs: str, what_en: str) -> AfterValidator:
    """Accept only a code of ``code_list`` (read on first use, so nothing loads at import time)."""

    def check(value: str) -> str:
        codes = code_list()
        if value not in codes:
            allowed = ", ".join(codes)
            raise PydanticCustomError(
                "unknown_code",
                "unknown {what}: {value}",
                {
                    "what": what_en,
                    "value": value,
                    "cs": f"Neznámý kód ({what_cs}): {value}. Povolené: {allowed}.",
                    "en": f"Unknown {what_en} code: {value}. Allowed: {allowed}.",
                },
            )
        return value

    return AfterValidator(check)


def _listed(code_list: Callable[[], Mapping[str, str]]) -> Any:
    """The codes :func:`_one_of` accepts as the JSON schema's enum (read when the schema is built)."""

    def extra(schema: dict[str, Any]) -> None:
        schema["enum"] = list(code_list())

    return Field(json_schema_extra=extra)


#: what :func:`_no_repeats` checks, for the JSON schema
NO_REPEATS = Field(json_schema_extra={"uniqueItems": True})


def _no_repeats(values: tuple[str, ...]) -> tuple[str, ...]:
    repeated = sorted({value for value in values if values.count(value) > 1})
    if repeated:
        listed = ", ".join(repeated)
        raise PydanticCustomError(
            "repeated_code",
            "repeated codes: {listed}",
            {"listed": listed, "cs": f"Kód je uveden vícekrát: {listed}.", "en": f"Repeated code: {listed}."},
        )
    return values


DwellingKind = Annotated[
    str, _one_of(dwelling_kinds, "druh bydlení", "dwelling kind"), _listed(dwelling_kinds)
]
LegalTitle = Annotated[
    str, _one_of(legal_titles, "právní důvod užívání", "legal title"), _listed(legal_titles)
]
Flag = Annotated[
    str,
    _one_of(vulnerability_flags, "zvláštní zranitelnost", "vulnerability flag"),
    _listed(vulnerability_flags),
]
MissingFact = Annotated[
    str, _one_of(lambda: MISSING_FACTS, "nezjištěný údaj", "missing fact"), _listed(lambda: MISSING_FACTS)
]
Document = Annotated[str, _one_of(lambda: DOCUMENTS, "doklad", "document"), _listed(lambda: DOCUMENTS)]


class Survey(BaseModel):
    """What the worker found in the survey (§16). Facts left empty fall back to the case's household."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    surveyed_on: date | None = Field(
        default=None,
        description="Day of the survey; it picks the rule set in force (default: the day it is saved)",
    )
    dwelling_kind: DwellingKind | None = Field(default=None, description="Dwelling kind actually found")
    legal_title: LegalTitle | None = Field(default=None, description="Legal title actually found")
    size_m2: float | None = Field(
        default=None, gt=0, le=100_000, allow_inf_nan=False, description="Floor area measured, m²"
    )
    housing_ends_on: date | None = Field(
        default=None, description="Day the current housing ends with no continuation secured"
    )
    unfit_for_habitation: bool = Field(default=False, description="The dwelling is unfit for habitation")
    can_pay_unexpected_expense: bool | None = Field(
        default=None, description="The household could pay an unexpected expense (None: not asked)"
    )
    extra_flags: Annotated[tuple[Flag, ...], AfterValidator(_no_repeats), NO_REPEATS] = Field(
        default=(), max_length=20, description="Further special-vulnerability flags (§6) found"
    )
    missing_facts: Annotated[tuple[MissingFact, ...], AfterValidator(_no_repeats), NO_REPEATS] = Field(
        default=(), max_length=len(MISSING_FACTS), description="Facts that could not be established"
    )
    checked_documents: Annotated[tuple[Document, ...], AfterValidator(_no_repeats), NO_REPEATS] = Field(
        default=(), max_length=len(DOCUMENTS), description="Documents the worker checked"
    )
    notes: str | None = Field(default=None, max_length=4000, description="The worker's notes")
    dependent_children: dict[Annotated[int, Field(ge=0, lt=MAX_MEMBERS)], bool] = Field(
        default_factory=dict,
        max_length=MAX_MEMBERS,
        description=(
            "Dependent-child status established in the survey, by member position (0-based) in the"
            " household snapshot: true = studies, or cannot prepare for a profession for illness"
            " (nezaopatřené dítě); false = does not (a further person aged 15+). Asked for each member"
            " aged 15-25 whose status intake did not establish; needed from 1 July 2026 (an assessment"
            " without it is refused with 422, field dependent_children.<index>)"
        ),
    )

    def findings(self, assessed_on: date) -> SurveyFindings:
        return SurveyFindings(
            assessed_on=assessed_on,
            dwelling_kind=self.dwelling_kind,
            legal_title=self.legal_title,
            size_m2=self.size_m2,
            housing_ends_on=self.housing_ends_on,
            unfit_for_habitation=self.unfit_for_habitation,
            can_pay_unexpected_expense=self.can_pay_unexpected_expense,
            extra_flags=self.extra_flags,
            dependent_children=dict(self.dependent_children),
        )


def dependent_child_questions(
    household: HouseholdSnapshot, survey: Survey | None = None
) -> list[MissingFactOfMember]:
    """The dependent-child question for each member whose status intake did not establish and some
    rule set needs (members 15-25 from 1 July 2026), plus members the saved survey answered for; in
    member order. The survey form asks each of them before submission."""
    asked: dict[int, MissingFactOfMember] = {}
    for rules in load_rule_sets():
        for fact in missing_dependent_child_facts(household.members, rules.subsistence_minimum):
            asked.setdefault(fact.member_index, fact)
    answered = survey.dependent_children if survey is not None else {}
    for index in answered:
        if index in asked or index >= len(household.members):
            continue
        # Ask it as the newest rule set would, so the saved answer can be seen and changed.
        member = household.members[index].model_copy(update={"dependent_child": None})
        for rules in reversed(load_rule_sets()):
            facts = missing_dependent_child_facts(
                (*household.members[:index], member, *household.members[index + 1 :]),
                rules.subsistence_minimum,
            )
            found = next((fact for fact in facts if fact.member_index == index), None)
            if found is not None:
                asked[index] = found
                break
    return [asked[index] for index in sorted(asked)]
