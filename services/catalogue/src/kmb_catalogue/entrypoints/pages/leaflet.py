"""The public leaflet "Informace a kontakty pro osoby v bytové nouzi": an HTML page and a PDF, both
drawn from the entries in force today. No sign-in: anyone may read and print it."""

from __future__ import annotations

import asyncio
from functools import cache
from pathlib import Path

from fastapi import APIRouter
from fastapi.responses import HTMLResponse, Response
from jinja2 import Environment, FileSystemLoader, select_autoescape

from kmb_shared.web.filters import CZECH_FILTERS

from ...application.leaflet import current_leaflet
from ...domain import Leaflet
from ..deps import Deps, Uow

router = APIRouter(tags=["leaflet"])

TEMPLATES = Path(__file__).parents[2] / "templates"
PDF_FILENAME = "informace-a-kontakty-bytova-nouze.pdf"


@cache
def _templates() -> Environment:
    env = Environment(
        loader=FileSystemLoader(TEMPLATES),
        autoescape=select_autoescape(["html"]),
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters["tel"] = lambda number: "".join(str(number).split())
    env.filters.update(CZECH_FILTERS)
    return env


def render_leaflet_html(leaflet: Leaflet) -> str:
    return _templates().get_template("leaflet.html").render(leaflet=leaflet, pdf_url="/leaflet.pdf")


@router.get("/leaflet", response_class=HTMLResponse)
async def leaflet_page(deps: Deps, uow: Uow) -> HTMLResponse:
    """The leaflet as a printable web page (Czech, no JavaScript)."""
    return HTMLResponse(render_leaflet_html(await current_leaflet(uow, deps.today(), deps.demo)))


@router.get(
    "/leaflet.pdf",
    response_class=Response,
    responses={
        200: {"content": {"application/pdf": {}}, "description": "The leaflet, A4 PDF"},
        503: {"description": "Chybí písmo pro PDF / The PDF font is missing"},
    },
)
async def leaflet_pdf(deps: Deps, uow: Uow) -> Response:
    """The leaflet as an A4 PDF for printing."""
    leaflet = await current_leaflet(uow, deps.today(), deps.demo)
    pdf = await asyncio.to_thread(deps.render_leaflet_pdf, leaflet)
    return Response(
        content=pdf,
        media_type="application/pdf",
        headers={"Content-Disposition": f'inline; filename="{PDF_FILENAME}"'},
    )
