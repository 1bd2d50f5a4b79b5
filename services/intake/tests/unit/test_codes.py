from __future__ import annotations

import pytest

from kmb_intake.domain import (
    CLOSE_REASONS,
    CODE_LISTS,
    CONTACT_CHANNELS,
    CONTACT_TOPICS,
    DWELLING_KINDS,
    INCOME_SOURCES,
    LEGAL_TITLES,
    RELATIONSHIPS,
    VULNERABILITY_FLAGS,
    CodeList,
)

# the lists as issue 3 names them
REQUIRED = [
    (CONTACT_CHANNELS, "in_person phone email letter field_visit"),
    (
        CONTACT_TOPICS,
        "loss_of_housing debts benefits flat_application landlord_conflict domestic_violence shelter other",
    ),
    (RELATIONSHIPS, "applicant partner child parent sibling other_relative other"),
    (
        DWELLING_KINDS,
        "flat house commercial_hostel asylum_house night_shelter womens_shelter institution "
        "with_family_friends non_conventional street",
    ),
    (LEGAL_TITLES, "lease sublease lodging_contract ownership none"),
    (
        INCOME_SOURCES,
        "employment self_employment pension unemployment_benefit parental_allowance child_allowance "
        "housing_benefit other_benefit maintenance other",
    ),
    (
        VULNERABILITY_FLAGS,
        "domestic_violence disability serious_illness senior_alone single_parent leaving_institution "
        "pregnancy young_adult_leaving_care",
    ),
    (CLOSE_REASONS, "housed_adequately resolved_itself moved_away lost_contact declined_help died other"),
]


@pytest.mark.parametrize(("code_list", "codes"), REQUIRED, ids=lambda x: getattr(x, "name", ""))
def test_code_list_holds_exactly_the_codes_of_the_issue(code_list: CodeList, codes: str) -> None:
    assert code_list.codes == tuple(codes.split())


def test_every_code_has_a_czech_and_an_english_label() -> None:
    for code_list in CODE_LISTS.values():
        for code, label in code_list.items():
            assert label.cs.strip() and label.en.strip(), (code_list.name, code)


def test_code_lists_are_found_by_name() -> None:
    assert CODE_LISTS["legal_basis"].codes  # at least one legal basis
    assert CODE_LISTS["contact_channel"] is CONTACT_CHANNELS
    assert CONTACT_CHANNELS.label("field_visit", capital=True) == "Terénní návštěva"
