"""Referral kinds, decline reasons and outcomes.

Their Czech labels are the shared vocabulary's (``kmb_shared.contracts.vocabulary``: ``REFERRAL_KINDS``,
``DECLINE_REASONS``, ``REFERRAL_OUTCOMES``), as for every code that travels in events; a label here is
the capitalised one (``kind_label(kind)`` "Sociální práce")."""

from __future__ import annotations

from enum import StrEnum

from kmb_shared.contracts.vocabulary import DECLINE_REASONS, REFERRAL_KINDS, REFERRAL_OUTCOMES


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


class ReferralOutcome(StrEnum):
    HOUSED = "housed"  # the household moved into the offered housing
    SERVICE_PROVIDED = "service_provided"
    BENEFIT_GRANTED = "benefit_granted"
    BENEFIT_REFUSED = "benefit_refused"
    OPINION_ISSUED = "opinion_issued"
    CLIENT_DID_NOT_ATTEND = "client_did_not_attend"
    OTHER = "other"


def kind_label(kind: ReferralKind | str) -> str:
    """ "Sociální práce" (the vocabulary's label, capitalised)."""
    return REFERRAL_KINDS.label(kind, capital=True)


def decline_reason_label(reason: DeclineReason | str) -> str:
    """ "Klient je nedostupný"."""
    return DECLINE_REASONS.label(reason, capital=True)


def outcome_label(outcome: ReferralOutcome | str) -> str:
    """ "Služba poskytnuta"."""
    return REFERRAL_OUTCOMES.label(outcome, capital=True)


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
