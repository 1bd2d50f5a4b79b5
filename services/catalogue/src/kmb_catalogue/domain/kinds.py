"""Closed vocabularies of the catalogue: kinds of solution, groups, categories, situations."""

from __future__ import annotations

from enum import StrEnum


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

KIND_LABELS_CS: dict[SolutionKind, str] = {
    _K.MUNICIPAL_FLAT: "Obecní byt",
    _K.NGO_FLAT: "Byt neziskové organizace",
    _K.MARKET_OFFER: "Nabídka bytu na trhu",
    _K.GUARANTEED_HOUSING: "Bydlení s garancí",
    _K.SUPPORTED_MUNICIPAL_HOUSING: "Podporované obecní bydlení",
    _K.SUBLEASE_HOUSING: "Podnájemní bydlení",
    _K.NIGHT_SHELTER: "Noclehárna",
    _K.ASYLUM_HOUSE: "Azylový dům",
    _K.WOMENS_SHELTER: "Azylový dům pro ženy ohrožené násilím",
    _K.COMMERCIAL_HOSTEL: "Ubytovna",
    _K.HOUSING_ALLOWANCE: "Příspěvek na bydlení",
    _K.HOUSING_SUPPLEMENT: "Doplatek na bydlení",
    _K.EMERGENCY_AID: "Mimořádná okamžitá pomoc",
    _K.HOUSING_ASSISTANCE: "Asistence v bydlení",
    _K.DEBT_ADVICE: "Dluhové poradenství",
    _K.LEGAL_AID: "Právní pomoc",
    _K.FIELD_SOCIAL_WORK: "Terénní sociální práce",
    _K.REAL_ESTATE_EXPERT: "Odborník na trh s byty",
}


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


class NeedLevel(StrEnum):
    """Need levels of ``NeedAssessed.need_level``, most severe first."""

    ROOFLESS = "roofless"
    HOUSELESS = "houseless"
    INSECURE = "insecure"
    INADEQUATE = "inadequate"
    AT_RISK = "at_risk"
    NOT_IN_NEED = "not_in_need"


NEED_LEVEL_LABELS_CS: dict[NeedLevel, str] = {
    NeedLevel.ROOFLESS: "bez střechy",
    NeedLevel.HOUSELESS: "bez bytu",
    NeedLevel.INSECURE: "nejisté bydlení",
    NeedLevel.INADEQUATE: "nevyhovující bydlení",
    NeedLevel.AT_RISK: "ohrožení ztrátou bydlení",
    NeedLevel.NOT_IN_NEED: "není v bytové nouzi",
}


class HouseholdType(StrEnum):
    SINGLE = "single"
    COUPLE = "couple"
    SINGLE_PARENT = "single_parent"
    FAMILY_WITH_CHILDREN = "family_with_children"
    SENIOR = "senior"
    OTHER = "other"


HOUSEHOLD_TYPE_LABELS_CS: dict[HouseholdType, str] = {
    HouseholdType.SINGLE: "jednotlivec",
    HouseholdType.COUPLE: "pár",
    HouseholdType.SINGLE_PARENT: "rodič samoživitel",
    HouseholdType.FAMILY_WITH_CHILDREN: "rodina s dětmi",
    HouseholdType.SENIOR: "senior",
    HouseholdType.OTHER: "jiná domácnost",
}

ETHOS_LABELS_CS: dict[int, str] = {
    1: "přežívající venku",
    2: "v noclehárně",
    3: "v ubytovně pro bezdomovce nebo azylovém domě",
    4: "v azylovém domě pro ženy",
    5: "v ubytování pro imigranty",
    6: "před opuštěním instituce",
    7: "s dlouhodobou podporou kvůli bezdomovectví",
    8: "v nejistém bydlení",
    9: "pod hrozbou vystěhování",
    10: "pod hrozbou domácího násilí",
    11: "v provizorní stavbě",
    12: "v nevhodném bydlení",
    13: "v extrémně přelidněném bydlení",
}

#: Vulnerability flag codes as intake and assessment use them, with Czech labels.
FLAG_LABELS_CS: dict[str, str] = {
    "domestic_violence": "domácí násilí",
    "disability": "zdravotní postižení",
    "serious_illness": "závažné onemocnění",
    "senior_alone": "osamělý senior",
    "senior": "senior",
    "single_parent": "samoživitel/ka",
    "large_family": "početná rodina",
    "leaving_institution": "odchod z instituce",
    "pregnancy": "těhotenství",
    "young_adult_leaving_care": "mladý dospělý odcházející z náhradní péče",
}


def flag_label(code: str) -> str:
    return FLAG_LABELS_CS.get(code, code)


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
