"""The first page of each client and file document as a PNG for the README (issue 12):

    .venv/bin/python deploy/document_screenshots.py [OUT_DIR]    (default docs/screenshots)

The personal plan in Czech and Ukrainian (the benchmark's sample household), the case summary, and
the demo town's leaflet in Ukrainian, a housing-allowance application, each rendered to PDF exactly as the services print it and its
first page drawn with pypdfium2 (a dev dependency)."""

from __future__ import annotations

import asyncio
import sys
import tempfile
from datetime import date
from pathlib import Path

import pypdfium2

from kmb_catalogue.adapters.demo import demo_leaflet
from kmb_catalogue.adapters.leaflet_pdf import render_leaflet_pdf
from kmb_intake.application.client_documents import CaseSummary
from kmb_intake.entrypoints.pages.client_document_pages import documents, print_html
from kmb_shared.web.pdf import render_pdf

ROOT = Path(__file__).parents[1]
sys.path.insert(0, str(ROOT / "services" / "intake" / "benchmarks"))
from application_pdf import sample as sample_application  # noqa: E402
from plan_pdf import render, sample_plan  # noqa: E402


def sample_summary() -> CaseSummary:
    plan = sample_plan()
    person = [
        ("Jméno a příjmení", "Květoslava Hronková"),
        ("Datum narození", "15. 3. 1985"),
        ("Vztah k žadateli", "Žadatel/ka"),
        ("Příjmy měsíčně", "Zaměstnání: 18 500 Kč"),
        ("Zvláštní zranitelnost", "Samoživitel/ka"),
    ]
    child = [
        ("Jméno a příjmení", "Zbyněk Hronek"),
        ("Datum narození", "1. 6. 2015"),
        ("Vztah k žadateli", "Dítě"),
        ("Příjmy měsíčně", "–"),
        ("Zvláštní zranitelnost", "–"),
    ]
    assert plan.finding is not None
    finding = plan.finding.__class__(
        **{
            **plan.finding.__dict__,
            "reasons": ("Bydlí v ubytovně pro osoby bez domova: ETHOS 3.",),
            "priority": 30,
            "contributions": (("Nezletilé dítě v domácnosti", 20), ("Samoživitel/ka", 10)),
            "next_steps": (
                ("register_application", "Podat žádost o zápis do evidence osob v bytové nouzi (§ 13–17)."),
            ),
        }
    )
    return CaseSummary(
        case_number=plan.case_number,
        status="otevřený",
        opened="2. 3. 2026 9:12",
        closed="–",
        worker=plan.worker,
        made_at="3. 3. 2026 10:05",
        members=[person, child],
        household=[
            ("Adresa", "Nádražní 30, 999 01 Lipovec"),
            ("Bydlení", "Ubytovna, bez nájemní smlouvy"),
            ("Náklady na bydlení měsíčně", "nájem 9 800 Kč, služby 0 Kč, energie 0 Kč"),
        ],
        finding=finding,
        referrals=[
            (
                "Sociální odbor Lipovec",
                "Sociální práce",
                "přijato",
                "předáno 2. 3. 2026, odpověď do 9. 3. 2026",
            )
        ],
        diary=[("3. 3. 2026", "Jana Pracovnice", "Klientka donesla výpověď z ubytovny k 31. 3.")],
    )


def first_page_png(pdf: bytes, target: Path) -> None:
    page = pypdfium2.PdfDocument(pdf)[0]
    page.render(scale=1.4).to_pil().save(target)
    print(target)


def main() -> None:
    out = Path(sys.argv[1]) if len(sys.argv) > 1 else ROOT / "docs" / "screenshots"
    out.mkdir(parents=True, exist_ok=True)
    plan = sample_plan()
    for lang in ("cs", "uk"):
        first_page_png(render(plan, lang), out / f"plan-{lang}.png")
    body = documents().render("documents/summary_body.html", "cs", s=sample_summary())
    first_page_png(
        render_pdf(print_html(documents(), body, "cs", "Shrnutí případu")), out / "case-summary.png"
    )
    first_page_png(render_leaflet_pdf(demo_leaflet(date(2026, 3, 3)), "uk"), out / "leaflet-uk.png")
    with tempfile.TemporaryDirectory() as folder:
        application = asyncio.run(sample_application(folder, "housing_allowance")())
    first_page_png(application, out / "application-housing-allowance.png")


if __name__ == "__main__":
    main()
