"""Reference data without personal data: the shipped rule sets and the survey's code lists."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from ..domain import RuleSet, RuleSetError, load_rule_sets, rule_set_for
from .survey import DOCUMENTS, MISSING_FACTS, dwelling_kinds, legal_titles, vulnerability_flags
from .views import CodeOut, RuleSetOut, SurveyCodesOut


def rule_sets(today: date, in_use: Sequence[RuleSet] | None = None) -> list[RuleSetOut]:
    """The rule sets in use (``in_use``: packaged + activated; None: the shipped ones), oldest first,
    and which one is in force on ``today``."""
    shipped = load_rule_sets() if in_use is None else tuple(in_use)
    try:
        in_force = rule_set_for(today, shipped)
    except RuleSetError:
        in_force = None
    return [RuleSetOut.of(rules, in_force) for rules in shipped]


def _codes(codes: dict[str, str]) -> list[CodeOut]:
    return [CodeOut(code=code, label=label) for code, label in codes.items()]


def survey_codes() -> SurveyCodesOut:
    """The codes the survey accepts, with Czech labels."""
    return SurveyCodesOut(
        dwelling_kinds=_codes(dwelling_kinds()),
        legal_titles=_codes(legal_titles()),
        vulnerability_flags=_codes(vulnerability_flags()),
        missing_facts=_codes(MISSING_FACTS),
        checked_documents=_codes(DOCUMENTS),
    )
