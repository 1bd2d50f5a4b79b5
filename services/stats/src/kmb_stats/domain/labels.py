"""Czech labels of the codes that appear in reports and the audit, from the shared vocabulary
(``kmb_shared.contracts.vocabulary``), as ``{code: label}`` including the codes no longer offered
(old events still carry them). A code the vocabulary does not know is shown as it is: an analyst or an
auditor must see what the events say."""

from __future__ import annotations

from collections.abc import Mapping

from kmb_shared.contracts import vocabulary as vocab

MISSING = vocab.MISSING

NEED_LEVELS: Mapping[str, str] = vocab.NEED_LEVELS.as_dict()
HOUSEHOLD_TYPES: Mapping[str, str] = vocab.HOUSEHOLD_TYPES.as_dict()
#: "1 – přežívající venku"
ETHOS: Mapping[str, str] = {code: vocab.ethos_label(code) for code in vocab.ETHOS_CATEGORIES.as_dict()}
CHANNELS: Mapping[str, str] = vocab.CONTACT_CHANNELS.as_dict()
TOPICS: Mapping[str, str] = vocab.CONTACT_TOPICS.as_dict()
CLOSE_REASONS: Mapping[str, str] = vocab.CLOSE_REASONS.as_dict()
SOLUTION_KINDS: Mapping[str, str] = vocab.SOLUTION_KINDS.as_dict()
VULNERABILITY_FLAGS: Mapping[str, str] = vocab.VULNERABILITY_FLAGS.as_dict()
DECLINE_REASONS: Mapping[str, str] = vocab.DECLINE_REASONS.as_dict()
REFERRAL_OUTCOMES: Mapping[str, str] = vocab.REFERRAL_OUTCOMES.as_dict()
REFERRAL_KINDS: Mapping[str, str] = vocab.REFERRAL_KINDS.as_dict()
CANCEL_REASONS: Mapping[str, str] = vocab.CANCEL_REASONS.as_dict()
ERASURE_REASONS: Mapping[str, str] = vocab.ERASURE_REASONS.as_dict()


def label(mapping: Mapping[str, str], code: str | None) -> str:
    """The Czech label of a code, the code itself when unknown, or "neuvedeno" when missing."""
    if code is None or code == "unknown":
        return MISSING
    return mapping.get(code, code)
