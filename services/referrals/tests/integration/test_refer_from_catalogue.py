"""The refer page reached from a catalogue suggestion: it names the entry (read from the catalogue,
here a stub on a free port, with the worker's own sign-in) and preselects the referral kind that fits
the entry's kind; without the catalogue it still works and shows no raw id."""

from __future__ import annotations

from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from typing import Any
from uuid import UUID, uuid4

import pytest
from fastapi import FastAPI, HTTPException, Request

from kmb_shared.auth import SESSION_COOKIE

from .conftest import ServiceFactory
from .pages_support import worker
from .support import RunningServer, free_port

pytestmark = pytest.mark.kafka

ASSISTANCE = UUID("5a1e0000-0000-4000-8000-000000000001")
HOSTEL = UUID("5a1e0000-0000-4000-8000-000000000002")


@dataclass
class StubCatalogue:
    """The catalogue's ``GET /api/solutions/{id}`` for the entries in ``entries``; cookies recorded."""

    entries: dict[str, dict[str, Any]] = field(default_factory=dict)
    cookies: list[str | None] = field(default_factory=list)

    def app(self) -> FastAPI:
        app = FastAPI()

        @app.get("/api/solutions/{solution_id}")
        async def solution(solution_id: str, request: Request) -> dict[str, Any]:
            self.cookies.append(request.cookies.get(SESSION_COOKIE))
            if solution_id not in self.entries:
                raise HTTPException(status_code=404)
            return self.entries[solution_id]

        return app

    def add(self, solution_id: UUID, kind: str, title: str, provider: str) -> None:
        self.entries[str(solution_id)] = {
            "id": str(solution_id),
            "kind": kind,
            "title": title,
            "provider": {"name": provider},
            "valid_from": "2026-01-01",
        }


@pytest.fixture
async def catalogue() -> AsyncIterator[tuple[StubCatalogue, str]]:
    stub = StubCatalogue()
    stub.add(ASSISTANCE, "housing_assistance", "Asistence v bydlení (DEMO)", "Charita Lipovec (DEMO)")
    stub.add(HOSTEL, "commercial_hostel", "Ubytovna Na Nádraží (DEMO)", "Ubytovna, s. r. o. (DEMO)")
    async with RunningServer(stub.app()) as server:
        yield stub, server.url


async def test_the_refer_page_names_the_catalogue_entry_and_preselects_its_kind(
    service_factory: ServiceFactory, catalogue: tuple[StubCatalogue, str]
) -> None:
    stub, url = catalogue
    async with service_factory(catalogue_url=url) as referrals:
        await referrals.partner("charita-lipovec", ["housing_assistance"])
        as_worker = worker(referrals)
        case_id = uuid4()
        page = (await as_worker.get(f"/cases/{case_id}/refer?solution_id={ASSISTANCE}")).text
        hostel = (await as_worker.get(f"/cases/{case_id}/refer?solution_id={HOSTEL}")).text
        chosen = (await as_worker.get(f"/cases/{case_id}/refer?solution_id={ASSISTANCE}&kind=legal_aid")).text

    assert "<strong>Asistence v bydlení (DEMO)</strong> – Charita Lipovec (DEMO)" in page
    assert str(ASSISTANCE) not in page.replace(f'value="{ASSISTANCE}"', "")  # the id only in hidden fields
    # housing_assistance -> housing_assistance: step 2 is open with the partner that takes it
    assert '<option value="housing_assistance" selected' in page
    assert '<input type="hidden" name="kind" value="housing_assistance">' in page
    assert 'value="charita-lipovec"' in page
    # a commercial hostel has no matching referral kind: named, but the worker picks the kind
    assert "<strong>Ubytovna Na Nádraží (DEMO)</strong>" in hostel
    assert 'name="kind" value=' not in hostel and " selected" not in hostel
    # a kind the worker already chose is kept
    assert '<option value="legal_aid" selected' in chosen
    # the worker's own session went to the catalogue with every request
    cookie = as_worker.cookie["Cookie"].removeprefix(f"{SESSION_COOKIE}=")
    assert stub.cookies == [cookie, cookie, cookie]


async def test_without_the_catalogue_the_refer_page_still_works_and_shows_no_raw_id(
    service_factory: ServiceFactory,
) -> None:
    nobody = f"http://127.0.0.1:{free_port()}"  # nothing listens there
    async with service_factory(catalogue_url=nobody) as referrals:
        as_worker = worker(referrals)
        case_id = uuid4()
        response = await as_worker.get(f"/cases/{case_id}/refer?solution_id={ASSISTANCE}")
        malformed = await as_worker.get(f"/cases/{case_id}/refer?solution_id=not-an-id")

    assert response.status_code == 200
    assert "Předání k řešení z katalogu:\n  položka katalogu." in response.text
    assert f"katalogu {ASSISTANCE}" not in response.text
    assert 'name="solution_id" value="' + str(ASSISTANCE) + '"' in response.text, "still referred to it"
    assert malformed.status_code == 200 and "položka katalogu" in malformed.text
