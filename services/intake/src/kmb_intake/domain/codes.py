"""Code lists of the intake domain as data: code -> Czech and English label.

To extend a list, add an entry here; validation, forms and the OpenAPI schema follow from the data.
A code never changes meaning once used, because events and statistics keep it forever.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from types import MappingProxyType


@dataclass(frozen=True)
class Label:
    cs: str
    en: str


class CodeList:
    """An ordered, read-only list of codes with Czech and English labels."""

    def __init__(self, name: str, labels: Mapping[str, tuple[str, str]]) -> None:
        self.name = name
        self._labels: Mapping[str, Label] = MappingProxyType(
            {code: Label(cs, en) for code, (cs, en) in labels.items()}
        )

    @property
    def codes(self) -> tuple[str, ...]:
        return tuple(self._labels)

    def label(self, code: str) -> Label:
        """The labels of ``code``; raises ``KeyError`` for a code not in the list."""
        return self._labels[code]

    def items(self) -> Iterator[tuple[str, Label]]:
        return iter(self._labels.items())

    def __contains__(self, code: object) -> bool:
        return code in self._labels

    def __iter__(self) -> Iterator[str]:
        return iter(self._labels)

    def __len__(self) -> int:
        return len(self._labels)

    def __repr__(self) -> str:
        return f"CodeList({self.name!r}, {list(self._labels)!r})"


CONTACT_CHANNELS = CodeList(
    "contact_channel",
    {
        "in_person": ("Osobně", "In person"),
        "phone": ("Telefonicky", "By phone"),
        "email": ("E-mailem", "By e-mail"),
        "letter": ("Dopisem", "By letter"),
        "field_visit": ("Terénní návštěva", "Field visit"),
    },
)

CONTACT_TOPICS = CodeList(
    "contact_topic",
    {
        "loss_of_housing": ("Ztráta bydlení", "Loss of housing"),
        "debts": ("Dluhy", "Debts"),
        "benefits": ("Dávky", "Benefits"),
        "flat_application": ("Žádost o byt", "Flat application"),
        "landlord_conflict": ("Spor s pronajímatelem", "Conflict with the landlord"),
        "domestic_violence": ("Domácí násilí", "Domestic violence"),
        "shelter": ("Azylové ubytování, noclehárna", "Shelter"),
        "other": ("Jiné", "Other"),
    },
)

RELATIONSHIPS = CodeList(
    "relationship",
    {
        "applicant": ("Žadatel/ka", "Applicant"),
        "partner": ("Manžel/ka, partner/ka", "Spouse or partner"),
        "child": ("Dítě", "Child"),
        "parent": ("Rodič", "Parent"),
        "sibling": ("Sourozenec", "Sibling"),
        "other_relative": ("Jiný příbuzný", "Other relative"),
        "other": ("Jiný vztah", "Other"),
    },
)

SEXES = CodeList(
    "sex",
    {
        "female": ("Žena", "Female"),
        "male": ("Muž", "Male"),
    },
)

DWELLING_KINDS = CodeList(
    "dwelling_kind",
    {
        "flat": ("Byt", "Flat"),
        "house": ("Rodinný dům", "House"),
        "commercial_hostel": ("Ubytovna", "Commercial hostel"),
        "asylum_house": ("Azylový dům", "Asylum house"),
        "night_shelter": ("Noclehárna", "Night shelter"),
        "womens_shelter": ("Azylový dům pro ženy a oběti násilí", "Women's shelter"),
        "institution": ("Instituce (věznice, nemocnice, dětský domov)", "Institution"),
        "with_family_friends": ("U příbuzných nebo známých", "With family or friends"),
        "non_conventional": ("Nestandardní obydlí (chatka, maringotka, stan)", "Non-conventional dwelling"),
        "street": ("Bez přístřeší (venku)", "Living rough"),
    },
)

LEGAL_TITLES = CodeList(
    "legal_title",
    {
        "lease": ("Nájemní smlouva", "Lease"),
        "sublease": ("Podnájemní smlouva", "Sublease"),
        "lodging_contract": ("Smlouva o ubytování", "Lodging contract"),
        "ownership": ("Vlastnictví", "Ownership"),
        "none": ("Bez právního titulu", "None"),
    },
)

INCOME_SOURCES = CodeList(
    "income_source",
    {
        "employment": ("Zaměstnání", "Employment"),
        "self_employment": ("Samostatná výdělečná činnost", "Self-employment"),
        "pension": ("Důchod", "Pension"),
        "unemployment_benefit": ("Podpora v nezaměstnanosti", "Unemployment benefit"),
        "parental_allowance": ("Rodičovský příspěvek", "Parental allowance"),
        "child_allowance": ("Přídavek na dítě", "Child allowance"),
        "housing_benefit": ("Příspěvek nebo doplatek na bydlení", "Housing benefit"),
        "other_benefit": ("Jiná dávka", "Other benefit"),
        "maintenance": ("Výživné", "Maintenance"),
        "other": ("Jiný příjem", "Other income"),
    },
)

VULNERABILITY_FLAGS = CodeList(
    "vulnerability_flag",
    {
        "domestic_violence": ("Domácí násilí", "Domestic violence"),
        "disability": ("Zdravotní postižení", "Disability"),
        "serious_illness": ("Závažné onemocnění", "Serious illness"),
        "senior_alone": ("Osamělý senior", "Senior living alone"),
        "single_parent": ("Samoživitel/ka", "Single parent"),
        "leaving_institution": ("Odchod z instituce", "Leaving an institution"),
        "pregnancy": ("Těhotenství", "Pregnancy"),
        "young_adult_leaving_care": (
            "Mladý dospělý odcházející z náhradní péče",
            "Young adult leaving care",
        ),
    },
)

CLOSE_REASONS = CodeList(
    "close_reason",
    {
        "housed_adequately": ("Zajištěno vyhovující bydlení", "Housed adequately"),
        "resolved_itself": ("Situace se vyřešila sama", "Resolved itself"),
        "moved_away": ("Odstěhování mimo území", "Moved away"),
        "lost_contact": ("Ztráta kontaktu", "Lost contact"),
        "declined_help": ("Odmítnutí pomoci", "Declined help"),
        "died": ("Úmrtí", "Died"),
        "other": ("Jiný důvod", "Other"),
    },
)

# Which bases a municipality actually relies on is for its data-protection officer to confirm
# (unconfirmed); the GDPR articles themselves are fixed.
LEGAL_BASES = CodeList(
    "legal_basis",
    {
        "legal_obligation": (
            "Plnění právní povinnosti (čl. 6 odst. 1 písm. c) GDPR)",
            "Legal obligation (GDPR Art. 6(1)(c))",
        ),
        "public_task": (
            "Úkol ve veřejném zájmu nebo výkon veřejné moci (čl. 6 odst. 1 písm. e) GDPR)",
            "Public task or official authority (GDPR Art. 6(1)(e))",
        ),
        "vital_interests": (
            "Ochrana životně důležitých zájmů (čl. 6 odst. 1 písm. d) GDPR)",
            "Vital interests (GDPR Art. 6(1)(d))",
        ),
    },
)

#: Is a member aged 15-25 a dependent child (nezaopatřené dítě, zákon č. 117/1995 Sb., § 11)?
#: Only then does the subsistence minimum count them as a child rather than a further person 15+.
DEPENDENT_CHILD = CodeList(
    "dependent_child",
    {
        "yes": (
            "Ano – studuje nebo se pro nemoc nemůže soustavně připravovat na povolání",
            "Yes - studies, or cannot prepare for an occupation because of illness",
        ),
        "no": ("Ne – nestuduje", "No - does not study"),
        "unknown": ("Nezjištěno", "Not established"),
    },
)

AGE_BANDS = CodeList(
    "age_band",
    {
        "0-5": ("0–5 let", "0–5 years"),
        "6-14": ("6–14 let", "6–14 years"),
        "15-17": ("15–17 let", "15–17 years"),
        "18-25": ("18–25 let", "18–25 years"),
        "26-64": ("26–64 let", "26–64 years"),
        "65+": ("65 a více let", "65 years and over"),
    },
)

#: every code list by name, e.g. for rendering form selects
CODE_LISTS: Mapping[str, CodeList] = MappingProxyType(
    {
        cl.name: cl
        for cl in (
            CONTACT_CHANNELS,
            CONTACT_TOPICS,
            RELATIONSHIPS,
            SEXES,
            DWELLING_KINDS,
            LEGAL_TITLES,
            INCOME_SOURCES,
            VULNERABILITY_FLAGS,
            CLOSE_REASONS,
            LEGAL_BASES,
            DEPENDENT_CHILD,
            AGE_BANDS,
        )
    }
)
