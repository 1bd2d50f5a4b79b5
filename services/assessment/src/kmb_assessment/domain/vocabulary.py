"""The assessment's reading of the shared vocabulary: the need level of an ETHOS category, and the
input codes its rules depend on (age bands, relationships, flags, ETHOS categories).

The codes and their Czech labels are the kernel's (:mod:`kmb_shared.contracts.vocabulary`);
``NeedLevel``, ``HouseholdType`` and ``EthosLight`` are re-exported from there."""

from __future__ import annotations

from types import MappingProxyType

from kmb_shared.contracts.vocabulary import NEED_LEVELS, EthosLight, HouseholdType, NeedLevel

__all__ = ["NEED_LEVEL_CS", "EthosLight", "HouseholdType", "NeedLevel", "need_level_for_ethos"]

#: Czech names of the need levels (the kernel's labels, by level; kept for the modules that index it).
NEED_LEVEL_CS = MappingProxyType({level: NEED_LEVELS.label(level) for level in NeedLevel})


def need_level_for_ethos(category: int) -> NeedLevel:
    """The ETHOS conceptual group of an operational category 1–13."""
    if category <= 2:
        return NeedLevel.ROOFLESS
    if category <= 7:
        return NeedLevel.HOUSELESS
    if category <= 10:
        return NeedLevel.INSECURE
    return NeedLevel.INADEQUATE


#: Age bands of MemberSnapshot.age_band. Bands up to 17 are minors.
MINOR_BANDS = ("0-5", "6-14", "15-17")
YOUNG_ADULT_BAND = "18-25"
SENIOR_BAND = "65+"

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
