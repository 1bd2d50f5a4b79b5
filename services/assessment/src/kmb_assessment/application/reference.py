"""Reference data without personal data: the shipped rule sets and the survey's code lists."""

from __future__ import annotations

from datetime import date

from ..domain import RuleSetError, load_rule_sets, rule_set_for
from .survey import DOCUMENTS, MISSING_FACTS, dwelling_kinds, legal_titles, vulnerability_flags
from .views import CodeOut, RuleSetOut, SurveyCodesOut


def rule_sets(today: date) -> list[RuleSetOut]:
    """The shipped rule sets, oldest first, and which one is in force on ``today``."""
    shipped = load_rule_sets()
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
