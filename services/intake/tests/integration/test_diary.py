"""The case diary over the API: dated notes by the case's workers, newest first with the contacts'
notes, corrected only by the author within 24 hours, never on an event, never in a log; another
organisation's case is not found. On SQLite and PostgreSQL."""

from __future__ import annotations

import logging
from datetime import UTC, datetime, timedelta

import pytest

from .casework_support import fix_clock, views
from .support import AUDITOR, Intake, contact_body, days_from_today, worker

pytestmark = pytest.mark.kafka

COLLEAGUE = worker("worker-8")
STRANGER = worker("worker-9", organisation="kmb-brno")
NOTE = "Paní Nováková volala: pronajímatel souhlasí se splátkovým kalendářem."


async def test_a_note_is_written_and_listed_with_the_contacts_newest_first(intake: Intake) -> None:
    case = await intake.open_case()
    contact = contact_body(case_id=case["id"], contact_date=days_from_today(-2), note="Osobní schůzka.")
    assert (await intake.client.post("/api/contacts", json=contact)).status_code == 201
    older = {"text": "Doložila výpověď z nájmu.", "noted_on": days_from_today(-5)}
    assert (await intake.client.post(f"/api/cases/{case['id']}/diary", json=older)).status_code == 201

    response = await intake.client.post(f"/api/cases/{case['id']}/diary", json={"text": f"  {NOTE} "})

    assert response.status_code == 201, response.text
    note = response.json()
    assert (note["text"], note["author_id"], note["noted_on"]) == (NOTE, "worker-7", days_from_today(0))
    diary = await intake.client.get(f"/api/cases/{case['id']}/diary", headers=COLLEAGUE)
    assert diary.status_code == 200
    lines = [(e["kind"], e["text"], e["on"], e["editable"]) for e in diary.json()]
    assert lines == [
        ("note", NOTE, days_from_today(0), False),  # a colleague may read it, not correct it
        ("contact", "Osobní schůzka.", days_from_today(-2), False),
        ("note", "Doložila výpověď z nájmu.", days_from_today(-5), False),
    ]
    contact_line = diary.json()[1]
    assert (contact_line["channel"], contact_line["topics"]) == (contact["channel"], contact["topics"])
    own = await intake.client.get(f"/api/cases/{case['id']}/diary")
    assert [e["editable"] for e in own.json()] == [True, False, True]


async def test_the_diary_goes_on_no_event_and_into_no_log(
    intake: Intake, caplog: pytest.LogCaptureFixture
) -> None:
    case = await intake.open_case()
    before = await intake.outbox_count()
    caplog.set_level(logging.INFO)  # the service logs at INFO (database drivers echo SQL at DEBUG)
    caplog.set_level(logging.DEBUG, logger="kmb_intake")
    caplog.set_level(logging.DEBUG, logger="kmb_shared")

    response = await intake.client.post(f"/api/cases/{case['id']}/diary", json={"text": NOTE})
    note_id = response.json()["id"]
    edit = await intake.client.patch(
        f"/api/cases/{case['id']}/diary/{note_id}", json={"text": NOTE + " Opraveno."}
    )
    await intake.client.get(f"/api/cases/{case['id']}/diary")

    assert (response.status_code, edit.status_code) == (201, 200)
    assert await intake.outbox_count() == before
    assert "pronajímatel" not in caplog.text
    (opened,) = await intake.events(expect=1)
    assert opened.type == "kmb.intake.case_opened.v1"


async def test_reading_the_diary_is_in_the_view_log(intake: Intake) -> None:
    case = await intake.open_case()

    response = await intake.client.get(f"/api/cases/{case['id']}/diary", headers=AUDITOR)

    assert response.status_code == 200
    assert ("auditor-1", "diary", "api") in await views(intake, case["id"])


@pytest.mark.parametrize(
    ("text", "code", "message_cs"),
    [
        ("", "required", "Povinný údaj chybí."),
        ("   ", "required", "Povinný údaj chybí."),
        ("x" * 5001, "too_long", "Text je příliš dlouhý (nejvýše 5000 znaků)."),
    ],
    ids=["empty", "blank", "too long"],
)
async def test_an_empty_or_too_long_note_is_refused_and_not_stored(
    intake: Intake, text: str, code: str, message_cs: str
) -> None:
    case = await intake.open_case()

    response = await intake.client.post(f"/api/cases/{case['id']}/diary", json={"text": text})

    assert response.status_code == 422
    (item,) = response.json()["detail"]
    assert (item["field"], item["code"], item["message_cs"]) == ("text", code, message_cs)
    assert item["message_en"]
    assert await intake.count("intake_diary_note") == 0


async def test_a_note_of_exactly_5000_characters_is_kept(intake: Intake) -> None:
    case = await intake.open_case()

    response = await intake.client.post(f"/api/cases/{case['id']}/diary", json={"text": "ř" * 5000})

    assert response.status_code == 201
    assert len(response.json()["text"]) == 5000


async def test_the_author_corrects_a_note_within_24_hours_and_not_after(intake: Intake) -> None:
    written = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
    clock = fix_clock(intake, written)
    case = await intake.open_case()
    note = (await intake.client.post(f"/api/cases/{case['id']}/diary", json={"text": NOTE})).json()
    url = f"/api/cases/{case['id']}/diary/{note['id']}"

    clock.set(written + timedelta(hours=23, minutes=59))
    corrected = await intake.client.patch(url, json={"text": "Opravený záznam."})
    clock.set(written + timedelta(hours=24))
    late = await intake.client.patch(url, json={"text": "Pozdní oprava."})

    assert corrected.status_code == 200, corrected.text
    assert corrected.json()["text"] == "Opravený záznam."
    assert corrected.json()["edited_at"] is not None
    assert late.status_code == 403
    detail = late.json()["detail"]
    assert detail["code"] == "diary_edit_window_closed"
    assert "do 24 hodin" in detail["message_cs"]
    diary = await intake.client.get(f"/api/cases/{case['id']}/diary")
    assert [e["text"] for e in diary.json()] == ["Opravený záznam."]


async def test_only_the_author_corrects_a_note(intake: Intake) -> None:
    case = await intake.open_case()
    note = (await intake.client.post(f"/api/cases/{case['id']}/diary", json={"text": NOTE})).json()

    response = await intake.client.patch(
        f"/api/cases/{case['id']}/diary/{note['id']}", json={"text": "Cizí oprava."}, headers=COLLEAGUE
    )

    assert response.status_code == 403
    assert response.json()["detail"]["code"] == "diary_not_author"
    assert response.json()["detail"]["message_cs"] == "Záznam v deníku může opravit jen ten, kdo jej napsal."


async def test_a_correction_is_validated_like_a_note(intake: Intake) -> None:
    case = await intake.open_case()
    note = (await intake.client.post(f"/api/cases/{case['id']}/diary", json={"text": NOTE})).json()

    response = await intake.client.patch(f"/api/cases/{case['id']}/diary/{note['id']}", json={"text": ""})

    assert response.status_code == 422
    assert [i["field"] for i in response.json()["detail"]] == ["text"]


async def test_another_organisations_worker_finds_no_diary(intake: Intake) -> None:
    case = await intake.open_case()
    note = (await intake.client.post(f"/api/cases/{case['id']}/diary", json={"text": NOTE})).json()
    base = f"/api/cases/{case['id']}/diary"

    listed = await intake.client.get(base, headers=STRANGER)
    written = await intake.client.post(base, json={"text": "Cizí záznam."}, headers=STRANGER)
    edited = await intake.client.patch(f"{base}/{note['id']}", json={"text": "Cizí."}, headers=STRANGER)

    assert (listed.status_code, written.status_code, edited.status_code) == (404, 404, 404)
    assert NOTE not in listed.text
    assert await intake.count("intake_diary_note") == 1


async def test_an_auditor_reads_the_diary_but_writes_nothing(intake: Intake) -> None:
    case = await intake.open_case()

    written = await intake.client.post(f"/api/cases/{case['id']}/diary", json={"text": NOTE}, headers=AUDITOR)

    assert written.status_code == 403
    assert (await intake.client.get(f"/api/cases/{case['id']}/diary", headers=AUDITOR)).status_code == 200


async def test_a_note_of_another_case_is_not_found(intake: Intake) -> None:
    case = await intake.open_case()
    other = await intake.open_case()
    note = (await intake.client.post(f"/api/cases/{case['id']}/diary", json={"text": NOTE})).json()

    response = await intake.client.patch(f"/api/cases/{other['id']}/diary/{note['id']}", json={"text": "x"})

    assert response.status_code == 404


async def test_a_note_for_a_future_day_is_refused(intake: Intake) -> None:
    case = await intake.open_case()

    response = await intake.client.post(
        f"/api/cases/{case['id']}/diary", json={"text": NOTE, "noted_on": days_from_today(1)}
    )

    assert response.status_code == 422
    assert [(i["field"], i["code"]) for i in response.json()["detail"]] == [("noted_on", "date_in_future")]
