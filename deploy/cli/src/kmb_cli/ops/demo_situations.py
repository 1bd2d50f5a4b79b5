"""The demo town "Lipovec (DEMO)": its districts, workers, partners, and the housing situations that
synthetic households are drawn from (with weights: how often each comes to the contact point)."""

from __future__ import annotations

from dataclasses import dataclass

MARK = "(DEMO)"
NOTE = "syntetická data (DEMO)"
TOWN = "Lipovec (DEMO)"
POSTCODE = "999 01"
ORP_CODE = "9999"
DISTRICTS = (
    "Lipovec-střed",
    "Horní Lipovec",
    "Dolní Lipovec",
    "Lipovec-Nádraží",
    "Lipovec-Sever",
    "Zahrádky",
)
WORKERS = tuple(f"demo-prac-{i:02d}" for i in range(1, 5))

#: partner slug -> referral kinds it takes (used when the referrals service names no demo partners)
FALLBACK_PARTNERS: dict[str, tuple[str, ...]] = {
    "up-lipovec": ("binding_opinion", "benefit_claim"),
    "lipovec-bytovy-odbor": ("municipal_flat_application",),
    "charita-lipovec": ("social_work", "social_service_place", "housing_assistance"),
    "poradna-dluhy-lipovec": ("debt_advice",),
}
DECLINE_REASONS = ("no_capacity", "not_eligible", "client_unreachable", "client_refused")


@dataclass(frozen=True)
class Situation:
    name: str
    weight: int
    dwelling: tuple[str, str]  # kind, legal title
    household: str  # single, couple, family, single_parent, senior
    topics: tuple[str, ...]
    flags: tuple[str, ...]
    referral_kinds: tuple[str, ...]
    notice: bool = False


SITUATIONS = (
    Situation(
        "výpověď z nájmu",
        5,
        ("flat", "lease"),
        "family",
        ("loss_of_housing", "debts"),
        (),
        ("binding_opinion", "debt_advice", "municipal_flat_application"),
        notice=True,
    ),
    Situation(
        "ubytovna",
        4,
        ("commercial_hostel", "lodging_contract"),
        "single_parent",
        ("flat_application", "benefits"),
        ("single_parent",),
        ("municipal_flat_application", "benefit_claim"),
    ),
    Situation(
        "osamělý senior",
        3,
        ("flat", "lease"),
        "senior",
        ("benefits",),
        ("senior_alone",),
        ("benefit_claim", "housing_assistance"),
    ),
    Situation(
        "bez přístřeší",
        2,
        ("street", "none"),
        "single",
        ("shelter",),
        (),
        ("social_service_place", "social_work"),
    ),
    Situation(
        "domácí násilí",
        1,
        ("womens_shelter", "none"),
        "single_parent",
        ("domestic_violence", "shelter"),
        ("domestic_violence", "single_parent"),
        ("social_service_place", "municipal_flat_application"),
    ),
    Situation(
        "odchod z péče",
        1,
        ("with_family_friends", "none"),
        "single",
        ("flat_application",),
        ("young_adult_leaving_care",),
        ("housing_assistance", "municipal_flat_application"),
    ),
    Situation(
        "přelidněný byt",
        2,
        ("flat", "sublease"),
        "family",
        ("flat_application", "landlord_conflict"),
        (),
        ("municipal_flat_application", "real_estate_search"),
    ),
)


def female_surname(male: str) -> str:
    """The usual female form of a Czech surname: Černý → Černá, Svoboda → Svobodová, Hájek → Hájková,
    Němec → Němcová, Novák → Nováková."""
    if male.endswith("ý"):
        return male[:-1] + "á"
    if male.endswith("a"):
        return male[:-1] + "ová"
    if male.endswith("ek"):
        return male[:-2] + "ková"
    if male.endswith("ec"):
        return male[:-2] + "cová"
    return male + "ová"
