"""The worker's desk lists the cases that a newly activated rule set flags for reassessment (read from
assessment as the signed-in worker, only their own), in Czech, with the case linked."""

from __future__ import annotations

import pytest

from kmb_shared.auth import Role

from .support import Intake, signed_in

pytestmark = pytest.mark.kafka  # the intake fixture runs the service on the real broker


async def test_the_desk_lists_cases_to_reassess_under_new_rules(intake: Intake) -> None:
    case = await intake.open_case()
    flagged = {
        "case_id": case["id"],
        "case_number": case["number"],
        "effective_from": "2026-10-01",
        "summary_cs": "Podle sady pravidel 2027.1 (od 1. 10. 2026): podmínky zápisu do evidence: ne → ano.",
    }
    seen = intake.peers_answer({"/api/reassessments": [flagged]})
    async with signed_in(intake, "eva.mala", Role.WORKER) as browser:
        desk = await browser.get("/desk")
        user_id = (await browser.get("/api/me")).json()["user_id"]

    assert desk.status_code == 200
    assert "K přehodnocení podle nových pravidel" in desk.text
    assert "podmínky zápisu do evidence: ne → ano" in desk.text and "1. 10. 2026" in desk.text
    assert f'<a href="/cases/{case["id"]}">{case["number"]}</a>' in desk.text
    asked = [r for r in seen if r.url.path == "/api/reassessments"]
    assert [r.url.params.get("worker") for r in asked] == [user_id]


async def test_the_desk_says_so_when_assessment_is_down(intake: Intake) -> None:
    async with signed_in(intake, "eva.mala", Role.WORKER) as browser:
        desk = await browser.get("/desk")
    assert desk.status_code == 200
    assert "K přehodnocení podle nových pravidel" in desk.text
    assert "Přehled teď není k dispozici (služba šetření neodpovídá)." in desk.text
