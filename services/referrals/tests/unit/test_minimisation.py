from __future__ import annotations

from collections.abc import Callable
from datetime import date
from uuid import UUID

import pytest
from hypothesis import given
from hypothesis import strategies as st

from kmb_referrals.domain import (
    CaseFacts,
    ClientIdentity,
    Partner,
    PartnerKind,
    Referral,
    ReferralInvalid,
    ReferralKind,
    StepNotes,
    WorkerContact,
    build_partner_message,
    make_referral,
    partner_details,
    pseudonymous_reference,
)
from kmb_referrals.domain.partner_updates import (
    PARTNER_STATUS_TYPE,
    PartnerStatusUpdateV1,
    PartnerUpdateKind,
    build_status_update,
)

CASE = UUID("00000000-0000-4000-8000-000000000001")
KEY = b"test-pseudonym-key-0123456789"
WORKER = WorkerContact(
    name="Bc. Jana Pracovnice",
    organisation="KMB Lipovec",
    phone="+420 000 100 200",
    email="kmb@lipovec.example",
)
IDENTITY = ClientIdentity(
    full_name="Marie Nováková",
    phone="+420 777 123 456",
    email="marie.novakova@example.cz",
    address="Lipová 12, Lipovec",
    birth_date=date(1980, 5, 17),
)
ANY_KIND_PARTNER = Partner(
    slug="ngo-domov", name="Domov pro všechny", kind=PartnerKind.NGO, accepted_kinds=frozenset(ReferralKind)
)
NewReferral = Callable[..., Referral]


def _facts(**changes: object) -> CaseFacts:
    base = CaseFacts(
        case_id=CASE,
        case_number="KMB-2026-00042",
        household_size=3,
        children=2,
        need_level="insecure",
        ethos_category=9,
        district="Lipovec-sever",
        vulnerability_flags=("domestic_violence",),
    )
    return base.model_copy(update=changes)


def test_without_consent_the_partner_gets_a_pseudonym_and_no_worker_contact(
    new_referral: NewReferral,
) -> None:
    message = build_partner_message(new_referral(), _facts(), KEY)
    assert not message.identified and message.legal_basis is None
    assert message.case_reference.startswith("P-")
    assert (message.message_type, message.state, message.state_label) == (
        "kmb.partner.referral.v3",
        "made",
        "předáno",
    )
    assert {"worker", "disclosure_basis"}.isdisjoint(message.model_dump())
    assert message.household.household_size == 3 and message.household.children == 2
    assert message.household.vulnerability_flags == ()
    assert message.topic == "kmb.partner.ngo-domov.v1"


def test_consent_for_another_partner_does_not_open_identifiers(new_referral: NewReferral) -> None:
    message = build_partner_message(new_referral(), _facts(consent_partners={"up-lipovec"}), KEY)
    assert not message.identified


def test_consent_for_this_partner_lets_it_fetch_the_details_but_the_message_has_none(
    new_referral: NewReferral,
) -> None:
    referral = new_referral()
    message = build_partner_message(referral, _facts(consent_partners={"ngo-domov"}), KEY)
    assert message.identified and message.legal_basis == "consent"
    assert message.legal_basis_label == "souhlas domácnosti"
    assert message.details == f"/api/partner/ngo-domov/referrals/{referral.id}"
    assert message.household.vulnerability_flags == ("domestic_violence",)
    payload = message.model_dump_json()
    for identifier in ("Nováková", "777 123 456", "marie.novakova", "Lipová", "1980-05-17", "KMB-2026"):
        assert identifier not in payload


def test_details_carry_address_and_birth_date_only_when_the_kind_needs_them() -> None:
    def client(kind: ReferralKind) -> ClientIdentity:
        details = partner_details(UUID(int=7), kind, "consent", IDENTITY, "KMB-2026-00042", " Volat ráno. ")
        assert details.identified and details.case_number == "KMB-2026-00042"
        assert details.note == "Volat ráno."
        assert details.client is not None
        return details.client

    legal = client(ReferralKind.LEGAL_AID)
    assert legal.full_name == "Marie Nováková" and legal.phone == "+420 777 123 456"
    assert legal.address is None and legal.birth_date is None
    field = client(ReferralKind.SOCIAL_WORK)
    assert field.address == "Lipová 12, Lipovec" and field.birth_date is None
    assert client(ReferralKind.BINDING_OPINION).birth_date == date(1980, 5, 17)


def test_details_without_a_basis_or_an_identity_carry_nothing_of_the_client_but_the_worker() -> None:
    for basis, identity in ((None, IDENTITY), ("consent", None)):
        details = partner_details(
            UUID(int=7), ReferralKind.SOCIAL_WORK, basis, identity, "KMB-1", "Marie", worker=WORKER
        )
        assert not details.identified and details.worker == WORKER
        assert (details.client, details.case_number, details.note) == (None, None, None)


def test_a_recorded_legal_basis_replaces_consent(new_referral: NewReferral) -> None:
    basis = "§ 18 zákona č. 175/2025 Sb."
    on_referral = new_referral().model_copy(update={"legal_basis": basis})
    message = build_partner_message(on_referral, _facts(), KEY)
    # a basis in words (free text) is not sent, only that there is one
    assert message.identified and message.legal_basis is None and basis not in message.model_dump_json()
    on_case = build_partner_message(new_referral(), _facts(legal_basis=basis), KEY)
    assert on_case.identified and on_case.legal_basis is None
    coded = build_partner_message(new_referral(), _facts(legal_basis="public_task"), KEY)
    assert coded.identified and coded.legal_basis == "public_task"
    assert (
        coded.legal_basis_label
        == "úkol ve veřejném zájmu nebo výkon veřejné moci (čl. 6 odst. 1 písm. e) GDPR)"
    )


def test_blank_legal_basis_does_not_count(new_referral: NewReferral) -> None:
    assert not build_partner_message(new_referral(), _facts(legal_basis="  "), KEY).identified


def test_pseudonym_is_stable_per_partner_and_differs_between_partners() -> None:
    first = pseudonymous_reference(CASE, "ngo-domov", KEY)
    assert first == pseudonymous_reference(CASE, "ngo-domov", KEY)
    assert first != pseudonymous_reference(CASE, "up-lipovec", KEY)
    assert str(CASE) not in first


def test_short_pseudonym_key_is_refused() -> None:
    with pytest.raises(ValueError):
        pseudonymous_reference(CASE, "ngo-domov", b"short")


def test_facts_of_another_case_are_refused(new_referral: NewReferral) -> None:
    with pytest.raises(ReferralInvalid):
        build_partner_message(new_referral(), _facts(case_id=UUID(int=99)), KEY)


@given(
    kind=st.sampled_from(list(ReferralKind)),
    consents=st.frozensets(st.sampled_from(["up-lipovec", "socialni-odbor", "ngo-domov"])),
    legal_basis=st.sampled_from([None, "  ", "§ 18 zákona č. 175/2025 Sb."]),
)
def test_message_never_carries_the_case_number_or_a_client_even_with_consent_or_legal_basis(
    kind: ReferralKind, consents: frozenset[str], legal_basis: str | None
) -> None:
    facts = _facts(consent_partners=consents, legal_basis=legal_basis, case_number="KMB-2026-00042")
    referral = make_referral(
        referral_id=UUID(int=7), case_id=CASE, partner=ANY_KIND_PARTNER, kind=kind, made_on=date(2026, 3, 2)
    )
    message = build_partner_message(referral, facts, KEY)
    payload = message.model_dump_json()
    assert "KMB-2026-00042" not in payload and str(CASE) not in payload
    assert {"client", "case_number", "note", "worker", "disclosure_basis"}.isdisjoint(message.model_dump())
    assert "175/2025" not in payload
    assert message.identified == ("ngo-domov" in consents or bool(legal_basis and legal_basis.strip()))
    if not message.identified:
        assert "domestic_violence" not in payload


@pytest.mark.parametrize("note", [None, "  ", "Volat Marii Novákové po 15."])
def test_a_status_update_never_carries_the_note_only_that_there_is_one(
    new_referral: NewReferral, note: str | None
) -> None:
    referral = new_referral(ReferralKind.HOUSING_ASSISTANCE)
    update = build_status_update(referral, PartnerUpdateKind.DECLINED, date(2026, 3, 3), KEY, note=note)

    assert update.message_type == PARTNER_STATUS_TYPE == "kmb.partner.referral_status.v2"
    assert "note" not in update.model_dump()
    assert update.has_note is (note == "Volat Marii Novákové po 15.")
    assert update.details == f"/api/partner/{referral.partner}/referrals/{referral.id}"
    assert "Marii" not in update.model_dump_json()


def test_the_first_version_of_a_status_update_is_still_read(new_referral: NewReferral) -> None:
    update = build_status_update(new_referral(), PartnerUpdateKind.DECLINED, date(2026, 3, 3), KEY)
    written = update.model_dump(mode="json", exclude={"has_note", "details", "message_type"})

    old = PartnerStatusUpdateV1.model_validate({**written, "note": "Volat ráno."})

    assert (old.message_type, old.note) == ("kmb.partner.referral_status.v1", "Volat ráno.")


def test_the_step_notes_are_in_the_details_only_with_a_basis() -> None:
    steps = StepNotes(decline_note=" Marie nepřišla. ", outcome_note=None, cancel_note="")
    shown = partner_details(CASE, ReferralKind.SOCIAL_WORK, "consent", IDENTITY, steps=steps)
    hidden = partner_details(CASE, ReferralKind.SOCIAL_WORK, None, IDENTITY, steps=steps)

    assert (shown.decline_note, shown.outcome_note, shown.cancel_note) == ("Marie nepřišla.", None, None)
    assert (hidden.decline_note, hidden.outcome_note, hidden.cancel_note) == (None, None, None)


def test_an_earlier_version_message_is_thinned_to_the_current_one() -> None:
    from kmb_referrals.domain.thin import personal_values, thin_message

    worker = WORKER.model_dump()
    old = {
        "referral_id": str(CASE),
        "partner": "ngo-domov",
        "client": {"full_name": "Marie Nováková", "phone": "+420 777 123 456", "email": None},
        "case_number": "KMB-2026-00042",
        "note": "Volat ráno.",
        "disclosure_basis": "consent",
        "worker": worker,
    }
    kind, thin = thin_message("kmb.partner.referral.v1", old)
    assert kind == thin["message_type"] == "kmb.partner.referral.v3"
    assert {"client", "case_number", "note", "worker", "disclosure_basis"}.isdisjoint(thin)
    assert (thin["state"], thin["legal_basis"]) == ("made", "consent")
    assert thin["details"] == f"/api/partner/ngo-domov/referrals/{CASE}"
    # the worker's name, phone and e-mail (not the organisation's code); "consent" is kept as a code
    assert personal_values("kmb.partner.referral.v1", old) == [
        "Marie Nováková",
        "+420 777 123 456",
        "KMB-2026-00042",
        "Volat ráno.",
        "Bc. Jana Pracovnice",
        "+420 000 100 200",
        "kmb@lipovec.example",
    ]
    v2 = {"referral_id": str(CASE), "partner": "ngo-domov", "disclosure_basis": "§ 18", "worker": worker}
    kind, thin = thin_message("kmb.partner.referral.v2", v2)
    assert kind == "kmb.partner.referral.v3" and thin["legal_basis"] is None
    assert {"worker", "disclosure_basis"}.isdisjoint(thin)
    assert personal_values("kmb.partner.referral.v2", v2)[-1] == "§ 18"
    kind, step = thin_message("kmb.partner.referral_status.v1", {"note": "  ", "update": "accepted"})
    assert (kind, step) == (
        "kmb.partner.referral_status.v2",
        {"update": "accepted", "message_type": kind, "has_note": False},
    )
    assert thin_message("kmb.partner.referral.v3", {"a": 1}) == ("kmb.partner.referral.v3", {"a": 1})
    assert thin_message("something.else", {"a": 1}) == ("something.else", {"a": 1})
