"""Request bodies of intake's API (a new case, a member, a contact) for the tests of intake and of
the whole system; each call returns a fresh dict, which ``overrides`` complete or replace."""

from __future__ import annotations

from typing import Any


def member(**overrides: Any) -> dict[str, Any]:
    """An adult applicant (born 15 March 1985) without income."""
    return {
        "first_name": "Květoslava",
        "last_name": "Hronková",
        "date_of_birth": "1985-03-15",
        "relationship": "applicant",
        **overrides,
    }


def earning_applicant(first_name: str, last_name: str, date_of_birth: str, monthly: int) -> dict[str, Any]:
    """An applicant whose one income is employment of ``monthly`` CZK."""
    return member(
        first_name=first_name,
        last_name=last_name,
        date_of_birth=date_of_birth,
        incomes=[{"source": "employment", "amount_monthly": monthly}],
    )


def case_body(**overrides: Any) -> dict[str, Any]:
    """A one-member household in a leased flat in Praha 7, kept on the public-task basis."""
    return {
        "members": [member()],
        "address": {"orp_code": "1000", "district": "Praha 7"},
        "dwelling": {"kind": "flat", "legal_title": "lease"},
        "legal_basis": "public_task",
        **overrides,
    }


def consented_case_body(
    person: tuple[str, str, str, str],
    monthly: int,
    *,
    phone: str,
    email: str,
    street: str,
    partner: str,
    worker_id: str,
) -> dict[str, Any]:
    """A woman (first and last name, birth date, birth number) earning ``monthly`` CZK, with her phone,
    e-mail and street in Praha 10, who consented to her details going to ``partner``: every kind of
    personal data a consented flow could carry, for the tests that look for it afterwards."""
    first_name, last_name, date_of_birth, birth_number = person
    applicant = earning_applicant(first_name, last_name, date_of_birth, monthly)
    body = case_body(
        members=[applicant | {"birth_number": birth_number, "sex": "female"}],
        phone=phone,
        email=email,
        address={"street": street, "municipality": "Praha", "district": "Praha 10", "orp_code": "1100"},
        consent={
            "purpose": "předání",
            "given_on": "2026-01-05",
            "worker_id": worker_id,
            "partners": [partner],
        },
    )
    del body["legal_basis"]
    return body


def contact_body(
    contact_date: str = "2026-06-15", worker_id: str = "w-17", **overrides: Any
) -> dict[str, Any]:
    """A half-hour visit in person about the loss of housing (on ``contact_date``, ISO)."""
    return {
        "channel": "in_person",
        "contact_date": contact_date,
        "topics": ["loss_of_housing"],
        "duration_minutes": 30,
        "worker_id": worker_id,
        **overrides,
    }
