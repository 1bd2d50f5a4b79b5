"""The public leaflet "Informace a kontakty pro osoby v bytové nouzi": an HTML page and a PDF, both
drawn from the entries in force today, in Czech, Ukrainian or English (``?lang=uk``; anything else:
Czech). No sign-in: anyone may read and print it."""

from __future__ import annotations

import asyncio
from typing import Annotated

from fastapi import APIRouter, Query
from fastapi.responses import HTMLResponse, Response

from kmb_shared.web.i18n import LANGUAGES, language

from ...application.leaflet import current_leaflet
from ..deps import Deps, Uow

router = APIRouter(tags=["leaflet"])

PDF_FILENAME = "informace-a-kontakty-bytova-nouze.pdf"
Lang = Annotated[str, Query(description="Language of the leaflet: " + ", ".join(LANGUAGES) + " (default cs)")]


@router.get("/leaflet", response_class=HTMLResponse)
async def leaflet_page(deps: Deps, uow: Uow, lang: Lang = "cs") -> HTMLResponse:
    """The leaflet as a printable web page (no JavaScript)."""
    leaflet = await current_leaflet(uow, deps.today(), deps.demo)
    return HTMLResponse(deps.render_leaflet_html(leaflet, language(lang)))


@router.get(
    "/leaflet.pdf",
    response_class=Response,
    responses={
        200: {"content": {"application/pdf": {}}, "description": "The leaflet, A4 PDF"},
        503: {"description": "Chybí písmo pro PDF / The PDF font is missing"},
    },
)
async def leaflet_pdf(deps: Deps, uow: Uow, lang: Lang = "cs") -> Response:
    """The leaflet as an A4 PDF for printing."""
    leaflet = await current_leaflet(uow, deps.today(), deps.demo)
    pdf = await asyncio.to_thread(deps.render_leaflet_pdf, leaflet, language(lang))
    return Response(
        content=pdf,
        media_type="application/pdf",
        headers={"Content-Disposition": f'inline; filename="{PDF_FILENAME}"'},
    )
