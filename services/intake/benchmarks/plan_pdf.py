"""How long the client's personal plan takes to render as PDF (issue 12: < 1 s on this machine).

    .venv/bin/python services/intake/benchmarks/plan_pdf.py [--runs N] [--lang cs|uk|en]

Renders a full plan (a household of four, what the assessment found, four steps, three places with
addresses, hours and contacts, the worker) the way the page does — body in the language, the print
document with the embedded fonts, WeasyPrint — N times after one warm-up run (the first call loads
WeasyPrint and the fonts), and prints each language's median and slowest time against the target.
Exit status 1 when a median is over the target."""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from datetime import date
from datetime import time as clock

from kmb_intake.application.client_documents import ClientPlan, Finding, Place, client_steps
from kmb_intake.entrypoints.pages.client_document_pages import documents, plan_html, print_html
from kmb_shared.web.pdf import render_pdf

TARGET_S = 1.0


def sample_plan() -> ClientPlan:
    finding = Finding(
        assessed_on=date(2026, 3, 2),
        need_level="houseless",
        ethos_category="3",
        household_type="single_parent",
        in_register=True,
        register_until=date(2027, 3, 1),
        next_steps=(("register_application", ""), ("housing_allowance", ""), ("debt_advice", "")),
        reasons=(),
        priority=None,
        contributions=(),
    )
    weekdays = (((0, 1, 2, 3, 4), clock(8), clock(16)),)
    places = [
        Place(
            title=f"Místo pomoci č. {n}",
            kind=kind,
            provider="Spolek Přístav Lipovec, z. s.",
            address=f"Nádražní {n}, 999 01 Lipovec",
            slots=weekdays,
            phones=("+420 000 200 401",),
            email="info@pristav-lipovec.example",
            web="https://pristav-lipovec.example",
        )
        for n, kind in enumerate(("night_shelter", "housing_assistance", "debt_advice"), start=1)
    ]
    return ClientPlan(
        case_number="KMB-2026-00042",
        members=["Květoslava Hronková", "Zbyněk Hronek", "Олена Шевченко", "Anna Hronková"],
        made_on=date(2026, 3, 3),
        finding=finding,
        steps=client_steps(finding),
        places=places,
        worker="Jana Pracovnice",
        contact_phone="+420 000 100 001",
        contact_email="bydleni@lipovec.example",
    )


def render(plan: ClientPlan, lang: str) -> bytes:
    return render_pdf(print_html(documents(), plan_html(plan, lang), lang, "Můj plán bydlení"))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=10)
    parser.add_argument("--lang", action="append", choices=("cs", "uk", "en"))
    args = parser.parse_args()
    plan, slow = sample_plan(), False
    render(plan, "cs")  # warm-up: WeasyPrint, Pango and the fonts load once per process
    for lang in args.lang or ["cs", "uk"]:
        times = []
        for _ in range(args.runs):
            begun = time.perf_counter()
            pdf = render(plan, lang)
            times.append(time.perf_counter() - begun)
        median = statistics.median(times)
        slow = slow or median > TARGET_S
        print(
            f"plan PDF ({lang}): median {median * 1000:.0f} ms, slowest {max(times) * 1000:.0f} ms, "
            f"{len(pdf) // 1024} KiB, {args.runs} runs; target < {TARGET_S * 1000:.0f} ms: "
            + ("met" if median <= TARGET_S else "MISSED")
        )
    return 1 if slow else 0


if __name__ == "__main__":
    sys.exit(main())
