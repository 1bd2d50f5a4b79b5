"""Wrong addresses on every service (issue 11, "no dead ends"): a page path that does not exist, takes
another method or does not parse gets a Czech HTML page with a way back to the start; an /api/ path
keeps its JSON error; every service serves the favicon; no page names technical things.

Fast tier: the five apps in one process (``kmb_testkit.inprocess``), signed in with an API token where a
page needs someone signed in (the sign-in check goes to the intake app in the same process).
"""

from __future__ import annotations

import re
from pathlib import Path

import httpx
import pytest

from kmb_shared.auth import Role
from kmb_testkit.fixtures import bearer
from kmb_testkit.inprocess import SERVICES, in_process_system

SIGNED_IN = bearer(Role.WORKER, Role.ADMIN, Role.ANALYST, Role.CATALOGUE_EDITOR, organisation="kmb")
#: a page of each service whose address carries a part that must parse (an id, a yes/no)
UNPARSED = {
    "intake": "/cases/neni-to-id",
    "assessment": "/cases/neni-to-id",
    "catalogue": "/catalogue/neni-to-id",
    "referrals": "/cases/neni-to-id/refer",
    "stats": "/reports/neco?interni=mozna",
}
#: a page of each service that takes only a form (POST), opened with GET
FORM_ONLY = {
    "intake": "/logout",
    "assessment": "/rules/nejaky/preview",
    "catalogue": "/catalogue/00000000-0000-0000-0000-000000000001/withdraw",
    "referrals": "/partners/nekdo/deactivate",
    "stats": "/neexistuje",
}
TECHNICAL = re.compile(r"Kaf[kc]|Trace ID|trace_id|traceback|\"detail\"", re.IGNORECASE)


def _czech_page(response: httpx.Response, status: int, title: str) -> None:
    assert response.status_code == status, response.text
    assert response.headers["content-type"].startswith("text/html")
    text = response.text
    assert '<html lang="cs">' in text
    assert f"<h1>{title}</h1>" in text
    assert re.search(r'<a href="[^"]*/">Na úvodní stránku</a>', text)
    assert not TECHNICAL.search(text), TECHNICAL.search(text)


@pytest.mark.parametrize("service", SERVICES)
async def test_wrong_page_addresses_get_czech_pages_and_the_api_keeps_json(
    service: str, tmp_path: Path
) -> None:
    async with in_process_system(tmp_path) as system, system.client(service) as client:
        missing = await client.get("/tahle-stranka-neexistuje")
        missing_signed = await client.get("/tahle-stranka-neexistuje/ani-tahle", headers=SIGNED_IN)
        unparsed = await client.get(UNPARSED[service], headers=SIGNED_IN)
        wrong_method = await client.get(FORM_ONLY[service], headers=SIGNED_IN)
        api_missing = await client.get("/api/tahle-neexistuje", headers=SIGNED_IN)
        icon = await client.get("/favicon.ico")

    _czech_page(missing, 404, "Stránka nenalezena")
    _czech_page(missing_signed, 404, "Stránka nenalezena")
    _czech_page(unparsed, 400, "Neplatná adresa")
    if FORM_ONLY[service] == "/neexistuje":
        _czech_page(wrong_method, 404, "Stránka nenalezena")
    else:
        _czech_page(wrong_method, 405, "Stránku nelze takto otevřít")
        assert "POST" in wrong_method.headers["allow"]
    assert api_missing.status_code == 404
    assert api_missing.headers["content-type"] == "application/json"
    assert api_missing.json() == {"detail": "Not Found"}
    assert icon.status_code == 200
    assert icon.headers["content-type"].startswith("image/svg+xml")
    assert icon.content.startswith(b"<svg") and b"<path" in icon.content


async def test_an_api_path_with_an_unparsed_id_keeps_its_json_422(tmp_path: Path) -> None:
    async with in_process_system(tmp_path) as system, system.client("referrals") as client:
        response = await client.get("/api/referrals/neni-to-id", headers=SIGNED_IN)

    assert response.status_code == 422
    [item] = response.json()["detail"]
    assert (item["field"], item["code"]) == ("referral_id", "uuid_parsing")


TEMPLATE_DIRS = [
    *Path(__file__).parent.parent.glob("services/*/src/*/templates"),
    Path(__file__).parent.parent / "shared/src/kmb_shared/web/templates",
]


def test_no_template_names_technical_things() -> None:
    """What a person reads says what happens, not which machinery does it ("Kafka", "Trace ID")."""
    assert len(TEMPLATE_DIRS) == 6
    found = [
        f"{template}: {line.strip()}"
        for folder in TEMPLATE_DIRS
        for template in folder.glob("*.html")
        for line in template.read_text(encoding="utf-8").splitlines()
        # the text of the line, without the template's expressions (a variable may be called trace_id)
        if re.search(r"kaf[kc]|trace.?id", re.sub(r"{{.*?}}|{%.*?%}", "", line), re.IGNORECASE)
    ]
    assert found == []
