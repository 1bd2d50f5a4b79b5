"""Catalogue entries over HTTP: create, list, read, change and withdraw, each announced on the topic;
stale versions are refused with 409 and bad values with 422, leaving nothing behind."""

from __future__ import annotations

from uuid import uuid4

import pytest

from .support import Catalogue, entry

pytestmark = pytest.mark.kafka

SHELTER = entry(
    "night_shelter",
    "Noclehárna U Mostu",
    capacity={"total": 20, "free": 6},
    contacts={"phones": ["+420 000 200 401"]},
    opening_hours={"slots": [{"weekdays": [0, 1, 2, 3, 4, 5, 6], "opens": "18:30", "closes": "07:30"}]},
    eligibility={"need_levels": ["roofless", "houseless"], "children_allowed": False},
)


async def test_an_entry_is_created_changed_and_withdrawn_with_an_event_for_each_step(
    catalogue: Catalogue,
) -> None:
    created = await catalogue.create(SHELTER)
    sid = created["id"]
    assert (created["version"], created["withdrawn"]) == (1, False)
    assert set(created["eligibility"]["need_levels"]) == {"roofless", "houseless"}
    assert (await catalogue.worker.get(f"/api/solutions/{sid}")).json() == created

    changed = await catalogue.editor.patch(
        f"/api/solutions/{sid}", json={"version": 1, "title": "Noclehárna Pod Mostem"}
    )
    assert changed.status_code == 200, changed.text
    assert (changed.json()["title"], changed.json()["version"]) == ("Noclehárna Pod Mostem", 2)
    # fields not named in the change stay as they were
    assert changed.json()["capacity"] == {"total": 20, "free": 6}

    withdrawn = await catalogue.editor.delete(
        f"/api/solutions/{sid}", params={"version": 2, "reason": "Provoz ukončen"}
    )
    assert withdrawn.status_code == 200, withdrawn.text
    assert (withdrawn.json()["withdrawn"], withdrawn.json()["version"]) == (True, 3)
    # The editor's reason is kept with the entry (free text: it could name a person)...
    assert withdrawn.json()["withdrawn_reason"] == "Provoz ukončen"
    shown = await catalogue.worker.get(f"/api/solutions/{sid}")
    assert shown.json()["withdrawn_reason"] == "Provoz ukončen"
    page = await catalogue.worker.get(f"/catalogue/{sid}")
    assert '<p id="withdrawn-reason">Důvod stažení: Provoz ukončen</p>' in page.text

    events = await catalogue.events(expect=3)
    assert [e.type for e in events] == [
        "kmb.catalogue.solution_published.v1",
        "kmb.catalogue.solution_changed.v1",
        "kmb.catalogue.solution_withdrawn.v1",
    ]
    assert {e.key for e in events} == {sid}
    published, change, withdrawal = (e.payload for e in events)
    assert (published["kind"], published["title"], published["provider"]) == (
        "night_shelter",
        "Noclehárna U Mostu",
        "Poskytovatel, z. s.",
    )
    assert (published["capacity_total"], published["capacity_free"]) == (20, 6)
    assert (change["title"], change["version"]) == ("Noclehárna Pod Mostem", 2)
    # ... and not on the event, which says only that the entry was withdrawn.
    assert withdrawal["reason"] is None and b"Provoz" not in events[2].raw
    # the actor is the signed-in editor (from the API token), not anything the caller claims
    assert {(e.payload["actor"]["user_id"], e.payload["actor"]["organisation"]) for e in events} == {
        ("editor-3", "kmb-lipovec")
    }


async def test_lists_filter_by_kind_validity_day_and_withdrawal(catalogue: Catalogue) -> None:
    shelter = await catalogue.create(SHELTER)
    advice = await catalogue.create(
        entry("debt_advice", "Dluhová poradna", valid_from="2026-01-01", valid_to="2026-06-30")
    )
    allowance = await catalogue.create(entry("housing_allowance", "Příspěvek na bydlení"))
    gone = await catalogue.create(entry("legal_aid", "Právní poradna"))
    response = await catalogue.editor.delete(f"/api/solutions/{gone['id']}", params={"version": 1})
    assert response.status_code == 200

    async def titles(**params: str) -> list[str]:
        response = await catalogue.worker.get("/api/solutions", params=params)
        assert response.status_code == 200, response.text
        return [s["title"] for s in response.json()]

    # ordered by title: D, N, P (the same under any collation)
    assert await titles() == [advice["title"], shelter["title"], allowance["title"]]
    assert await titles(kind="night_shelter") == [shelter["title"]]
    # the advice ended on 30 June; withdrawn entries only on request
    assert await titles(valid_on="2026-07-01") == [shelter["title"], allowance["title"]]
    assert await titles(valid_on="2026-06-30") == [advice["title"], shelter["title"], allowance["title"]]
    assert gone["title"] in await titles(include_withdrawn="true")
    bad = await catalogue.worker.get("/api/solutions", params={"kind": "castle", "valid_on": "včera"})
    assert bad.status_code == 422
    assert {item["field"] for item in bad.json()["detail"]} == {"kind", "valid_on"}


async def test_a_change_based_on_a_stale_version_is_refused_and_changes_nothing(
    catalogue: Catalogue,
) -> None:
    sid = (await catalogue.create(SHELTER))["id"]
    first = await catalogue.editor.patch(f"/api/solutions/{sid}", json={"version": 1, "title": "Nový název"})
    assert first.status_code == 200

    stale = await catalogue.editor.patch(f"/api/solutions/{sid}", json={"version": 1, "title": "Jiný název"})
    stale_withdrawal = await catalogue.editor.delete(f"/api/solutions/{sid}", params={"version": 1})

    for response in (stale, stale_withdrawal):
        assert response.status_code == 409
        detail = response.json()["detail"]
        assert detail["code"] == "version_conflict"
        assert "verze 1, aktuální 2" in detail["message_cs"]
        assert "version 1, current 2" in detail["message_en"]
    current = (await catalogue.worker.get(f"/api/solutions/{sid}")).json()
    assert (current["title"], current["version"], current["withdrawn"]) == ("Nový název", 2, False)
    # published + one change; the refused requests staged nothing
    assert await catalogue.outbox_count() == 2


@pytest.mark.parametrize(
    ("body", "fields"),
    [
        (entry("night_shelter", "Noclehárna"), {"body"}),  # a shelter must state its capacity
        (entry("housing_allowance", "Příspěvek", capacity={"total": 1, "free": 1}), {"body"}),
        (
            entry("debt_advice", "Poradna", contacts={"phones": ["zavolejte"]}, valid_from="2026-02-30"),
            {"contacts.phones", "valid_from"},
        ),
        (entry("asylum_house", "Azylový dům", capacity={"total": 3, "free": 4}), {"capacity"}),
        (entry("castle", "Hrad"), {"kind"}),
        (entry("legal_aid", "Po", unknown=1), {"title", "unknown"}),
    ],
)
async def test_bad_values_are_refused_with_field_and_reasons_and_store_nothing(
    catalogue: Catalogue, body: dict[str, object], fields: set[str]
) -> None:
    response = await catalogue.editor.post("/api/solutions", json=body)

    assert response.status_code == 422, response.text
    detail = response.json()["detail"]
    assert {item["field"] for item in detail} == fields
    assert all(item["message_cs"] and item["message_en"] for item in detail)
    assert await catalogue.count("catalogue_solution") == 0
    assert await catalogue.outbox_count() == 0


async def test_implausible_values_are_refused_with_field_code_and_both_languages(
    catalogue: Catalogue,
) -> None:
    body = entry(
        "municipal_flat",
        "Byt 2+1, Sadová 5",
        municipal_category="A",
        capacity={"total": 3, "free": 3},  # a flat is one unit
        # 2·8+5·7+5·6+9·5+6·4+6·3+4·2 = 176 = 16·11, so the check digit is 1, not 2
        provider={"name": "Město Lipovec", "ico": "25596642"},
        contacts={"phones": ["+420 24100011"], "email": "byty@lipovec"},
        address={"street": "Sadová", "city": "Lipovec"},
        valid_from="1999-12-31",
    )

    response = await catalogue.editor.post("/api/solutions", json=body)

    assert response.status_code == 422, response.text
    detail = {item["field"]: item for item in response.json()["detail"]}
    assert {field: item["code"] for field, item in detail.items()} == {
        "capacity": "capacity_out_of_range",
        "provider.ico": "ico_checksum",
        "contacts.phones": "phone_invalid",
        "contacts.email": "email_invalid",
        "address.street": "street_invalid",
        "valid_from": "date_out_of_range",
    }
    assert detail["provider.ico"]["message_cs"].startswith("IČO 25596642 nemá správnou kontrolní číslici")
    assert detail["provider.ico"]["message_en"].startswith("IČO 25596642 has a wrong check digit")
    assert await catalogue.count("catalogue_solution") == 0
    assert await catalogue.outbox_count() == 0


async def test_a_change_or_resize_beyond_the_kinds_bounds_is_refused_and_keeps_the_entry(
    catalogue: Catalogue,
) -> None:
    sid = (await catalogue.create(SHELTER))["id"]

    changed = await catalogue.editor.patch(
        f"/api/solutions/{sid}", json={"version": 1, "capacity": {"total": 3000, "free": 6}}
    )
    resized = await catalogue.editor.post(f"/api/solutions/{sid}/capacity", json={"total": 0})

    assert changed.status_code == 422, changed.text
    assert [(i["field"], i["code"]) for i in changed.json()["detail"]] == [
        ("capacity", "capacity_out_of_range")
    ]
    assert resized.status_code == 422, resized.text
    [item] = resized.json()["detail"]
    assert (item["field"], item["code"]) == ("total", "capacity_out_of_range")
    assert item["message_cs"] == "Kapacita celkem musí být 1 až 300."
    current = (await catalogue.worker.get(f"/api/solutions/{sid}")).json()
    assert (current["version"], current["capacity"]) == (1, {"total": 20, "free": 6})
    assert await catalogue.outbox_count() == 1


async def test_a_change_that_breaks_the_kind_rules_is_refused_in_both_languages(
    catalogue: Catalogue,
) -> None:
    sid = (await catalogue.create(SHELTER))["id"]

    response = await catalogue.editor.patch(f"/api/solutions/{sid}", json={"version": 1, "capacity": None})

    assert response.status_code == 422
    [item] = response.json()["detail"]
    assert item["message_cs"] == "U bytů a lůžek je nutné uvést kapacitu"
    assert item["message_en"] == "Flats and shelter places must state their capacity"
    assert (await catalogue.worker.get(f"/api/solutions/{sid}")).json()["version"] == 1
    assert await catalogue.outbox_count() == 1


async def test_a_withdrawn_entry_cannot_be_changed(catalogue: Catalogue) -> None:
    sid = (await catalogue.create(SHELTER))["id"]
    assert (await catalogue.editor.delete(f"/api/solutions/{sid}", params={"version": 1})).status_code == 200

    response = await catalogue.editor.patch(f"/api/solutions/{sid}", json={"version": 2, "title": "Znovu"})

    assert response.status_code == 422
    [item] = response.json()["detail"]
    assert item["message_en"] == "A withdrawn entry can no longer be changed."


async def test_an_unknown_entry_is_not_found(catalogue: Catalogue) -> None:
    unknown = uuid4()
    assert (await catalogue.worker.get(f"/api/solutions/{unknown}")).status_code == 404
    response = await catalogue.editor.patch(f"/api/solutions/{unknown}", json={"version": 1, "title": "Nic"})
    assert response.status_code == 404
    assert response.json()["detail"]["message_en"] == "Catalogue entry not found."
