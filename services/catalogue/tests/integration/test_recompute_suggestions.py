"""Suggestions are ranked again when the catalogue changes (a new entry, a place freed) and when the
worker presses the button, and the worker sees what changed: the entries new since the last ranking
marked, those no longer suggested listed. Real broker, SQLite and PostgreSQL."""

from __future__ import annotations

from typing import Any
from uuid import uuid4

import pytest

from kmb_shared.auth import Role
from kmb_testkit.fixtures import bearer

from .support import Catalogue, entry, need_assessed

pytestmark = pytest.mark.kafka


def suggested(result: dict[str, Any]) -> set[str]:
    return {s["solution_id"] for s in result["suggestions"]}


async def test_a_freed_place_a_new_entry_and_the_button_each_rank_the_suggestions_again(
    catalogue: Catalogue,
) -> None:
    flat = await catalogue.create(
        entry("municipal_flat", "Obecní byt 2+1", capacity={"total": 1, "free": 1}, size_m2=54)
    )
    legal = await catalogue.create(entry("legal_aid", "Právní poradna"))
    other_case = uuid4()
    taken = await catalogue.worker.post(
        f"/api/solutions/{flat['id']}/allocate", json={"case_id": str(other_case)}
    )
    assert taken.status_code == 200, taken.text
    family = need_assessed(
        "insecure", household_type="family_with_children", household_size=3, children=1, ethos_category=8
    )
    await catalogue.assess(family)
    first = await catalogue.suggestions(family.case_id, assessment_id=family.assessment_id)
    assert suggested(first) == {legal["id"]}  # the only flat is full
    assert first["recomputed_at"] is None

    # a place freed: the flat is suggested again, marked new
    freed = await catalogue.worker.post(
        f"/api/solutions/{flat['id']}/release", json={"case_id": str(other_case)}
    )
    assert freed.status_code == 200, freed.text
    after_release = (await catalogue.worker.get(f"/api/cases/{family.case_id}/suggestions")).json()
    assert suggested(after_release) == {legal["id"], flat["id"]}
    assert (after_release["recompute_cause"], after_release["new_solution_ids"]) == (
        "capacity_freed",
        [flat["id"]],
    )
    assert after_release["recompute_cause_label"] == "uvolněné místo v katalogu"
    assert "request" not in after_release  # the household as matched stays inside the catalogue

    # a new entry that fits: suggested and marked new; the flat is no longer new
    sublease = await catalogue.create(
        entry("sublease_housing", "Podnájemní byt", capacity={"total": 3, "free": 1})
    )
    after_new = (await catalogue.worker.get(f"/api/cases/{family.case_id}/suggestions")).json()
    assert suggested(after_new) == {legal["id"], flat["id"], sublease["id"]}
    assert (after_new["recompute_cause"], after_new["new_solution_ids"]) == ("new_entry", [sublease["id"]])

    # an entry that fits nobody changes no one's suggestions
    await catalogue.create(entry("womens_shelter", "Azylový dům pro ženy", capacity={"total": 8, "free": 2},
                                 eligibility={"required_flags": ["domestic_violence"]}))  # fmt: skip
    assert (await catalogue.worker.get(f"/api/cases/{family.case_id}/suggestions")).json() == after_new

    # withdrawn meanwhile: the button ranks again, and the page says what is gone and why it was ranked
    gone = await catalogue.editor.delete(f"/api/solutions/{legal['id']}", params={"version": 1})
    assert gone.status_code == 200, gone.text
    async with catalogue.browser(Role.WORKER) as worker:
        pressed = await worker.submit(f"/cases/{family.case_id}/suggestions/recompute", {})
        assert pressed.status_code == 303, pressed.text
        page = (await worker.get(f"/cases/{family.case_id}/suggestions")).text
    assert "Co se změnilo" in page and "přepočet na žádost pracovníka" in page
    assert "Už se nenavrhuje:" in page and "<li>Právní poradna – stažen z katalogu</li>" in page
    assert "Přepočítat návrhy podle dnešního katalogu" in page
    assert "on_demand" not in page and "capacity_freed" not in page
    on_demand = (await catalogue.worker.get(f"/api/cases/{family.case_id}/suggestions")).json()
    assert suggested(on_demand) == {flat["id"], sublease["id"]}
    assert [r["title"] for r in on_demand["removed"]] == ["Právní poradna"]


async def test_the_button_refuses_unknown_and_other_organisations_cases_and_old_suggestions(
    catalogue: Catalogue,
) -> None:
    await catalogue.create(entry("legal_aid", "Právní poradna"))
    unknown = await catalogue.worker.post(f"/api/cases/{uuid4()}/suggestions/recompute")
    assert unknown.status_code == 404
    household = need_assessed("insecure")
    await catalogue.assess(household)
    await catalogue.suggestions(household.case_id, assessment_id=household.assessment_id)
    async with catalogue.runtime.db.session() as session:  # as kept before recomputation existed
        for row in await catalogue.suggestion_rows(household.case_id):
            row.request = None
            session.add(row)
        await session.commit()
    other = bearer(Role.WORKER, organisation="kmb-brezany", user="worker-b1")
    path = f"/api/cases/{household.case_id}/suggestions/recompute"
    assert (await catalogue.anonymous.post(path, headers=other)).status_code == 404
    old = await catalogue.worker.post(path)
    assert old.status_code == 409
    assert old.json()["detail"]["code"] == "not_recomputable"
