"""No code value where a person reads (issue 11, "Czech everywhere"): a populated system, every page
and every report format of every service (HTML pages, CSV, XLSX, PDF) read as a person reads them —
the visible text of a page, the cells of a sheet, the text of a PDF — holds none of the codes of the
vocabulary (``commercial_hostel``, ``not_eligible``, ``domestic_violence``…) and no interval key
(``2026-W49``, ``2026-12``).

The five services run in one process (``kmb_testkit.inprocess``); the history is varied on purpose, so
that every kind of label is on some page: cases in several dwellings with vulnerability flags, contacts
on several topics, assessments, a referral declined with its reason, one accepted and completed with
its outcome, one cancelled, a closed case, an issued report. JSON answers are for programs and keep
their codes; they are not read here.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterable
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import httpx
import openpyxl
import pytest
from pypdf import PdfReader

from kmb_shared.auth import Role
from kmb_shared.contracts import vocabulary as vocab
from kmb_testkit.fixtures import bearer
from kmb_testkit.inprocess import SERVICES, InProcessSystem, in_process_system
from kmb_testkit.intake_bodies import case_body, contact_body, earning_applicant, member
from kmb_testkit.routes import INFRASTRUCTURE, api_routes

HOME = "kmb"
PARTNER = "azylovy-dum-nadeje"
OPERATOR = bearer(
    Role.WORKER, Role.ADMIN, Role.CATALOGUE_EDITOR, Role.RULES_EDITOR, organisation=HOME, user="u-operator"
)
READERS = {
    "worker": OPERATOR,
    "auditor": bearer(Role.AUDITOR, organisation=HOME, user="u-auditor"),
    "analyst": bearer(Role.ANALYST, organisation=HOME, user="u-analyst"),
    "partner": bearer(Role.PARTNER, organisation=PARTNER, user="u-partner"),
}
#: what a person reads in each format (JSON is for programs)
READABLE = ("text/html", "text/csv", "application/pdf", "spreadsheetml")
FORMATS = ("csv", "xlsx", "pdf")

#: codes that are also ordinary Czech words, or too short to tell from one ("senior" is Czech)
CZECH_WORDS = {"senior", "partner", "other", "none", "yes", "no", "unknown"}
#: interval keys of the statistics: an ISO week ("2026-W49") or a month ("2026-12", not a date)
INTERVAL_KEY = re.compile(r"\b\d{4}-W\d{2}\b|\b\d{4}-(0[1-9]|1[0-2])\b(?!-\d)")


def code_values() -> set[str]:
    """Every code of every list of the vocabulary that a person could mistake for nothing but a code."""
    codes: set[str] = set()
    for value in vars(vocab).values():
        if isinstance(value, vocab.Vocabulary):
            codes.update(value.as_dict())
    return {
        c for c in codes if len(c) >= 4 and not c.isdigit() and c not in CZECH_WORDS and not c[0].isdigit()
    }


CODES = code_values()
CODE_PATTERN = re.compile(
    r"(?<![\w-])(" + "|".join(sorted(map(re.escape, CODES), key=len, reverse=True)) + r")(?![\w-])"
)


class _Visible(HTMLParser):
    """The text a person sees on a page: text outside scripts and styles, and the attributes that
    are shown (title, alt, placeholder, aria-label, a button's value). Text inside an element marked
    as another language (the leaflet's English lines, ``lang="en"``) is kept apart: "flat" there is
    English, not a code."""

    SHOWN = ("title", "alt", "placeholder", "aria-label")
    HIDDEN = ("script", "style", "template")
    VOID = ("area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "wbr")

    def __init__(self) -> None:
        super().__init__()
        self.parts: list[str] = []
        self.foreign: list[str] = []
        self._open: list[tuple[str, bool, bool]] = []  # (tag, hidden, foreign)

    def _state(self) -> tuple[bool, bool]:
        return (any(h for _, h, _ in self._open), any(f for _, _, f in self._open))

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        shown = dict(attrs)
        lang = (shown.get("lang") or "").lower()
        foreign = bool(lang) and not lang.startswith("cs")
        values = [shown[a] or "" for a in self.SHOWN if a in shown]
        if tag == "input" and shown.get("type") in ("submit", "button"):
            values.append(shown.get("value") or "")
        hidden, inherited = self._state()
        if not hidden:
            (self.foreign if foreign or inherited else self.parts).extend(values)
        if tag not in self.VOID:
            self._open.append((tag, tag in self.HIDDEN, foreign))

    def handle_endtag(self, tag: str) -> None:
        for i in range(len(self._open) - 1, -1, -1):
            if self._open[i][0] == tag:
                del self._open[i:]
                return

    def handle_data(self, data: str) -> None:
        hidden, foreign = self._state()
        if not hidden:
            (self.foreign if foreign else self.parts).append(data)


#: English phrases of the bilingual pages (``lang="en"``), so that their PDF can be read without them
ENGLISH: set[str] = set()


def _squeeze(text: str) -> str:
    return " ".join(text.split())


def readable_text(response: httpx.Response) -> str:
    kind = response.headers.get("content-type", "")
    if "text/html" in kind:
        parser = _Visible()
        parser.feed(response.text)
        ENGLISH.update(p for p in map(_squeeze, parser.foreign) if len(p) > 3)
        return "\n".join(parser.parts)
    if "text/csv" in kind:
        return "\n".join(
            " | ".join(row) for row in csv.reader(io.StringIO(response.content.decode("utf-8-sig")))
        )
    if "spreadsheetml" in kind:
        book = openpyxl.load_workbook(io.BytesIO(response.content), read_only=True)
        cells = [sheet.title for sheet in book.worksheets]
        for sheet in book.worksheets:
            for row in sheet.iter_rows(values_only=True):
                cells += [str(v) for v in row if v is not None and not isinstance(v, int | float)]
        return "\n".join(cells)
    if "application/pdf" in kind:
        text = _squeeze(
            " ".join(page.extract_text() or "" for page in PdfReader(io.BytesIO(response.content)).pages)
        )
        for phrase in sorted(ENGLISH, key=len, reverse=True):  # the English lines of a bilingual print
            text = text.replace(phrase, " ")
        return text
    raise AssertionError(f"not a readable format: {kind}")


def findings(text: str) -> list[str]:
    found = [m.group(1) for m in CODE_PATTERN.finditer(text)]
    found += [m.group(0) for m in INTERVAL_KEY.finditer(text)]
    return sorted(set(found))


# ------------------------------------------------------------------------------------------------
# The history


async def call(system: InProcessSystem, service: str, method: str, path: str, **kwargs: Any) -> Any:
    async with system.client(service) as client:
        response = await client.request(method, path, headers=OPERATOR, **kwargs)
    assert response.status_code < 300, f"{service} {method} {path}: {response.status_code} {response.text}"
    return response.json() if response.content else None


async def as_partner(system: InProcessSystem, path: str, body: dict[str, Any]) -> None:
    async with system.client("referrals") as client:
        response = await client.post(path, headers=READERS["partner"], json=body)
    assert response.status_code < 300, f"partner POST {path}: {response.status_code} {response.text}"


#: (dwelling, legal title, household flags): the kinds of housing and of vulnerability on the pages
HOUSEHOLDS = [
    ("commercial_hostel", "lodging_contract", ["domestic_violence", "single_parent"]),
    ("asylum_house", "none", ["leaving_institution"]),
    ("with_family_friends", "none", ["pregnancy"]),
    ("night_shelter", "none", ["serious_illness"]),
    ("flat", "lease", ["disability"]),
]


async def populate(system: InProcessSystem) -> dict[str, str]:
    """A varied history through every service; the values of the pages' path parameters."""
    await call(system, "catalogue", "POST", "/api/demo/load")
    partner = {
        "slug": PARTNER,
        "name": "Azylový dům Naděje",
        "kind": "ngo",
        "accepted_kinds": ["housing_assistance", "social_work", "social_service_place", "legal_aid"],
    }
    await call(system, "referrals", "POST", "/api/partners", json=partner)
    cases = []
    for n, (dwelling, title, flags) in enumerate(HOUSEHOLDS):
        contact = await call(
            system,
            "intake",
            "POST",
            "/api/contacts",
            json=contact_body(
                contact_date=f"2026-11-{10 + n:02d}",
                channel=["in_person", "phone", "field_visit", "email", "letter"][n],
                topics=[
                    ["loss_of_housing", "debts"],
                    ["landlord_conflict"],
                    ["flat_application"],
                    ["benefits"],
                    ["domestic_violence", "shelter"],
                ][n],
                worker_id="u-operator",
            ),
        )
        body = case_body(
            members=[
                earning_applicant("Žofie", f"Kódová{n}", "1990-02-11", 14000 + 1000 * n),
                member(
                    first_name="Tadeáš",
                    last_name=f"Kódový{n}",
                    date_of_birth="2016-05-01",
                    relationship="child",
                ),
            ],
            dwelling={"kind": dwelling, "legal_title": title},
            vulnerability_flags=flags,
            contact_id=contact["id"],
        )
        cases.append(await call(system, "intake", "POST", "/api/cases", json=body))
    await system.pump()
    assessments = []
    for case in cases:
        [pending] = await call(system, "assessment", "GET", f"/api/cases/{case['id']}/assessments")
        survey = {"checked_documents": ["lease_contract", "income_statement"], "notes": "doklady ověřeny"}
        await call(system, "assessment", "PUT", f"/api/assessments/{pending['id']}/survey", json=survey)
        await call(system, "assessment", "POST", f"/api/assessments/{pending['id']}/submit")
        assessments.append(pending["id"])
    await system.pump()
    suggested = await call(system, "catalogue", "GET", f"/api/cases/{cases[0]['id']}/suggestions")

    def referral(case: dict[str, Any], kind: str) -> dict[str, Any]:
        return {"case_id": case["id"], "partner": PARTNER, "kind": kind}

    declined = await call(
        system, "referrals", "POST", "/api/referrals", json=referral(cases[0], "social_service_place")
    )
    completed = await call(
        system, "referrals", "POST", "/api/referrals", json=referral(cases[1], "housing_assistance")
    )
    cancelled = await call(
        system, "referrals", "POST", "/api/referrals", json=referral(cases[2], "legal_aid")
    )
    await call(system, "referrals", "POST", "/api/referrals", json=referral(cases[3], "social_work"))
    await system.pump()
    base = f"/api/partner/{PARTNER}/referrals"
    await as_partner(system, f"{base}/{declined['id']}/decline", {"reason": "no_capacity"})
    await as_partner(system, f"{base}/{completed['id']}/accept", {})
    await as_partner(system, f"{base}/{completed['id']}/complete", {"outcome": "service_provided"})
    await call(
        system,
        "referrals",
        "POST",
        f"/api/referrals/{cancelled['id']}/cancel",
        json={"reason": "případ vyřešen"},
    )
    await call(
        system,
        "intake",
        "POST",
        f"/api/cases/{cases[4]['id']}/close",
        json={"reason": "housed_adequately", "note": "nájemní smlouva podepsána"},
    )
    await system.pump()
    report = await call(system, "stats", "POST", "/api/stats/reports", json={"period": "2026"})
    user = {
        "username": "jana.kodova",
        "name": "Jana Kódová",
        "password": "Dlouhé-heslo-2026",
        "roles": ["partner"],
    }
    partner_user = await call(system, "intake", "POST", "/api/users", json={**user, "organisation": PARTNER})
    await call(
        system,
        "intake",
        "POST",
        "/api/users",
        json={**user, "username": "petr.kod", "name": "Petr Kód", "roles": ["worker", "auditor"]},
    )
    return {
        "case_id": cases[0]["id"],
        "case": cases[0]["number"],
        "reference": cases[0]["number"],
        "assessment_id": assessments[0],
        "solution_id": suggested["suggestions"][0]["solution_id"],
        "referral_id": declined["id"],
        "slug": PARTNER,
        "report_id": report["id"],
        "period": "2026",
        "user_id": partner_user["id"],
    }


# ------------------------------------------------------------------------------------------------
# The sweep


def readable_paths(system: InProcessSystem, service: str, values: dict[str, str]) -> Iterable[str]:
    """Every GET path of the service with its parameters filled in (each report format for ``{fmt}``);
    operations and documents of the platform left out."""
    for route in api_routes(system.apps[service].routes):
        if "GET" not in (route.methods or ()) or route.path.startswith(INFRASTRUCTURE):
            continue
        names = re.findall(r"\{(\w+)\}", route.path)
        if any(n not in values and n != "fmt" for n in names):
            continue  # a parameter this history has no value for (e.g. an upload's id)
        filled = re.sub(r"\{(\w+)\}", lambda m: values.get(m.group(1), m.group(0)), route.path)
        if "{fmt}" in filled:
            yield from (filled.replace("{fmt}", fmt) for fmt in FORMATS)
        else:
            yield filled


@pytest.mark.timeout(600)
async def test_no_page_or_report_of_a_populated_system_shows_a_code_value(tmp_path: Path) -> None:
    async with in_process_system(tmp_path) as system:
        values = await populate(system)
        read: dict[str, int] = {}
        leaks: list[str] = []
        for service in SERVICES:
            async with system.client(service, follow_redirects=False) as client:
                for path in sorted(set(readable_paths(system, service, values))):
                    for who, headers in READERS.items():  # read by the first role that may
                        response = await client.get(path, headers=headers)
                        kind = response.headers.get("content-type", "")
                        if response.status_code != 200 or not any(k in kind for k in READABLE):
                            continue
                        text = readable_text(response)
                        fmt = next(k for k in READABLE if k in kind)
                        read[fmt] = read.get(fmt, 0) + 1
                        found = findings(text)
                        if found:
                            leaks.append(f"{service} {path} as {who}: {', '.join(found)}")
                        break
        # The sweep read what it claims: pages and every report format, from all five services.
        assert read.get("text/html", 0) >= 20 and all(read.get(k, 0) > 0 for k in READABLE[1:]), read
        assert leaks == [], f"{len(leaks)} documents show code values:\n" + "\n".join(leaks)


def test_the_scan_finds_what_it_looks_for() -> None:
    """The scanner itself: the codes of the issue's examples are found, Czech labels are not."""
    assert findings("Ubytovna: commercial_hostel, 2026-W49") == ["2026-W49", "commercial_hostel"]
    assert findings("důvod: not_eligible; měsíc 2026-12") == ["2026-12", "not_eligible"]
    assert findings("komerční ubytovna, 49. týden 2026, prosinec 2026, 3. 12. 2026, 2026-12-03") == []
    assert findings("senior, partner, e-mail") == []
