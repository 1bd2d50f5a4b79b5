"""Plausibility rules of what an author writes into the catalogue: an IČO with its check digit, a Czech
phone number, an e-mail address, a street with its house number, dates in a believable range and a
capacity that fits the kind of entry.

The rules apply to what comes in (the API, the forms, the demo data); an entry read back from storage is
validated with :data:`STORED` as context and skips them, so a rule tightened later never makes an entry
written before it unreadable (it must meet the rules again when it is next changed).
"""

from __future__ import annotations

import re
from datetime import date
from typing import Any

from pydantic import ValidationInfo
from pydantic_core import PydanticCustomError
from stdnum.cz import dic

from kmb_shared.clock import prague_today
from kmb_shared.formatting import format_date

from .kinds import KIND_GROUP, KindGroup, SolutionKind

#: validation context of an entry read back from storage (see the module's note)
STORED: dict[str, Any] = {"stored": True}

#: no entry of the catalogue can have started before this day (KMB keeps current offers, and an older
#: date is a typing error: 1026 for 2026)
EARLIEST_DATE = date(2000, 1, 1)
#: how far ahead a validity may start or end: further than this is a typing error, not a plan
MAX_YEARS_AHEAD = 10

#: Kinds that are one dwelling: exactly one unit (a second flat is a second entry).
SINGLE_UNIT_KINDS: frozenset[SolutionKind] = frozenset(
    {SolutionKind.MUNICIPAL_FLAT, SolutionKind.MARKET_OFFER}
)

# The largest capacity each kind may state. The bounds are set above the largest such facilities in
# Czech practice, so that they catch a typing error (an extra zero) without refusing a real one:
# - housing programmes (flats of an NGO, guaranteed, supported or sublease housing) are run by one
#   municipality or organisation with a handful up to a few dozen flats: at most 100 units;
# - an azylový dům (asylum house, also for mothers with children or women facing violence) typically
#   has 10–60 beds and the largest Czech ones around 200, a noclehárna (night shelter) 10–50 beds and
#   the largest city centres a few hundred in the winter regime: at most 300 beds;
# - a commercial ubytovna (hostel) ranges from a few dozen to several hundred beds: at most 600;
# - a service (housing assistance, advice, field social work) counts the households it can take on; a
#   team of a few social workers carries some tens of clients each: at most 300.
MAX_CAPACITY: dict[KindGroup, int] = {
    KindGroup.HOUSING: 100,
    KindGroup.SHELTER: 300,
    KindGroup.SERVICE: 300,
}
MAX_CAPACITY_OF_KIND: dict[SolutionKind, int] = {SolutionKind.COMMERCIAL_HOSTEL: 600}

#: +420 or 00420 (optional) and the 9 digits of a Czech number, in groups separated by spaces
PHONE_PATTERN = r"^(\+420|00420)? ?([0-9] ?){8}[0-9]$"
#: a local part and a domain of dot-separated labels ending with a top-level domain of letters
EMAIL_PATTERN = (
    r"^[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+(\.[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+)*"
    r"@([A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?\.)+[A-Za-z]{2,63}$"
)


def problem(code: str, message_cs: str, message_en: str) -> PydanticCustomError:
    """A refused value with its own ``code`` and both languages (``ctx['cs']``, ``ctx['en']``)."""
    return PydanticCustomError(code, "{cs}", {"cs": message_cs, "en": message_en})


def stored(info: ValidationInfo) -> bool:
    """Whether the value is read back from storage (the plausibility rules are skipped)."""
    return bool(info.context and info.context.get("stored"))


def check_ico(ico: str) -> str:
    """Eight digits whose last is the check digit of the first seven: weights 8..2, the remainder r of
    the sum by 11, check digit (11 - r) mod 10 (r = 0 gives 1, r = 1 gives 0). It is the check of a legal
    entity's DIČ (CZ + IČO), which python-stdnum computes (``stdnum.cz.dic``)."""
    if not re.fullmatch(r"[0-9]{8}", ico):
        raise problem("ico_format", "IČO má přesně 8 číslic.", "An IČO has exactly 8 digits.")
    if dic.calc_check_digit_legal(ico[:7]) != ico[7]:
        raise problem(
            "ico_checksum",
            f"IČO {ico} nemá správnou kontrolní číslici; zkontrolujte ho v obchodním rejstříku (ARES).",
            f"IČO {ico} has a wrong check digit; check it in the business register (ARES).",
        )
    return ico


def _matching(value: str, pattern: str, refusal: PydanticCustomError) -> str:
    if not re.fullmatch(pattern, value):
        raise refusal
    return value


def check_phone(phone: str) -> str:
    return _matching(
        phone,
        PHONE_PATTERN,
        problem(
            "phone_invalid",
            f"Telefon „{phone}“ není české telefonní číslo: zadejte 9 číslic, případně s předvolbou +420.",
            f"Phone “{phone}” is not a Czech number: enter 9 digits, optionally after +420.",
        ),
    )


def check_email(email: str) -> str:
    return _matching(
        email if len(email) <= 254 else "",
        EMAIL_PATTERN,
        problem(
            "email_invalid",
            f"E-mail „{email}“ nemá tvar adresy (např. info@organizace.cz).",
            f"E-mail “{email}” is not an address (e.g. info@organisation.cz).",
        ),
    )


def check_street(street: str) -> str:
    """A Czech address line names the street (or the village) and the house number: ``Sadová 5``,
    ``Vršovická 1429/68``, ``Lipovec 12``."""
    if not re.search(r"[^\W\d_]", street) or not re.search(r"[0-9]", street):
        raise problem(
            "street_invalid",
            "Uveďte ulici (nebo obec) i číslo domu, např. „Sadová 5“.",
            "Give the street (or village) and the house number, e.g. “Sadová 5”.",
        )
    return street


def check_city(city: str) -> str:
    if not re.search(r"[^\W\d_]", city):
        raise problem("city_invalid", "Uveďte název obce.", "Give the name of the town or village.")
    return city


def check_date(day: date | None, *, ahead_of: date | None = None) -> date | None:
    """Not before :data:`EARLIEST_DATE` nor more than :data:`MAX_YEARS_AHEAD` years after ``ahead_of``
    (today in Prague by default)."""
    if day is None:
        return None
    today = ahead_of or prague_today()
    try:
        latest = today.replace(year=today.year + MAX_YEARS_AHEAD)
    except ValueError:  # 29 February
        latest = today.replace(year=today.year + MAX_YEARS_AHEAD, day=28)
    if not EARLIEST_DATE <= day <= latest:
        raise problem(
            "date_out_of_range",
            f"Datum musí být mezi {format_date(EARLIEST_DATE)} a {format_date(latest)}.",
            f"The date must be between {EARLIEST_DATE.isoformat()} and {latest.isoformat()}.",
        )
    return day


def capacity_bounds(kind: SolutionKind) -> tuple[int, int]:
    """The smallest and largest total a ``kind`` may state (a benefit states none)."""
    if kind in SINGLE_UNIT_KINDS:
        return 1, 1
    return 1, MAX_CAPACITY_OF_KIND.get(kind, MAX_CAPACITY.get(KIND_GROUP[kind], 0))


def capacity_problem(kind: SolutionKind, total: int) -> PydanticCustomError | None:
    """Why ``total`` does not fit ``kind``, or None."""
    low, high = capacity_bounds(kind)
    if low <= total <= high:
        return None
    if low == high:
        return problem(
            "capacity_out_of_range",
            f"Byt je jedna bytová jednotka: kapacita celkem je {low} (další byt zadejte jako další záznam).",
            f"A flat is one unit: its total capacity is {low} (enter another flat as another entry).",
        )
    return problem(
        "capacity_out_of_range",
        f"Kapacita celkem musí být {low} až {high}.",
        f"The total capacity must be between {low} and {high}.",
    )
