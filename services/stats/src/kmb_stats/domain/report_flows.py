"""Report sections about referrals, the catalogue and the development over time."""

from __future__ import annotations

from collections import defaultdict

from kmb_shared.contracts.vocabulary import REFERRAL_STATES

from .facts_flows import COUNTED_STEPS, ReferralStep, Response, catalogue, referral_steps, responses
from .labels import DECLINE_REASONS, REFERRAL_KINDS, SOLUTION_KINDS, label
from .measures import median
from .queries import bucket_label, time_series
from .report_model import Cell, Column, Row, Section, Table
from .report_sections import CASE_FACTS, Scope
from .report_tables import TOTAL, TOTAL_KEY, Measure, fact, grouped_table, ordered

#: the referral states' labels of the vocabulary, and "overdue" (a step, not a state)
STEP_LABELS = {
    **{
        step: REFERRAL_STATES.label(step, capital=True)
        for step in ("made", "accepted", "declined", "completed")
    },
    "overdue": "Po lhůtě",
}

TREND_METRICS = (
    ("contacts", "contacts", "Kontakty"),
    ("cases_opened", "cases_opened", "Otevřené případy"),
    ("cases_closed", "cases_closed", CASE_FACTS["cases_closed"]),
    ("referrals_made", "ref_made", "Předání partnerům"),
)


def _step_measures() -> list[Measure[list[ReferralStep]]]:
    def counter(step: str) -> Measure[list[ReferralStep]]:
        return Measure(
            f"ref_{step}", STEP_LABELS[step], lambda group: sum(1 for s in group if s.step == step)
        )

    return [counter(step) for step in COUNTED_STEPS]


def _by(steps: list[ReferralStep], attribute: str) -> list[list[ReferralStep]]:
    groups: dict[str, list[ReferralStep]] = defaultdict(list)
    for step in steps:
        groups[getattr(step, attribute)].append(step)
    return [groups[key] for key in sorted(groups)]


def _response_table(found: list[Response]) -> Table:
    by_partner: dict[str, list[float]] = defaultdict(list)
    for response in found:
        by_partner[response.partner].append(response.days)
    rows = []
    for partner in ordered(by_partner):
        days = by_partner[partner]
        rows.append(
            Row(partner, partner, (len(days), median(days)), (fact("ref_responses", partner=partner), None))
        )
    every = [r.days for r in found]
    rows.append(Row(TOTAL_KEY, TOTAL, (len(every), median(every)), (fact("ref_responses"), None)))
    columns = (
        Column("n", "Počet odpovědí"),
        Column("median_days", "Medián doby odpovědi (dny)", kind="value", n_column="n"),
    )
    return Table(
        "referral_response_time", "Doba od předání do odpovědi partnera (přijetí nebo odmítnutí)",
        "Partner", columns, tuple(rows), total_row=True,
    )  # fmt: skip


def referrals_section(scope: Scope) -> Section:
    steps = referral_steps(scope.state, scope.filters)
    counted = [s for s in steps if s.step in COUNTED_STEPS]
    measures = _step_measures()
    by_partner = grouped_table(
        "referrals_by_partner", "Předání podle partnera", "Partner",
        items=_by(counted, "partner"), dim="partner", keys_of=lambda g: [g[0].partner], measures=measures,
    )  # fmt: skip
    by_kind = grouped_table(
        "referrals_by_kind", "Předání podle druhu", "Druh předání",
        items=_by(counted, "kind"), dim="kind", keys_of=lambda g: [g[0].kind], measures=measures,
        labels=REFERRAL_KINDS,
    )  # fmt: skip
    declined: Measure[ReferralStep] = Measure("ref_declined", "Odmítnuto", lambda _s: 1)
    reasons = grouped_table(
        "declines_by_reason", "Odmítnutí podle důvodu", "Důvod odmítnutí",
        items=[s for s in steps if s.step == "declined"], dim="reason", keys_of=lambda s: [s.reason],
        measures=[declined], labels=DECLINE_REASONS,
    )  # fmt: skip
    tables = (by_partner, by_kind, reasons, _response_table(responses(scope.state, scope.filters)))
    return Section("referrals", "Předání partnerům", tables)


def catalogue_section(scope: Scope) -> Section:
    offer = catalogue(scope.state, scope.end)
    kinds = ordered({s.kind for s in offer}, SOLUTION_KINDS)
    rows = []
    for kind in [*kinds, None]:
        group = [s for s in offer if kind is None or s.kind == kind]
        known = [s for s in group if s.known]
        total = sum(s.total or 0 for s in known)
        free = sum(s.free or 0 for s in known)
        rate: Cell = round(100 * (total - free) / total, 1) if total else None
        values = (len(group), total, free, total - free, rate, len(group) - len(known))
        rows.append(Row(kind or TOTAL_KEY, TOTAL if kind is None else label(SOLUTION_KINDS, kind), values))
    columns = (
        Column("solutions", "Řešení v nabídce"),
        Column("capacity_total", "Kapacita"),
        Column("capacity_free", "Volná místa"),
        Column("capacity_occupied", "Obsazená místa"),
        Column("occupancy_pct", "Obsazenost (%)", kind="value"),
        Column("capacity_unknown", "Řešení bez údaje o kapacitě"),
    )
    table = Table(
        "catalogue_capacity", "Kapacita a obsazenost katalogu řešení ke konci období", "Druh řešení",
        columns, tuple(rows), total_row=True, suppressible=False,
        note="Kapacita a volná místa jsou veřejné údaje katalogu; tabulka se nepotlačuje.",
    )  # fmt: skip
    return Section("catalogue", "Katalog řešení", (table,))


def trend_section(scope: Scope) -> Section:
    interval = "week" if scope.period.kind == "month" else "month"
    series = [time_series(scope.state, metric, interval, scope.filters) for metric, _f, _l in TREND_METRICS]
    rows = []
    for i, (bucket, _n) in enumerate(series[0]):
        values = tuple(s[i][1] for s in series)
        facts = tuple(fact(name, **{interval: bucket}) for _m, name, _l in TREND_METRICS)
        rows.append(Row(bucket, bucket_label(bucket), values, facts))
    totals = tuple(sum(s[i][1] for i in range(len(s))) for s in series)
    rows.append(Row(TOTAL_KEY, TOTAL, totals, tuple(name for _m, name, _l in TREND_METRICS)))
    columns = tuple(Column(name, text) for _m, name, text in TREND_METRICS)
    header = "Týden" if interval == "week" else "Měsíc"
    table = Table("trend", "Vývoj v období", header, columns, tuple(rows), total_row=True)
    return Section("trend", "Vývoj v čase", (table,))
