"""A partner topic never carries a name without consent or a legal basis; with one, the name comes
from intake over HTTP — and if intake is away, the referral still goes, pseudonymously, with a note."""

from __future__ import annotations

from uuid import uuid4

import pytest

from .conftest import ServiceFactory
from .support import WORKER, Referrals, StubIntake, free_port, partner_user

pytestmark = pytest.mark.kafka


async def test_without_consent_the_partner_gets_a_pseudonym_and_intake_is_not_asked(
    referrals: Referrals, intake: StubIntake
) -> None:
    await referrals.partner("ngo-domov", ["housing_assistance"])
    case_id = uuid4()
    intake.add(case_id, "Marie", "Nováková", "+420 777 123 456", "Lipová 12")
    await referrals.open_case(case_id, consent=["socialni-odbor"])  # consent names another partner
    made = await referrals.referral(
        case_id, "ngo-domov", "housing_assistance", note="Volat po 15. hodině, Marie."
    )

    [record] = await referrals.partner_messages("ngo-domov", expect=1)
    assert record.data["identified"] is False
    assert record.data["client"] is None
    assert record.data["case_number"] is None
    assert record.data["note"] is None, "free text may name the household"
    assert record.data["case_reference"].startswith("P-")
    assert record.data["worker"]["organisation"] == "kmb-lipovec"
    # The phone as written and as digits only: long enough that no random id in the message can
    # contain it by chance (a bare "777" did, in a UUID).
    for word in (
        b"Marie",
        b"Nov\xc3\xa1kov",
        b"777 123 456",
        b"777123456",
        b"Lipov\xc3\xa1 12",
        str(case_id).encode(),
    ):
        assert word not in record.raw and word not in (record.key or b"")
    assert intake.requests == []
    assert made["identified"] is False and made["disclosure_note"] is None
    # The household summary still helps the partner prepare: 2 members, 1 of them a child (6-14).
    assert (record.data["household"]["household_size"], record.data["household"]["children"]) == (2, 1)


async def test_with_consent_for_the_partner_the_name_comes_from_intake(
    referrals: Referrals, intake: StubIntake
) -> None:
    await referrals.partner("ngo-domov", ["housing_assistance"])
    case_id = uuid4()
    intake.add(case_id, "Marie", "Nováková", "+420 777 123 456", "Lipová 12")
    await referrals.open_case(case_id, consent=["ngo-domov"], number=42)
    made = await referrals.referral(case_id, "ngo-domov", "housing_assistance", note="Volat po 15. hodině.")

    [record] = await referrals.partner_messages("ngo-domov", expect=1)
    assert record.data["identified"] is True
    assert record.data["disclosure_basis"] == "consent"
    assert record.data["client"]["full_name"] == "Marie Nováková"
    assert record.data["client"]["phone"] == "+420 777 123 456"
    assert record.data["client"]["address"] == "Lipová 12, 000 00 Lipovec"
    assert record.data["client"]["birth_date"] is None, "housing assistance does not need the birth date"
    assert record.data["case_number"] == "KMB-2026-00042"
    assert record.data["note"] == "Volat po 15. hodině."
    assert intake.requests == [str(case_id)]
    assert intake.authorizations == [WORKER["Authorization"]], "intake checks the worker's own sign-in"
    assert made["identified"] is True
    # The referrals database keeps what was sent without the identity.
    inbox = await referrals.get("/api/partner/ngo-domov/inbox", as_=partner_user("ngo-domov"))
    assert inbox[0]["message"]["client"] is None
    assert inbox[0]["identified"] is True


async def test_a_legal_basis_of_the_case_allows_the_name(referrals: Referrals, intake: StubIntake) -> None:
    await referrals.partner("up-lipovec", ["binding_opinion"], kind="labour_office")
    case_id = uuid4()
    intake.add(case_id, "Petr", "Svoboda", "+420 606 000 111", "Dlouhá 3")
    await referrals.open_case(case_id, legal_basis="§ 18 zákona č. 175/2025 Sb.")
    await referrals.referral(case_id, "up-lipovec", "binding_opinion")
    [record] = await referrals.partner_messages("up-lipovec", expect=1)
    assert record.data["disclosure_basis"] == "§ 18 zákona č. 175/2025 Sb."
    assert record.data["client"]["full_name"] == "Petr Svoboda"
    assert record.data["client"]["birth_date"] == "1980-05-17", "the labour office needs the birth date"


async def test_when_intake_does_not_know_the_case_the_referral_goes_pseudonymously_with_a_note(
    referrals: Referrals, intake: StubIntake
) -> None:
    await referrals.partner("ngo-domov", ["housing_assistance"])
    case_id = uuid4()  # consented, but intake does not know the case (answers 404)
    await referrals.open_case(case_id, consent=["ngo-domov"])
    made = await referrals.referral(case_id, "ngo-domov", "housing_assistance")
    assert made["identified"] is False
    assert "intake" in made["disclosure_note"].lower()
    [record] = await referrals.partner_messages("ngo-domov", expect=1)
    assert record.data["identified"] is False and record.data["client"] is None
    assert intake.requests == [str(case_id)]


async def test_when_intake_is_unreachable_the_referral_is_not_blocked(
    service_factory: ServiceFactory,
) -> None:
    nobody_listens = f"http://127.0.0.1:{free_port()}"
    async with service_factory(intake_url=nobody_listens, intake_timeout_s=1.0) as referrals:
        await referrals.partner("ngo-domov", ["housing_assistance"])
        case_id = uuid4()
        await referrals.open_case(case_id, consent=["ngo-domov"])
        response = await referrals.refer(case_id, "ngo-domov", "housing_assistance")
        assert response.status_code == 201, response.text
        assert response.json()["identified"] is False
        assert response.json()["disclosure_note"]
        [record] = await referrals.partner_messages("ngo-domov", expect=1)
        assert record.data["client"] is None
