"""The law table: household situations with their results worked out BY HAND from the amounts.

Plain data (frozen dataclasses, dates, ints, strings): it imports nothing from the service, so any
test can read it - the domain test (tests/unit/test_law_table.py) and the HTTP tests on SQLite and
PostgreSQL. Every expected value below comes from the law and the rule-set amounts, never from
running the code; the comment of each case shows the arithmetic.

Amounts (zákon č. 110/2006 Sb., subsistence minimum, CZK per month) and coefficients, read from the
packaged rule sets:

- rule set 2026.1, from 1 Jan 2026 (until 30 Jun 2026): single person 4,860; first adult 4,470;
  each further adult 4,040; dependent child <6: 2,480, 6-15: 3,050, 15-26: 3,490; income-ceiling
  coefficient 1.43 (act 175/2025 Sb.). A minor is always a dependent child; a member aged 18-25 is
  one when intake's ``dependent_child`` says so, or, when that is not established, when intake
  flags the member ``dependent``.
- rule set 2026.3, from 1 Jul 2026 (supersedes 2026.2, which had the old amounts with 1.6): single
  person 5,500; first person 5,000; each further person 15+ who is not a dependent child 3,750;
  children 2,480 / 3,050 / 3,490 (unchanged); coefficient 1.6 (government decree of 20 Aug 2025).
  A member aged 15-17, or 18-25 recorded as a dependent child, is a dependent child only while
  studying or unable to study for illness (``dependent_child`` True); False makes them a further
  person 15+; None (not established) refuses the assessment with the missing fact
  ``members.<index>.dependent_child`` - never guessed.

Income ceiling = coefficient x subsistence minimum, rounded UP to whole CZK; within the ceiling
means income <= ceiling. Register (§17): in housing need and within the ceiling.

Thresholds (both sets): housing costs > 40 % of income excessive (5 points), > 50 % and unable to
pay an unexpected expense at risk (need level at_risk 10 points + 10 points; a household that CAN
pay scores the excessive 5 and is not at risk); loss of housing within 56 days (ETHOS 9 when there
is a landlord, +10 points); overcrowding < 9.5 m² per person (ETHOS 13, 5 points), extreme
< 5 m² (10 points). Need-level points: roofless 40, houseless 30, insecure 20, inadequate 15,
at_risk 10; children 3 each (at most 12); special vulnerability: single parent 5, leaving an
institution 5, domestic violence 10; income below the subsistence minimum 5; debts 3.

``points`` lists every priority contribution (criterion -> points; criteria giving 0 are not
listed) and ``priority_score`` is their sum. A field left None in ``Expected`` is not checked.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from datetime import date
from typing import Any

#: "Today" in the issue: assessments dated 2 Dec 2026 use rule set 2026.3.
TODAY = date(2026, 12, 2)
LAST_OLD_DAY = date(2026, 6, 30)
FIRST_NEW_DAY = date(2026, 7, 1)


@dataclass(frozen=True)
class Member:
    age_band: str  # 0-5, 6-14, 15-17, 18-25, 26-64, 65+
    relationship: str  # applicant, partner, child, ...
    dependent: bool = False  # intake's "dependent child" flag (read before 1 July 2026)
    dependent_child: bool | None = None  # 15-25: studies/ill (True), does not (False), unknown (None)
    flags: tuple[str, ...] = ()


@dataclass(frozen=True)
class Expected:
    rule_set_version: str | None = None
    subsistence_minimum: int | None = None
    income_ceiling: int | None = None
    within_ceiling: bool | None = None
    children: int | None = None
    household_type: str | None = None
    ethos_category: int | None = None
    need_level: str | None = None
    qualifies_for_register: bool | None = None
    priority_score: int | None = None
    points: dict[str, int] | None = None
    #: Non-empty: the assessment is refused (MissingFactsError / HTTP 422) naming these fields.
    missing_facts: tuple[str, ...] = ()


@dataclass(frozen=True)
class LawCase:
    id: str
    arithmetic: str  # the hand calculation, one line
    assessed_on: date
    members: tuple[Member, ...]
    expected: Expected
    income: int = 0
    rent: int = 0
    services: int = 0
    energy: int = 0
    debts: int = 0
    #: HouseholdSnapshot.dwelling (None: no dwelling recorded)
    dwelling_kind: str | None = None
    legal_title: str | None = None
    size_m2: float | None = None
    eviction_date: date | None = None
    notice_date: date | None = None
    flags: tuple[str, ...] = ()  # household-level vulnerability flags
    # survey (§16) findings
    housing_ends_on: date | None = None
    can_pay_unexpected_expense: bool | None = None
    #: Dependent-child answers of the survey by member index (0-based).
    dependent_children: dict[int, bool] = field(default_factory=dict)

    def household(self, **where: str) -> dict[str, object]:
        """The household as intake's ``HouseholdSnapshot`` reads it, in plain values (``where``: its
        ``district`` and ``orp_code``)."""
        dwelling = None
        if self.dwelling_kind is not None:
            dwelling = {
                "kind": self.dwelling_kind,
                "legal_title": self.legal_title or "none",
                "size_m2": self.size_m2,
            }
        return {
            "members": [asdict(member) for member in self.members],
            "dwelling": dwelling,
            "income_monthly": self.income,
            "rent_monthly": self.rent,
            "services_monthly": self.services,
            "energy_monthly": self.energy,
            "debts_total": self.debts,
            "eviction_date": self.eviction_date,
            "notice_date": self.notice_date,
            "vulnerability_flags": self.flags,
            **where,
        }


APPLICANT = Member("26-64", "applicant")
PARTNER = Member("26-64", "partner")
SON_22_WORKS = Member("18-25", "child", dependent=True, dependent_child=False)
SON_22_STUDIES = Member("18-25", "child", dependent=True, dependent_child=True)
SON_22_UNKNOWN = Member("18-25", "child", dependent=True, dependent_child=None)
CHILD_16_STUDIES = Member("15-17", "child", dependent=True, dependent_child=True)
CHILD_16_WORKS = Member("15-17", "child", dependent=True, dependent_child=False)
CHILD_16_UNKNOWN = Member("15-17", "child", dependent=True, dependent_child=None)
CHILD_4 = Member("0-5", "child", dependent=True)
CHILD_10 = Member("6-14", "child", dependent=True)

SINGLE = (APPLICANT,)
COUPLE = (APPLICANT, PARTNER)
STREET = {"dwelling_kind": "street", "legal_title": "none"}
HOSTEL = {"dwelling_kind": "commercial_hostel", "legal_title": "lodging_contract"}
FLAT = {"dwelling_kind": "flat", "legal_title": "lease"}

ROOFLESS_40 = {"need_level": 40}
INSECURE_20 = {"need_level": 20}
CHILD_INSECURE = {"need_level": 20, "children": 3}
SINGLE_PARENT_INSECURE = {"need_level": 20, "children": 3, "vulnerability:single_parent": 5}
EXCESSIVE_COSTS = {"cost_burden_excessive": 5}
AT_RISK_COSTS = {"need_level": 10, "cost_burden_at_risk": 10}
OVERCROWDED = {"need_level": 15, "overcrowding": 5}

#: (rule set, subsistence minimum, income ceiling) of a household, by hand (the ceiling rounded up)
NEW_SINGLE = ("2026.3", 5500, 8800)  # 5,500 x 1.6 = 8,800
OLD_SINGLE = ("2026.1", 4860, 6950)  # 4,860 x 1.43 = 6,949.8 -> 6,950
NEW_COUPLE = ("2026.3", 8750, 14000)  # 5,000 + 3,750 = 8,750; x1.6 = 14,000
OLD_COUPLE = ("2026.1", 8510, 12170)  # 4,470 + 4,040 = 8,510; x1.43 = 12,169.3 -> 12,170
NEW_THREE_ADULTS = ("2026.3", 12500, 20000)  # 5,000 + 3,750 + 3,750 = 12,500; x1.6 = 20,000
NEW_FAMILY_OF_FOUR = ("2026.3", 14280, 22848)  # 5,000 + 3,750 + 2,480 + 3,050 = 14,280; x1.6 = 22,848

Figures = tuple[str, int, int]


def _expect(
    figures: Figures,
    within: bool,
    children: int,
    household_type: str,
    ethos: int | None,
    need: str,
    register: bool,
    points: dict[str, int] | None = None,
    score: int | None = None,
) -> Expected:
    """The expected result of a household with these ``figures``; its ``priority_score`` is the sum
    of ``points`` (``score`` where the points are not listed)."""
    total = sum(points.values()) if points is not None else score
    return Expected(*figures, within, children, household_type, ethos, need, register, total, points)


def _case(
    id: str, arithmetic: str, on: date, members: tuple[Member, ...], expected: Expected, **kw: Any
) -> LawCase:
    return LawCase(id=id, arithmetic=arithmetic, assessed_on=on, members=members, expected=expected, **kw)


def _ceiling_edge(
    id: str, arithmetic: str, on: date, members: tuple[Member, ...], household_type: str, figures: Figures
) -> tuple[LawCase, ...]:
    """A roofless household with an income at its ceiling (within, on the register) and 1 Kč over
    it (neither); the ids end in the income and which of the two it is."""
    ceiling = figures[2]
    return tuple(
        _case(
            f"{id}-{income}-{'within' if within else 'over'}",
            f"{arithmetic}; {income:,} {'<=' if within else '>'} {ceiling:,}",
            on,
            members,
            _expect(figures, within, 0, household_type, 1, "roofless", within, ROOFLESS_40),
            income=income,
            **STREET,
        )
        for income, within in ((ceiling, True), (ceiling + 1, False))
    )


def _in_hostel(
    id: str,
    arithmetic: str,
    on: date,
    members: tuple[Member, ...],
    figures: Figures,
    within: bool,
    children: int,
    household_type: str,
    points: dict[str, int],
    income: int,
    **kw: Any,
) -> LawCase:
    """A household in a commercial hostel on a lodging contract (ETHOS 8, insecure): in housing need,
    so on the register exactly when ``income`` is within its ceiling."""
    expected = _expect(figures, within, children, household_type, 8, "insecure", within, points)
    return _case(id, arithmetic, on, members, expected, income=income, **kw, **HOSTEL)


def _burden(id: str, arithmetic: str, rent: int, need: str, points: dict[str, int], **kw: Any) -> LawCase:
    """A single person today in a flat on lease, income 20,000 (over the ceiling 8,800), paying ``rent``."""
    expected = _expect(NEW_SINGLE, False, 0, "single", None, need, False, points)
    return _case(id, arithmetic, TODAY, SINGLE, expected, income=20000, rent=rent, **kw, **FLAT)


def _eviction(
    id: str, arithmetic: str, on: date, ethos: int | None, need: str, points: dict[str, int]
) -> LawCase:
    """A single person today in a flat on lease, income 8,000 (within 8,800), evicted ``on``."""
    expected = _expect(NEW_SINGLE, True, 0, "single", ethos, need, True, points)
    return _case(id, arithmetic, TODAY, SINGLE, expected, income=8000, eviction_date=on, **FLAT)


def _overcrowding(
    id: str, arithmetic: str, size_m2: float, ethos: int | None, points: dict[str, int]
) -> LawCase:
    """A couple today in a flat on lease of ``size_m2``, income 10,000 (within 14,000): inadequate
    housing (ETHOS 13) and on the register when overcrowded, else not in need."""
    need, register = ("inadequate", True) if ethos is not None else ("not_in_need", False)
    expected = _expect(NEW_COUPLE, True, 0, "couple", ethos, need, register, points)
    return _case(id, arithmetic, TODAY, COUPLE, expected, income=10000, size_m2=size_m2, **FLAT)


CASES: tuple[LawCase, ...] = (
    # --- the "done when": a single person assessed today -------------------------------
    *_ceiling_edge("today-single", "single 5,500; x1.6 = 8,800", TODAY, SINGLE, "single", NEW_SINGLE),
    # --- both sides of 1 July 2026, single person ----------------------------------------------
    *_ceiling_edge(
        "30-june-single", "single 4,860; x1.43 = 6,949.8 -> 6,950", LAST_OLD_DAY, SINGLE, "single", OLD_SINGLE
    ),
    _case(
        "30-june-single-8800-over-the-old-ceiling",
        "single 4,860; x1.43 = 6,950; 8,800 > 6,950 (the same income is within from 1 July)",
        LAST_OLD_DAY,
        SINGLE,
        _expect(OLD_SINGLE, False, 0, "single", 1, "roofless", False, ROOFLESS_40),
        income=8800,
        **STREET,
    ),
    *_ceiling_edge(
        "1-july-single", "single 5,500; x1.6 = 8,800", FIRST_NEW_DAY, SINGLE, "single", NEW_SINGLE
    ),
    # --- both sides of 1 July 2026, couple -----------------------------------------------------
    *_ceiling_edge(
        "30-june-couple",
        "4,470 + 4,040 = 8,510; x1.43 = 12,169.3 -> 12,170",
        LAST_OLD_DAY,
        COUPLE,
        "couple",
        OLD_COUPLE,
    ),
    *_ceiling_edge(
        "1-july-couple", "5,000 + 3,750 = 8,750; x1.6 = 14,000", FIRST_NEW_DAY, COUPLE, "couple", NEW_COUPLE
    ),
    _case(
        "today-applicant-with-22-year-old-partner",
        "partner 18-25 not recorded as a child: further person 15+; 5,000 + 3,750 = 8,750; x1.6 = 14,000",
        TODAY,
        (APPLICANT, Member("18-25", "partner")),
        _expect(NEW_COUPLE, True, 0, "couple", 1, "roofless", True, ROOFLESS_40),
        income=14000,
        **STREET,
    ),
    # --- the example: a couple with a 22-year-old son ----------------------------------
    # (hostel rows: id, arithmetic, day, members, figures, within, children, household type, points,
    # income)
    _in_hostel(
        "today-couple-son-22-works",
        "son not a dependent child: 5,000 + 3,750 + 3,750 = 12,500; x1.6 = 20,000; no children points",
        TODAY,
        (APPLICANT, PARTNER, SON_22_WORKS),
        NEW_THREE_ADULTS,
        True,
        0,
        "other",
        INSECURE_20,
        20000,
    ),
    _in_hostel(
        "today-couple-son-22-works-1-kc-over",
        "5,000 + 3,750 + 3,750 = 12,500; x1.6 = 20,000; 20,001 > 20,000",
        TODAY,
        (APPLICANT, PARTNER, SON_22_WORKS),
        NEW_THREE_ADULTS,
        False,
        0,
        "other",
        INSECURE_20,
        20001,
    ),
    _in_hostel(
        "today-couple-son-22-studies",
        "son a dependent child 15-26: 5,000 + 3,750 + 3,490 = 12,240; x1.6 = 19,584; children 1 x 3 = 3",
        TODAY,
        (APPLICANT, PARTNER, SON_22_STUDIES),
        ("2026.3", 12240, 19584),
        True,
        1,
        "family_with_children",
        CHILD_INSECURE,
        19584,
    ),
    _case(
        "today-couple-son-22-unknown-refused",
        "from 1 July 2026 the son's status decides 3,750 vs 3,490: not established -> asked, not guessed",
        TODAY,
        (APPLICANT, PARTNER, SON_22_UNKNOWN),
        Expected(missing_facts=("members.2.dependent_child",)),
        income=20000,
        **HOSTEL,
    ),
    _in_hostel(
        "today-couple-son-22-unknown-answered-in-survey",
        "survey: son does not study -> 5,000 + 3,750 + 3,750 = 12,500; x1.6 = 20,000",
        TODAY,
        (APPLICANT, PARTNER, SON_22_UNKNOWN),
        NEW_THREE_ADULTS,
        True,
        0,
        "other",
        INSECURE_20,
        20000,
        dependent_children={2: False},
    ),
    _in_hostel(
        "30-june-couple-son-22-works",
        "old amounts, son not dependent: 4,470 + 4,040 + 4,040 = 12,550; x1.43 = 17,946.5 -> 17,947",
        LAST_OLD_DAY,
        (APPLICANT, PARTNER, SON_22_WORKS),
        ("2026.1", 12550, 17947),
        True,
        0,
        "other",
        INSECURE_20,
        17947,
    ),
    _in_hostel(
        "30-june-couple-son-22-unknown-old-reading",
        "before 1 July the flag 'dependent' decides: 4,470 + 4,040 + 3,490 = 12,000; x1.43 = 17,160 < 17,161",
        LAST_OLD_DAY,
        (APPLICANT, PARTNER, SON_22_UNKNOWN),
        ("2026.1", 12000, 17160),
        False,
        1,
        "family_with_children",
        CHILD_INSECURE,
        17161,
    ),
    # --- a child aged 15-17 ------------------------------------------------------------------
    _in_hostel(
        "today-parent-child-16-studies",
        "5,000 + 3,490 = 8,490; x1.6 = 13,584; children 3 + single parent 5",
        TODAY,
        (APPLICANT, CHILD_16_STUDIES),
        ("2026.3", 8490, 13584),
        True,
        1,
        "single_parent",
        SINGLE_PARENT_INSECURE,
        13584,
    ),
    _in_hostel(
        "today-parent-child-16-works",
        "16-year-old not studying: further person 15+; 5,000 + 3,750 = 8,750; x1.6 = 14,000",
        TODAY,
        (APPLICANT, CHILD_16_WORKS),
        NEW_COUPLE,
        True,
        0,
        "other",
        INSECURE_20,
        14000,
    ),
    _case(
        "today-parent-child-16-unknown-refused",
        "15-17 from 1 July 2026: dependent only while studying; not established -> asked",
        TODAY,
        (APPLICANT, CHILD_16_UNKNOWN),
        Expected(missing_facts=("members.1.dependent_child",)),
        income=14000,
        **HOSTEL,
    ),
    _in_hostel(
        "30-june-parent-child-16-unknown",
        "before 1 July a minor is a dependent child: 4,470 + 3,490 = 7,960; x1.43 = 11,382.8 -> 11,383",
        LAST_OLD_DAY,
        (APPLICANT, CHILD_16_UNKNOWN),
        ("2026.1", 7960, 11383),
        True,
        1,
        "single_parent",
        SINGLE_PARENT_INSECURE,
        11383,
    ),
    # --- a family with young children ----------------------------------------------------------
    _case(
        "today-family-two-children-within",
        "5,000 + 3,750 + 2,480 + 3,050 = 14,280; x1.6 = 22,848; children 2 x 3 = 6",
        TODAY,
        (APPLICANT, PARTNER, CHILD_4, CHILD_10),
        _expect(
            NEW_FAMILY_OF_FOUR,
            True,
            2,
            "family_with_children",
            1,
            "roofless",
            True,
            {"need_level": 40, "children": 6},
        ),
        income=22848,
        **STREET,
    ),
    _case(
        "today-family-two-children-1-kc-over",
        "5,000 + 3,750 + 2,480 + 3,050 = 14,280; x1.6 = 22,848; 22,849 > 22,848",
        TODAY,
        (APPLICANT, PARTNER, CHILD_4, CHILD_10),
        _expect(NEW_FAMILY_OF_FOUR, False, 2, "family_with_children", 1, "roofless", False, score=46),
        income=22849,
        **STREET,
    ),
    _case(
        "30-june-family-two-children",
        "4,470 + 4,040 + 2,480 + 3,050 = 14,040; x1.43 = 20,077.2 -> 20,078; 20,078 within",
        LAST_OLD_DAY,
        (APPLICANT, PARTNER, CHILD_4, CHILD_10),
        _expect(("2026.1", 14040, 20078), True, 2, "family_with_children", 1, "roofless", True, score=46),
        income=20078,
        **STREET,
    ),
    # --- housing-cost burden edges: 40 % and 50 % (single, flat on lease, income 20,000) --------
    _burden(
        "burden-exactly-40-pct",
        "8,000 / 20,000 = 40 %, not over 40 %: no points, not in need; ceiling 8,800 < 20,000",
        8000,
        "not_in_need",
        {},
    ),
    _burden(
        "burden-40-pct-plus-1-kc",
        "8,001 / 20,000 = 40.005 % > 40 %: excessive 5 points; not over 50 %: not in need",
        8001,
        "not_in_need",
        EXCESSIVE_COSTS,
    ),
    _burden(
        "burden-exactly-50-pct",
        "10,000 / 20,000 = 50 %, not over 50 %: excessive 5 points only, not at risk",
        10000,
        "not_in_need",
        EXCESSIVE_COSTS,
    ),
    _burden(
        "burden-50-pct-plus-1-kc",
        "10,001 / 20,000 = 50.005 % > 50 %, expense not asked: at risk 10 + at-risk burden 10 = 20",
        10001,
        "at_risk",
        AT_RISK_COSTS,
    ),
    _burden(
        "burden-over-50-pct-can-pay-unexpected-expense",
        "10,001 / 20,000 > 50 % but can pay 14,100 Kč: not at risk; only excessive 5 (> 40 %)",
        10001,
        "not_in_need",
        EXCESSIVE_COSTS,
        can_pay_unexpected_expense=True,
    ),
    _case(
        "burden-over-50-pct-cannot-pay-unexpected-expense-within-ceiling",
        "couple 5,000 + 3,750 = 8,750; x1.6 = 14,000; rent 7,001 / 14,000 = 50.007 % > 50 %: at risk",
        TODAY,
        COUPLE,
        _expect(NEW_COUPLE, True, 0, "couple", None, "at_risk", True, AT_RISK_COSTS),
        income=14000,
        rent=7001,
        can_pay_unexpected_expense=False,
        **FLAT,
    ),
    # --- threat horizon edges: 56 days (single, flat on lease, income 8,000 <= 8,800) ----------
    _eviction(
        "eviction-in-56-days",
        "2 Dec 2026 + 56 days = 27 Jan 2027: within 56 days -> ETHOS 9 insecure 20 + threat 10",
        date(2027, 1, 27),
        9,
        "insecure",
        {"need_level": 20, "threat_within_horizon": 10},
    ),
    _eviction(
        "eviction-in-57-days",
        "2 Dec 2026 + 57 days = 28 Jan 2027: later than 56 days -> at risk 10, no threat points",
        date(2027, 1, 28),
        None,
        "at_risk",
        {"need_level": 10},
    ),
    # --- overcrowding edges: 9.5 m² and 5 m² (couple, flat on lease, income 10,000 <= 14,000) --
    _overcrowding(
        "exactly-9-5-m2-per-person",
        "19 m² / 2 = 9.5 m², not below 9.5: no overcrowding, not in need",
        19.0,
        None,
        {},
    ),
    _overcrowding(
        "just-below-9-5-m2-per-person",
        "18.99 m² / 2 = 9.495 m² < 9.5: ETHOS 13 inadequate 15 + overcrowding 5",
        18.99,
        13,
        OVERCROWDED,
    ),
    _overcrowding(
        "exactly-5-m2-per-person",
        "10 m² / 2 = 5 m², not below 5: ordinary overcrowding (< 9.5) 15 + 5",
        10.0,
        13,
        OVERCROWDED,
    ),
    _overcrowding(
        "just-below-5-m2-per-person",
        "9.99 m² / 2 = 4.995 m² < 5: extreme overcrowding 15 + 10",
        9.99,
        13,
        {"need_level": 15, "severe_overcrowding": 10},
    ),
    # --- situations without a home ---------------------------------------------------------------
    _case(
        "leaving-prison-in-20-days",
        "ETHOS 6 houseless 30 + leaving within 56 days 10 + leaving institution 5 + income 0 < 5,500: 5 = 50",
        TODAY,
        SINGLE,
        _expect(
            NEW_SINGLE,
            True,
            0,
            "single",
            6,
            "houseless",
            True,
            {
                "need_level": 30,
                "threat_within_horizon": 10,
                "vulnerability:leaving_institution": 5,
                "income_below_subsistence_minimum": 5,
            },
        ),
        income=0,
        dwelling_kind="prison",
        legal_title="none",
        housing_ends_on=date(2026, 12, 22),
    ),
    _case(
        "womens-shelter-mother-and-child",
        "5,000 + 3,050 = 8,050; x1.6 = 12,880; ETHOS 4 houseless 30 + child 3 + single parent 5 + violence 10",
        TODAY,
        (APPLICANT, CHILD_10),
        _expect(
            ("2026.3", 8050, 12880),
            True,
            1,
            "single_parent",
            4,
            "houseless",
            True,
            {
                "need_level": 30,
                "children": 3,
                "vulnerability:domestic_violence": 10,
                "vulnerability:single_parent": 5,
            },
        ),
        income=10000,
        dwelling_kind="womens_shelter",
        legal_title="lodging_contract",
        flags=("domestic_violence",),
    ),
)
