"""Referral kinds, decline reasons and outcomes, with their Czech labels."""

from __future__ import annotations

from enum import StrEnum


class ReferralKind(StrEnum):
    BINDING_OPINION = "binding_opinion"  # labour office, §18 of act 175/2025
    BENEFIT_CLAIM = "benefit_claim"  # labour office: housing allowance, supplement, emergency aid
    MUNICIPAL_FLAT_APPLICATION = "municipal_flat_application"  # housing department
    SOCIAL_WORK = "social_work"
    SOCIAL_SERVICE_PLACE = "social_service_place"  # shelter, asylum house, ...
    HOUSING_ASSISTANCE = "housing_assistance"  # §22 need for assistance
    LEGAL_AID = "legal_aid"
    REAL_ESTATE_SEARCH = "real_estate_search"
    DEBT_ADVICE = "debt_advice"
    CASE_CONFERENCE = "case_conference"  # several partners at once


KIND_LABELS_CS: dict[ReferralKind, str] = {
    ReferralKind.BINDING_OPINION: "Závazné stanovisko Úřadu práce (§ 18)",
    ReferralKind.BENEFIT_CLAIM: "Žádost o dávku",
    ReferralKind.MUNICIPAL_FLAT_APPLICATION: "Žádost o obecní byt",
    ReferralKind.SOCIAL_WORK: "Sociální práce",
    ReferralKind.SOCIAL_SERVICE_PLACE: "Místo v sociální službě",
    ReferralKind.HOUSING_ASSISTANCE: "Asistence v bydlení (§ 22)",
    ReferralKind.LEGAL_AID: "Právní pomoc",
    ReferralKind.REAL_ESTATE_SEARCH: "Hledání bytu na trhu",
    ReferralKind.DEBT_ADVICE: "Dluhové poradenství",
    ReferralKind.CASE_CONFERENCE: "Případová konference",
}

#: Referrals through which a household is offered lasting housing; accepting one ends the search.
HOUSING_OFFER_KINDS: frozenset[ReferralKind] = frozenset(
    {ReferralKind.MUNICIPAL_FLAT_APPLICATION, ReferralKind.REAL_ESTATE_SEARCH}
)

#: Referrals that search for a roof; all of them become pointless once a housing offer is accepted.
#: Support in the new flat (housing assistance, debt advice, ...) goes on and is not listed here.
HOUSING_SEARCH_KINDS: frozenset[ReferralKind] = HOUSING_OFFER_KINDS | {ReferralKind.SOCIAL_SERVICE_PLACE}


class DeclineReason(StrEnum):
    NOT_ELIGIBLE = "not_eligible"
    NO_CAPACITY = "no_capacity"
    CLIENT_UNREACHABLE = "client_unreachable"
    CLIENT_REFUSED = "client_refused"
    HIGHER_CARE_NEEDED = "higher_care_needed"
    DUPLICATE = "duplicate"
    OTHER = "other"


DECLINE_REASON_LABELS_CS: dict[DeclineReason, str] = {
    DeclineReason.NOT_ELIGIBLE: "Klient nesplňuje podmínky",
    DeclineReason.NO_CAPACITY: "Nedostatečná kapacita",
    DeclineReason.CLIENT_UNREACHABLE: "Klient je nedostupný",
    DeclineReason.CLIENT_REFUSED: "Klient odmítl",
    DeclineReason.HIGHER_CARE_NEEDED: "Klient potřebuje vyšší míru péče",
    DeclineReason.DUPLICATE: "Duplicitní předání",
    DeclineReason.OTHER: "Jiný důvod",
}


class ReferralOutcome(StrEnum):
    HOUSED = "housed"  # the household moved into the offered housing
    SERVICE_PROVIDED = "service_provided"
    BENEFIT_GRANTED = "benefit_granted"
    BENEFIT_REFUSED = "benefit_refused"
    OPINION_ISSUED = "opinion_issued"
    CLIENT_DID_NOT_ATTEND = "client_did_not_attend"
    OTHER = "other"


OUTCOME_LABELS_CS: dict[ReferralOutcome, str] = {
    ReferralOutcome.HOUSED: "Domácnost získala bydlení",
    ReferralOutcome.SERVICE_PROVIDED: "Služba poskytnuta",
    ReferralOutcome.BENEFIT_GRANTED: "Dávka přiznána",
    ReferralOutcome.BENEFIT_REFUSED: "Dávka nepřiznána",
    ReferralOutcome.OPINION_ISSUED: "Stanovisko vydáno",
    ReferralOutcome.CLIENT_DID_NOT_ATTEND: "Klient se nedostavil",
    ReferralOutcome.OTHER: "Jiný výsledek",
}


#: The referral kind that follows from a catalogue entry's kind (the catalogue's ``SolutionKind``
#: values), used to preselect the kind when a worker refers a case to a suggested entry:
#: municipal flats and supported municipal housing are applied for at the housing department;
#: shelters (night shelter, asylum houses, women's shelters) are social-service places; the three
#: benefits are claimed at the labour office; each advisory service has its own kind; field social
#: work is social work; the real-estate expert searches the market. NGO, sublease, guaranteed and
#: market flats and commercial hostels have no matching kind, so the worker picks one.
SOLUTION_REFERRAL_KINDS: dict[str, ReferralKind] = {
    "municipal_flat": ReferralKind.MUNICIPAL_FLAT_APPLICATION,
    "supported_municipal_housing": ReferralKind.MUNICIPAL_FLAT_APPLICATION,
    "night_shelter": ReferralKind.SOCIAL_SERVICE_PLACE,
    "asylum_house": ReferralKind.SOCIAL_SERVICE_PLACE,
    "womens_shelter": ReferralKind.SOCIAL_SERVICE_PLACE,
    "housing_allowance": ReferralKind.BENEFIT_CLAIM,
    "housing_supplement": ReferralKind.BENEFIT_CLAIM,
    "emergency_aid": ReferralKind.BENEFIT_CLAIM,
    "housing_assistance": ReferralKind.HOUSING_ASSISTANCE,
    "debt_advice": ReferralKind.DEBT_ADVICE,
    "legal_aid": ReferralKind.LEGAL_AID,
    "field_social_work": ReferralKind.SOCIAL_WORK,
    "real_estate_expert": ReferralKind.REAL_ESTATE_SEARCH,
}


def referral_kind_for_solution(solution_kind: str) -> ReferralKind | None:
    """The referral kind that fits a catalogue entry of ``solution_kind``; None when none does."""
    return SOLUTION_REFERRAL_KINDS.get(solution_kind)
