"""HTML to PDF: the shared WeasyPrint rendering (:mod:`kmb_shared.web.pdf`)."""

from __future__ import annotations

from kmb_shared.web.pdf import PdfUnavailable, html_to_pdf

__all__ = ["PdfUnavailable", "html_to_pdf"]
