"""The register of people in need as a workbook for the office (what the register page shows, with
the same filters): one sheet per part of the register, Czech headings and labels, no codes; dates are
dates and numbers numbers, so the office can sort and count in its spreadsheet."""

from __future__ import annotations

from collections.abc import Sequence

from kmb_shared.contracts.vocabulary import NEED_LEVELS, ethos_label

from ..adapters.impact_xlsx import Cell, Sheet, workbook
from ..adapters.tables import RegisterStatus
from ..domain.numbers import cs_date
from ..domain.register import RegisterFilter
from .ports import AssessmentStore
from .queries import register_entries
from .views import RegistrationOut

#: the parts of the register, in order, as the page names them
REGISTER_SECTIONS: tuple[tuple[RegisterStatus, str], ...] = (
    (RegisterStatus.ACTIVE, "Platné zápisy"),
    (RegisterStatus.DUE, "K přehodnocení"),
    (RegisterStatus.EXPIRED, "Platnost skončila"),
)
#: entries per part at most (the page shows as many)
REGISTER_LIMIT = 500
HEADERS = (
    "Priorita (body)",
    "Případ",
    "Členů domácnosti",
    "Bytová nouze",
    "Kategorie ETHOS",
    "Zapsáno",
    "Platí do",
    "Přehodnotit od",
    "Platnost skončila",
    "Závazné stanovisko",
)


async def register_sections(
    store: AssessmentStore, organisation: str, where: RegisterFilter
) -> list[tuple[RegisterStatus, str, list[RegistrationOut]]]:
    """Each part of the organisation's register with its entries that pass ``where``."""
    return [
        (
            status,
            heading,
            await register_entries(
                store, status, organisation=organisation, limit=REGISTER_LIMIT, offset=0, where=where
            ),
        )
        for status, heading in REGISTER_SECTIONS
    ]


def opinions_cs(entry: RegistrationOut) -> str:
    return ", ".join(
        f"{'kladné' if o.positive else 'záporné'} ({cs_date(o.issued_at)})" for o in entry.binding_opinions
    )


def entry_row(entry: RegistrationOut) -> list[Cell]:
    return [
        entry.priority_score,
        entry.case_number,
        entry.household_size,
        NEED_LEVELS.label(entry.need_level, capital=True),
        ethos_label(entry.ethos_category) if entry.ethos_category is not None else "–",
        entry.registered_on,
        entry.valid_until,
        entry.reassess_from,
        entry.expired_on,
        opinions_cs(entry) or "–",
    ]


def register_workbook(
    sections: Sequence[tuple[RegisterStatus, str, Sequence[RegistrationOut]]], filter_text: str
) -> bytes:
    """The XLSX bytes: a sheet "Přehled" (what was exported, with which filters) and one per part."""
    counts: list[list[Cell]] = [[heading, len(entries)] for _, heading, entries in sections]
    overview = Sheet(
        "Přehled", ["Část evidence", "Zápisů"], [*counts, ["Filtr", filter_text or "bez filtru"]]
    )
    parts = [Sheet(heading, HEADERS, [entry_row(e) for e in entries]) for _, heading, entries in sections]
    return workbook([overview, *parts])
