"""Audit summaries show codes by their Czech label and numbers, never text a person typed: stats keeps
no names, and a reason written freely could carry one."""

from __future__ import annotations

from kmb_stats.domain.audit import FREE_TEXT, summary_cs

REFERRAL = {"partner": "ngo-a", "kind": "housing_assistance"}


def test_a_declined_referral_shows_the_reason_code_by_its_czech_label() -> None:
    summary = summary_cs("kmb.referrals.referral_declined.v1", {**REFERRAL, "reason": "no_capacity"})
    assert summary == "ngo-a: asistence v bydlení (§ 22); důvod: nedostatečná kapacita"


def test_a_completed_referral_shows_the_outcome_by_its_czech_label() -> None:
    data = {"partner": "obec-byty", "kind": "municipal_flat_application", "outcome": "housed"}
    summary = summary_cs("kmb.referrals.referral_completed.v1", data)
    assert summary == "obec-byty: žádost o obecní byt; výsledek: domácnost získala bydlení"


def test_free_text_in_place_of_a_reason_code_is_not_shown() -> None:
    data = {**REFERRAL, "reason": "Paní Nováková si to rozmyslela"}
    summary = summary_cs("kmb.referrals.referral_declined.v1", data)
    assert "Nováková" not in summary
    assert summary.endswith(f"důvod: {FREE_TEXT}")


def test_an_unknown_code_is_shown_as_it_is() -> None:
    data = {**REFERRAL, "reason": "partner_closed"}
    assert summary_cs("kmb.referrals.referral_cancelled.v1", data).endswith("důvod: partner_closed")


def test_a_withdrawn_solution_says_only_whether_a_reason_was_given() -> None:
    given = summary_cs("kmb.catalogue.solution_withdrawn.v1", {"reason": "prodej domu panu Novákovi"})
    assert given == "Důvod uveden v katalogu"
    assert summary_cs("kmb.catalogue.solution_withdrawn.v1", {"reason": None}) == "Bez uvedení důvodu"


def test_contact_topics_that_are_not_codes_are_not_shown() -> None:
    data = {"channel": "phone", "duration_minutes": 15, "topics": ["debt", "Volal pan Novák"]}
    summary = summary_cs("kmb.intake.contact_recorded.v1", data)
    assert summary == f"telefonicky, 15 min, témata: debt, {FREE_TEXT}"
