"""When a household accepts a housing offer, its other open housing-search referrals end."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

from .errors import NotAHousingOffer
from .kinds import HOUSING_OFFER_KINDS, HOUSING_SEARCH_KINDS, ReferralKind, kind_label
from .lifecycle import cancel
from .referral import Referral

HOUSING_ACCEPTED_REASON = "Domácnost přijala nabídku bydlení ({offer})."


def close_other_housing_referrals(
    accepted_offer: Referral,
    referrals: Iterable[Referral],
    on: date,
    search_kinds: frozenset[ReferralKind] = HOUSING_SEARCH_KINDS,
) -> tuple[Referral, ...]:
    """The household's other open housing-search referrals, cancelled, in a stable order (by id).

    ``accepted_offer`` is the referral through which the household got the offer it accepted; it must
    be of a housing-offer kind (municipal flat, market flat). Referrals of other cases, closed ones,
    the offer itself and support that goes on in the new home (e.g. housing assistance) are untouched.
    """
    if accepted_offer.kind not in HOUSING_OFFER_KINDS:
        raise NotAHousingOffer(f"Předání typu „{kind_label(accepted_offer.kind)}“ není nabídkou bydlení.")
    reason = HOUSING_ACCEPTED_REASON.format(offer=kind_label(accepted_offer.kind))
    to_close = sorted(
        (
            r
            for r in referrals
            if r.case_id == accepted_offer.case_id
            and r.id != accepted_offer.id
            and r.is_open
            and r.kind in search_kinds
        ),
        key=lambda r: str(r.id),
    )
    return tuple(cancel(r, on, reason) for r in to_close)
