"""Stats counts the applications intake's workers submitted and the offices' answers (issue 12), by the
application's group and outcome, with the time from submission to answer, on the three backends of
stats' behavioural suite (the fake; SQLite and PostgreSQL with the events through the real broker).

Expected by hand from the report's rule: submissions and answers count in the period they are dated in;
days to an answer = its date minus the submission's (14 and 20 for the two housing allowances, 10 for
the register application: medians 17, 10 and 14 over all three); an unanswered application counts
only as submitted; a group is shown with its Czech label."""

from __future__ import annotations

from datetime import date
from uuid import UUID, uuid4

from kmb_shared.contracts import ApplicationDecided, ApplicationSubmitted, CaseOpened, IntegrationEvent
from kmb_stats.domain import Period, build_report

# the suite's ``stats`` fixture: the fake, or stats on SQLite / PostgreSQL with the real broker
from .test_use_cases_on_backends import PARENT_AND_CHILD, Stats, at, stats  # noqa: F401


def application(
    case_id: UUID, group: str, submitted: str, answer: tuple[str, str] | None
) -> list[IntegrationEvent]:
    """One application of ``group`` submitted on that day and, if given, its (outcome, day)."""
    application_id, on = uuid4(), date.fromisoformat(submitted)
    common = {"case_id": case_id, "application_id": application_id, "kind": group, "group": group}
    events: list[IntegrationEvent] = [
        ApplicationSubmitted(**common, submitted_on=on, channel="in_person", occurred_at=at(submitted, 11))
    ]
    if answer is not None:
        outcome, day = answer
        decided = date.fromisoformat(day)
        events.append(
            ApplicationDecided(
                **common, outcome=outcome, decided_on=decided, submitted_on=on, occurred_at=at(day, 12)
            )
        )
    return events


async def test_applications_are_counted_by_group_and_outcome_with_the_days_to_an_answer(stats: Stats) -> None:  # noqa: F811
    first, second = uuid4(), uuid4()
    await stats.tell(
        [
            CaseOpened(
                case_id=first,
                case_number="KMB-2026-00001",
                household=PARENT_AND_CHILD,
                occurred_at=at("2026-03-02"),
            ),
            CaseOpened(
                case_id=second,
                case_number="KMB-2026-00002",
                household=PARENT_AND_CHILD,
                occurred_at=at("2026-03-02"),
            ),
            *application(first, "housing_allowance", "2026-03-02", ("granted", "2026-03-16")),
            *application(first, "register", "2026-03-03", ("refused", "2026-03-13")),
            *application(second, "housing_allowance", "2026-03-05", ("returned", "2026-03-25")),
            *application(second, "emergency_aid", "2026-03-10", None),
        ]
    )
    await stats.redeliver()  # a repeated delivery counts nothing twice

    report = build_report((await stats.current()).state, Period.parse("2026-03"), suppress=False)
    table = report.table("applications_by_kind")
    columns = ("app_submitted", "app_granted", "app_refused", "app_returned")
    assert {row.key: row.values for row in table.rows} == {
        "register": (1, 0, 1, 0),
        "housing_allowance": (2, 1, 0, 1),
        "emergency_aid": (1, 0, 0, 0),
        "total": (4, 1, 1, 1),
    }
    assert [c.key for c in table.columns] == list(columns)
    assert {row.key: row.label for row in table.rows}["housing_allowance"] == "příspěvek na bydlení"
    times = report.table("application_answer_time")
    assert {row.key: row.values for row in times.rows} == {
        "register": (1, 10.0),
        "housing_allowance": (2, 17.0),
        "total": (3, 14.0),
    }
    april = build_report((await stats.current()).state, Period.parse("2026-04"), suppress=False)
    assert {row.key: row.values for row in april.table("applications_by_kind").rows} == {
        "total": (0, 0, 0, 0)
    }
