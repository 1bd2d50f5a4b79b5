"""HTML to PDF with WeasyPrint (it draws inline SVG charts itself), for the printable pages of the
services (stats' reports, intake's data-subject report). WeasyPrint needs Pango from the operating
system (Debian: libpango-1.0-0, libpangoft2-1.0-0), so it is loaded on first use: without Pango only
the PDF downloads fail, not the service. A service that renders PDF lists ``weasyprint`` among its own
dependencies."""

from __future__ import annotations

import asyncio


class PdfUnavailable(RuntimeError):
    """WeasyPrint or the system libraries it needs are not installed."""


def _render(html: str) -> bytes:
    try:
        from weasyprint import HTML
    except (ImportError, OSError) as exc:
        raise PdfUnavailable(str(exc)) from exc
    pdf = HTML(string=html).write_pdf()
    assert pdf is not None
    return bytes(pdf)


async def html_to_pdf(html: str) -> bytes:
    """The PDF of a complete HTML document (styles inline), rendered off the event loop."""
    return await asyncio.to_thread(_render, html)
