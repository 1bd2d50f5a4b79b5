"""The client's personal plan "Můj plán bydlení" and the case summary (issue 12): pages and PDFs made
from the case and from what assessment, catalogue and referrals answer over HTTP (here a mock of
them), read back with pypdf in Czech, Ukrainian and English; each view and each print in the view
log; another organisation's case not found; a peer that does not answer named in the document, which
still prints; no personal data in the log records. On SQLite and PostgreSQL with the real broker."""

from __future__ import annotations

import io
import json
import logging
from collections.abc import Collection
from typing import Any

import httpx
import pytest
from pypdf import PdfReader
from sqlmodel import col, select

from kmb_intake.adapters.views import CaseViewRow
from kmb_shared.auth import Role
from kmb_testkit.fixtures import bearer

from .support import AUDITOR, Intake, add_user, case_body, member

pytestmark = pytest.mark.kafka

SOLUTION = "0ceb3cfe-5643-520a-a98a-f81586516f66"
ADDRESS = "Nádražní 14, 999 01 Lipovec"
CHILD = member(first_name="Zbyněk", last_name="Hronek", date_of_birth="2015-06-01", relationship="child")
NAMES = ("Květoslava Hronková", "Zbyněk Hronek")


def _assessment(case_id: str) -> dict[str, Any]:
    """A submitted assessment as assessment's API lists it: houseless, ETHOS 3, in the register."""
    return {
        "id": "a1",
        "case_id": case_id,
        "status": "submitted",
        "submitted_at": "2026-03-02T09:00:00Z",
        "result": {
            "assessed_on": "2026-03-02",
            "need_level": {"code": "houseless", "label": "bez bytu"},
            "ethos": {"category": 3, "label": "v ubytovně pro osoby bez domova nebo v azylovém domě"},
            "household_type": {"code": "single_parent", "label": "rodič samoživitel"},
            "next_steps": [
                {"code": "register_application", "text": "Podat žádost o zápis do evidence (§ 13–17)."},
                {"code": "debt_advice", "text": "Doporučit dluhové poradenství."},
            ],
            "reasons": ["Bydlí v ubytovně pro osoby bez domova: ETHOS 3."],
            "priority": {"score": 30, "contributions": [{"explanation": "Nezletilé dítě", "points": 30}]},
        },
        "registration": {"status": "active", "valid_until": "2027-03-01"},
    }


def _answers(case_id: str) -> dict[str, Any]:
    return {
        f"/api/cases/{case_id}/assessments": [_assessment(case_id)],
        f"/api/cases/{case_id}/suggestions": {
            "suggestions": [
                {"solution_id": SOLUTION, "kind": "night_shelter", "title": "Noclehárna", "rank": 1}
            ]
        },
        f"/api/solutions/{SOLUTION}": {
            "title": "Noclehárna Teplý kout",
            "kind": "night_shelter",
            "provider": {"name": "Teplý kout, o. p. s."},
            "address": {"street": "Nádražní 14", "city": "Lipovec", "postcode": "999 01"},
            "opening_hours": {
                "slots": [{"weekdays": [0, 1, 2, 3, 4], "opens": "08:00:00", "closes": "16:00:00"}],
                "nonstop": False,
            },
            "contacts": {"phones": ["+420 000 200 401"], "email": "kout@teply-kout.example"},
        },
        "/api/referrals": [
            {
                "partner": "socialni-odbor",
                "kind_label": "Sociální práce",
                "status_label": "přijato",
                "made_on": "2026-03-02",
                "due_on": "2026-03-09",
            }
        ],
        "/api/partners": [{"slug": "socialni-odbor", "name": "Sociální odbor Praha 7"}],
    }


def _peers(intake: Intake, case_id: str, down: Collection[str] = ()) -> None:
    """The peers answer as their APIs do; a path with a part in ``down`` gets no answer at all."""
    answers = _answers(case_id)

    def peers(request: httpx.Request) -> httpx.Response:
        if any(part in request.url.path for part in down):
            raise httpx.ConnectError("down", request=request)
        return httpx.Response(200, content=json.dumps(answers.get(request.url.path, [])))

    intake.transport.app.state.peer_transport = httpx.MockTransport(peers)  # type: ignore[attr-defined]


async def _case(intake: Intake) -> tuple[dict[str, Any], dict[str, str]]:
    """A case opened by a worker with an account (so the plan names her)."""
    user = await add_user(intake, "jana.prac", Role.WORKER, name="Jana Pracovnice")
    headers = bearer(Role.WORKER, organisation="kmb-praha7", user=user["id"])
    case = await intake.open_case(case_body(members=[member(), CHILD]), **headers)
    return case, headers


def _text(response: httpx.Response) -> str:
    assert response.status_code == 200, response.text
    assert response.headers["content-type"] == "application/pdf"
    pages = PdfReader(io.BytesIO(response.content)).pages
    return " ".join(" ".join(page.extract_text() for page in pages).split())


async def _views(intake: Intake, case_id: str) -> list[tuple[str, str]]:
    async with intake.runtime.db.session() as session:
        rows = (await session.exec(select(CaseViewRow).order_by(col(CaseViewRow.id)))).all()
    return [(row.kind, row.user_id) for row in rows if str(row.case_id) == case_id]


@pytest.mark.parametrize(
    ("lang", "expected"),
    [
        (
            "cs",
            (
                "Můj plán bydlení",
                "bez bytu",
                "Podáme spolu žádost o zápis",
                "Adresa: " + ADDRESS,
                "Otevřeno: Po–Pá 8:00–16:00",
                "Noclehárna",
            ),
        ),
        (
            "uk",
            (
                "Мій план житла",
                "без житла",
                "у гуртожитку для безпритульних",
                "Адреса: " + ADDRESS,
                "Години роботи: Пн–Пт 8:00–16:00",
                "Нічліжка",
            ),
        ),
        (
            "en",
            (
                "My housing plan",
                "houseless",
                "Address: " + ADDRESS,
                "Open: Mon–Fri 8:00–16:00",
                "Night shelter",
            ),
        ),
    ],
)
async def test_the_plan_prints_what_was_found_in_words_the_places_and_the_worker_in_the_clients_language(
    intake: Intake, lang: str, expected: tuple[str, ...]
) -> None:
    case, headers = await _case(intake)
    _peers(intake, case["id"])

    text = _text(
        await intake.client.get(f"/cases/{case['id']}/plan.pdf", params={"lang": lang}, headers=headers)
    )

    for value in (
        *expected,
        *NAMES,
        case["number"],
        "Noclehárna Teplý kout",
        "+420 000 200 401",
        "Jana Pracovnice",
    ):
        assert value in text, value
    # no codes and no points: the plan is for the household
    codes = ("night_shelter", "register_application", "single_parent", "30", "§")
    for code in (*codes, *(("houseless",) if lang != "en" else ())):
        assert code not in text, code


async def test_each_view_and_print_is_in_the_view_log_and_no_personal_data_in_the_log_records(
    intake: Intake, caplog: pytest.LogCaptureFixture
) -> None:
    case, headers = await _case(intake)
    _peers(intake, case["id"])
    caplog.set_level(logging.DEBUG)

    for path in ("plan", "plan.pdf", "summary", "summary.pdf"):
        response = await intake.client.get(f"/cases/{case['id']}/{path}", headers=headers)
        assert response.status_code == 200, (path, response.text)
    assert (await intake.client.get(f"/cases/{case['id']}/plan.pdf", headers=AUDITOR)).status_code == 200

    views = await _views(intake, case["id"])
    assert [kind for kind, _ in views if kind != "detail"] == [
        "plan",
        "plan_print",
        "summary",
        "summary_print",
        "plan_print",
    ]
    assert views[-1] == ("plan_print", "auditor-1")
    page = await intake.client.get("/audit/views", headers=AUDITOR)
    assert page.status_code == 200
    assert all(
        label in page.text for label in ("tisk plánu bydlení", "shrnutí případu", "tisk shrnutí případu")
    )
    assert "plan_print" not in page.text
    logged = " ".join(record.getMessage() for record in caplog.records)
    for value in (*NAMES, "Hronková", ADDRESS):
        assert value not in logged, value


async def test_the_summary_has_household_situation_assessment_with_its_explanation_referrals_and_diary(
    intake: Intake,
) -> None:
    case, headers = await _case(intake)
    note = await intake.client.post(
        f"/api/cases/{case['id']}/diary", json={"text": "Klientka donesla výpověď."}, headers=headers
    )
    assert note.status_code == 201, note.text
    _peers(intake, case["id"])

    text = _text(await intake.client.get(f"/cases/{case['id']}/summary.pdf", headers=headers))

    for value in (
        f"Shrnutí případu {case['number']}",
        *NAMES,
        "bez bytu",
        "ETHOS 3",
        "Bydlí v ubytovně pro osoby bez domova: ETHOS 3.",
        "Pořadí naléhavosti: 30 bodů",
        "Sociální odbor Praha 7",
        "přijato",
        "Klientka donesla výpověď.",
        "Jana Pracovnice",
    ):
        assert value in text, value
    assert "houseless" not in text and "single_parent" not in text


async def test_another_organisations_case_is_not_found_and_a_peer_that_is_down_is_named_in_czech(
    intake: Intake,
) -> None:
    case, headers = await _case(intake)
    other = bearer(Role.WORKER, organisation="kmb-brno", user="worker-9")
    for path in ("plan", "plan.pdf", "summary", "summary.pdf"):
        assert (await intake.client.get(f"/cases/{case['id']}/{path}", headers=other)).status_code == 404

    _peers(intake, case["id"], down=("/assessments", "/api/referrals", "/api/partners"))
    plan = _text(await intake.client.get(f"/cases/{case['id']}/plan.pdf", headers=headers))
    summary = _text(await intake.client.get(f"/cases/{case['id']}/summary.pdf", headers=headers))

    assert "Některé údaje se nepodařilo načíst: výsledek posouzení." in plan
    assert "Posouzení vaší bytové situace ještě není dokončené." in plan and NAMES[0] in plan
    assert "Nepodařilo se načíst: výsledek posouzení, předání partnerům." in summary
    assert NAMES[0] in summary
