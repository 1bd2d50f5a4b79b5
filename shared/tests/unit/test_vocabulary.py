"""The one vocabulary: every code the services publish, offer or read from a rule set has a Czech label
(never the raw code). The code lists are read from the services themselves (their enums, intake's code
lists, the assessment's dated rule sets), so a code added there and not here fails this test."""

from __future__ import annotations

import ast
from collections.abc import Iterable
from pathlib import Path

import pytest
import yaml

from kmb_shared.contracts.vocabulary import (
    CANCEL_REASONS,
    CLOSE_REASONS,
    CONTACT_CHANNELS,
    DECLINE_REASONS,
    DWELLING_KINDS,
    ETHOS_CATEGORIES,
    ETHOS_LIGHT,
    HOUSEHOLD_TYPES,
    LEGAL_TITLES,
    MISSING,
    NEED_LEVELS,
    REFERRAL_KINDS,
    REFERRAL_OUTCOMES,
    REFERRAL_STATES,
    SOLUTION_KINDS,
    UNCLASSIFIED,
    VOCABULARIES,
    VULNERABILITY_FLAGS,
    EthosLight,
    HouseholdType,
    NeedLevel,
    Vocabulary,
    ethos_label,
    label,
    labels,
)

ROOT = Path(__file__).resolve().parents[3]
RULE_SETS = sorted((ROOT / "services/assessment/src/kmb_assessment/rules").glob("*.yaml"))


def _rule_set_codes(section: str) -> set[str]:
    codes: set[str] = set()
    for path in RULE_SETS:
        codes |= set(yaml.safe_load(path.read_text(encoding="utf-8")).get(section) or {})
    return codes


def _missing(vocab: Vocabulary, codes: Iterable[object]) -> set[str]:
    """Codes ``vocab`` does not label (offered or retired)."""
    return {str(getattr(code, "value", code)) for code in codes if not vocab.knows(code)}


@pytest.mark.parametrize("vocab", list(VOCABULARIES.values()), ids=list(VOCABULARIES))
def test_every_code_has_a_czech_label_that_is_not_the_code(vocab: Vocabulary) -> None:
    assert len(vocab) > 0 and vocab.title
    for code, text in vocab.as_dict().items():
        assert text and text != code and text.strip() == text
        assert text not in (MISSING, UNCLASSIFIED)
        assert "_" not in text, f"{vocab.name}.{code}: {text!r} looks like a code"


def test_the_rule_sets_codes_are_all_labelled() -> None:
    assert RULE_SETS, "the assessment's rule sets were not found"
    assert _missing(DWELLING_KINDS, _rule_set_codes("dwelling_kinds")) == set()
    assert _missing(LEGAL_TITLES, _rule_set_codes("legal_titles")) == set()
    assert _missing(VULNERABILITY_FLAGS, _rule_set_codes("special_vulnerability")) == set()
    levels = set()
    for path in RULE_SETS:
        levels |= set(yaml.safe_load(path.read_text(encoding="utf-8"))["priority"]["need_level"])
    assert levels == set(NEED_LEVELS.codes)


def test_intakes_code_lists_are_all_labelled() -> None:
    from kmb_intake.domain.codes import CODE_LISTS

    for name, code_list in CODE_LISTS.items():
        vocab = VOCABULARIES[name]
        assert _missing(vocab, code_list.codes) == set(), name
        assert all(code in vocab for code in code_list.codes), f"{name}: intake offers a retired code"


def test_assessments_enums_are_the_kernels() -> None:
    from kmb_assessment.domain import vocabulary as assessment

    assert [str(v) for v in assessment.NeedLevel] == list(NEED_LEVELS.codes)
    assert [str(v) for v in assessment.HouseholdType] == list(HOUSEHOLD_TYPES.codes)
    assert [str(v) for v in assessment.EthosLight] == list(ETHOS_LIGHT.codes)
    assert _missing(VULNERABILITY_FLAGS, assessment.DERIVED_FLAGS) == set()


def test_catalogues_codes_are_all_labelled() -> None:
    from kmb_catalogue.domain import kinds as catalogue

    assert [str(v) for v in catalogue.SolutionKind] == list(SOLUTION_KINDS.codes)
    assert [str(v) for v in catalogue.NeedLevel] == list(NEED_LEVELS.codes)
    assert [str(v) for v in catalogue.HouseholdType] == list(HOUSEHOLD_TYPES.codes)


def test_referrals_codes_are_all_labelled() -> None:
    from kmb_referrals.domain import kinds, referral

    assert [str(v) for v in kinds.ReferralKind] == list(REFERRAL_KINDS.codes)
    assert [str(v) for v in kinds.DeclineReason] == list(DECLINE_REASONS.codes)
    assert [str(v) for v in kinds.ReferralOutcome] == list(REFERRAL_OUTCOMES.codes)
    assert [str(v) for v in referral.ReferralState] == list(REFERRAL_STATES.codes)
    # the cancellation codes are constants of referrals' application layer: read, not imported (slow)
    source = ROOT / "services/referrals/src/kmb_referrals/application/publishing.py"
    constants = {
        node.targets[0].id: node.value.value
        for node in ast.parse(source.read_text(encoding="utf-8")).body
        if isinstance(node, ast.Assign)
        and isinstance(node.targets[0], ast.Name)
        and isinstance(node.value, ast.Constant)
    }
    cancel_codes = [constants["CANCELLED_BY_WORKER"], constants["HOUSING_OFFER_ACCEPTED"]]
    assert _missing(CANCEL_REASONS, cancel_codes) == set()


def test_the_enums_are_the_wire_strings() -> None:
    assert [str(level) for level in NeedLevel] == [
        "roofless", "houseless", "insecure", "inadequate", "at_risk", "not_in_need",
    ]  # fmt: skip
    assert set(NEED_LEVELS.codes) == {str(v) for v in NeedLevel}
    assert set(HOUSEHOLD_TYPES.codes) == {str(v) for v in HouseholdType}
    assert set(ETHOS_LIGHT.codes) == {str(v) for v in EthosLight}
    assert EthosLight.LIVING_ROUGH.rank == 1 and EthosLight.WITH_FAMILY_FRIENDS.rank == 6
    assert ETHOS_CATEGORIES.codes == tuple(str(n) for n in range(1, 14))


def test_never_a_raw_code_for_a_person() -> None:
    assert label(NEED_LEVELS, NeedLevel.ROOFLESS) == "bez střechy"
    assert label(NEED_LEVELS, "roofless", capital=True) == "Bez střechy"
    assert label(NEED_LEVELS, None) == "neuvedeno"
    assert label(NEED_LEVELS, "unknown") == "neuvedeno"
    assert label(NEED_LEVELS, "no_such_code") == "nezařazeno"
    assert ethos_label(1) == "1 – přežívající venku"
    assert ethos_label("10", numbered=False) == "pod hrozbou domácího násilí"
    assert ethos_label(None) == "neuvedeno"
    assert ETHOS_CATEGORIES.term(8).hint == "u příbuzných nebo známých, bez nájmu, ubytovna"
    assert labels(VULNERABILITY_FLAGS, ["domestic_violence", "pregnancy"]) == "domácí násilí, těhotenství"


def test_retired_codes_are_labelled_but_neither_offered_nor_accepted() -> None:
    assert CLOSE_REASONS.label("deceased") == "úmrtí"
    assert "deceased" not in CLOSE_REASONS and CLOSE_REASONS.knows("deceased")
    assert "field_visit" in CONTACT_CHANNELS and "field" not in CONTACT_CHANNELS
    assert ("field_visit", "Terénní návštěva") in CONTACT_CHANNELS.choices()
    assert "field" not in dict(CONTACT_CHANNELS.choices())
    assert CONTACT_CHANNELS.as_dict()["field"] == "v terénu"
    assert "field" not in CONTACT_CHANNELS.as_dict(retired=False)


def test_subset_keeps_the_labels() -> None:
    picked = VULNERABILITY_FLAGS.subset(["pregnancy", "disability"])
    assert picked.codes == ("pregnancy", "disability")
    assert picked.term("disability").cs == "zdravotní postižení"
    with pytest.raises(KeyError):
        VULNERABILITY_FLAGS.term("nope")
