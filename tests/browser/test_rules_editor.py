"""Issue 10: a rules editor changes the rule set in a real browser, on the real broker.

One household is in the register's waiting room: a single person in a commercial hostel (ETHOS 8) with
a net income of 9,000 Kč, above today's ceiling 1.6 × 5,500 = 8,800 Kč. The rules editor uploads a set
that raises the coefficient to 1.7 (ceiling 1.7 × 5,500 = 9,350 Kč), reads the value-by-value
comparison, runs the impact preview (which must find exactly that household entering the register),
downloads the impact as XLSX and activates the set; the household's case is then flagged for
reassessment and the register itself did not change.
"""

from __future__ import annotations

import io
import re
import time
from pathlib import Path
from typing import Any

import httpx
import pytest
import yaml
from openpyxl import load_workbook
from playwright.sync_api import BrowserContext, expect

from kmb_shared.auth import Role
from kmb_testkit.fixtures import bearer
from kmb_testkit.intake_bodies import case_body, earning_applicant

from .conftest import Account, System, create_account
from .steps import PATIENCE_S, office_today, reload_until, shoot, sign_in

pytestmark = [pytest.mark.kafka, pytest.mark.e2e, pytest.mark.browser]

WORKER_API = bearer(Role.WORKER, organisation="kmb", user="rules-api-worker")
EDITOR = Account("radek.pravidla", "heslo-spravce-pravidel-5", "Radek Pravidelný", (Role.RULES_EDITOR,))
IN_FORCE = Path(__file__).resolve().parents[2] / (
    "services/assessment/src/kmb_assessment/rules/2026-07-01_act-110-2006-amounts-coefficient-1-6.yaml"
)
VERSION = "2026.9"


def proposed_rule_set(tmp_path: Path) -> Path:
    """The set in force with a coefficient of 1.7, effective today, as a new version."""
    data: dict[str, Any] = yaml.safe_load(IN_FORCE.read_text(encoding="utf-8"))
    data.update(
        version=VERSION,
        effective_from=office_today().isoformat(),
        title="Zkušební sada: koeficient příjmové hranice 1,7",
        supersedes=[],
        income_ceiling_coefficient=1.7,
    )
    data["sources"]["income_ceiling_coefficient"] = "zkušební návrh obce (test v prohlížeči)"
    path = tmp_path / "koeficient-1-7.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return path


def assessed_hostel_case(system: System) -> dict[str, Any]:
    """Open the case through intake and submit its survey through assessment (the worker's API)."""
    body = case_body(
        members=[earning_applicant("Karel", "Ubytovaný", "1979-03-08", 9000)],
        address={"district": "Lipovec", "orp_code": "1100"},
        dwelling={"kind": "commercial_hostel", "legal_title": "lodging_contract"},
        costs={"rent": 3000},
    )
    opened = httpx.post(f"{system.urls['intake']}/api/cases", json=body, headers=WORKER_API)
    assert opened.status_code == 201, opened.text
    case = dict(opened.json())
    listed = f"{system.urls['assessment']}/api/cases/{case['id']}/assessments"
    deadline = time.monotonic() + PATIENCE_S  # CaseOpened reaches assessment through the broker
    while not isinstance(pending := httpx.get(listed, headers=WORKER_API).json(), list) or not pending:
        assert time.monotonic() < deadline, f"assessment did not receive the case within {PATIENCE_S} s"
        time.sleep(0.2)
    url = f"{system.urls['assessment']}/api/assessments/{pending[0]['id']}"
    survey = {"checked_documents": ["identity_document", "lodging_contract", "income_statement"]}
    saved = httpx.put(f"{url}/survey", json=survey, headers=WORKER_API)
    assert saved.status_code == 200, saved.text
    submitted = httpx.post(f"{url}/submit", headers=WORKER_API)
    assert submitted.status_code == 200, submitted.text
    result = submitted.json()["result"]
    income = result["income"]
    assert (income["amount"], income["ceiling"], income["within_ceiling"]) == (9000, 8800, False)
    assert result["qualifies_for_register"] is False
    return case


def test_a_rules_editor_uploads_previews_and_activates_a_rule_set(
    system: System, context: BrowserContext, tmp_path: Path
) -> None:
    create_account(system, EDITOR)
    case = assessed_hostel_case(system)
    page = context.new_page()

    sign_in(page, system, EDITOR)
    page.get_by_role("link", name="Pravidla posouzení").click()
    expect(page.get_by_role("heading", name="Pravidla posouzení bytové nouze")).to_be_visible()
    page.get_by_label("Soubor se sadou pravidel (YAML)").set_input_files(str(proposed_rule_set(tmp_path)))
    page.get_by_role("button", name="Zkontrolovat a uložit návrh").click()

    expect(page.get_by_role("status").first).to_contain_text("prošla kontrolou a je uložena jako návrh")
    comparison = page.get_by_role("region", name="Porovnání s platnou sadou 2026.3")
    changed = comparison.get_by_role("row", name=re.compile(r"^Koeficient příjmové hranice"))
    expect(changed).to_contain_text("1,6")
    expect(changed).to_contain_text("1,7")
    expect(changed).to_contain_text("změna")
    expect(page.get_by_text("Aktivovat lze až po dokončeném náhledu dopadu.")).to_be_visible()
    expect(page.get_by_text(f"nahrál(a) {EDITOR.name}")).to_be_visible()
    shoot(page, "rules-draft")

    page.get_by_role("button", name="Spustit náhled dopadu").click()
    preview = page.get_by_role("region", name="Náhled dopadu")
    enters = preview.get_by_role("row").filter(has_text="Nově by splnili podmínky zápisu do evidence")
    reload_until(page, page.get_by_text("Dokončeno"))
    expect(enters).to_contain_text("1")
    expect(preview.get_by_role("row").filter(has_text="Přestali by splňovat")).to_contain_text("0")
    expect(preview.get_by_role("link", name=case["number"])).to_be_visible()
    shoot(page, "rules-preview")

    with page.expect_download() as download_info:
        preview.get_by_role("link", name="Stáhnout dopad (XLSX)").click()
    workbook = load_workbook(io.BytesIO(Path(download_info.value.path()).read_bytes()))
    cells = [str(cell) for sheet in workbook for row in sheet.iter_rows(values_only=True) for cell in row]
    assert case["number"] in cells, "the XLSX lists the case"
    assert not any(code in cells for code in ("commercial_hostel", "insecure", "enters")), "no raw codes"

    page.get_by_role("button", name=f"Aktivovat sadu pravidel {VERSION}").click()
    expect(page.get_by_role("status").first).to_contain_text("Sada pravidel je aktivována")
    expect(page.get_by_role("heading", name=f"Sada pravidel {VERSION}")).to_contain_text("aktivována")
    shoot(page, "rules-activated")

    flagged = httpx.get(f"{system.urls['assessment']}/api/reassessments", headers=WORKER_API).json()
    assert [flag["case_id"] for flag in flagged] == [case["id"]]
    register = httpx.get(f"{system.urls['assessment']}/api/register", headers=WORKER_API)
    assert register.status_code == 200, register.text
    assert all(entry["case_id"] != case["id"] for entry in register.json()), "activation wrote no entry"
