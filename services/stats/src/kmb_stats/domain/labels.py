"""Czech labels of the codes that appear in reports. Unknown codes are shown as they are."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

MISSING = "neuvedeno"

NEED_LEVELS: Mapping[str, str] = {
    "roofless": "bez střechy",
    "houseless": "bez bytu",
    "insecure": "nejisté bydlení",
    "inadequate": "nevyhovující bydlení",
    "at_risk": "ohrožení ztrátou bydlení",
    "not_in_need": "není v bytové nouzi",
}

HOUSEHOLD_TYPES: Mapping[str, str] = {
    "single": "jednotlivec",
    "couple": "pár bez dětí",
    "single_parent": "rodič samoživitel s dětmi",
    "family_with_children": "rodina s dětmi",
    "senior": "senioři",
    "other": "jiná domácnost",
}

ETHOS: Mapping[str, str] = {
    "1": "1 – přežívající venku",
    "2": "2 – v noclehárně",
    "3": "3 – v ubytovně pro bezdomovce, azylovém domě",
    "4": "4 – v azylovém domě pro ženy",
    "5": "5 – v ubytování pro přistěhovalce",
    "6": "6 – před opuštěním instituce",
    "7": "7 – v dlouhodobé podpoře kvůli bezdomovectví",
    "8": "8 – v nejistém bydlení",
    "9": "9 – pod hrozbou vystěhování",
    "10": "10 – pod hrozbou domácího násilí",
    "11": "11 – v provizorní či neobvyklé stavbě",
    "12": "12 – v nevhodném bydlení",
    "13": "13 – v extrémně přelidněném bydlení",
}

CHANNELS: Mapping[str, str] = {
    "in_person": "osobně",
    "phone": "telefonicky",
    "email": "e-mailem",
    "field": "v terénu",
    "online": "online",
    "letter": "písemně",
}

CLOSE_REASONS: Mapping[str, str] = {
    "housed_adequately": "zajištěno vyhovující bydlení",
    "resolved_itself": "situace se vyřešila sama",
    "moved_away": "odstěhování mimo obvod",
    "lost_contact": "ztráta kontaktu",
    "declined_help": "odmítnutí pomoci",
    "deceased": "úmrtí",
}

SOLUTION_KINDS: Mapping[str, str] = {
    "municipal_flat": "obecní byt",
    "supported_municipal_flat": "podporované obecní bydlení",
    "ngo_flat": "byt neziskové organizace",
    "guaranteed_housing": "bydlení s garancí",
    "sublease": "podnájemní bydlení",
    "shelter": "azylový dům",
    "night_shelter": "noclehárna",
    "hostel": "ubytovna",
    "market_flat": "tržní nájem",
    "housing_assistance": "asistence v bydlení",
}

VULNERABILITY_FLAGS: Mapping[str, str] = {
    "disability": "zdravotní postižení",
    "senior": "senior",
    "single_parent": "samoživitel/ka",
    "domestic_violence": "ohrožení domácím násilím",
    "leaving_institution": "odchod z instituce",
    "young_adult_leaving_care": "mladý dospělý po odchodu z péče",
    "large_family": "početná rodina",
    "pregnancy": "těhotenství",
    "chronic_illness": "chronické onemocnění",
}


#: referral decline reasons, outcomes and cancellation codes (the referrals context's fixed lists)
DECLINE_REASONS: Mapping[str, str] = {
    "not_eligible": "klient nesplňuje podmínky",
    "no_capacity": "nedostatečná kapacita",
    "client_unreachable": "klient je nedostupný",
    "client_refused": "klient odmítl",
    "higher_care_needed": "klient potřebuje vyšší míru péče",
    "duplicate": "duplicitní předání",
    "other": "jiný důvod",
}

REFERRAL_OUTCOMES: Mapping[str, str] = {
    "housed": "domácnost získala bydlení",
    "service_provided": "služba poskytnuta",
    "benefit_granted": "dávka přiznána",
    "benefit_refused": "dávka nepřiznána",
    "opinion_issued": "stanovisko vydáno",
    "client_did_not_attend": "klient se nedostavil",
    "other": "jiný výsledek",
}

REFERRAL_KINDS: Mapping[str, str] = {
    "binding_opinion": "závazné stanovisko Úřadu práce (§ 18)",
    "benefit_claim": "žádost o dávku",
    "municipal_flat_application": "žádost o obecní byt",
    "social_work": "sociální práce",
    "social_service_place": "místo v sociální službě",
    "housing_assistance": "asistence v bydlení (§ 22)",
    "legal_aid": "právní pomoc",
    "real_estate_search": "hledání bytu na trhu",
    "debt_advice": "dluhové poradenství",
    "case_conference": "případová konference",
}

CANCEL_REASONS: Mapping[str, str] = {
    "cancelled_by_worker": "zrušil pracovník",
    "housing_offer_accepted": "domácnost přijala nabídku bydlení",
}


def label(mapping: Mapping[str, str], code: str | None) -> str:
    """The Czech label of a code, the code itself when unknown, or "neuvedeno" when missing."""
    if code is None or code == "unknown":
        return MISSING
    return mapping.get(code, code)


def czech_date(day: Any) -> str:
    """A day in Czech notation: ``5. 3. 2026``."""
    return f"{day.day}. {day.month}. {day.year}"
