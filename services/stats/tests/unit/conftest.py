"""A scripted history of events across all four contexts, with its delivery metadata.

Timeline (all times 09:00 UTC unless noted; Prague is UTC+1 in winter, UTC+2 from 29 March 2026,
so every date below is the same in Prague):

Cases (kmb.intake.v1, assessments on kmb.assessment.v1)
  A  opened 2025-03-03; assessed 2025-03-10 roofless, ETHOS 1, single, 1 person, Praha 7, ORP 1000;
     registered 2025-03-20 valid until 2026-03-19; registration expired 2026-03-20.
  B  opened 2025-08-04; assessed 2025-08-05 not_in_need; 2025-09-15 insecure, ETHOS 9,
     family_with_children, 4 people, 2 children, Praha 7, ORP 1000, flag disability;
     registered 2025-10-01 valid until 2026-09-30.
  C  opened 2026-01-12; assessed 2026-01-14 houseless, ETHOS 3, single_parent, 3 people, 2 children,
     Praha 10, ORP 1100, flag single_parent; registered 2026-01-20 valid until 2027-01-19;
     closed 2026-03-02 housed_adequately; registration expired 2026-03-02.
  D  opened 2026-01-20; assessed 2026-01-22 insecure, ETHOS 8, single, 1 person, Praha 10;
     closed 2026-02-10 lost_contact; reopened 2026-03-05; assessed 2026-03-06 inadequate, ETHOS 12,
     couple, 2 people, Praha 10.
  E  opened 2026-02-02; assessed 2026-02-03 at_risk, ETHOS 9, senior, 2 people, Praha 7,
     flags senior + disability; registered 2026-02-10 valid until 2027-02-09.
  F  opened 2026-02-16; assessed 2026-02-17 roofless, ETHOS 2, single, 1 person, Praha 10;
     closed 2026-03-20 housed_adequately.
  G  opened 2026-04-07; assessed 2026-04-08 roofless, ETHOS 1, single, 1 person, Praha 7.
  H  opened 2026-03-09; assessed 2026-03-10 not_in_need, single, 1 person, Praha 10.
Contacts (kmb.intake.v1)
  k0 2025-12-15 phone [benefits] A · k1 2026-01-12 in_person [housing_loss, benefits] C ·
  k2 2026-01-13 phone [benefits] anonymous · k3 2026-01-20 in_person [housing_loss] D ·
  k4 2026-02-02 field [housing_loss, debt] E · k5 2026-02-16 phone [housing_loss] F ·
  k6 2026-03-09 email [other] H · k7 2026-03-10 phone [benefits] anonymous ·
  k8 2026-03-31 in_person [debt] B · k9 2026-04-07 in_person [housing_loss] G
Catalogue (kmb.catalogue.v1)
  S1 shelter: published 2025-12-01 20/5 free; 2026-02-03 20/3; 2026-04-10 20/8.
  S2 municipal_flat: published 2026-01-05 4/4; 2026-03-03 4/3.
  S3 ngo_flat: published 2026-01-05 2/1; withdrawn 2026-03-15.
  S4 guaranteed_housing: published 2026-02-01 without capacity. Suggestions for E (ignored).
Referrals (kmb.referrals.v1; R2's acceptance on kmb.partner.ngo-a.v1)
  R1 C up-praha benefit_application: made 2026-01-15, accepted 01-16, completed 02-20.
  R2 C ngo-a shelter: made 2026-01-15 10:00, accepted 01-18 10:00.
  R3 D ngo-a housing_assistance: made 2026-01-23, declined 01-25 21:00 no_capacity.
  R4 E up-praha benefit_application: made 2026-02-04, overdue 02-19, accepted 02-23.
  R5 F obec-byty municipal_flat: made 2026-02-18, accepted 02-19, completed 03-20.
  R6 B ngo-a shelter: made 2026-03-25, declined 2026-04-02 client_refused.
  R7 A ngo-b debt_advice: made 2025-11-10, accepted 2025-11-11.
Duplicates: k2, C's closure and R3's ReferralMade are delivered twice with the same event id.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from typing import Any
from uuid import UUID

import pytest

from kmb_shared.contracts import (
    CapacityChanged,
    CaseClosed,
    CaseOpened,
    CaseReopened,
    ContactRecorded,
    HouseholdSnapshot,
    IntegrationEvent,
    MemberSnapshot,
    NeedAssessed,
    ReferralAccepted,
    ReferralCompleted,
    ReferralDeclined,
    ReferralMade,
    ReferralOverdue,
    RegisteredInNeed,
    RegistrationExpired,
    SolutionPublished,
    SolutionsSuggested,
    SolutionWithdrawn,
    Suggestion,
)
from kmb_stats.domain import EventMeta

INTAKE, ASSESSMENT, CATALOGUE, REFERRALS = (
    "kmb.intake.v1",
    "kmb.assessment.v1",
    "kmb.catalogue.v1",
    "kmb.referrals.v1",
)
PARTNER = "kmb.partner.ngo-a.v1"

CASES = {name: UUID(int=0xCA5E0000 + i) for i, name in enumerate("ABCDEFGH")}
SOLUTIONS = {name: UUID(int=0x50100000 + i) for i, name in enumerate(["S1", "S2", "S3", "S4"])}
REFERRALS_IDS = {f"R{i}": UUID(int=0xEFE00000 + i) for i in range(1, 8)}

Delivery = tuple[IntegrationEvent, EventMeta]


def at(day: str, hour: int = 9, minute: int = 0) -> datetime:
    return datetime.fromisoformat(day).replace(hour=hour, minute=minute, tzinfo=UTC)


def household(district: str, size: int, children: int = 0) -> HouseholdSnapshot:
    members = [MemberSnapshot(age_band="6-14", relationship="child", dependent=True) for _ in range(children)]
    members += [MemberSnapshot(age_band="26-64", relationship="adult") for _ in range(size - children)]
    return HouseholdSnapshot(members=tuple(members), district=district)


@dataclass
class History:
    """Per-topic event lists in topic order, and duplicate deliveries."""

    topics: dict[str, list[Delivery]] = field(default_factory=dict)
    duplicates: list[Delivery] = field(default_factory=list)

    def add(self, topic: str, event: IntegrationEvent) -> Delivery:
        deliveries = self.topics.setdefault(topic, [])
        short = topic.split(".")[1]
        meta = EventMeta(
            f"{short}-{len(deliveries):03d}", event.event_type, event.occurred_at, topic, 0, len(deliveries)
        )
        deliveries.append((event, meta))
        return event, meta

    def topic_by_topic(self, order: list[str]) -> list[Delivery]:
        """Each topic delivered whole, one after the other, duplicates at the end."""
        return [d for topic in order for d in self.topics[topic]] + self.duplicates

    def by_time(self) -> list[Delivery]:
        """All topics merged by time (a stable sort keeps each topic's own order), duplicates inside."""
        merged = sorted((d for topic in self.topics.values() for d in topic), key=lambda d: d[0].occurred_at)
        return merged[:10] + self.duplicates + merged[10:]

    def until(self, last_day: date) -> list[Delivery]:
        return [d for d in self.by_time() if d[0].occurred_at.date() <= last_day]


def _intake(h: History) -> None:
    opened = {"A": "2025-03-03", "B": "2025-08-04", "C": "2026-01-12", "D": "2026-01-20",
              "E": "2026-02-02", "F": "2026-02-16", "H": "2026-03-09", "G": "2026-04-07"}  # fmt: skip
    shapes = {"A": ("Praha 7", 1, 0), "B": ("Praha 7", 4, 2), "C": ("Praha 10", 3, 2), "D": ("Praha 10", 1, 0),
              "E": ("Praha 7", 2, 0), "F": ("Praha 10", 1, 0), "G": ("Praha 7", 1, 0), "H": ("Praha 10", 1, 0)}  # fmt: skip
    contacts: list[tuple[str, str, str, tuple[str, ...], str | None]] = [
        ("k0", "2025-12-15", "phone", ("benefits",), "A"),
        ("k1", "2026-01-12", "in_person", ("housing_loss", "benefits"), "C"),
        ("k2", "2026-01-13", "phone", ("benefits",), None),
        ("k3", "2026-01-20", "in_person", ("housing_loss",), "D"),
        ("k4", "2026-02-02", "field", ("housing_loss", "debt"), "E"),
        ("k5", "2026-02-16", "phone", ("housing_loss",), "F"),
        ("k6", "2026-03-09", "email", ("other",), "H"),
        ("k7", "2026-03-10", "phone", ("benefits",), None),
        ("k8", "2026-03-31", "in_person", ("debt",), "B"),
        ("k9", "2026-04-07", "in_person", ("housing_loss",), "G"),
    ]
    items: list[tuple[datetime, IntegrationEvent]] = []
    for name, day in opened.items():
        number = f"KMB-{day[:4]}-0000{'ABCDEFGH'.index(name) + 1}"
        snapshot = household(*shapes[name])
        items.append(
            (
                at(day),
                CaseOpened(case_id=CASES[name], case_number=number, household=snapshot, occurred_at=at(day)),
            )
        )
    for name, day, reason in [("D", "2026-02-10", "lost_contact"), ("C", "2026-03-02", "housed_adequately"),
                              ("F", "2026-03-20", "housed_adequately")]:  # fmt: skip
        number = f"KMB-2026-0000{'ABCDEFGH'.index(name) + 1}"
        items.append(
            (at(day), CaseClosed(case_id=CASES[name], case_number=number, reason=reason, occurred_at=at(day)))
        )
    items.append(
        (
            at("2026-03-05"),
            CaseReopened(case_id=CASES["D"], case_number="KMB-2026-00004", occurred_at=at("2026-03-05")),
        )
    )
    for i, (_key, day, channel, topics, case) in enumerate(contacts):
        contact = ContactRecorded(
            contact_id=UUID(int=0xC0C0 + i), case_id=CASES[case] if case else None, channel=channel,
            contact_date=date.fromisoformat(day), topics=topics, duration_minutes=20,
            anonymous=case is None, occurred_at=at(day, 8),
        )  # fmt: skip
        items.append((contact.occurred_at, contact))
    for _moment, event in sorted(items, key=lambda item: item[0]):
        h.add(INTAKE, event)


def _assessment(h: History) -> None:
    rows: list[tuple[str, int, str, str, int | None, str, int, int, str, str | None, tuple[str, ...]]] = [
        ("A", 1, "2025-03-10", "roofless", 1, "single", 1, 0, "Praha 7", "1000", ()),
        ("B", 1, "2025-08-05", "not_in_need", None, "family_with_children", 4, 2, "Praha 7", "1000", ()),
        (
            "B",
            2,
            "2025-09-15",
            "insecure",
            9,
            "family_with_children",
            4,
            2,
            "Praha 7",
            "1000",
            ("disability",),
        ),
        ("C", 1, "2026-01-14", "houseless", 3, "single_parent", 3, 2, "Praha 10", "1100", ("single_parent",)),
        ("D", 1, "2026-01-22", "insecure", 8, "single", 1, 0, "Praha 10", "1100", ()),
        ("E", 1, "2026-02-03", "at_risk", 9, "senior", 2, 0, "Praha 7", "1000", ("senior", "disability")),
        ("F", 1, "2026-02-17", "roofless", 2, "single", 1, 0, "Praha 10", "1100", ()),
        ("D", 2, "2026-03-06", "inadequate", 12, "couple", 2, 0, "Praha 10", "1100", ()),
        ("H", 1, "2026-03-10", "not_in_need", None, "single", 1, 0, "Praha 10", "1100", ()),
        ("G", 1, "2026-04-08", "roofless", 1, "single", 1, 0, "Praha 7", "1000", ()),
    ]
    items: list[IntegrationEvent] = []
    for case, n, day, level, ethos, kind, size, children, district, orp, flags in rows:
        items.append(NeedAssessed(
            case_id=CASES[case], assessment_id=assessment_id(case, n), assessed_on=date.fromisoformat(day),
            rule_set_version="2026.1", ethos_category=ethos, need_level=level, household_type=kind,
            household_size=size, children=children, district=district, orp_code=orp,
            vulnerability_flags=flags, occurred_at=at(day, 10),
        ))  # fmt: skip
    registrations = [("A", "2025-03-20", "2026-03-19", "roofless"), ("B", "2025-10-01", "2026-09-30", "insecure"),
                     ("C", "2026-01-20", "2027-01-19", "houseless"), ("E", "2026-02-10", "2027-02-09", "at_risk")]  # fmt: skip
    for case, on, until, level in registrations:
        n = 2 if case == "B" else 1
        items.append(RegisteredInNeed(
            case_id=CASES[case], assessment_id=assessment_id(case, n), registered_on=date.fromisoformat(on),
            valid_until=date.fromisoformat(until), need_level=level, occurred_at=at(on, 11),
        ))  # fmt: skip
    for case, day in [("C", "2026-03-02"), ("A", "2026-03-20")]:
        items.append(RegistrationExpired(
            case_id=CASES[case], assessment_id=assessment_id(case, 1), expired_on=date.fromisoformat(day),
            occurred_at=at(day, 11),
        ))  # fmt: skip
    for event in sorted(items, key=lambda e: e.occurred_at):
        h.add(ASSESSMENT, event)


def assessment_id(case: str, n: int) -> UUID:
    return UUID(int=0xA5500000 + "ABCDEFGH".index(case) * 16 + n)


def _catalogue(h: History) -> None:
    s = SOLUTIONS
    items: list[IntegrationEvent] = [
        SolutionPublished(solution_id=s["S1"], kind="shelter", title="Azylový dům", provider="ngo-a",
                          capacity_total=20, capacity_free=5, occurred_at=at("2025-12-01")),
        SolutionPublished(solution_id=s["S2"], kind="municipal_flat", title="Obecní byt", provider="obec",
                          capacity_total=4, capacity_free=4, occurred_at=at("2026-01-05")),
        SolutionPublished(solution_id=s["S3"], kind="ngo_flat", title="Byt NNO", provider="ngo-b",
                          capacity_total=2, capacity_free=1, occurred_at=at("2026-01-05", 10)),
        SolutionPublished(solution_id=s["S4"], kind="guaranteed_housing", title="Garance", provider="obec",
                          occurred_at=at("2026-02-01")),
        CapacityChanged(solution_id=s["S1"], kind="shelter", capacity_total=20, capacity_free=3,
                        case_id=CASES["E"], occurred_at=at("2026-02-03", 12)),
        SolutionsSuggested(case_id=CASES["E"], suggestions=(Suggestion(solution_id=s["S1"], kind="shelter",
                           title="Azylový dům", rank=1, score=0.9),), occurred_at=at("2026-02-03", 13)),
        CapacityChanged(solution_id=s["S2"], kind="municipal_flat", capacity_total=4, capacity_free=3,
                        occurred_at=at("2026-03-03")),
        SolutionWithdrawn(solution_id=s["S3"], reason="prodej", occurred_at=at("2026-03-15")),
        CapacityChanged(solution_id=s["S1"], kind="shelter", capacity_total=20, capacity_free=8,
                        occurred_at=at("2026-04-10")),
    ]  # fmt: skip
    for event in items:
        h.add(CATALOGUE, event)


def _referrals(h: History) -> None:
    r, c = REFERRALS_IDS, CASES
    rows: list[tuple[str, Any, str, str, str, datetime, dict[str, Any]]] = [
        ("R7", ReferralMade, "A", "ngo-b", "debt_advice", at("2025-11-10"), {}),
        ("R7", ReferralAccepted, "A", "ngo-b", "debt_advice", at("2025-11-11"), {}),
        ("R1", ReferralMade, "C", "up-praha", "benefit_application", at("2026-01-15"), {}),
        ("R2", ReferralMade, "C", "ngo-a", "shelter", at("2026-01-15", 10), {}),
        ("R1", ReferralAccepted, "C", "up-praha", "benefit_application", at("2026-01-16"), {}),
        ("R3", ReferralMade, "D", "ngo-a", "housing_assistance", at("2026-01-23"), {}),
        ("R3", ReferralDeclined, "D", "ngo-a", "housing_assistance", at("2026-01-25", 21), {"reason": "no_capacity"}),
        ("R4", ReferralMade, "E", "up-praha", "benefit_application", at("2026-02-04"), {}),
        ("R5", ReferralMade, "F", "obec-byty", "municipal_flat", at("2026-02-18"), {}),
        ("R4", ReferralOverdue, "E", "up-praha", "benefit_application", at("2026-02-19"),
         {"due_on": date(2026, 2, 18)}),
        ("R5", ReferralAccepted, "F", "obec-byty", "municipal_flat", at("2026-02-19"), {}),
        ("R1", ReferralCompleted, "C", "up-praha", "benefit_application", at("2026-02-20"), {"outcome": "granted"}),
        ("R4", ReferralAccepted, "E", "up-praha", "benefit_application", at("2026-02-23"), {}),
        ("R5", ReferralCompleted, "F", "obec-byty", "municipal_flat", at("2026-03-20"), {"outcome": "housed"}),
        ("R6", ReferralMade, "B", "ngo-a", "shelter", at("2026-03-25"), {}),
        ("R6", ReferralDeclined, "B", "ngo-a", "shelter", at("2026-04-02"), {"reason": "client_refused"}),
    ]  # fmt: skip
    for ref, model, case, partner, kind, moment, extra in rows:
        h.add(
            REFERRALS,
            model(
                referral_id=r[ref], case_id=c[case], partner=partner, kind=kind, occurred_at=moment, **extra
            ),
        )
    # the partner's acceptance of R2, published on its own topic
    h.add(PARTNER, ReferralAccepted(referral_id=r["R2"], case_id=c["C"], partner="ngo-a", kind="shelter",
                                    occurred_at=at("2026-01-18", 10)))  # fmt: skip


def build_history() -> History:
    h = History()
    _intake(h)
    _assessment(h)
    _catalogue(h)
    _referrals(h)
    for topic, name in [(INTAKE, "k2"), (INTAKE, "close C"), (REFERRALS, "made R3")]:
        h.duplicates.append(_find(h, topic, name))
    return h


def _find(h: History, topic: str, name: str) -> Delivery:
    for event, meta in h.topics[topic]:
        if name == "k2" and isinstance(event, ContactRecorded) and event.contact_id == UUID(int=0xC0C0 + 2):
            return event, meta
        if name == "close C" and isinstance(event, CaseClosed) and event.case_id == CASES["C"]:
            return event, meta
        if name == "made R3" and isinstance(event, ReferralMade) and event.referral_id == REFERRALS_IDS["R3"]:
            return event, meta
    raise LookupError(name)


#: the delivery used for hand-computed expectations: assessments, the partner topic and referrals
#: before the intake events they refer to, so every case event arrives out of order
OUT_OF_ORDER = [ASSESSMENT, PARTNER, REFERRALS, CATALOGUE, INTAKE]


@pytest.fixture
def history() -> History:
    return build_history()
