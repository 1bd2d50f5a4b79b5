from __future__ import annotations

import re
from collections.abc import Callable
from datetime import date
from io import BytesIO
from pathlib import Path

import pytest
from pypdf import PdfReader

from kmb_catalogue.adapters.leaflet_pdf import DEFAULT_FONT_DIR, leaflet_html, render_leaflet_pdf
from kmb_catalogue.domain import (
    Leaflet,
    LeafletFontMissing,
    Situation,
    Solution,
    SolutionKind,
    leaflet_content,
    situations_of,
)

K = SolutionKind
S = Situation
ON = date(2026, 11, 25)
MakeSolution = Callable[..., Solution]


def _titles(leaflet: Leaflet, situation: Situation) -> list[str]:
    section = next(s for s in leaflet.sections if s.situation is situation)
    return [item.title for item in section.items]


def test_sections_come_in_the_fixed_order_with_czech_and_english_titles() -> None:
    leaflet = leaflet_content([], ON, "Město Lipovec")
    assert [(s.title_cs, s.title_en) for s in leaflet.sections] == [
        ("Nemám kde dnes spát", "I have nowhere to sleep tonight"),
        ("Hrozí mi ztráta bydlení", "I am about to lose my flat"),
        ("Nemám na nájem", "I cannot pay rent"),
        ("Bydlím v nevyhovujících podmínkách", "I live in unfit conditions"),
        ("Zažívám násilí", "I face violence"),
    ]
    assert leaflet.title_cs == "Informace a kontakty pro osoby v bytové nouzi"


def test_entries_land_in_the_sections_of_their_situation(make_solution: MakeSolution) -> None:
    shelter = make_solution(K.NIGHT_SHELTER, 1, title="Noclehárna")
    allowance = make_solution(K.HOUSING_ALLOWANCE, 2, title="Příspěvek na bydlení")
    intervention = make_solution(
        K.LEGAL_AID, 3, title="Intervenční centrum", eligibility={"required_flags": ["domestic_violence"]}
    )
    leaflet = leaflet_content([shelter, allowance, intervention], ON, "Lipovec")
    assert _titles(leaflet, S.NO_PLACE_TONIGHT) == ["Noclehárna"]
    assert _titles(leaflet, S.CANNOT_PAY_RENT) == ["Příspěvek na bydlení"]
    assert _titles(leaflet, S.VIOLENCE) == ["Intervenční centrum"]
    assert _titles(leaflet, S.LOSING_HOME) == ["Intervenční centrum"]  # legal aid also helps there


def test_an_entry_can_name_its_own_sections(make_solution: MakeSolution) -> None:
    entry = make_solution(K.LEGAL_AID, situations=["violence"])
    assert situations_of(entry) == frozenset({S.VIOLENCE})


def test_flats_are_listed_once_per_provider_and_kind(make_solution: MakeSolution) -> None:
    city = {"name": "Město Lipovec, bytový odbor"}
    flats = [make_solution(K.MUNICIPAL_FLAT, n, provider=city, title=f"Byt {n}") for n in (1, 2, 3)]
    leaflet = leaflet_content(flats, ON, "Lipovec")
    assert _titles(leaflet, S.UNFIT_CONDITIONS) == ["Obecní byty – žádost o pronájem"]


def test_items_carry_address_hours_and_phones(make_solution: MakeSolution) -> None:
    shelter = make_solution(
        K.NIGHT_SHELTER,
        address={"street": "Nádražní 14", "city": "Lipovec", "postcode": "99901"},
        opening_hours={"slots": [{"weekdays": [0, 1, 2, 3, 4, 5, 6], "opens": "18:30", "closes": "07:30"}]},
        contacts={"phones": ["+420 000 200 401"]},
    )
    item = leaflet_content([shelter], ON, "Lipovec").sections[0].items[0]
    assert item.address == "Nádražní 14, 99901 Lipovec"
    assert item.hours == "Po–Ne 18:30–7:30"
    assert item.phones == ("+420 000 200 401",)


def test_entries_out_of_validity_are_left_out(make_solution: MakeSolution) -> None:
    old = make_solution(K.NIGHT_SHELTER, 1, title="Stará noclehárna", valid_to="2026-10-31")
    leaflet = leaflet_content([old], ON, "Lipovec")
    assert all(section.items == () for section in leaflet.sections)
    assert not leaflet.demo


def test_leaflet_is_marked_demo_when_it_shows_demo_entries(make_solution: MakeSolution) -> None:
    demo = make_solution(K.NIGHT_SHELTER, title="Noclehárna (DEMO)", demo=True)
    assert leaflet_content([demo], ON, "Lipovec (DEMO)").demo


def test_missing_font_fails_with_a_message_naming_the_package(tmp_path: Path) -> None:
    with pytest.raises(LeafletFontMissing) as caught:
        render_leaflet_pdf(leaflet_content([], ON, "Lipovec"), font_dir=tmp_path)
    assert "fonts-dejavu-core" in caught.value.message
    assert str(tmp_path) in caught.value.message


needs_font = pytest.mark.skipif(
    not (DEFAULT_FONT_DIR / "DejaVuSans.ttf").is_file(), reason="fonts-dejavu-core is not installed"
)


@pytest.fixture
def pdf(make_solution: MakeSolution) -> bytes:
    entries = [
        make_solution(
            K.NIGHT_SHELTER,
            1,
            title="Noclehárna Teplý kout",
            address={"street": "Nádražní 14", "city": "Lipovec"},
            contacts={"phones": ["+420 000 200 401"]},
            opening_hours={"nonstop": True},
        ),
        make_solution(K.WOMENS_SHELTER, 2, title="Azylový dům pro ženy ohrožené násilím"),
    ]
    return render_leaflet_pdf(leaflet_content(entries, ON, "Město Lipovec"))


@needs_font
def test_pdf_is_an_a4_document_with_the_font_embedded(pdf: bytes) -> None:
    assert pdf.startswith(b"%PDF-")
    assert pdf.rstrip().endswith(b"%%EOF")
    page = PdfReader(BytesIO(pdf)).pages[0]
    fonts = [font.get_object() for font in page["/Resources"]["/Font"].values()]
    embedded = [f["/DescendantFonts"][0].get_object()["/FontDescriptor"] for f in fonts]
    assert all(re.fullmatch(r"/[A-Z]{6}\+DejaVu-?Sans(-Bold)?", str(f["/BaseFont"])) for f in fonts)
    assert all("/FontFile2" in descriptor for descriptor in embedded)  # the TrueType program itself
    # A4 is 210 × 297 mm = 595.28 × 841.89 pt
    assert [round(float(v), 2) for v in page.mediabox] == [0, 0, 595.28, 841.89]


@needs_font
def test_pdf_text_has_the_sections_and_czech_diacritics(pdf: bytes) -> None:
    pypdf = pytest.importorskip("pypdf")
    reader = pypdf.PdfReader(BytesIO(pdf))
    text = "\n".join(page.extract_text() for page in reader.pages)
    for expected in (
        "Informace a kontakty pro osoby v bytové nouzi",
        "Nemám kde dnes spát",
        "Hrozí mi ztráta bydlení",
        "Nemám na nájem",
        "Bydlím v nevyhovujících podmínkách",
        "Zažívám násilí",
        "Noclehárna Teplý kout",
        "Nádražní 14, Lipovec",
        "+420 000 200 401",
        "nonstop",
        "Azylový dům pro ženy ohrožené násilím",
        "stav k 25. 11. 2026",
    ):
        assert expected in text


@needs_font
@pytest.mark.parametrize(
    ("lang", "heading", "label"),
    [("uk", "Мені ніде сьогодні ночувати", "Адреса:"), ("en", "I have nowhere to sleep tonight", "Address:")],
)
def test_the_leaflet_prints_in_the_clients_language_with_names_and_addresses_as_entered(
    make_solution: MakeSolution, lang: str, heading: str, label: str
) -> None:
    shelter = make_solution(
        K.NIGHT_SHELTER,
        1,
        title="Noclehárna Teplý kout",
        address={"street": "Nádražní 14", "city": "Lipovec"},
        contacts={"phones": ["+420 000 200 401"]},
    )
    pdf = render_leaflet_pdf(leaflet_content([shelter], ON, "Město Lipovec"), lang)
    text = " ".join(page.extract_text() for page in PdfReader(BytesIO(pdf)).pages)
    assert heading in text and f"{label} Nádražní 14, Lipovec" in text
    assert "Noclehárna Teplý kout" in text and "Město Lipovec" in text
    assert "no_place_tonight" not in text


def test_the_leaflet_page_is_in_the_chosen_language_and_links_the_other_two(
    make_solution: MakeSolution,
) -> None:
    html = leaflet_html(leaflet_content([], ON, "Město Lipovec"), "uk")

    assert '<html lang="uk">' in html and "Мені ніде сьогодні ночувати" in html
    assert '<span class="en" lang="cs">Nemám kde dnes spát</span>' in html  # the Czech original beside it
    assert 'href="?lang=cs"' in html and 'href="?lang=en"' in html and 'href="/leaflet.pdf?lang=uk"' in html
