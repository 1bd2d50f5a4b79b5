"""Demo partner organisations of the demo town Lipovec — clearly marked, never loaded by themselves.

``load_demo_partners(deps)`` registers the ones not registered yet (with their topics); it is what
``POST /api/demo/partners`` and the ``kmb`` command-line tool call.
"""

from __future__ import annotations

from ..adapters.repository import new_partner_row
from ..domain import Partner, PartnerContact, PartnerKind
from ..domain import ReferralKind as K
from .deps import ReferralsDeps
from .partners import ensure_partner_topics

DEMO_MARK = "(DEMO)"


def _partner(slug: str, name: str, kind: PartnerKind, kinds: set[K], person: str, phone: str) -> Partner:
    return Partner(
        slug=slug,
        name=f"{name} {DEMO_MARK}",
        kind=kind,
        contact=PartnerContact(
            person=f"{person} {DEMO_MARK}",
            phone=phone,
            email=f"{slug}@lipovec.example",
            address="Náměstí Míru 1, 000 00 Lipovec (DEMO)",
        ),
        accepted_kinds=frozenset(kinds | {K.CASE_CONFERENCE}),
    )


DEMO_PARTNERS: tuple[Partner, ...] = (
    _partner(
        "socialni-odbor",
        "Sociální odbor MěÚ Lipovec",
        PartnerKind.SOCIAL_DEPARTMENT,
        {K.SOCIAL_WORK, K.HOUSING_ASSISTANCE, K.SOCIAL_SERVICE_PLACE, K.DEBT_ADVICE},
        "Mgr. Eva Ukázková",
        "+420 000 000 101",
    ),
    _partner(
        "bytovy-odbor",
        "Bytový odbor MěÚ Lipovec",
        PartnerKind.HOUSING_DEPARTMENT,
        {K.MUNICIPAL_FLAT_APPLICATION},
        "Ing. Petr Vzorový",
        "+420 000 000 102",
    ),
    _partner(
        "up-lipovec",
        "Úřad práce ČR, kontaktní pracoviště Lipovec",
        PartnerKind.LABOUR_OFFICE,
        {K.BINDING_OPINION, K.BENEFIT_CLAIM},
        "Bc. Jana Příkladná",
        "+420 000 000 103",
    ),
    _partner(
        "ngo-domov",
        "Domov pro všechny, z. s.",
        PartnerKind.NGO,
        {K.HOUSING_ASSISTANCE, K.SOCIAL_SERVICE_PLACE, K.SOCIAL_WORK},
        "Martin Modelový",
        "+420 000 000 104",
    ),
    _partner(
        "ngo-dluhova-poradna",
        "Dluhová poradna Lipovec, o. p. s.",
        PartnerKind.NGO,
        {K.DEBT_ADVICE, K.SOCIAL_WORK},
        "Lenka Testovací",
        "+420 000 000 105",
    ),
    _partner(
        "pravni-poradna",
        "Právní poradna pro bydlení",
        PartnerKind.LEGAL_SERVICE,
        {K.LEGAL_AID},
        "JUDr. Karel Cvičný",
        "+420 000 000 106",
    ),
    _partner(
        "realitni-expert",
        "Realitní expert města Lipovec",
        PartnerKind.REAL_ESTATE_EXPERT,
        {K.REAL_ESTATE_SEARCH},
        "Ing. Tereza Názorná",
        "+420 000 000 107",
    ),
)


async def load_demo_partners(deps: ReferralsDeps) -> list[str]:
    """Register the demo partners that are missing and create every demo partner's topic.

    Returns the slugs registered now (empty when all were there). Raises ``TopicUnavailable`` when
    Kafka is unreachable, before storing anything.
    """
    await ensure_partner_topics(deps, [p.slug for p in DEMO_PARTNERS])
    created = []
    async with deps.uow() as uow:
        for partner in DEMO_PARTNERS:
            if await uow.store.partner(partner.slug) is None:
                uow.store.add(new_partner_row(partner))
                created.append(partner.slug)
        await uow.commit()
    return created
