"""The public leaflet as a printable A4 PDF: its page's template (``leaflet.html``) in print mode,
rendered by WeasyPrint (:mod:`kmb_shared.web.pdf`, the product's one PDF library) with DejaVu Sans
embedded, so Czech and Ukrainian text render on any printer and viewer. Czech, Ukrainian or English
(:mod:`kmb_shared.web.i18n`; catalogue ``locale/<lang>/LC_MESSAGES/kmb_catalogue.po``); the entries'
names, addresses and hours stay as the catalogue holds them."""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from functools import cache
from pathlib import Path
from typing import IO, Any

from jinja2 import FileSystemLoader

import kmb_shared.web
from kmb_shared.web.i18n import DocumentTemplates
from kmb_shared.web.pdf import FONT_DIR, PRINT_FONTS_CSS, missing_fonts, render_pdf

from ..domain.errors import LeafletFontMissing
from ..domain.kinds import SITUATION_TITLES
from ..domain.leaflet import COLLECTIVE_TITLES, DEFAULT_EMERGENCY_LINES, LEAFLET_TITLE_CS, Leaflet

DEFAULT_FONT_DIR = FONT_DIR
TEMPLATES = Path(__file__).parents[1] / "templates"
LOCALE_DIR = Path(__file__).parents[1] / "locale"
DOMAIN = "kmb_catalogue"
STYLES = Path(kmb_shared.web.__file__).parent / "static" / "leaflet.css"

#: the print layout on top of the page's styles: A4, dense two columns, the footer on every page
PRINT_CSS = """
@page { size: A4; margin: 15mm 15mm 22mm;
  @bottom-center { content: string(footer) " · " counter(page) "/" counter(pages);
                   font: 7.5pt/1.4 "DejaVu Sans"; color: #5a5a5a; white-space: pre-wrap; } }
body { font-size: 8.2pt; line-height: 1.35; }
main { max-width: none; padding: 0; }
h1 { font-size: 18pt; }
.en { font-size: 8.5pt; }
.issued { font-size: 10.5pt; margin: 1mm 0 2mm; }
.demo { font-size: 9.5pt; padding: 1.5mm 2.5mm; }
section { margin-top: 3mm; }
h2 { font-size: 13pt; padding: 1mm 2mm; break-after: avoid; }
h2 + .en { padding: 0.5mm 2mm 1.5mm; }
.items { display: block; }
/* inline blocks, not the page's grid: the same two columns, rendered about twice as fast by WeasyPrint */
.item { display: inline-block; width: 47.5%; margin: 0 4% 3mm 0; vertical-align: top; break-inside: avoid; }
.item:nth-child(2n) { margin-right: 0; }
.item h3 { font-size: 9.5pt; }
.item p { font-size: 8.2pt; }
a { color: #141414 !important; text-decoration: none; }
.emergency { display: none; }
.running-footer { string-set: footer content(); font-size: 0; height: 0; margin: 0; }
"""


def leaflet_messages() -> tuple[str, ...]:
    """The Czech texts the leaflet prints that come from the domain, not the template (each in the
    catalogue)."""
    lines = tuple(label for label, _ in DEFAULT_EMERGENCY_LINES)
    return (
        LEAFLET_TITLE_CS,
        *(cs for cs, _ in SITUATION_TITLES.values()),
        *COLLECTIVE_TITLES.values(),
        *lines,
    )


def extract_leaflet_messages(
    fileobj: IO[bytes], keywords: Sequence[str], comment_tags: Sequence[str], options: Mapping[str, Any]
) -> Iterator[tuple[int, str, str, list[str]]]:
    """Babel extractor (``babel.cfg``) of :func:`leaflet_messages`."""
    for text in leaflet_messages():
        yield 0, "gettext", text, []


@cache
def leaflet_documents() -> DocumentTemplates:
    return DocumentTemplates(FileSystemLoader(TEMPLATES), LOCALE_DIR, DOMAIN)


def _tel(number: object) -> str:
    return "".join(str(number).split())


def leaflet_html(leaflet: Leaflet, lang: str = "cs", *, printing: bool = False) -> str:
    """The leaflet page (``printing``: the document to print, styled by :func:`render_leaflet_pdf`)
    in ``lang``."""
    env = leaflet_documents().env(lang)
    env.filters["tel"] = _tel
    return env.get_template("leaflet.html").render(
        leaflet=leaflet, pdf_url=f"/leaflet.pdf?lang={lang}", printing=printing
    )


def render_leaflet_pdf(leaflet: Leaflet, lang: str = "cs", font_dir: Path = DEFAULT_FONT_DIR) -> bytes:
    """The leaflet as PDF bytes (A4). Raises :class:`LeafletFontMissing` without DejaVu Sans."""
    missing = missing_fonts(font_dir)
    if missing:
        raise LeafletFontMissing(
            "Leták nelze vytvořit: chybí písmo DejaVu Sans (" + ", ".join(missing) + "). "
            "Nainstalujte balíček fonts-dejavu-core (apt-get install fonts-dejavu-core) nebo zadejte "
            "složku s písmem. / Cannot build the leaflet: the DejaVu Sans font is missing; install "
            "the Debian package fonts-dejavu-core or pass font_dir."
        )
    css = "\n".join((PRINT_FONTS_CSS, STYLES.read_text(encoding="utf-8"), PRINT_CSS))
    return render_pdf(leaflet_html(leaflet, lang, printing=True), stylesheets=[css])
