"""Domain errors of the referrals context.

Every error carries a stable ``code`` and a Czech message a worker can read. The two families tell the
web layer how to answer: a :class:`ReferralConflict` means the request contradicts the current state
(HTTP 409), a :class:`ReferralInvalid` means the request itself is wrong (HTTP 422).
"""

from __future__ import annotations


class ReferralError(Exception):
    """Base of every referrals domain error."""

    code: str = "referral_error"

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class ReferralConflict(ReferralError):
    """The request contradicts the current state (maps to 409)."""

    code = "conflict"


class ReferralInvalid(ReferralError):
    """The request carries wrong or missing data (maps to 422)."""

    code = "invalid"


class IllegalTransition(ReferralConflict):
    """A lifecycle step that is not allowed from the referral's current state."""

    code = "illegal_transition"

    def __init__(self, message: str, current: str | None = None, target: str | None = None) -> None:
        super().__init__(message)
        self.current = current
        self.target = target


class PartnerDoesNotAccept(ReferralConflict):
    """The partner does not take referrals of this kind, or is inactive."""

    code = "partner_does_not_accept"

    def __init__(self, message: str, message_en: str | None = None) -> None:
        super().__init__(message)
        if message_en:
            self.message_en = message_en  # read by the API's error texts (the domain speaks Czech)


class NotAHousingOffer(ReferralInvalid):
    """The referral given as the accepted housing offer is not one."""

    code = "not_a_housing_offer"


class NoteRequired(ReferralInvalid):
    """A reason or outcome of ``other`` needs an explanatory note."""

    code = "note_required"
