"""The public leaflet as a printable A4 PDF, drawn with fpdf2 and an embedded DejaVu Sans font
(so Czech diacritics render on any printer and viewer)."""

from __future__ import annotations

from pathlib import Path

from fpdf import FPDF
from fpdf.enums import MethodReturnValue, XPos, YPos

from kmb_shared.formatting import format_date

from ..domain.errors import LeafletFontMissing
from ..domain.leaflet import Leaflet, LeafletItem

DEFAULT_FONT_DIR = Path("/usr/share/fonts/truetype/dejavu")
FONT_FILES = {"": "DejaVuSans.ttf", "B": "DejaVuSans-Bold.ttf"}
FAMILY = "DejaVu"

_MARGIN = 15.0
_LINE = 4.0
_TITLE_LINE = 4.8
_ITEM_GAP = 3.0
_GUTTER = 6.0
_HEADING = 17.0  # band, English line and spacing
_INK = (20, 20, 20)
_GREY = (90, 90, 90)
_ACCENT = (0, 84, 147)
_BAND = (224, 236, 246)
_DEMO_RED = (180, 0, 0)


def _font_paths(font_dir: Path) -> dict[str, Path]:
    paths = {style: font_dir / name for style, name in FONT_FILES.items()}
    missing = [str(p) for p in paths.values() if not p.is_file()]
    if missing:
        raise LeafletFontMissing(
            "Leták nelze vytvořit: chybí písmo DejaVu Sans (" + ", ".join(missing) + "). "
            "Nainstalujte balíček fonts-dejavu-core (apt-get install fonts-dejavu-core) nebo zadejte "
            "složku s písmem. / Cannot build the leaflet: the DejaVu Sans font is missing; install "
            "the Debian package fonts-dejavu-core or pass font_dir."
        )
    return paths


def _issued(leaflet: Leaflet) -> str:
    return format_date(leaflet.issued_on)


class _LeafletPDF(FPDF):
    def __init__(self, leaflet: Leaflet) -> None:
        super().__init__(orientation="P", unit="mm", format="A4")
        self.leaflet = leaflet

    def footer(self) -> None:
        self.set_y(-14)
        self.set_font(FAMILY, "", 7.5)
        self.set_text_color(*_GREY)
        lines = " · ".join(f"{label}: {number}" for label, number in self.leaflet.emergency_lines)
        self.multi_cell(
            0, 3.4, f"V ohrožení života volejte 112. {lines}", align="C", new_x=XPos.LMARGIN, new_y=YPos.NEXT
        )
        self.cell(
            0,
            3.4,
            f"{self.leaflet.municipality} · stav k {_issued(self.leaflet)} · strana {self.page_no()}/{{nb}}",
            align="C",
        )


def _details(item: LeafletItem) -> list[str]:
    lines = []
    if item.provider and item.provider != item.title:
        lines.append(item.provider)
    if item.address:
        lines.append(f"Adresa: {item.address}")
    if item.hours:
        lines.append(f"Otevřeno: {item.hours}")
    if item.phones:
        lines.append("Tel.: " + ", ".join(item.phones))
    web = [v for v in (item.email and f"E-mail: {item.email}", item.web and f"Web: {item.web}") if v]
    if web:
        lines.append(" · ".join(web))
    if item.note:
        lines.append(item.note)
    return lines


def _height(pdf: FPDF, text: str, width: float, line: float) -> float:
    wrapped = pdf.multi_cell(width, line, text, dry_run=True, output=MethodReturnValue.LINES)
    return len(wrapped) * line if isinstance(wrapped, list) else line


def _item_height(pdf: FPDF, item: LeafletItem, width: float) -> float:
    pdf.set_font(FAMILY, "B", 9.5)
    height = _height(pdf, item.title, width, _TITLE_LINE)
    pdf.set_font(FAMILY, "", 8.2)
    return height + sum(_height(pdf, line, width, _LINE) for line in _details(item)) + _ITEM_GAP


def _draw_item(pdf: FPDF, item: LeafletItem, x: float, y: float, width: float) -> None:
    pdf.set_xy(x, y)
    pdf.set_text_color(*_INK)
    pdf.set_font(FAMILY, "B", 9.5)
    pdf.multi_cell(width, _TITLE_LINE, item.title, new_x=XPos.LEFT, new_y=YPos.NEXT, align="L")
    pdf.set_font(FAMILY, "", 8.2)
    for line in _details(item):
        pdf.multi_cell(width, _LINE, line, new_x=XPos.LEFT, new_y=YPos.NEXT, align="L")


def _rows(items: tuple[LeafletItem, ...], columns: int) -> list[tuple[LeafletItem, ...]]:
    return [items[i : i + columns] for i in range(0, len(items), columns)]


def _column_width(pdf: FPDF, columns: int) -> float:
    return (pdf.epw - _GUTTER * (columns - 1)) / columns


def _write_items(pdf: FPDF, items: tuple[LeafletItem, ...], columns: int = 2) -> None:
    """Items in columns, row by row, a row never split across pages."""
    width = _column_width(pdf, columns)
    for row in _rows(items, columns):
        height = max(_item_height(pdf, item, width) for item in row)
        if pdf.will_page_break(height):
            pdf.add_page()
        top = pdf.get_y()
        for column, item in enumerate(row):
            _draw_item(pdf, item, pdf.l_margin + column * (width + _GUTTER), top, width)
        pdf.set_xy(pdf.l_margin, top + height)


def _write_heading(pdf: FPDF, title_cs: str, title_en: str, first_row: tuple[LeafletItem, ...]) -> None:
    """A section heading, moved to a new page unless its first row of items fits under it."""
    width = _column_width(pdf, max(len(first_row), 1))
    below = max((_item_height(pdf, item, width) for item in first_row), default=8.0)
    if pdf.will_page_break(_HEADING + below):
        pdf.add_page()
    pdf.ln(1.5)
    pdf.set_fill_color(*_BAND)
    pdf.set_text_color(*_ACCENT)
    pdf.set_font(FAMILY, "B", 13)
    pdf.cell(0, 8, f" {title_cs}", fill=True, new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    pdf.set_font(FAMILY, "", 8.5)
    pdf.set_text_color(*_GREY)
    pdf.cell(0, 5, f" {title_en}", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    pdf.ln(1.5)


def render_leaflet_pdf(leaflet: Leaflet, font_dir: Path = DEFAULT_FONT_DIR) -> bytes:
    """The leaflet as PDF bytes (A4). Raises :class:`LeafletFontMissing` without DejaVu Sans."""
    fonts = _font_paths(font_dir)
    pdf = _LeafletPDF(leaflet)
    for style, path in fonts.items():
        pdf.add_font(FAMILY, style, str(path))
    pdf.set_margins(_MARGIN, _MARGIN, _MARGIN)
    pdf.set_auto_page_break(True, margin=20)
    pdf.set_title(leaflet.title_cs)
    pdf.set_subject(leaflet.municipality)
    pdf.set_creator("KMB – kontaktní místo pro bydlení")
    pdf.set_lang("cs")
    pdf.add_page()

    pdf.set_text_color(*_ACCENT)
    pdf.set_font(FAMILY, "B", 18)
    pdf.multi_cell(0, 8.5, leaflet.title_cs, new_x=XPos.LMARGIN, new_y=YPos.NEXT, align="L")
    pdf.set_text_color(*_GREY)
    pdf.set_font(FAMILY, "", 10)
    pdf.cell(0, 5.5, leaflet.title_en, new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    pdf.set_text_color(*_INK)
    pdf.set_font(FAMILY, "B", 10.5)
    pdf.cell(0, 6, f"{leaflet.municipality} – stav k {_issued(leaflet)}", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    if leaflet.demo:
        pdf.set_text_color(*_DEMO_RED)
        pdf.set_font(FAMILY, "B", 9.5)
        pdf.multi_cell(
            0,
            5,
            "UKÁZKOVÁ DATA (DEMO): smyšlené město, adresy ani telefony nejsou skutečné. "
            "/ Demo data: a fictional town; addresses and phone numbers are not real.",
            new_x=XPos.LMARGIN,
            new_y=YPos.NEXT,
            align="L",
        )
    pdf.ln(2)
    if leaflet.contact_point is not None:
        first = (leaflet.contact_point,)
        _write_heading(
            pdf, "Nevíte si rady? Začněte u nás", "Not sure where to start? Come to us first", first
        )
        _write_items(pdf, first, columns=1)
    for section in leaflet.sections:
        _write_heading(pdf, section.title_cs, section.title_en, section.items[:2])
        if not section.items:
            pdf.set_text_color(*_INK)
            pdf.set_font(FAMILY, "", 8.8)
            pdf.multi_cell(
                0, _LINE, "Obraťte se na kontaktní místo pro bydlení.", new_x=XPos.LMARGIN, new_y=YPos.NEXT
            )
            pdf.ln(2)
        _write_items(pdf, section.items)
    return bytes(pdf.output())
