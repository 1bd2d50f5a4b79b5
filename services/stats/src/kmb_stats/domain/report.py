"""Build the periodic report: flows within the period, stocks on its last day, suppressed."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

from .measures import HOUSED_ADEQUATELY
from .period import Period
from .queries import summary
from .report_applications import applications_section
from .report_flows import catalogue_section, referrals_section, trend_section
from .report_model import Column, Report, Row, Section, Table
from .report_sections import (
    CASE_FACTS,
    Scope,
    cases_section,
    contacts_section,
    need_section,
    register_section,
)
from .report_tables import fact
from .state import State
from .suppression import PRIMARY_MARK, SECONDARY_MARK, suppress_tables

#: summary key -> (Czech label, fact shared with the detailed tables)
SUMMARY_ROWS = (
    ("contacts", "Kontakty (poradenství v bydlení)", "contacts"),
    ("cases_opened", CASE_FACTS["cases_opened"], "cases_opened"),
    ("cases_closed", CASE_FACTS["cases_closed"], "cases_closed"),
    ("housed_adequately", "z toho se zajištěným vyhovujícím bydlením",
     fact("cases_closed", reason=HOUSED_ADEQUATELY)),
    ("cases_reopened", CASE_FACTS["cases_reopened"], "cases_reopened"),
    ("cases_open", CASE_FACTS["cases_open"], "cases_open"),
    ("households_in_need", "Domácnosti v bytové nouzi ke konci období", "hh"),
    ("people_in_need", "Osoby v bytové nouzi ke konci období", "people"),
    ("children_in_need", "Děti v domácnostech v bytové nouzi", "children"),
    ("in_need_180_plus", "Domácnosti v bytové nouzi 180 a více dní", "hh_long"),
    ("register_entered", "Nové zápisy do evidence", "register_entered"),
    ("register_expired", "Zápisy s ukončenou platností", "register_expired"),
    ("register_active", "Platné zápisy v evidenci ke konci období", "register_active"),
    ("referrals_made", "Předání partnerům", "ref_made"),
    ("referrals_accepted", "Předání přijatá partnerem", "ref_accepted"),
    ("referrals_declined", "Předání odmítnutá partnerem", "ref_declined"),
    ("referrals_completed", "Dokončená předání", "ref_completed"),
    ("referrals_overdue", "Předání po lhůtě", "ref_overdue"),
)  # fmt: skip

NOTES = (
    f"„{PRIMARY_MARK}“: hodnota 1 až 4, potlačena kvůli ochraně osobních údajů.",
    f"„{SECONDARY_MARK}“: hodnota skryta, aby ji ani potlačenou hodnotu nešlo dopočítat ze součtů.",
    "Prázdná buňka: bez údajů.",
    "Toky (kontakty, otevření, uzavření, předání) se počítají za období, stavy (otevřené případy, "
    "bytová nouze, evidence, katalog) k poslednímu dni období.",
)


def _summary_section(scope: Scope) -> Section:
    figures = summary(scope.state, scope.end, date_from=scope.period.start, district=scope.district)
    rows = []
    for key, text, name in SUMMARY_ROWS:
        value = figures[key]
        rows.append(Row(key, text, (int(value) if value is not None else 0,), (name,)))
    main = Table("summary", "Hlavní ukazatele", "Ukazatel", (Column("count", "Hodnota"),), tuple(rows))
    return Section("summary", "Souhrn", (main,))


def build_report(
    state: State,
    period: Period,
    suppress: bool = True,
    *,
    district: str | None = None,
    until: date | None = None,
) -> Report:
    """The report for ``period`` (optionally one municipal district), suppressed unless told not to.

    Only facts dated up to the period's end are used, so a past period's report stays the same
    whatever happened later (except events that arrived late but are dated inside the period).
    With ``until`` (a day inside a period not yet over) flows are counted up to it and stocks on it.
    """
    scope = Scope(state, period, district, until)
    sections = [
        _summary_section(scope),
        contacts_section(scope),
        cases_section(scope),
        need_section(scope),
        register_section(scope),
        referrals_section(scope),
        applications_section(scope),
        catalogue_section(scope),
        trend_section(scope),
    ]
    if suppress:
        tables = [t for s in sections for t in s.tables]
        protected = iter(suppress_tables(tables))
        sections = [replace(s, tables=tuple(next(protected) for _ in s.tables)) for s in sections]
    return Report(period, suppress, tuple(sections), district, NOTES if suppress else NOTES[2:])
