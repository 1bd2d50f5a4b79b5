"""The report's section on applications (issue 12): submissions and answers by the application's
group and outcome in the period, and the median time from submission to the office's answer."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date

from kmb_shared.contracts.vocabulary import APPLICATION_GROUPS, APPLICATION_OUTCOMES

from .facts import Filters, in_district
from .measures import median
from .report_model import Column, Row, Section, Table
from .report_sections import Scope
from .report_tables import TOTAL, TOTAL_KEY, Measure, fact, grouped_table, ordered
from .state import State

GROUPS = APPLICATION_GROUPS.as_dict()
#: the counted steps: a submission, then each answer
STEPS = {
    "submitted": "Podané žádosti",
    **{code: f"Odpověď: {APPLICATION_OUTCOMES.label(code)}" for code in APPLICATION_OUTCOMES.as_dict()},
}


@dataclass(frozen=True)
class ApplicationStep:
    group: str
    step: str  # submitted, granted, refused, returned
    on: date
    days: int | None  # for an answer: days since its submission


def application_steps(state: State, filters: Filters) -> list[ApplicationStep]:
    """Each submission and answer dated in the range, of the cases in the district (if one is chosen)."""
    found = []
    for key in sorted(state.get("applications", {})):
        application = state["applications"][key]
        if not in_district(state["cases"].get(application["case_id"]), filters):
            continue
        for submission in application["submissions"].values():
            if filters.contains(submission["on"]):
                found.append(
                    ApplicationStep(
                        application["group"], "submitted", date.fromisoformat(submission["on"]), None
                    )
                )
        for decision in application["decisions"].values():
            if filters.contains(decision["on"]):
                on = date.fromisoformat(decision["on"])
                since = decision["submitted_on"]
                days = (on - date.fromisoformat(since)).days if since else None
                found.append(ApplicationStep(application["group"], decision["outcome"], on, days))
    return found


def _time_table(steps: list[ApplicationStep]) -> Table:
    by_group: dict[str, list[float]] = defaultdict(list)
    for step in steps:
        if step.days is not None:
            by_group[step.group].append(max(step.days, 0))
    rows = [
        Row(
            group,
            GROUPS.get(group, group),
            (len(by_group[group]), median(by_group[group])),
            (fact("app_answers", group=group), None),
        )
        for group in ordered(by_group, GROUPS)
    ]
    every = [d for days in by_group.values() for d in days]
    rows.append(Row(TOTAL_KEY, TOTAL, (len(every), median(every)), (fact("app_answers"), None)))
    columns = (
        Column("n", "Počet odpovědí"),
        Column("median_days", "Medián doby od podání do odpovědi (dny)", kind="value", n_column="n"),
    )
    return Table(
        "application_answer_time",
        "Doba od podání žádosti do odpovědi úřadu",
        "Druh žádosti",
        columns,
        tuple(rows),
        total_row=True,
    )


def applications_section(scope: Scope) -> Section:
    steps = application_steps(scope.state, scope.filters)

    def counter(step: str) -> Measure[list[ApplicationStep]]:
        return Measure(f"app_{step}", STEPS[step], lambda group: sum(1 for s in group if s.step == step))

    groups: dict[str, list[ApplicationStep]] = defaultdict(list)
    for step in steps:
        groups[step.group].append(step)
    by_kind = grouped_table(
        "applications_by_kind",
        "Žádosti podle druhu a výsledku",
        "Druh žádosti",
        items=[groups[key] for key in sorted(groups)],
        dim="group",
        keys_of=lambda g: [g[0].group],
        measures=[counter(step) for step in STEPS],
        labels=GROUPS,
    )
    return Section("applications", "Žádosti", (by_kind, _time_table(steps)))
