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


class CaseIsClosed(ReferralConflict, _Bilingual):
    """The case is closed in intake: it takes no new referrals until it is reopened (HTTP 409)."""

    code = "case_closed"

    def __init__(self, number: str | None = None) -> None:
        which = f" {number}" if number else ""
        super().__init__(
            f"Případ{which} je uzavřený, nové předání k němu nelze vytvořit. Pokud je třeba v něm "
            "pokračovat, nejprve ho znovu otevřete."
        )
        self.message_en = f"Case{which} is closed: no new referral can be made. Reopen it first to continue."
        self.field = None


class CaseRefusal(Exception):
    """A referral not made because of its case, answered with ``status`` and the texts in ``detail()``."""

    code: str
    status: int
    message_cs: str
    message_en: str

    def detail(self) -> dict[str, str]:
        return {"code": self.code, "message_cs": self.message_cs, "message_en": self.message_en}


class CaseNotFound(CaseRefusal):
    """No such case for the caller's organisation, neither in intake's events nor in intake (HTTP 404)."""

    code, status = "case_not_found", 404
    message_cs = "Případ nenalezen: vaše organizace takový případ nevede. Zkontrolujte, k jakému případu předání patří."
    message_en = "Case not found: your organisation keeps no such case. Check which case the referral is for."


class CaseUnconfirmed(CaseRefusal):
    """The case is not known here yet and intake cannot be asked now (HTTP 503): neither refused nor made."""

    code, status = "intake_unavailable", 503
    message_cs = (
        "Případ zatím nelze ověřit: evidence případů právě neodpovídá. Předání nebylo vytvořeno; zkuste to "
        "prosím za chvíli znovu."
    )
    message_en = (
        "The case cannot be checked now: intake does not answer. Nothing was made; try again shortly."
    )


class PartnerInactive(Exception):
    """A deactivated partner's users and API tokens act no more (HTTP 403)."""

    code = "partner_inactive"
    message_cs = "Vaše organizace byla v kontaktním místě deaktivována; obraťte se na jeho administrátora."
    message_en = "Your organisation was deactivated by the contact point; ask its administrator."


class TopicUnavailable(Exception):
    """The partner's topic could not be created (Kafka unreachable)."""


class AlreadyStored(Exception):
    """A new row's key is taken (a concurrent insert of the same partner)."""
