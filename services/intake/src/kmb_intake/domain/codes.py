"""Intake's code lists: views over the kernel vocabulary (:mod:`kmb_shared.contracts.vocabulary`),
which holds every code with its Czech and English label.

Each list here is what intake offers and accepts: the kernel's list itself where intake offers all
of it, otherwise the part intake offers (the kernel also labels finer codes a survey may record).
Validation, forms and the OpenAPI enums follow from these lists. To add a code or change a label,
edit the kernel vocabulary; a code never changes meaning once used.
"""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType
from typing import TypeAlias

from kmb_shared.contracts import vocabulary as kernel
from kmb_shared.contracts.vocabulary import Term, Vocabulary

#: a code list of the intake domain (the kernel's vocabulary type)
CodeList: TypeAlias = Vocabulary
#: the labels of one code (``.cs``, ``.en``)
Label: TypeAlias = Term

CONTACT_CHANNELS = kernel.CONTACT_CHANNELS
CONTACT_TOPICS = kernel.CONTACT_TOPICS
RELATIONSHIPS = kernel.RELATIONSHIPS
SEXES = kernel.SEXES
DWELLING_KINDS = kernel.DWELLING_KINDS.subset(
    (
        "flat",
        "house",
        "commercial_hostel",
        "asylum_house",
        "night_shelter",
        "womens_shelter",
        "institution",
        "with_family_friends",
        "non_conventional",
        "street",
    )
)
LEGAL_TITLES = kernel.LEGAL_TITLES.subset(("lease", "sublease", "lodging_contract", "ownership", "none"))
INCOME_SOURCES = kernel.INCOME_SOURCES
VULNERABILITY_FLAGS = kernel.VULNERABILITY_FLAGS.subset(
    (
        "domestic_violence",
        "disability",
        "serious_illness",
        "senior_alone",
        "single_parent",
        "leaving_institution",
        "pregnancy",
        "young_adult_leaving_care",
    )
)
CLOSE_REASONS = kernel.CLOSE_REASONS
LEGAL_BASES = kernel.LEGAL_BASES
#: Is a member aged 15-25 a dependent child (nezaopatřené dítě, zákon č. 117/1995 Sb., § 11)?
#: Only then does the subsistence minimum count them as a child rather than a further person 15+.
DEPENDENT_CHILD = kernel.DEPENDENT_CHILD
AGE_BANDS = kernel.AGE_BANDS

#: every code list intake offers, by name, e.g. for rendering form selects
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
