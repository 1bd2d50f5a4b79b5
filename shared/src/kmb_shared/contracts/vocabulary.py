"""The one vocabulary of KMB: every code that travels in events or is shown to a person, with its
Czech label (and an English one where an API needs it).

Codes are the wire strings of the released events and never change meaning once used; the contracts
keep them as ``str``. A label is stored as it reads inside a sentence (lower-case start unless the
first word is a proper noun: "bez střechy", "závazné stanovisko Úřadu práce (§ 18)"); a select or a
table heading asks for ``capital=True``.

Use :func:`label` (never a raw code for a person: missing values read "neuvedeno", unknown codes
"nezařazeno") and :meth:`Vocabulary.choices` for forms. A code that is no longer offered but may still
be found in old events is ``retired``: it has a label but is neither offered nor accepted.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from enum import StrEnum
from types import MappingProxyType

#: shown for a missing value (``None``, ``""`` or the code ``unknown``)
MISSING = "neuvedeno"
#: shown for a code the vocabulary does not know (never the raw code)
UNCLASSIFIED = "nezařazeno"


@dataclass(frozen=True, slots=True)
class Term:
    """One code's labels."""

    cs: str
    en: str = ""
    #: still labelled (old events may carry it) but no longer offered or accepted
    retired: bool = False
    #: a longer Czech explanation for a page that has room for it (e.g. what an ETHOS category covers)
    hint: str = ""


def capitalize(text: str) -> str:
    """First letter upper-case, the rest as written ("bez bytu" -> "Bez bytu")."""
    return text[:1].upper() + text[1:]


class Vocabulary:
    """An ordered, read-only list of codes with their labels.

    Iteration, ``in`` and ``len`` cover the offered codes only (the ones a form offers and a validator
    accepts); :meth:`knows` and :meth:`label` also cover retired codes.
    """

    def __init__(self, name: str, title: str, terms: Mapping[str, Term | str]) -> None:
        self.name = name
        #: Czech name of the list ("Úroveň bytové nouze")
        self.title = title
        self._terms: Mapping[str, Term] = MappingProxyType(
            {str(code): term if isinstance(term, Term) else Term(term) for code, term in terms.items()}
        )

    @property
    def codes(self) -> tuple[str, ...]:
        """The offered codes, in order."""
        return tuple(code for code, term in self._terms.items() if not term.retired)

    def term(self, code: object) -> Term:
        """The labels of ``code``; ``KeyError`` for a code the vocabulary does not know."""
        return self._terms[_code(code)]

    def knows(self, code: object) -> bool:
        """Offered or retired."""
        return _code(code) in self._terms

    def label(self, code: object, *, capital: bool = False) -> str:
        """The Czech label of ``code``; "neuvedeno" when missing, "nezařazeno" when unknown."""
        term = self._terms.get(_code(code)) if code is not None else None
        if term is not None:
            text = term.cs
        elif code is None or code in ("", "unknown"):
            text = MISSING
        else:
            text = UNCLASSIFIED
        return capitalize(text) if capital else text

    def choices(self, *, capital: bool = True) -> list[tuple[str, str]]:
        """``(code, Czech label)`` of every offered code, for selects and checkboxes."""
        return [(code, self.label(code, capital=capital)) for code in self.codes]

    def items(self) -> Iterator[tuple[str, Term]]:
        """Offered codes with their terms."""
        return ((code, term) for code, term in self._terms.items() if not term.retired)

    def as_dict(self, *, retired: bool = True, capital: bool = False) -> dict[str, str]:
        """``{code: Czech label}`` in order, retired codes too unless ``retired=False`` (for reports
        that count what old events carry)."""
        return {
            code: capitalize(term.cs) if capital else term.cs
            for code, term in self._terms.items()
            if retired or not term.retired
        }

    def subset(
        self, codes: Iterable[object], name: str | None = None, title: str | None = None
    ) -> Vocabulary:
        """The same labels for a part of the codes (e.g. the flags a worker may tick)."""
        return Vocabulary(name or self.name, title or self.title, {str(c): self.term(c) for c in codes})

    def __contains__(self, code: object) -> bool:
        term = self._terms.get(_code(code)) if code is not None else None
        return term is not None and not term.retired

    def __iter__(self) -> Iterator[str]:
        return iter(self.codes)

    def __len__(self) -> int:
        return len(self.codes)

    def __repr__(self) -> str:
        return f"Vocabulary({self.name!r}, {list(self.codes)!r})"


def _code(code: object) -> str:
    return str(code.value) if isinstance(code, StrEnum) else str(code)


def label(vocab: Vocabulary, code: object, *, capital: bool = False) -> str:
    """The Czech label of ``code`` in ``vocab``; never the raw code (see :data:`MISSING`)."""
    return vocab.label(code, capital=capital)


def labels(vocab: Vocabulary, codes: Iterable[object], *, sep: str = ", ") -> str:
    """Labels of several codes, in the given order: "domácí násilí, těhotenství"."""
    return sep.join(vocab.label(code) for code in codes)


# --------------------------------------------------------------------------------------------------
# Need levels, household types, ETHOS (assessment publishes them; catalogue and stats read them)


class NeedLevel(StrEnum):
    """Level of housing need (``NeedAssessed.need_level``), from the most to the least severe."""

    ROOFLESS = "roofless"
    HOUSELESS = "houseless"
    INSECURE = "insecure"
    INADEQUATE = "inadequate"
    AT_RISK = "at_risk"
    NOT_IN_NEED = "not_in_need"


class HouseholdType(StrEnum):
    """Type of household (``NeedAssessed.household_type``)."""

    SINGLE = "single"
    COUPLE = "couple"
    SINGLE_PARENT = "single_parent"
    FAMILY_WITH_CHILDREN = "family_with_children"
    SENIOR = "senior"
    OTHER = "other"


class EthosLight(StrEnum):
    """ETHOS Light (FEANTSA 2007), six statistical categories, in order of severity."""

    LIVING_ROUGH = "living_rough"
    EMERGENCY_ACCOMMODATION = "emergency_accommodation"
    HOMELESS_ACCOMMODATION = "homeless_accommodation"
    INSTITUTIONS = "institutions"
    NON_CONVENTIONAL = "non_conventional"
    WITH_FAMILY_FRIENDS = "with_family_friends"

    @property
    def rank(self) -> int:
        """1 (living rough) … 6 (with family or friends)."""
        return list(EthosLight).index(self) + 1


NEED_LEVELS = Vocabulary(
    "need_level",
    "Úroveň bytové nouze",
    {
        NeedLevel.ROOFLESS: Term("bez střechy", "Roofless"),
        NeedLevel.HOUSELESS: Term("bez bytu", "Houseless"),
        NeedLevel.INSECURE: Term("nejisté bydlení", "Insecure housing"),
        NeedLevel.INADEQUATE: Term("nevyhovující bydlení", "Inadequate housing"),
        NeedLevel.AT_RISK: Term("ohrožení ztrátou bydlení", "At risk of losing housing"),
        NeedLevel.NOT_IN_NEED: Term("není v bytové nouzi", "Not in housing need"),
    },
)

HOUSEHOLD_TYPES = Vocabulary(
    "household_type",
    "Typ domácnosti",
    {
        HouseholdType.SINGLE: Term("jednotlivec", "Single person"),
        HouseholdType.COUPLE: Term("pár bez dětí", "Couple without children"),
        HouseholdType.SINGLE_PARENT: Term("rodič samoživitel", "Single parent"),
        HouseholdType.FAMILY_WITH_CHILDREN: Term("rodina s dětmi", "Family with children"),
        HouseholdType.SENIOR: Term("seniorská domácnost", "Senior household"),
        HouseholdType.OTHER: Term("jiná domácnost", "Other household"),
    },
)

#: ETHOS operational categories 1–13 (FEANTSA; the Czech typology of 2007 names the people in each),
#: with what a category covers in Czech practice as the hint.
ETHOS_CATEGORIES = Vocabulary(
    "ethos_category",
    "Kategorie ETHOS",
    {
        "1": Term("přežívající venku", "People living rough", hint="ulice, veřejný prostor"),
        "2": Term("v noclehárně", "People in emergency accommodation"),
        "3": Term(
            "v ubytovně pro osoby bez domova nebo v azylovém domě",
            "People in accommodation for the homeless",
            hint="ubytovna pro osoby bez domova, azylový dům, přechodné bydlení",
        ),
        "4": Term(
            "v azylovém domě pro ženy",
            "People in women's shelters",
            hint="azylový dům pro ženy a oběti domácího násilí",
        ),
        "5": Term(
            "v ubytování pro imigranty",
            "People in accommodation for immigrants",
            hint="ubytování pro cizince",
        ),
        "6": Term(
            "před opuštěním instituce",
            "People due to be released from institutions",
            hint="odchod z věznice, nemocnice nebo dětského domova bez zajištěného bydlení",
        ),
        "7": Term(
            "s dlouhodobou podporou z důvodu bezdomovectví",
            "People receiving longer-term support",
            hint="dlouhodobé podporované bydlení pro osoby bez domova",
        ),
        "8": Term(
            "v nejistém bydlení",
            "People living in insecure accommodation",
            hint="u příbuzných nebo známých, bez nájmu, ubytovna",
        ),
        "9": Term("pod hrozbou vystěhování", "People living under threat of eviction"),
        "10": Term("pod hrozbou domácího násilí", "People living under threat of violence"),
        "11": Term(
            "v provizorní nebo neobvyklé stavbě",
            "People living in temporary structures",
            hint="provizorní nebo nestandardní obydlí",
        ),
        "12": Term("v nevhodném bydlení", "People living in unfit housing", hint="byt nezpůsobilý k bydlení"),
        "13": Term("v extrémně přelidněném bydlení", "People living in extreme overcrowding"),
    },
)

ETHOS_LIGHT = Vocabulary(
    "ethos_light",
    "Kategorie ETHOS Light",
    {
        EthosLight.LIVING_ROUGH: Term("přežívající venku", "People living rough"),
        EthosLight.EMERGENCY_ACCOMMODATION: Term("v nouzovém ubytování", "People in emergency accommodation"),
        EthosLight.HOMELESS_ACCOMMODATION: Term(
            "v ubytování pro osoby bez domova", "People in accommodation for the homeless"
        ),
        EthosLight.INSTITUTIONS: Term("v instituci", "People living in institutions"),
        EthosLight.NON_CONVENTIONAL: Term(
            "v nestandardním obydlí z nedostatku bydlení", "People in non-conventional dwellings"
        ),
        EthosLight.WITH_FAMILY_FRIENDS: Term(
            "dočasně u příbuzných nebo známých", "Temporarily with family or friends"
        ),
    },
)


def ethos_label(category: int | str | None, *, numbered: bool = True) -> str:
    """ "1 – přežívající venku" (``numbered=False``: "přežívající venku"); "neuvedeno" for None."""
    text = ETHOS_CATEGORIES.label(category)
    if numbered and category is not None and ETHOS_CATEGORIES.knows(category):
        return f"{category} – {text}"
    return text


# --------------------------------------------------------------------------------------------------
# Vulnerability flags (intake records them, assessment derives some, catalogue and stats read them)

VULNERABILITY_FLAGS = Vocabulary(
    "vulnerability_flag",
    "Zvláštní zranitelnost",
    {
        "domestic_violence": Term("domácí násilí", "Domestic violence"),
        "disability": Term("zdravotní postižení", "Disability"),
        "serious_illness": Term("závažné onemocnění", "Serious illness"),
        "senior_alone": Term("osamělý senior", "Senior living alone"),
        "senior": Term("senior (65 a více let)", "Senior (aged 65 or over)"),
        "single_parent": Term("samoživitel/ka", "Single parent"),
        "large_family": Term("početná rodina", "Large family"),
        "leaving_institution": Term("odchod z instituce", "Leaving an institution"),
        "pregnancy": Term("těhotenství", "Pregnancy"),
        "young_adult_leaving_care": Term(
            "mladý dospělý odcházející z náhradní péče", "Young adult leaving care"
        ),
        "child_at_risk": Term("ohrožené dítě (spolupráce s OSPOD)", "Child at risk (child protection)"),
        "chronic_illness": Term("chronické onemocnění", "Chronic illness", retired=True),
    },
)

# --------------------------------------------------------------------------------------------------
# Intake: contacts, households, dwellings, closing a case

CONTACT_CHANNELS = Vocabulary(
    "contact_channel",
    "Způsob kontaktu",
    {
        "in_person": Term("osobně", "In person"),
        "phone": Term("telefonicky", "By phone"),
        "email": Term("e-mailem", "By e-mail"),
        "letter": Term("dopisem", "By letter"),
        "field_visit": Term("terénní návštěva", "Field visit"),
        "field": Term("v terénu", "In the field", retired=True),
        "online": Term("přes internet", "Online", retired=True),
    },
)

CONTACT_TOPICS = Vocabulary(
    "contact_topic",
    "Téma kontaktu",
    {
        "loss_of_housing": Term("ztráta bydlení", "Loss of housing"),
        "debts": Term("dluhy", "Debts"),
        "benefits": Term("dávky", "Benefits"),
        "flat_application": Term("žádost o byt", "Flat application"),
        "landlord_conflict": Term("spor s pronajímatelem", "Conflict with the landlord"),
        "domestic_violence": Term("domácí násilí", "Domestic violence"),
        "shelter": Term("azylové ubytování, noclehárna", "Shelter"),
        "other": Term("jiné", "Other"),
    },
)

RELATIONSHIPS = Vocabulary(
    "relationship",
    "Vztah k žadateli",
    {
        "applicant": Term("žadatel/ka", "Applicant"),
        "partner": Term("manžel/ka, partner/ka", "Spouse or partner"),
        "child": Term("dítě", "Child"),
        "parent": Term("rodič", "Parent"),
        "sibling": Term("sourozenec", "Sibling"),
        "other_relative": Term("jiný příbuzný", "Other relative"),
        "other": Term("jiný vztah", "Other"),
        "spouse": Term("manžel/ka", "Spouse", retired=True),
    },
)

SEXES = Vocabulary("sex", "Pohlaví", {"female": Term("žena", "Female"), "male": Term("muž", "Male")})

#: is a member aged 15–25 a dependent child (nezaopatřené dítě, zákon č. 117/1995 Sb., § 11)? The
#: form's answer; the event carries it as ``MemberSnapshot.dependent_child`` (True, False or None).
DEPENDENT_CHILD = Vocabulary(
    "dependent_child",
    "Nezaopatřené dítě",
    {
        "yes": Term(
            "ano – studuje nebo se pro nemoc nemůže soustavně připravovat na povolání",
            "Yes - studies, or cannot prepare for an occupation because of illness",
        ),
        "no": Term("ne – nestuduje", "No - does not study"),
        "unknown": Term("nezjištěno", "Not established"),
    },
)

AGE_BANDS = Vocabulary(
    "age_band",
    "Věková skupina",
    {
        "0-5": Term("0–5 let", "0–5 years"),
        "6-14": Term("6–14 let", "6–14 years"),
        "15-17": Term("15–17 let", "15–17 years"),
        "18-25": Term("18–25 let", "18–25 years"),
        "26-64": Term("26–64 let", "26–64 years"),
        "65+": Term("65 a více let", "65 years and over"),
    },
)

DWELLING_KINDS = Vocabulary(
    "dwelling_kind",
    "Druh bydlení",
    {
        "flat": Term("byt", "Flat"),
        "house": Term("rodinný dům", "House"),
        "commercial_hostel": Term("ubytovna", "Commercial hostel"),
        "asylum_house": Term("azylový dům", "Asylum house"),
        "night_shelter": Term("noclehárna", "Night shelter"),
        "womens_shelter": Term("azylový dům pro ženy a oběti násilí", "Women's shelter"),
        "institution": Term("instituce (věznice, nemocnice, dětský domov)", "Institution"),
        "with_family_friends": Term("u příbuzných nebo známých", "With family or friends"),
        "non_conventional": Term(
            "nestandardní obydlí (chatka, maringotka, stan)", "Non-conventional dwelling"
        ),
        "street": Term("bez přístřeší (venku)", "Living rough"),
        # finer kinds a survey may record (the assessment's rule sets); intake offers the ones above
        "homeless_hostel": Term("ubytovna pro osoby bez domova", "Hostel for the homeless"),
        "transitional_housing": Term("přechodné bydlení", "Transitional housing"),
        "immigrant_accommodation": Term(
            "ubytování pro cizince (azylové a pobytové středisko)", "Accommodation for immigrants"
        ),
        "prison": Term("výkon trestu", "Prison"),
        "hospital": Term("zdravotnické zařízení", "Hospital"),
        "childrens_home": Term("dětský domov nebo ústavní výchova", "Children's home"),
        "supported_housing": Term(
            "dlouhodobé podporované ubytování pro osoby bez domova", "Long-term supported housing"
        ),
        "squat": Term("nelegální obsazení budovy nebo pozemku", "Squat"),
        "mobile_home": Term("mobilní obydlí (karavan, maringotka)", "Mobile home"),
        "garden_shed": Term("zahradní chatka nebo kůlna", "Garden shed"),
        "recreational": Term("rekreační objekt (chata) jako jediné bydlení", "Recreational building"),
    },
)

LEGAL_TITLES = Vocabulary(
    "legal_title",
    "Právní důvod užívání",
    {
        "lease": Term("nájemní smlouva", "Lease"),
        "sublease": Term("podnájemní smlouva", "Sublease"),
        "lodging_contract": Term("smlouva o ubytování", "Lodging contract"),
        "ownership": Term("vlastnictví", "Ownership"),
        "none": Term("bez právního titulu", "None"),
        # a survey may record it (the assessment's rule sets); intake does not offer it
        "cooperative": Term("družstevní byt (nájem od družstva)", "Cooperative flat"),
    },
)

INCOME_SOURCES = Vocabulary(
    "income_source",
    "Zdroj příjmu",
    {
        "employment": Term("zaměstnání", "Employment"),
        "self_employment": Term("samostatná výdělečná činnost", "Self-employment"),
        "pension": Term("důchod", "Pension"),
        "unemployment_benefit": Term("podpora v nezaměstnanosti", "Unemployment benefit"),
        "parental_allowance": Term("rodičovský příspěvek", "Parental allowance"),
        "child_allowance": Term("přídavek na dítě", "Child allowance"),
        "housing_benefit": Term("příspěvek nebo doplatek na bydlení", "Housing benefit"),
        "other_benefit": Term("jiná dávka", "Other benefit"),
        "maintenance": Term("výživné", "Maintenance"),
        "other": Term("jiný příjem", "Other income"),
    },
)

CLOSE_REASONS = Vocabulary(
    "close_reason",
    "Důvod uzavření případu",
    {
        "housed_adequately": Term("zajištěno vyhovující bydlení", "Housed adequately"),
        "resolved_itself": Term("situace se vyřešila sama", "Resolved itself"),
        "moved_away": Term("odstěhování mimo obvod", "Moved away"),
        "lost_contact": Term("ztráta kontaktu", "Lost contact"),
        "declined_help": Term("odmítnutí pomoci", "Declined help"),
        "died": Term("úmrtí", "Died"),
        "other": Term("jiný důvod", "Other"),
        "deceased": Term("úmrtí", "Died", retired=True),
    },
)

#: why a case's (or a member's) personal data were erased; the administrator's own words stay in intake
ERASURE_REASONS = Vocabulary(
    "erasure_reason",
    "Důvod výmazu osobních údajů",
    {
        "data_subject_request": Term(
            "žádost subjektu údajů o výmaz (čl. 17 GDPR)", "Data subject's request (GDPR Art. 17)"
        ),
        "consent_withdrawn": Term("odvolání souhlasu", "Consent withdrawn"),
        "unlawful_processing": Term("zpracování bez právního důvodu", "Processed without a legal basis"),
        "entered_by_mistake": Term("údaje zadány omylem", "Entered by mistake"),
        "retention": Term("uplynutí skartační lhůty", "Retention period expired"),
        "other": Term("jiný důvod", "Other"),
    },
)

# Which bases a municipality actually relies on is for its data-protection officer to confirm;
# the GDPR articles themselves are fixed.
LEGAL_BASES = Vocabulary(
    "legal_basis",
    "Právní základ zpracování",
    {
        "legal_obligation": Term(
            "plnění právní povinnosti (čl. 6 odst. 1 písm. c) GDPR)", "Legal obligation (GDPR Art. 6(1)(c))"
        ),
        "public_task": Term(
            "úkol ve veřejném zájmu nebo výkon veřejné moci (čl. 6 odst. 1 písm. e) GDPR)",
            "Public task or official authority (GDPR Art. 6(1)(e))",
        ),
        "vital_interests": Term(
            "ochrana životně důležitých zájmů (čl. 6 odst. 1 písm. d) GDPR)",
            "Vital interests (GDPR Art. 6(1)(d))",
        ),
    },
)

# --------------------------------------------------------------------------------------------------
# Catalogue: kinds of solution

SOLUTION_KINDS = Vocabulary(
    "solution_kind",
    "Druh řešení",
    {
        "municipal_flat": Term("obecní byt", "Municipal flat"),
        "ngo_flat": Term("byt neziskové organizace", "NGO flat"),
        "market_offer": Term("nabídka bytu na trhu", "Market offer"),
        "guaranteed_housing": Term("bydlení s garancí", "Guaranteed housing"),
        "supported_municipal_housing": Term("podporované obecní bydlení", "Supported municipal housing"),
        "sublease_housing": Term("podnájemní bydlení", "Sublease housing"),
        "night_shelter": Term("noclehárna", "Night shelter"),
        "asylum_house": Term("azylový dům", "Asylum house"),
        "womens_shelter": Term("azylový dům pro ženy ohrožené násilím", "Women's shelter"),
        "commercial_hostel": Term("ubytovna", "Commercial hostel"),
        "housing_allowance": Term("příspěvek na bydlení", "Housing allowance"),
        "housing_supplement": Term("doplatek na bydlení", "Housing supplement"),
        "emergency_aid": Term("mimořádná okamžitá pomoc", "Emergency aid"),
        "housing_assistance": Term("asistence v bydlení", "Housing assistance"),
        "debt_advice": Term("dluhové poradenství", "Debt advice"),
        "legal_aid": Term("právní pomoc", "Legal aid"),
        "field_social_work": Term("terénní sociální práce", "Field social work"),
        "real_estate_expert": Term("odborník na trh s byty", "Real-estate expert"),
        # codes stats once used for the same kinds
        "supported_municipal_flat": Term("podporované obecní bydlení", retired=True),
        "sublease": Term("podnájemní bydlení", retired=True),
        "shelter": Term("azylový dům", retired=True),
        "hostel": Term("ubytovna", retired=True),
        "market_flat": Term("tržní nájem", retired=True),
    },
)

# --------------------------------------------------------------------------------------------------
# Referrals: kinds, states, decline reasons, outcomes, cancellations

REFERRAL_KINDS = Vocabulary(
    "referral_kind",
    "Druh předání",
    {
        "binding_opinion": Term(
            "závazné stanovisko Úřadu práce (§ 18)", "Binding opinion of the labour office"
        ),
        "benefit_claim": Term("žádost o dávku", "Benefit claim"),
        "municipal_flat_application": Term("žádost o obecní byt", "Municipal flat application"),
        "social_work": Term("sociální práce", "Social work"),
        "social_service_place": Term("místo v sociální službě", "Place in a social service"),
        "housing_assistance": Term("asistence v bydlení (§ 22)", "Housing assistance"),
        "legal_aid": Term("právní pomoc", "Legal aid"),
        "real_estate_search": Term("hledání bytu na trhu", "Real-estate search"),
        "debt_advice": Term("dluhové poradenství", "Debt advice"),
        "case_conference": Term("případová konference", "Case conference"),
    },
)

REFERRAL_STATES = Vocabulary(
    "referral_state",
    "Stav předání",
    {
        "made": Term("předáno", "Made"),
        "accepted": Term("přijato", "Accepted"),
        "declined": Term("odmítnuto", "Declined"),
        "completed": Term("dokončeno", "Completed"),
        "cancelled": Term("zrušeno", "Cancelled"),
    },
)

#: The steps of a referral, as the audit timeline names its events and a partner's status update
#: (``kmb.partner.referral_status``) names the step it reports: "Předání přijato" with ``capital=True``.
REFERRAL_STEPS = Vocabulary(
    "referral_step",
    "Krok předání",
    {
        "made": Term("předání partnerovi", "Referral made"),
        "accepted": Term("předání přijato", "Referral accepted"),
        "declined": Term("předání odmítnuto", "Referral declined"),
        "completed": Term("předání dokončeno", "Referral completed"),
        "cancelled": Term("předání zrušeno", "Referral cancelled"),
        "overdue": Term("předání po lhůtě", "Referral overdue"),
        "binding_opinion": Term("závazné stanovisko vydáno", "Binding opinion issued"),
    },
)

DECLINE_REASONS = Vocabulary(
    "decline_reason",
    "Důvod odmítnutí",
    {
        "not_eligible": Term("klient nesplňuje podmínky", "Not eligible"),
        "no_capacity": Term("nedostatečná kapacita", "No capacity"),
        "client_unreachable": Term("klient je nedostupný", "Client unreachable"),
        "client_refused": Term("klient odmítl", "Client refused"),
        "higher_care_needed": Term("klient potřebuje vyšší míru péče", "Higher care needed"),
        "duplicate": Term("duplicitní předání", "Duplicate"),
        "other": Term("jiný důvod", "Other"),
    },
)

REFERRAL_OUTCOMES = Vocabulary(
    "referral_outcome",
    "Výsledek předání",
    {
        "housed": Term("domácnost získala bydlení", "Housed"),
        "service_provided": Term("služba poskytnuta", "Service provided"),
        "benefit_granted": Term("dávka přiznána", "Benefit granted"),
        "benefit_refused": Term("dávka nepřiznána", "Benefit refused"),
        "opinion_issued": Term("stanovisko vydáno", "Opinion issued"),
        "client_did_not_attend": Term("klient se nedostavil", "Client did not attend"),
        "other": Term("jiný výsledek", "Other"),
    },
)

CANCEL_REASONS = Vocabulary(
    "cancel_reason",
    "Důvod zrušení předání",
    {
        "cancelled_by_worker": Term("zrušil pracovník", "Cancelled by the worker"),
        "housing_offer_accepted": Term("domácnost přijala nabídku bydlení", "Housing offer accepted"),
    },
)

#: Applications a contact point helps with (issue 12): the statistical group of an application kind (a
#: municipality's own kinds name one of these), and the answers the office gives.
APPLICATION_GROUPS = Vocabulary(
    "application_group",
    "Druh žádosti",
    {
        "register": Term("žádost o zápis do evidence osob v bytové nouzi", "Entry into the register"),
        "municipal_flat": Term("žádost o obecní byt", "Municipal flat"),
        "housing_allowance": Term("příspěvek na bydlení", "Housing allowance"),
        "housing_supplement": Term("doplatek na bydlení", "Housing supplement"),
        "emergency_aid": Term("mimořádná okamžitá pomoc", "Emergency aid"),
        "ngo_programme": Term("bytový program neziskové organizace", "NGO housing programme"),
        "guaranteed_housing": Term(
            "garantované bydlení / podnájemní program", "Guaranteed / sublease housing"
        ),
        "other": Term("jiná žádost", "Other application"),
    },
)

APPLICATION_OUTCOMES = Vocabulary(
    "application_outcome",
    "Výsledek žádosti",
    {
        "granted": Term("vyhověno", "Granted"),
        "refused": Term("zamítnuto", "Refused"),
        "returned": Term("vráceno k doplnění", "Returned for completion"),
    },
)

#: every vocabulary by name (e.g. ``VOCABULARIES["close_reason"]``)
VOCABULARIES: Mapping[str, Vocabulary] = MappingProxyType(
    {
        v.name: v
        for v in (
            NEED_LEVELS,
            HOUSEHOLD_TYPES,
            ETHOS_CATEGORIES,
            ETHOS_LIGHT,
            VULNERABILITY_FLAGS,
            CONTACT_CHANNELS,
            CONTACT_TOPICS,
            RELATIONSHIPS,
            SEXES,
            DEPENDENT_CHILD,
            AGE_BANDS,
            DWELLING_KINDS,
            LEGAL_TITLES,
            INCOME_SOURCES,
            CLOSE_REASONS,
            ERASURE_REASONS,
            LEGAL_BASES,
            SOLUTION_KINDS,
            REFERRAL_KINDS,
            REFERRAL_STATES,
            REFERRAL_STEPS,
            DECLINE_REASONS,
            REFERRAL_OUTCOMES,
            CANCEL_REASONS,
            APPLICATION_GROUPS,
            APPLICATION_OUTCOMES,
        )
    }
)


def vocabulary(name: str) -> Vocabulary:
    """A vocabulary by its name; ``KeyError`` for an unknown one."""
    return VOCABULARIES[name]
