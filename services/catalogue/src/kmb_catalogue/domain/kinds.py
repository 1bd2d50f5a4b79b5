"""Closed vocabularies of the catalogue: kinds of solution, groups, categories, situations.

Need levels and household types are the shared kernel's (``kmb_shared.contracts.vocabulary``), as are
the Czech labels of every code here that travels in events (solution kinds, need levels, household
types, ETHOS categories, vulnerability flags)."""

from __future__ import annotations

from enum import StrEnum

# re-exported: the catalogue's domain speaks of them
from kmb_shared.contracts.vocabulary import HouseholdType as HouseholdType
from kmb_shared.contracts.vocabulary import NeedLevel as NeedLevel


class SolutionKind(StrEnum):
    # housing units
    MUNICIPAL_FLAT = "municipal_flat"
    NGO_FLAT = "ngo_flat"
    MARKET_OFFER = "market_offer"
    GUARANTEED_HOUSING = "guaranteed_housing"  # market flat with a provider's rent guarantee
    SUPPORTED_MUNICIPAL_HOUSING = "supported_municipal_housing"
    SUBLEASE_HOUSING = "sublease_housing"
    # shelter places
    NIGHT_SHELTER = "night_shelter"
    ASYLUM_HOUSE = "asylum_house"
    WOMENS_SHELTER = "womens_shelter"
    COMMERCIAL_HOSTEL = "commercial_hostel"
    # benefits
    HOUSING_ALLOWANCE = "housing_allowance"
    HOUSING_SUPPLEMENT = "housing_supplement"
    EMERGENCY_AID = "emergency_aid"
    # services
    HOUSING_ASSISTANCE = "housing_assistance"
    DEBT_ADVICE = "debt_advice"
    LEGAL_AID = "legal_aid"
    FIELD_SOCIAL_WORK = "field_social_work"
    REAL_ESTATE_EXPERT = "real_estate_expert"


class KindGroup(StrEnum):
    HOUSING = "housing"
    SHELTER = "shelter"
    BENEFIT = "benefit"
    SERVICE = "service"


_K = SolutionKind
KIND_GROUP: dict[SolutionKind, KindGroup] = {
    **dict.fromkeys(
        (
            _K.MUNICIPAL_FLAT,
            _K.NGO_FLAT,
            _K.MARKET_OFFER,
            _K.GUARANTEED_HOUSING,
            _K.SUPPORTED_MUNICIPAL_HOUSING,
            _K.SUBLEASE_HOUSING,
        ),
        KindGroup.HOUSING,
    ),
    **dict.fromkeys(
        (_K.NIGHT_SHELTER, _K.ASYLUM_HOUSE, _K.WOMENS_SHELTER, _K.COMMERCIAL_HOSTEL), KindGroup.SHELTER
    ),
    **dict.fromkeys((_K.HOUSING_ALLOWANCE, _K.HOUSING_SUPPLEMENT, _K.EMERGENCY_AID), KindGroup.BENEFIT),
    **dict.fromkeys(
        (_K.HOUSING_ASSISTANCE, _K.DEBT_ADVICE, _K.LEGAL_AID, _K.FIELD_SOCIAL_WORK, _K.REAL_ESTATE_EXPERT),
        KindGroup.SERVICE,
    ),
}

#: Kinds made of units or places: they must state their capacity.
CAPACITY_REQUIRED: frozenset[SolutionKind] = frozenset(
    k for k, g in KIND_GROUP.items() if g in (KindGroup.HOUSING, KindGroup.SHELTER)
)
#: Kinds that never have capacity (a benefit is a right, not a place).
CAPACITY_FORBIDDEN: frozenset[SolutionKind] = frozenset(
    k for k, g in KIND_GROUP.items() if g is KindGroup.BENEFIT
)


class MunicipalFlatCategory(StrEnum):
    """Categories of municipal flats as Praha 10 uses them."""

    SOCIAL = "A"
    MUNICIPAL_INTEREST = "B"
    MARKET = "C"


MUNICIPAL_CATEGORY_LABELS_CS: dict[MunicipalFlatCategory, str] = {
    MunicipalFlatCategory.SOCIAL: "A – sociální byt",
    MunicipalFlatCategory.MUNICIPAL_INTEREST: "B – byt v zájmu obce",
    MunicipalFlatCategory.MARKET: "C – tržní nájem",
}


class Situation(StrEnum):
    """The situations the public leaflet is organised by."""

    NO_PLACE_TONIGHT = "no_place_tonight"
    LOSING_HOME = "losing_home"
    CANNOT_PAY_RENT = "cannot_pay_rent"
    UNFIT_CONDITIONS = "unfit_conditions"
    VIOLENCE = "violence"


#: (Czech, English) title of each situation.
SITUATION_TITLES: dict[Situation, tuple[str, str]] = {
    Situation.NO_PLACE_TONIGHT: ("Nemám kde dnes spát", "I have nowhere to sleep tonight"),
    Situation.LOSING_HOME: ("Hrozí mi ztráta bydlení", "I am about to lose my flat"),
    Situation.CANNOT_PAY_RENT: ("Nemám na nájem", "I cannot pay rent"),
    Situation.UNFIT_CONDITIONS: ("Bydlím v nevyhovujících podmínkách", "I live in unfit conditions"),
    Situation.VIOLENCE: ("Zažívám násilí", "I face violence"),
}
