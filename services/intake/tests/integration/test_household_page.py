"""The "Nezaopatřené dítě" select on the case form and on the household page of an open case: Czech
options, inline errors, a correction saved on the page publishes HouseholdChanged."""

from __future__ import annotations

import re
from html.parser import HTMLParser
from typing import Any

import pytest

from kmb_shared.auth import Role

from .support import Intake, case_body, csrf_of, member, signed_in, years_ago
from .test_pages import case_form, error_next_to

pytestmark = pytest.mark.kafka

OPTIONS = {
    "yes": "Ano – studuje nebo se pro nemoc nemůže soustavně připravovat na povolání",
    "no": "Ne – nestuduje",
    "unknown": "Nezjištěno",
}


class _FormFields(HTMLParser):
    """What a browser would send for the first form posting to ``action``: inputs, checked boxes,
    the selected option of each select and textareas."""

    def __init__(self, action: str) -> None:
        super().__init__()
        self.action, self.inside, self.fields = action, False, []  # type: ignore[var-annotated]
        self._select: str | None = None
        self._first_option: tuple[str, str] | None = None
        self._selected = False
        self._textarea: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: v or "" for k, v in attrs}
        if tag == "form":
            self.inside = a.get("action") == self.action
        if not self.inside:
            return
        if tag == "input" and a.get("name"):
            if a.get("type") == "checkbox" and "checked" not in a:
                return
            self.fields.append((a["name"], a.get("value", "")))
        elif tag == "select":
            self._select, self._first_option, self._selected = a["name"], None, False
        elif tag == "option" and self._select is not None:
            if self._first_option is None:
                self._first_option = (self._select, a.get("value", ""))
            if "selected" in a:
                self.fields.append((self._select, a.get("value", "")))
                self._selected = True
        elif tag == "textarea":
            self._textarea = a["name"]
            self.fields.append((a["name"], ""))

    def handle_endtag(self, tag: str) -> None:
        if tag == "form":
            self.inside = False
        elif tag == "select" and self._select is not None:
            if not self._selected and self._first_option is not None:
                self.fields.append(self._first_option)
            self._select = None
        elif tag == "textarea":
            self._textarea = None

    def handle_data(self, data: str) -> None:
        if self._textarea is not None and self.inside:
            name, text = self.fields[-1]
            self.fields[-1] = (name, text + data)


def form_fields(html: str, action: str) -> dict[str, str]:
    parser = _FormFields(action)
    parser.feed(html)
    return dict(parser.fields)


def selected(html: str, name: str) -> str:
    block = re.search(rf'<select id="f-{re.escape(name)}" name="{re.escape(name)}".*?</select>', html, re.S)
    assert block is not None, name
    match = re.search(r'<option value="([^"]*)" selected>', block.group(0))
    return match.group(1) if match else ""


def family() -> dict[str, Any]:
    return case_body(
        members=[
            member(incomes=[{"source": "employment", "amount_monthly": "21000"}]),
            member(first_name="Ondřej", date_of_birth=years_ago(20), relationship="child"),
        ],
        consent={"purpose": "Řešení bytové situace", "given_on": years_ago(0), "worker_id": "worker-7"},
    )


async def test_the_case_form_offers_the_czech_answers_and_saves_one(intake: Intake) -> None:
    async with signed_in(intake, "eva.mala", Role.WORKER) as browser:
        form = await browser.get("/cases/new")
        data = case_form(
            csrf_of(form.text),
            **{
                "members.1.first_name": "Ondřej",
                "members.1.last_name": "Hronek",
                "members.1.date_of_birth": years_ago(20),
                "members.1.relationship": "child",
                "members.1.dependent_child": "no",
            },
        )
        response = await browser.post("/cases/new", data=data)
        page = await browser.get(response.headers["location"])

    assert form.status_code == 200
    assert '<label for="f-members.0.dependent_child">Nezaopatřené dítě</label>' in form.text
    for code, text in OPTIONS.items():
        assert f'<option value="{code}"' in form.text and f">{text}</option>" in form.text
    assert selected(form.text, "members.2.dependent_child") == "unknown"  # "Nezjištěno" until answered
    assert response.status_code == 303, response.text
    case_id = response.headers["location"].removeprefix("/cases/").removesuffix("?saved=opened")
    detail = (await intake.client.get(f"/api/cases/{case_id}")).json()
    assert [m["dependent_child"] for m in detail["household"]["members"]] == ["unknown", "no"]
    assert '<th scope="col">Nezaopatřené dítě</th>' in page.text
    assert "<td>Ne – nestuduje</td>" in page.text
    assert "<td>–</td>" in page.text  # the applicant (41) is not asked


async def test_an_answer_for_an_adult_is_an_inline_error_on_the_form(intake: Intake) -> None:
    async with signed_in(intake, "eva.mala", Role.WORKER) as browser:
        form = await browser.get("/cases/new")
        data = case_form(csrf_of(form.text), **{"members.0.dependent_child": "yes"})  # born 1985
        response = await browser.post("/cases/new", data=data)

    assert response.status_code == 422
    message = error_next_to(response.text, "members.0.dependent_child")
    assert message.startswith("Zda je člen nezaopatřené dítě") and "15 až 25 let" in message
    assert "Člen 1: nezaopatřené dítě" in response.text  # the error summary names the row
    assert selected(response.text, "members.0.dependent_child") == "yes"  # kept as sent
    assert await intake.count("intake_case") == 0


async def test_correcting_the_answer_on_the_household_page_publishes_household_changed(
    intake: Intake,
) -> None:
    case = await intake.open_case(family())
    before = (await intake.client.get(f"/api/cases/{case['id']}")).json()["household"]
    action = f"/cases/{case['id']}/household"
    async with signed_in(intake, "eva.mala", Role.WORKER) as browser:
        case_page = await browser.get(f"/cases/{case['id']}")
        page = await browser.get(action)
        fields = form_fields(page.text, action)
        fields.update({"members.1.dependent_child": "yes", "note": "Syn studuje vysokou školu."})
        response = await browser.post(action, data=fields)
        shown = await browser.get(response.headers["location"])

    assert f'href="{action}"' in case_page.text and "Upravit domácnost" in case_page.text
    assert page.status_code == 200
    assert f"<h1>Domácnost případu {case['number']}</h1>" in page.text
    assert 'value="Ondřej"' in page.text and 'value="21000"' in page.text
    assert selected(page.text, "members.1.dependent_child") == "unknown"
    # the applicant is 41: not asked, so the row has no select (and sends nothing: not established)
    assert 'name="members.0.dependent_child"' not in page.text
    assert 'name="members.2.dependent_child"' in page.text  # the empty row to add someone
    assert response.status_code == 303, response.text
    assert response.headers["location"] == f"/cases/{case['id']}?saved=household"
    assert "Změna domácnosti byla uložena." in shown.text
    assert "<td>Ano – studuje nebo se pro nemoc nemůže soustavně připravovat na povolání</td>" in shown.text
    detail = (await intake.client.get(f"/api/cases/{case['id']}")).json()
    after = detail["household"]
    assert after["members"][1]["dependent_child"] == "yes"
    # nothing else changed by going through the page: the consent keeps the worker who recorded it
    after["members"][1]["dependent_child"] = "unknown"
    assert after == before
    assert detail["version"] == 2
    assert detail["history"][1]["kind"] == "household_changed"
    assert detail["history"][1]["note"] == "Syn studuje vysokou školu."
    opened, changed = await intake.events(expect=2)
    assert changed.type == "kmb.intake.household_changed.v1"
    assert [m["dependent_child"] for m in changed.payload["household"]["members"]] == [None, True]
    assert changed.payload["actor"]["user_id"] != "worker-7"  # the worker who corrected it
    assert opened.payload["household"]["members"][1]["dependent_child"] is None


async def test_the_household_page_refuses_a_wrong_answer_and_a_stale_version(intake: Intake) -> None:
    case = await intake.open_case(family())
    action = f"/cases/{case['id']}/household"
    async with signed_in(intake, "eva.mala", Role.WORKER) as browser:
        fields = form_fields((await browser.get(action)).text, action)
        wrong = await browser.post(action, data={**fields, "members.0.dependent_child": "no"})
        await intake.client.put(f"/api/cases/{case['id']}/household", json=family())  # version 2
        stale = await browser.post(action, data={**fields, "members.1.dependent_child": "yes"})

    assert wrong.status_code == 422
    assert "15 až 25 let" in error_next_to(wrong.text, "members.0.dependent_child")
    assert stale.status_code == 409
    assert "mezitím změnil někdo jiný" in stale.text
    detail = (await intake.client.get(f"/api/cases/{case['id']}")).json()
    assert detail["version"] == 2
    assert [m["dependent_child"] for m in detail["household"]["members"]] == ["unknown", "unknown"]


async def test_the_household_of_a_closed_case_has_no_page(intake: Intake) -> None:
    case = await intake.open_case()
    await intake.client.post(f"/api/cases/{case['id']}/close", json={"reason": "moved_away"})
    async with signed_in(intake, "eva.mala", Role.WORKER) as browser:
        page = await browser.get(f"/cases/{case['id']}/household")

    assert page.status_code == 409
    assert "Domácnost uzavřeného případu nelze měnit." in page.text
