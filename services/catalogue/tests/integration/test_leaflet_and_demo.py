"""The demo catalogue loads once through the ordinary create path; the public leaflet (HTML and PDF)
shows the entries in force today, grouped by the reader's situation."""

from __future__ import annotations

import io
import json
import re
from datetime import timedelta
from importlib import resources
from uuid import UUID

import pytest
from pypdf import PdfReader

from kmb_catalogue.adapters.clock import prague_today as today
from kmb_catalogue.adapters.demo import LIPOVEC
from kmb_catalogue.application.demo import load_demo
from kmb_catalogue.bootstrap import load_demo_standalone
from kmb_catalogue.config import CatalogueSettings
from kmb_shared.messaging import Topics

from .support import Catalogue, catalogue_events, entry

pytestmark = pytest.mark.kafka

#: the five situations of the leaflet, in their fixed order (domain.kinds.SITUATION_TITLES)
HEADINGS = (
    "Nemám kde dnes spát",
    "Hrozí mi ztráta bydlení",
    "Nemám na nájem",
    "Bydlím v nevyhovujících podmínkách",
    "Zažívám násilí",
)
NIGHT_SHELTER = UUID("01c2ac74-aafd-54e8-8f9a-846305bceea9")  # Noclehárna Teplý kout (DEMO)
DEBT_ADVICE = UUID("0ceb3cfe-5643-520a-a98a-f81586516f66")  # Dluhová poradna (DEMO)


def demo_ids() -> list[UUID]:
    """The ids in the shipped demo data file, read as plain JSON."""
    text = resources.files("kmb_catalogue.adapters.demo").joinpath("lipovec.json").read_text(encoding="utf-8")
    return [UUID(item["id"]) for item in json.loads(text)["solutions"]]


async def test_the_demo_catalogue_is_published_once_and_a_second_load_adds_nothing(
    catalogue: Catalogue,
) -> None:
    expected = demo_ids()

    first = await catalogue.editor.post("/api/demo/load")
    second = await catalogue.editor.post("/api/demo/load")

    assert first.status_code == second.status_code == 200
    assert [UUID(i) for i in first.json()["created"]] == expected
    assert (second.json()["created"], [UUID(i) for i in second.json()["skipped"]]) == ([], expected)
    events = await catalogue.events(expect=len(expected))
    assert len(events) == len(expected)
    assert {e.type for e in events} == {"kmb.catalogue.solution_published.v1"}
    assert sorted(UUID(e.key) for e in events) == sorted(expected)
    shelter = (await catalogue.worker.get(f"/api/solutions/{NIGHT_SHELTER}")).json()
    assert (shelter["title"], shelter["demo"], shelter["capacity"]) == (
        "Noclehárna Teplý kout (DEMO)",
        True,
        {"total": 20, "free": 6},
    )


async def test_the_demo_loader_skips_an_entry_present_under_the_same_title(catalogue: Catalogue) -> None:
    await catalogue.create(entry("debt_advice", "Dluhová poradna (DEMO)"))

    result = await load_demo(catalogue.deps.unit_of_work, LIPOVEC)

    assert result.skipped == [DEBT_ADVICE]
    assert len(result.created) == len(demo_ids()) - 1
    listed = (await catalogue.worker.get("/api/solutions", params={"kind": "debt_advice"})).json()
    assert [s["title"] for s in listed] == ["Dluhová poradna (DEMO)"]


async def test_the_standalone_demo_loader_fills_the_service_database_and_topic(
    kafka_bootstrap: str, topic_prefix: str, database_url: str
) -> None:
    settings = CatalogueSettings(
        kafka_bootstrap=kafka_bootstrap, topic_prefix=topic_prefix, database_url=database_url
    )

    result = await load_demo_standalone(settings)
    again = await load_demo_standalone(settings)

    assert (len(result.created), len(again.created)) == (len(demo_ids()), 0)
    events = await catalogue_events(kafka_bootstrap, Topics(topic_prefix), expect=len(demo_ids()))
    assert sorted(UUID(e.key) for e in events) == sorted(demo_ids())


async def test_the_leaflet_page_lists_current_entries_under_the_five_situations(catalogue: Catalogue) -> None:
    assert (await catalogue.editor.post("/api/demo/load")).status_code == 200
    withdrawn = await catalogue.editor.delete(f"/api/solutions/{DEBT_ADVICE}", params={"version": 1})
    assert withdrawn.status_code == 200
    tomorrow = (today() + timedelta(days=1)).isoformat()
    await catalogue.create(entry("legal_aid", "Poradna otevřená od zítřka (DEMO)", valid_from=tomorrow))

    response = await catalogue.anonymous.get("/leaflet")

    assert response.status_code == 200
    assert response.headers["content-type"] == "text/html; charset=utf-8"
    page = response.text
    assert "Informace a kontakty pro osoby v bytové nouzi" in page
    positions = [page.index(f">{heading}</h2>") for heading in HEADINGS]
    assert positions == sorted(positions)
    assert "Noclehárna Teplý kout (DEMO)" in page
    assert "+420 000 200 401" in page  # the night shelter's phone
    assert 'href="tel:+420000200401"' in page
    assert "Náměstí Míru 1, 999 01 Lipovec" in page  # the contact point's address
    assert "UKÁZKOVÁ DATA (DEMO)" in page
    assert "Dluhová poradna (DEMO)" not in page  # withdrawn
    assert "Poradna otevřená od zítřka" not in page  # not in force yet
    assert "<script" not in page
    # Its print styles are a file of the service (the Content-Security-Policy allows no inline <style>).
    assert 'href="/static/leaflet.css"' in page and "<style" not in page
    styles = await catalogue.anonymous.get("/static/leaflet.css")
    assert styles.status_code == 200 and "@media print" in styles.text


async def test_the_leaflet_pdf_is_a_readable_a4_document_with_the_title(catalogue: Catalogue) -> None:
    assert (await catalogue.editor.post("/api/demo/load")).status_code == 200

    response = await catalogue.anonymous.get("/leaflet.pdf")

    assert response.status_code == 200
    assert response.headers["content-type"] == "application/pdf"
    reader = PdfReader(io.BytesIO(response.content))
    text = re.sub(r"\s+", " ", " ".join(page.extract_text() for page in reader.pages))
    assert "Informace a kontakty pro osoby v bytové nouzi" in text
    assert all(heading in text for heading in HEADINGS)
    assert "+420 000 200 401" in text
    # A4 is 210 × 297 mm = 595.3 × 841.9 pt
    box = reader.pages[0].mediabox
    assert (round(float(box.width)), round(float(box.height))) == (595, 842)


async def test_an_empty_catalogue_still_gives_a_leaflet_that_points_to_the_contact_point(
    catalogue: Catalogue,
) -> None:
    page = (await catalogue.anonymous.get("/leaflet")).text

    assert all(f">{heading}</h2>" in page for heading in HEADINGS)
    assert page.count("Obraťte se na kontaktní místo pro bydlení.") == len(HEADINGS)
    assert "UKÁZKOVÁ DATA" not in page
