"""The public leaflet "Informace a kontakty pro osoby v bytové nouzi": an HTML page and a PDF, both
drawn from the entries in force today. No sign-in: anyone may read and print it."""

from __future__ import annotations

import asyncio
from datetime import date, datetime
from functools import cache
from pathlib import Path
from zoneinfo import ZoneInfo

from fastapi import APIRouter
from fastapi.responses import HTMLResponse, Response
from jinja2 import Environment, FileSystemLoader, select_autoescape
from sqlmodel.ext.asyncio.session import AsyncSession

from kmb_shared.service import SessionDep

from ..adapters import store
from ..demo import DEMO_MUNICIPALITY, demo_contact_point
from ..domain import Leaflet, Solution, leaflet_content

router = APIRouter(tags=["leaflet"])

TEMPLATES = Path(__file__).parent / "templates"
LOCAL_ZONE = ZoneInfo("Europe/Prague")
#: the heading when the catalogue is not the demo town's (a setting once the municipality is configurable)
GENERIC_PUBLISHER = "Kontaktní místo pro bydlení"
PDF_FILENAME = "informace-a-kontakty-bytova-nouze.pdf"


def today() -> date:
    """Today as the contact point sees it (Czech local time)."""
    return datetime.now(LOCAL_ZONE).date()


@cache
def _templates() -> Environment:
    env = Environment(
        loader=FileSystemLoader(TEMPLATES),
        autoescape=select_autoescape(["html"]),
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters["tel"] = lambda number: "".join(str(number).split())
    env.filters["czech_date"] = lambda d: f"{d.day}. {d.month}. {d.year}"
    return env


def build_leaflet(entries: list[Solution], on: date) -> Leaflet:
    """The leaflet of ``entries`` in force on ``on``; the demo town's own heading and contact point
    when every entry is a demo entry."""
    current = [s for s in entries if s.is_valid_on(on)]
    if current and all(s.demo for s in current):
        return leaflet_content(current, on, DEMO_MUNICIPALITY, contact_point=demo_contact_point())
    return leaflet_content(current, on, GENERIC_PUBLISHER)


async def _current_leaflet(session: AsyncSession) -> Leaflet:
    on = today()
    return build_leaflet(await store.list_solutions(session, valid_on=on), on)


def render_leaflet_html(leaflet: Leaflet) -> str:
    return _templates().get_template("leaflet.html").render(leaflet=leaflet, pdf_url="/leaflet.pdf")


@router.get("/leaflet", response_class=HTMLResponse)
async def leaflet_page(session: AsyncSession = SessionDep) -> HTMLResponse:
    """The leaflet as a printable web page (Czech, no JavaScript)."""
    return HTMLResponse(render_leaflet_html(await _current_leaflet(session)))


@router.get("/leaflet.pdf", response_class=Response)
async def leaflet_pdf(session: AsyncSession = SessionDep) -> Response:
    """The leaflet as an A4 PDF for printing."""
    from ..domain.leaflet_pdf import render_leaflet_pdf  # fpdf2 loads only when a PDF is asked for

    leaflet = await _current_leaflet(session)
    pdf = await asyncio.to_thread(render_leaflet_pdf, leaflet)
    return Response(
        content=pdf,
        media_type="application/pdf",
        headers={"Content-Disposition": f'inline; filename="{PDF_FILENAME}"'},
    )
