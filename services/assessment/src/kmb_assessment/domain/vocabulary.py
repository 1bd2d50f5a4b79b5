"""Closed vocabularies of the assessment: need levels, ETHOS Light categories, household types,
and the input codes the assessment understands (age bands, relationships, flags)."""

from __future__ import annotations

from enum import StrEnum


class NeedLevel(StrEnum):
    """Level of housing need, from the most to the least severe."""

    ROOFLESS = "roofless"
    HOUSELESS = "houseless"
    INSECURE = "insecure"
    INADEQUATE = "inadequate"
    AT_RISK = "at_risk"
    NOT_IN_NEED = "not_in_need"


#: Czech names of the need levels, as the worker reads them.
NEED_LEVEL_CS: dict[NeedLevel, str] = {
    NeedLevel.ROOFLESS: "bez střechy",
    NeedLevel.HOUSELESS: "bez bytu",
    NeedLevel.INSECURE: "nejisté bydlení",
    NeedLevel.INADEQUATE: "nevyhovující bydlení",
    NeedLevel.AT_RISK: "ohrožení ztrátou bydlení",
    NeedLevel.NOT_IN_NEED: "není v bytové nouzi",
}


def need_level_for_ethos(category: int) -> NeedLevel:
    """The ETHOS conceptual group of an operational category 1–13."""
    if category <= 2:
        return NeedLevel.ROOFLESS
    if category <= 7:
        return NeedLevel.HOUSELESS
    if category <= 10:
        return NeedLevel.INSECURE
    return NeedLevel.INADEQUATE


class EthosLight(StrEnum):
    """ETHOS Light (FEANTSA 2007), six statistical categories, in order of severity."""

    LIVING_ROUGH = "living_rough"
    EMERGENCY_ACCOMMODATION = "emergency_accommodation"
    HOMELESS_ACCOMMODATION = "homeless_accommodation"
    INSTITUTIONS = "institutions"
    NON_CONVENTIONAL = "non_conventional"
    WITH_FAMILY_FRIENDS = "with_family_friends"

    @property
    def rank(self) -> int:
        return list(EthosLight).index(self) + 1


class HouseholdType(StrEnum):
    SINGLE = "single"
    COUPLE = "couple"
    SINGLE_PARENT = "single_parent"
    FAMILY_WITH_CHILDREN = "family_with_children"
    SENIOR = "senior"
    OTHER = "other"


#: Age bands of MemberSnapshot.age_band. Bands up to 17 are minors.
MINOR_BANDS = ("0-5", "6-14", "15-17")
YOUNG_ADULT_BAND = "18-25"
SENIOR_BAND = "65+"
AGE_BANDS = (*MINOR_BANDS, YOUNG_ADULT_BAND, "26-64", SENIOR_BAND)

#: Relationship codes (intake's code list "relationship") that make two adults a couple.
PARTNER_RELATIONSHIPS = frozenset({"partner", "spouse"})

#: Flag (household or member level) meaning a threat of domestic violence (ETHOS 10).
DOMESTIC_VIOLENCE_FLAG = "domestic_violence"

#: §6 flags the assessment derives itself rather than reading them from intake.
SENIOR_ALONE_FLAG = "senior_alone"
SINGLE_PARENT_FLAG = "single_parent"
LARGE_FAMILY_FLAG = "large_family"
LEAVING_INSTITUTION_FLAG = "leaving_institution"
DERIVED_FLAGS = (SENIOR_ALONE_FLAG, SINGLE_PARENT_FLAG, LARGE_FAMILY_FLAG, LEAVING_INSTITUTION_FLAG)

#: Reading for rule sets that do not say (SituationRule.landlord / .home is None): legal titles
#: with someone who can end the housing and with whom it can be negotiated, and dwelling kinds
#: that are a home in which housing assistance can also be given.
TITLES_WITH_LANDLORD = frozenset({"lease", "sublease", "lodging_contract", "cooperative"})
HOME_KINDS = frozenset({"flat", "house"})

#: ETHOS categories the texts of the assessment depend on.
ETHOS_NIGHT_SHELTER = 2
ETHOS_WOMENS_SHELTER = 4
#: ETHOS category of people due to leave an institution.
ETHOS_LEAVING_INSTITUTION = 6
ETHOS_EVICTION = 9
ETHOS_VIOLENCE = 10
ETHOS_UNFIT = 12
ETHOS_OVERCROWDING = 13
