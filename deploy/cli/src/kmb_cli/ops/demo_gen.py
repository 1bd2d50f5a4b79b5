"""Synthetic case histories for the demo town "Lipovec (DEMO)": pure data, generated from a seed.

Everything is clearly synthetic: every surname carries "(DEMO)", every note says "syntetická data",
addresses are in the fictional town with the postcode 999 01, e-mails use a reserved example domain.
The APIs stamp their events "now", so the spread over a year lives in the data: contact dates,
consent dates, notice and eviction dates, and birth dates relative to them.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from faker import Faker

from .demo_situations import (
    DECLINE_REASONS,
    DISTRICTS,
    FALLBACK_PARTNERS,
    MARK,
    NOTE,
    ORP_CODE,
    POSTCODE,
    SITUATIONS,
    TOWN,
    WORKERS,
    Situation,
    female_surname,
)


@dataclass
class DemoReferral:
    kind: str
    partner: str | None = None  # chosen when the partners are known
    response: str | None = None  # "accept", "decline" or None (no answer yet)
    decline_reason: str = "no_capacity"


@dataclass
class DemoCase:
    """One household's path: a first contact, the case, the survey, referrals, maybe the closing."""

    situation: str
    worker: str
    contact: dict[str, Any]
    case: dict[str, Any]
    survey: dict[str, Any]
    referrals: list[DemoReferral] = field(default_factory=list)
    follow_up: dict[str, Any] | None = None
    close_reason: str | None = None


def _money(rng: random.Random, low: int, high: int, step: int = 100) -> int:
    return rng.randrange(low, high + 1, step)


def _born(rng: random.Random, on: date, min_age: int, max_age: int) -> str:
    return (on - timedelta(days=rng.randint(min_age * 365 + 1, max_age * 365 + 300))).isoformat()


class Generator:
    def __init__(self, seed: int, today: date) -> None:
        self.rng = random.Random(seed)
        self.fake = Faker("cs_CZ")
        self.fake.seed_instance(seed)
        self.today = today
        self.surname = "Novák"

    def person(
        self, female: bool, relationship: str, born: str, incomes: list[dict[str, Any]]
    ) -> dict[str, Any]:
        """A member with the household's surname (its female form for women)."""
        first = self.fake.first_name_female() if female else self.fake.first_name_male()
        last = female_surname(self.surname) if female else self.surname
        return {
            "first_name": first,
            "last_name": f"{last} {MARK}",
            "date_of_birth": born,
            "relationship": relationship,
            "sex": "female" if female else "male",
            "incomes": incomes,
        }

    def members(self, s: Situation, on: date) -> list[dict[str, Any]]:
        rng = self.rng
        self.surname = self.fake.last_name_male()
        female = s.household == "single_parent" or rng.random() < 0.5
        if s.household == "senior":
            return [
                self.person(
                    female,
                    "applicant",
                    _born(rng, on, 68, 88),
                    [{"source": "pension", "amount_monthly": _money(rng, 13500, 21000)}],
                )
            ]
        if s.name == "odchod z péče":
            return [
                self.person(
                    female,
                    "applicant",
                    _born(rng, on, 18, 20),
                    [{"source": "other_benefit", "amount_monthly": _money(rng, 4800, 7500)}],
                )
            ]
        if s.household == "single":
            income = [{"source": "unemployment_benefit", "amount_monthly": _money(rng, 0, 9000)}]
            return [
                self.person(
                    female, "applicant", _born(rng, on, 30, 60), [i for i in income if i["amount_monthly"]]
                )
            ]
        work = {"source": "employment", "amount_monthly": _money(rng, 19000, 34000)}
        applicant = self.person(female, "applicant", _born(rng, on, 24, 45), [work])
        people = [applicant]
        if s.household == "family":
            people.append(
                self.person(
                    not female,
                    "partner",
                    _born(rng, on, 24, 47),
                    [{"source": "employment", "amount_monthly": _money(rng, 0, 26000)}],
                )
            )
            people[-1]["incomes"] = [i for i in people[-1]["incomes"] if i["amount_monthly"]]
        else:
            applicant["incomes"] = [
                {"source": "parental_allowance", "amount_monthly": _money(rng, 6000, 10000)}
            ]
        for _ in range(rng.randint(1, 3)):
            allowance = {"source": "child_allowance", "amount_monthly": _money(rng, 1300, 1900)}
            people.append(self.person(rng.random() < 0.5, "child", _born(rng, on, 0, 15), [allowance]))
        return people

    def case_for(self, s: Situation, on: date, worker: str, partners: list[str]) -> dict[str, Any]:
        rng = self.rng
        kind, title = s.dwelling
        housed = kind in ("flat", "house", "commercial_hostel")
        hostel = kind == "commercial_hostel"
        household: dict[str, Any] = {
            "members": self.members(s, on),
            "email": f"demo.{rng.randrange(10**6):06d}@lipovec.example",
            "address": {
                "street": f"{self.fake.street_name()} {rng.randint(1, 180)}" if housed else None,
                "municipality": TOWN,
                "postal_code": POSTCODE,
                "district": rng.choice(DISTRICTS),
                "orp_code": ORP_CODE,
            },
            "dwelling": {"kind": kind, "legal_title": title},
            "costs": {
                "rent": _money(rng, 6000, 12000) if hostel else _money(rng, 7000, 16000) if housed else 0,
                "services": _money(rng, 1500, 3500) if housed and not hostel else 0,
                "energy": _money(rng, 1200, 3800) if kind in ("flat", "house") else 0,
            },
            "arrears": _money(rng, 8000, 60000) if s.notice else 0,
            "other_debts": _money(rng, 0, 150000, 1000) if rng.random() < 0.4 else 0,
            "vulnerability_flags": list(s.flags),
        }
        if kind in ("flat", "house"):
            household["dwelling"] |= {"size_m2": rng.randint(24, 70), "rooms": rng.randint(1, 3)}
        if s.notice:
            notice = on - timedelta(days=rng.randint(3, 40))
            household["notice_date"] = notice.isoformat()
            household["eviction_date"] = (notice + timedelta(days=90)).isoformat()
        if rng.random() < 0.85:
            consent = {
                "purpose": f"Řešení bytové situace; {NOTE}",
                "given_on": on.isoformat(),
                "worker_id": worker,
            }
            household["consent"] = consent | {"partners": partners}
        else:
            household["legal_basis"] = "public_task"
        return household

    def one(self, partners: dict[str, tuple[str, ...]]) -> DemoCase:
        rng = self.rng
        s = rng.choices(SITUATIONS, weights=[x.weight for x in SITUATIONS])[0]
        on = self.today - timedelta(days=rng.randint(1, 364))
        worker = rng.choice(WORKERS)
        referrals = []
        for kind in s.referral_kinds:
            if rng.random() < 0.6:
                takers = sorted(slug for slug, kinds in partners.items() if kind in kinds)
                response = rng.choices(("accept", "decline", None), weights=(6, 3, 2))[0]
                referrals.append(
                    DemoReferral(
                        kind, rng.choice(takers) if takers else None, response, rng.choice(DECLINE_REASONS)
                    )
                )
        slugs = sorted({r.partner for r in referrals if r.partner})
        contact = {
            "channel": rng.choices(("in_person", "phone", "email", "field_visit"), weights=(6, 3, 1, 1))[0],
            "contact_date": on.isoformat(),
            "topics": list(s.topics),
            "duration_minutes": rng.choice((15, 20, 30, 45, 60, 90)),
            "note": NOTE,
            "worker_id": worker,
        }
        later = min(self.today, on + timedelta(days=rng.randint(7, 60)))
        follow_up = contact | {"channel": "phone", "contact_date": later.isoformat(), "duration_minutes": 15}
        # only an accepted offer of a flat ends the case as housed; other help does not house anyone
        housing = ("municipal_flat_application", "real_estate_search")
        accepted = any(r.response == "accept" and r.kind in housing for r in referrals)
        close = None
        if rng.random() < 0.4:
            close = (
                "housed_adequately"
                if accepted
                else rng.choice(("resolved_itself", "lost_contact", "moved_away"))
            )
        return DemoCase(
            situation=s.name,
            worker=worker,
            contact=contact,
            case=self.case_for(s, on, worker, slugs),
            survey={
                "can_pay_unexpected_expense": False,
                "checked_documents": ["identity_document"],
                "notes": NOTE,
            },
            referrals=referrals,
            follow_up=follow_up if rng.random() < 0.5 else None,
            close_reason=close,
        )


def generate(
    n: int, seed: int, today: date, partners: dict[str, tuple[str, ...]] | None = None
) -> list[DemoCase]:
    """``n`` case histories; the same seed, day and partners give the same data."""
    generator = Generator(seed, today)
    return [generator.one(partners or FALLBACK_PARTNERS) for _ in range(n)]
