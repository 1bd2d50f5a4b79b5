"""Errors of the use cases, with Czech and English texts and the field they concern (if any)."""

from __future__ import annotations

from ..domain import ReferralConflict, ReferralInvalid


class _Bilingual:
    message_en: str
    field: str | None


class UnknownPartner(ReferralInvalid, _Bilingual):
    code = "unknown_partner"

    def __init__(self, slug: str, field: str = "partner") -> None:
        super().__init__(f"Partner „{slug}“ není registrován.")
        self.message_en = f"Partner '{slug}' is not registered."
        self.field = field


class WrongKind(ReferralInvalid, _Bilingual):
    code = "wrong_kind"

    def __init__(self, cs: str, en: str) -> None:
        super().__init__(cs)
        self.message_en = en
        self.field = None


class PartnerExists(ReferralConflict, _Bilingual):
    code = "partner_exists"

    def __init__(self, slug: str) -> None:
        super().__init__(f"Partner „{slug}“ už je registrován.")
        self.message_en = f"Partner '{slug}' is already registered."
        self.field = "slug"


class ConcurrentChange(ReferralConflict, _Bilingual):
    code = "concurrent_change"

    def __init__(self) -> None:
        super().__init__("Předání mezitím změnil někdo jiný; načtěte je znovu.")
        self.message_en = "Someone else changed the referral meanwhile; reload it."
        self.field = None


class PartnerInactive(Exception):
    """A deactivated partner's users and API tokens act no more (HTTP 403)."""

    code = "partner_inactive"
    message_cs = "Vaše organizace byla v kontaktním místě deaktivována; obraťte se na jeho administrátora."
    message_en = "Your organisation was deactivated by the contact point; ask its administrator."


class TopicUnavailable(Exception):
    """The partner's topic could not be created (Kafka unreachable)."""


class AlreadyStored(Exception):
    """A new row's key is taken (a concurrent insert of the same partner)."""
