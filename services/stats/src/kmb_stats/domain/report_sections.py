"""Report sections about people: contacts, cases, housing need and the register."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from .facts import (
    Filters,
    NeedHousehold,
    Transition,
    contacts,
    households_in_need,
    open_cases,
    registration_active,
    registrations,
    transitions,
)
from .labels import CHANNELS, CLOSE_REASONS, ETHOS, HOUSEHOLD_TYPES, NEED_LEVELS, TOPICS, VULNERABILITY_FLAGS
from .measures import HOUSED_ADEQUATELY, median
from .period import Period
from .queries import bucket_label, iso_week, time_series
from .report_model import Column, Row, Section, Table
from .report_tables import Measure, cross_table, fact, grouped_table
from .state import State

COUNT = "Počet"
NEED_DAY_BANDS = {"180-269": "180–269 dní", "270-364": "270–364 dní", "365+": "365 a více dní"}


@dataclass(frozen=True)
class Scope:
    state: State
    period: Period
    district: str | None
    #: count only up to this day when the period has not ended yet (flows so far, stocks on it)
    until: date | None = None

    @property
    def filters(self) -> Filters:
        return Filters(self.period.start, self.end, self.district)

    @property
    def end(self) -> date:
        return self.period.end if self.until is None else min(self.period.end, self.until)


def single_column(key: str, title: str, header: str, rows: list[tuple[str, str, int, str]]) -> Table:
    """A one-column table of (key, label, count, fact) rows with no totals."""
    body = tuple(Row(k, label, (value,), (name,)) for k, label, value, name in rows)
    return Table(key, title, header, (Column("count", COUNT),), body)


def contacts_section(scope: Scope) -> Section:
    found = list(contacts(scope.state, scope.filters))
    one: Measure[dict[str, Any]] = Measure("contacts", "Kontakty", lambda _c: 1)
    weeks = [label for label, _n in time_series(scope.state, "contacts", "week", scope.filters)]

    def topics_of(contact: dict[str, Any]) -> list[str | None]:
        return list(contact["topics"]) or [None]

    tables = (
        grouped_table(
            "contacts_by_channel", "Kontakty podle způsobu", "Způsob kontaktu",
            items=found, dim="channel", keys_of=lambda c: [c["channel"]], measures=[one], labels=CHANNELS,
        ),
        grouped_table(
            "contacts_by_topic", "Kontakty podle tématu", "Téma",
            items=found, dim="topic", keys_of=topics_of, measures=[one], labels=TOPICS, total=False,
            note="Jeden kontakt může mít více témat, součet proto není uveden.",
        ),
        grouped_table(
            "contacts_by_week", "Kontakty podle týdne (ISO)", "Týden",
            items=found, dim="week", keys_of=lambda c: [iso_week(date.fromisoformat(c["on"]))],
            measures=[one], codes=weeks, labels={week: bucket_label(week) for week in weeks},
            note="Týdny na hranici období obsahují jen dny uvnitř období.",
        ),
    )  # fmt: skip
    return Section("contacts", "Kontakty (poradenství v bydlení, § 12)", tables)


#: the Czech label of each fact of the cases' flow, the same in the summary and the cases' table
CASE_FACTS = {
    "cases_opened": "Nově otevřené případy",
    "cases_closed": "Uzavřené případy",
    "cases_reopened": "Znovu otevřené případy",
    "cases_open": "Otevřené případy ke konci období",
}


def cases_section(scope: Scope) -> Section:
    moves = transitions(scope.state, scope.filters)
    closed = [t for t in moves if t.kind == "closed"]
    flow = single_column(
        "case_flow", "Pohyb případů", "Ukazatel",
        [
            ("opened", CASE_FACTS["cases_opened"], sum(1 for t in moves if t.kind == "opened"), "cases_opened"),
            ("closed", CASE_FACTS["cases_closed"], len(closed), "cases_closed"),
            ("reopened", CASE_FACTS["cases_reopened"], sum(1 for t in moves if t.kind == "reopened"),
             "cases_reopened"),
            ("open", CASE_FACTS["cases_open"], open_cases(scope.state, scope.end, scope.district),
             "cases_open"),
        ],
    )  # fmt: skip
    one: Measure[Transition] = Measure("cases_closed", CASE_FACTS["cases_closed"], lambda _t: 1)
    reasons = grouped_table(
        "closures_by_reason", "Uzavřené případy podle důvodu", "Důvod uzavření",
        items=closed, dim="reason", keys_of=lambda t: [t.reason], measures=[one], labels=CLOSE_REASONS,
    )  # fmt: skip
    housed = [t for t in closed if t.reason == HOUSED_ADEQUATELY]
    days = median(t.days_since_opened for t in housed if t.days_since_opened is not None)
    housing = Table(
        "time_to_housing",
        "Doba od otevření případu do zajištění vyhovujícího bydlení",
        "Ukazatel",
        (Column("n", "Počet případů"), Column("median_days", "Medián (dny)", kind="value", n_column="n")),
        (Row("housed", "Uzavřeno s vyhovujícím bydlením", (len(housed), days), (fact("cases_closed", reason=HOUSED_ADEQUATELY), None)),),
    )  # fmt: skip
    return Section("cases", "Případy", (flow, reasons, housing))


def _band(household: NeedHousehold, day: date) -> list[str | None]:
    days = (day - household.since).days
    if days >= 365:
        return ["365+"]
    if days >= 270:
        return ["270-364"]
    return ["180-269"] if days >= 180 else []


def need_section(scope: Scope) -> Section:
    found = households_in_need(scope.state, scope.end, scope.district)
    hh: Measure[NeedHousehold] = Measure("hh", "Domácnosti", lambda _h: 1)
    people: Measure[NeedHousehold] = Measure("people", "Osoby", lambda h: h.size)
    children: Measure[NeedHousehold] = Measure("children", "Děti", lambda h: h.children)
    long: Measure[NeedHousehold] = Measure("hh_long", "Domácnosti", lambda _h: 1)
    tables = (
        cross_table(
            "need_by_level_and_type", "Domácnosti v bytové nouzi podle úrovně nouze a typu domácnosti",
            items=found, measure="hh",
            row_dim=("need_level", "Úroveň nouze", lambda h: h.need_level, NEED_LEVELS),
            col_dim=("household_type", "Typ domácnosti", lambda h: h.household_type, HOUSEHOLD_TYPES),
        ),
        grouped_table(
            "need_by_level", "Domácnosti, osoby a děti v bytové nouzi podle úrovně nouze", "Úroveň nouze",
            items=found, dim="need_level", keys_of=lambda h: [h.need_level],
            measures=[hh, people, children], labels=NEED_LEVELS,
        ),
        grouped_table(
            "need_by_ethos", "Domácnosti v bytové nouzi podle kategorie ETHOS", "Kategorie ETHOS",
            items=found, dim="ethos", keys_of=lambda h: [None if h.ethos is None else str(h.ethos)],
            measures=[hh, people], labels=ETHOS,
        ),
        grouped_table(
            "need_by_district", "Domácnosti v bytové nouzi podle městské části", "Městská část / obec",
            items=found, dim="district", keys_of=lambda h: [h.district], measures=[hh, people, children],
        ),
        grouped_table(
            "need_by_orp", "Domácnosti v bytové nouzi podle ORP", "ORP",
            items=found, dim="orp", keys_of=lambda h: [h.orp], measures=[hh, people],
        ),
        grouped_table(
            "need_by_vulnerability", "Domácnosti v bytové nouzi se zvláštní zranitelností", "Zranitelnost",
            items=found, dim="flag", keys_of=lambda h: list(h.flags), measures=[hh],
            labels=VULNERABILITY_FLAGS, total=False,
            note="Domácnost může mít více příznaků zranitelnosti, součet proto není uveden.",
        ),
        grouped_table(
            "need_duration", "Domácnosti v bytové nouzi podle délky trvání nouze", "Trvání nouze",
            items=found, dim="need_days", keys_of=lambda h: _band(h, scope.end), measures=[long],
            labels=NEED_DAY_BANDS, codes=NEED_DAY_BANDS,
            note="Počítáno od prvního šetření s bytovou nouzí, dokud je případ otevřený.",
        ),
    )  # fmt: skip
    return Section("need", "Bytová nouze ke konci období", tables)


def register_section(scope: Scope) -> Section:
    entries = list(registrations(scope.state, scope.district, scope.end))
    active = [e for e in entries if registration_active(e, scope.end)]
    flow = single_column(
        "register_flow", "Evidence potřebných", "Ukazatel",
        [
            ("entered", "Nové zápisy v období", sum(1 for e in entries if scope.filters.contains(e["registered_on"])),
             "register_entered"),
            ("expired", "Zápisy s ukončenou platností v období",
             sum(1 for e in entries if scope.filters.contains(e["expired_on"])), "register_expired"),
            ("active", "Platné zápisy ke konci období", len(active), "register_active"),
        ],
    )  # fmt: skip
    one: Measure[dict[str, Any]] = Measure("register_active", "Platné zápisy", lambda _e: 1)
    by_level = grouped_table(
        "register_by_level", "Platné zápisy v evidenci podle úrovně nouze", "Úroveň nouze",
        items=active, dim="need_level", keys_of=lambda e: [e["need_level"]], measures=[one], labels=NEED_LEVELS,
    )  # fmt: skip
    return Section("register", "Evidence osob v bytové nouzi", (flow, by_level))
