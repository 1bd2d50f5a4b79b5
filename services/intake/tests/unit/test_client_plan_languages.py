"""The personal plan's languages (issue 12): the body in Czech, Ukrainian and English from intake's
catalogue and the shared vocabulary's; a text the Ukrainian catalogue lacks is printed in Czech, never
as a code (the catalogue copied, one entry removed, compiled with Babel); the client's next steps
from the assessment's codes in plain words; opening hours with the weekdays of the language."""

from __future__ import annotations

from datetime import date, time
from pathlib import Path

import pytest
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from jinja2 import FileSystemLoader

from kmb_intake.application.client_documents import (
    CLIENT_STEPS,
    STEP_COME_BACK,
    ClientPlan,
    Place,
    _finding,
    client_steps,
)
from kmb_intake.entrypoints.pages.client_document_pages import DOMAIN, LOCALE_DIR, TEMPLATES, plan_html
from kmb_shared.web.i18n import DocumentTemplates

REMOVED = "Co jsme zjistili"  # the heading of what the assessment found


def _plan() -> ClientPlan:
    """At risk (ETHOS 9) as assessment's API answers it, with a step the plan knows and one it does not."""
    steps = [
        {"code": "debt_advice", "text": "Doporučit dluhové poradenství."},
        {"code": "new_step", "text": "Nový krok pravidel."},
    ]
    result = {
        "assessed_on": "2026-03-02",
        "need_level": {"code": "at_risk"},
        "ethos": {"category": 9},
        "next_steps": steps,
    }
    finding = _finding([{"status": "submitted", "result": {**result, "priority": {"score": 12}}}])
    shelter = Place(
        title="Dluhová poradna Lipovec",
        kind="debt_advice",
        address="Husova 3, 999 01 Lipovec",
        slots=(((0, 2), time(9), time(17)),),
        phones=("+420 000 300 100",),
    )
    return ClientPlan(
        case_number="KMB-2026-00042",
        members=["Олена Шевченко", "Petr Novák"],
        made_on=date(2026, 3, 3),
        finding=finding,
        steps=client_steps(finding),
        places=[shelter],
        worker="Jana Pracovnice",
        contact_phone="+420 000 100 001",
        contact_email=None,
    )


def test_the_plan_reads_in_ukrainian_with_names_and_addresses_as_entered() -> None:
    html = plan_html(_plan(), "uk")

    for text in (
        "Мій план житла",
        "Що ми з'ясували",
        "загроза втрати житла",
        "під загрозою виселення",
        "Порекомендуємо вам консультацію щодо боргів.",
        "Консультації щодо боргів",
        "Пн, Ср 9:00–17:00",
        "Олена Шевченко",
        "Petr Novák",
        "Husova 3, 999 01 Lipovec",
        "Jana Pracovnice",
    ):
        assert text in html, text
    for code in ("at_risk", "debt_advice", "new_step", "12"):
        assert code not in html.replace("KMB-2026-00042", ""), code


def test_a_step_the_plan_has_no_words_for_keeps_the_assessments_czech_text_and_each_known_step_has_words() -> (
    None
):
    steps = _plan().steps
    assert steps == [CLIENT_STEPS["debt_advice"], "Nový krok pravidel.", STEP_COME_BACK]


@pytest.fixture
def without_one_entry(tmp_path: Path) -> DocumentTemplates:
    """Intake's Ukrainian catalogue without the entry ``REMOVED``, compiled into ``tmp_path``."""
    with (LOCALE_DIR / "uk" / "LC_MESSAGES" / f"{DOMAIN}.po").open("rb") as source:
        catalogue = read_po(source)
    assert catalogue.get(REMOVED) is not None and catalogue[REMOVED].string
    catalogue.delete(REMOVED)
    target = tmp_path / "uk" / "LC_MESSAGES"
    target.mkdir(parents=True)
    with (target / f"{DOMAIN}.mo").open("wb") as compiled:
        write_mo(compiled, catalogue)
    return DocumentTemplates(FileSystemLoader(TEMPLATES), tmp_path, DOMAIN)


def test_a_missing_translation_falls_back_to_czech_never_to_a_code(
    without_one_entry: DocumentTemplates,
) -> None:
    html = plan_html(_plan(), "uk", without_one_entry)

    assert REMOVED in html  # the Czech heading in place of the missing one
    assert "Що ми з'ясували" not in html
    assert "Мій план житла" in html and "загроза втрати житла" in html  # the rest still translated


def test_an_unknown_language_is_czech() -> None:
    html = plan_html(_plan(), "xx")
    assert "Můj plán bydlení" in html and "ohrožení ztrátou bydlení" in html and "Po, St 9:00–17:00" in html
