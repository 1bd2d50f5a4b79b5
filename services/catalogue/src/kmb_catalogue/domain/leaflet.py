"""Content of the public leaflet "Informace a kontakty pro osoby v bytové nouzi", grouped by the
reader's situation. The same data feeds the HTML page and the PDF (``leaflet_pdf``)."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

from pydantic import BaseModel, ConfigDict

from kmb_shared.contracts.vocabulary import SOLUTION_KINDS

from .hours import format_opening_hours
from .kinds import (
    KIND_GROUP,
    SITUATION_TITLES,
    KindGroup,
    Situation,
    SolutionKind,
)
from .model import Solution

LEAFLET_TITLE_CS = "Informace a kontakty pro osoby v bytové nouzi"
LEAFLET_TITLE_EN = "Information and contacts for people in housing need"

_K = SolutionKind
_S = Situation
DEFAULT_SITUATIONS: dict[SolutionKind, frozenset[Situation]] = {
    _K.NIGHT_SHELTER: frozenset({_S.NO_PLACE_TONIGHT}),
    _K.COMMERCIAL_HOSTEL: frozenset({_S.NO_PLACE_TONIGHT}),
    _K.ASYLUM_HOUSE: frozenset({_S.NO_PLACE_TONIGHT}),
    _K.FIELD_SOCIAL_WORK: frozenset({_S.NO_PLACE_TONIGHT}),
    _K.WOMENS_SHELTER: frozenset({_S.VIOLENCE}),
    _K.EMERGENCY_AID: frozenset({_S.NO_PLACE_TONIGHT, _S.CANNOT_PAY_RENT}),
    _K.HOUSING_ALLOWANCE: frozenset({_S.CANNOT_PAY_RENT}),
    _K.HOUSING_SUPPLEMENT: frozenset({_S.CANNOT_PAY_RENT}),
    _K.DEBT_ADVICE: frozenset({_S.CANNOT_PAY_RENT, _S.LOSING_HOME}),
    _K.HOUSING_ASSISTANCE: frozenset({_S.LOSING_HOME, _S.CANNOT_PAY_RENT}),
    _K.LEGAL_AID: frozenset({_S.LOSING_HOME, _S.VIOLENCE}),
    _K.MUNICIPAL_FLAT: frozenset({_S.LOSING_HOME, _S.UNFIT_CONDITIONS}),
    _K.SUPPORTED_MUNICIPAL_HOUSING: frozenset({_S.LOSING_HOME, _S.UNFIT_CONDITIONS}),
    _K.SUBLEASE_HOUSING: frozenset({_S.LOSING_HOME, _S.UNFIT_CONDITIONS}),
    _K.NGO_FLAT: frozenset({_S.UNFIT_CONDITIONS, _S.LOSING_HOME}),
    _K.GUARANTEED_HOUSING: frozenset({_S.UNFIT_CONDITIONS, _S.LOSING_HOME}),
    _K.MARKET_OFFER: frozenset({_S.UNFIT_CONDITIONS}),
    _K.REAL_ESTATE_EXPERT: frozenset({_S.UNFIT_CONDITIONS}),
}

#: Within a section: help for tonight first, then advice and benefits, then flats.
LEAFLET_KIND_ORDER: tuple[SolutionKind, ...] = (
    _K.NIGHT_SHELTER,
    _K.FIELD_SOCIAL_WORK,
    _K.WOMENS_SHELTER,
    _K.ASYLUM_HOUSE,
    _K.COMMERCIAL_HOSTEL,
    _K.EMERGENCY_AID,
    _K.HOUSING_ASSISTANCE,
    _K.LEGAL_AID,
    _K.DEBT_ADVICE,
    _K.HOUSING_ALLOWANCE,
    _K.HOUSING_SUPPLEMENT,
    _K.MUNICIPAL_FLAT,
    _K.SUPPORTED_MUNICIPAL_HOUSING,
    _K.SUBLEASE_HOUSING,
    _K.NGO_FLAT,
    _K.GUARANTEED_HOUSING,
    _K.MARKET_OFFER,
    _K.REAL_ESTATE_EXPERT,
)

#: Flats are listed once per kind and provider (where to apply), never flat by flat.
COLLECTIVE_TITLES: dict[SolutionKind, str] = {
    _K.MUNICIPAL_FLAT: "Obecní byty – žádost o pronájem",
    _K.NGO_FLAT: "Byty neziskových organizací",
    _K.MARKET_OFFER: "Nabídky pronájmu na trhu",
    _K.GUARANTEED_HOUSING: "Bydlení s garancí nájmu",
    _K.SUPPORTED_MUNICIPAL_HOUSING: "Podporované obecní bydlení",
    _K.SUBLEASE_HOUSING: "Podnájemní bydlení",
}

DEFAULT_EMERGENCY_LINES: tuple[tuple[str, str], ...] = (
    ("Tísňové volání", "112"),
    ("Zdravotnická záchranná služba", "155"),
    ("Policie ČR", "158"),
    ("Linka pomoci obětem kriminality a domácího násilí", "116 006"),
)


class _Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class LeafletItem(_Frozen):
    kind: SolutionKind | None = None
    kind_label: str | None = None
    title: str
    provider: str | None = None
    address: str | None = None
    hours: str | None = None
    phones: tuple[str, ...] = ()
    email: str | None = None
    web: str | None = None
    note: str | None = None


class LeafletSection(_Frozen):
    situation: Situation
    title_cs: str
    title_en: str
    items: tuple[LeafletItem, ...]


class Leaflet(_Frozen):
    title_cs: str = LEAFLET_TITLE_CS
    title_en: str = LEAFLET_TITLE_EN
    municipality: str
    issued_on: date
    contact_point: LeafletItem | None = None
    sections: tuple[LeafletSection, ...]
    emergency_lines: tuple[tuple[str, str], ...] = DEFAULT_EMERGENCY_LINES
    demo: bool = False


def situations_of(solution: Solution) -> frozenset[Situation]:
    """The leaflet sections an entry belongs to: its own list, or the default for its kind plus
    "violence" when it serves people facing domestic violence."""
    if solution.situations:
        return solution.situations
    found = set(DEFAULT_SITUATIONS.get(solution.kind, frozenset()))
    if "domestic_violence" in solution.eligibility.required_flags:
        found.add(Situation.VIOLENCE)
    return frozenset(found)


def _item(solution: Solution, collective: bool) -> LeafletItem:
    return LeafletItem(
        kind=solution.kind,
        kind_label=SOLUTION_KINDS.label(solution.kind, capital=True),
        title=COLLECTIVE_TITLES[solution.kind] if collective else solution.title,
        provider=solution.provider.name,
        address=solution.address.one_line() if solution.address else None,
        hours=format_opening_hours(solution.opening_hours),
        phones=solution.contacts.phones,
        email=solution.contacts.email,
        web=solution.contacts.web,
        note=None if collective else (solution.description or None),
    )


def _items(solutions: list[Solution]) -> tuple[LeafletItem, ...]:
    order = {kind: i for i, kind in enumerate(LEAFLET_KIND_ORDER)}
    chosen: dict[tuple[SolutionKind, str], LeafletItem] = {}
    for s in sorted(solutions, key=lambda s: (order[s.kind], s.title, str(s.id))):
        collective = KIND_GROUP[s.kind] is KindGroup.HOUSING
        key = (s.kind, s.provider.name if collective else str(s.id))
        chosen.setdefault(key, _item(s, collective))
    return tuple(chosen.values())


def leaflet_content(
    solutions: Iterable[Solution],
    on: date,
    municipality: str,
    *,
    contact_point: LeafletItem | None = None,
    emergency_lines: tuple[tuple[str, str], ...] = DEFAULT_EMERGENCY_LINES,
) -> Leaflet:
    """The leaflet for the entries valid on ``on``, one section per situation in a fixed order.

    An entry appears in each section it belongs to; flats are listed once per kind and provider. An
    entry without a phone, an e-mail or a web address is left out: a reader could not reach it.
    Capacity is left out on purpose: it changes daily and a printed leaflet would go stale.
    """
    valid = [s for s in solutions if s.is_valid_on(on) and s.contacts.reachable]
    sections = tuple(
        LeafletSection(
            situation=situation,
            title_cs=SITUATION_TITLES[situation][0],
            title_en=SITUATION_TITLES[situation][1],
            items=_items([s for s in valid if situation in situations_of(s)]),
        )
        for situation in Situation
    )
    return Leaflet(
        municipality=municipality,
        issued_on=on,
        contact_point=contact_point,
        sections=sections,
        emergency_lines=emergency_lines,
        demo=any(s.demo for s in valid),
    )
