"""Notifications for the worker who made a referral: what a partner (or the deadline) did with it.

Pure rules: who is told, and the Czech sentence shown on the desk and the notifications page. A
notification names the case by its number and says what happened; it carries no client's data and no
free text (a partner's decline note may name the household: only the reason's fixed label is kept).
"""

from __future__ import annotations

from .kinds import DeclineReason, ReferralOutcome, decline_reason_label, kind_label, outcome_label
from .partner_updates import PartnerUpdateKind

#: the steps a worker is told about (a cancellation is the worker's own act, or follows an acceptance)
NOTIFIED_UPDATES = frozenset(
    {
        PartnerUpdateKind.ACCEPTED,
        PartnerUpdateKind.DECLINED,
        PartnerUpdateKind.COMPLETED,
        PartnerUpdateKind.BINDING_OPINION,
        PartnerUpdateKind.OVERDUE,
    }
)

#: referrals made before the worker was recorded (or by the system) have no one to tell
_NOBODY = frozenset({"", "unknown", "system"})


def recipient(update: PartnerUpdateKind, made_by: str, actor_user_id: str) -> str | None:
    """The worker to tell of ``update``: the one who made the referral, unless they did it themselves."""
    if update not in NOTIFIED_UPDATES or made_by in _NOBODY or made_by == actor_user_id:
        return None
    return made_by


def notification_text(
    update: PartnerUpdateKind | str,
    *,
    case: str,
    partner: str,
    referral_kind: str,
    reason: str | None = None,
) -> str:
    """The Czech sentence, e.g. "Partner Sociální odbor odmítl předání Sociální práce k případu
    KMB-2026-00001. Důvod: Mimo naši kapacitu." ``reason`` is the decline reason, the outcome or, for a
    binding opinion, ``positive``/``negative`` (codes, shown by their labels)."""
    update = PartnerUpdateKind(update)
    what = f"předání „{kind_label(referral_kind)}“ k případu {case}"
    if update is PartnerUpdateKind.ACCEPTED:
        return f"{partner} přijal {what}."
    if update is PartnerUpdateKind.DECLINED:
        because = f" Důvod: {decline_reason_label(DeclineReason(reason))}." if reason else ""
        return f"{partner} odmítl {what}.{because}"
    if update is PartnerUpdateKind.COMPLETED:
        result = f" Výsledek: {outcome_label(ReferralOutcome(reason))}." if reason else ""
        return f"{partner} dokončil {what}.{result}"
    if update is PartnerUpdateKind.BINDING_OPINION:
        verdict = {"positive": " Stanovisko je kladné.", "negative": " Stanovisko je záporné."}.get(
            reason or "", ""
        )
        return f"{partner} vydal závazné stanovisko k {what}.{verdict}"
    if update is PartnerUpdateKind.OVERDUE:
        return f"{partner} neodpověděl včas na {what}: lhůta pro odpověď uplynula."
    raise ValueError(f"no notification for {update}")
