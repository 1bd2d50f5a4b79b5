"""HTML to PDF with WeasyPrint, the one PDF library of the product: stats' reports (it draws their
inline SVG charts itself), intake's data-subject report, personal plan and case summary, and
catalogue's public leaflet. Every document is a Jinja template, so its page and its PDF are the same
HTML; the fonts are embedded (DejaVu Sans: Czech and Ukrainian glyphs, :data:`PRINT_FONTS_CSS`).

WeasyPrint needs Pango from the operating system (Debian: libpango-1.0-0, libpangoft2-1.0-0) and the
font from fonts-dejavu-core, so it is loaded on first use: without them only the PDF downloads fail
(:class:`PdfUnavailable`), not the service. A service that renders PDF lists ``weasyprint`` among its
own dependencies."""

from __future__ import annotations

import asyncio
from collections.abc import Sequence
from pathlib import Path

#: where Debian's fonts-dejavu-core puts DejaVu Sans
FONT_DIR = Path("/usr/share/fonts/truetype/dejavu")
FONT_FILES = {"normal": "DejaVuSans.ttf", "bold": "DejaVuSans-Bold.ttf"}
FONT_FAMILY = "DejaVu Sans"


class PdfUnavailable(RuntimeError):
    """WeasyPrint, the system libraries it needs or the font are not installed."""


def _font_faces(font_dir: Path = FONT_DIR) -> str:
    return "\n".join(
        f'@font-face {{ font-family: "{FONT_FAMILY}"; font-weight: {weight}; '
        f'src: url("{(font_dir / name).as_uri()}"); }}'
        for weight, name in FONT_FILES.items()
    )


#: ``@font-face`` rules of DejaVu Sans (regular and bold) from its files, for a print template's
#: ``<style>``: the font is embedded in the PDF whatever the machine's font configuration says
PRINT_FONTS_CSS = _font_faces()


def missing_fonts(font_dir: Path = FONT_DIR) -> list[str]:
    """The font files a printed document needs that are not installed (empty: all are)."""
    return [str(font_dir / name) for name in FONT_FILES.values() if not (font_dir / name).is_file()]


def render_pdf(html: str, stylesheets: Sequence[str] = ()) -> bytes:
    """The PDF of a complete HTML document (styles inline, or given as ``stylesheets``: CSS texts
    applied after the document's own, so a template shared with a browser page needs no inline
    ``<style>``); :class:`PdfUnavailable` without WeasyPrint, Pango or DejaVu Sans. Blocking: call it
    off the event loop (:func:`html_to_pdf`)."""
    missing = missing_fonts()
    if missing:
        raise PdfUnavailable(
            "chybí písmo DejaVu Sans (" + ", ".join(missing) + "): apt-get install fonts-dejavu-core"
        )
    try:
        from weasyprint import CSS, HTML
    except (ImportError, OSError) as exc:
        raise PdfUnavailable(str(exc)) from exc
    pdf = HTML(string=html).write_pdf(stylesheets=[CSS(string=css) for css in stylesheets])
    assert pdf is not None
    return bytes(pdf)


async def html_to_pdf(html: str, stylesheets: Sequence[str] = ()) -> bytes:
    """The PDF of a complete HTML document (see :func:`render_pdf`), rendered off the event loop."""
    return await asyncio.to_thread(render_pdf, html, stylesheets)
