"""The data that drives matching: how well each kind fits each need level, how fast it helps, and
the weights of the score. These are KMB practice defaults, not figures from the law; a municipality
may pass its own :class:`MatchConfig`."""

from __future__ import annotations

from typing import Self

from pydantic import BaseModel, ConfigDict, Field, model_validator

from .kinds import NeedLevel, SolutionKind

_K = SolutionKind
_L = NeedLevel

#: 0..1, how well a kind of solution answers a need level; a missing kind means "does not fit".
DEFAULT_RELEVANCE: dict[NeedLevel, dict[SolutionKind, float]] = {
    _L.ROOFLESS: {
        _K.NIGHT_SHELTER: 1.0,
        _K.FIELD_SOCIAL_WORK: 0.9,
        _K.EMERGENCY_AID: 0.9,
        _K.ASYLUM_HOUSE: 0.8,
        _K.WOMENS_SHELTER: 0.8,
        _K.NGO_FLAT: 0.6,
        _K.SUBLEASE_HOUSING: 0.6,
        _K.SUPPORTED_MUNICIPAL_HOUSING: 0.6,
        _K.MUNICIPAL_FLAT: 0.5,
        _K.COMMERCIAL_HOSTEL: 0.5,
        _K.HOUSING_ASSISTANCE: 0.5,
        _K.HOUSING_SUPPLEMENT: 0.4,
        _K.GUARANTEED_HOUSING: 0.4,
        _K.LEGAL_AID: 0.3,
        _K.DEBT_ADVICE: 0.3,
        _K.MARKET_OFFER: 0.2,
        _K.REAL_ESTATE_EXPERT: 0.1,
    },
    _L.HOUSELESS: {
        _K.ASYLUM_HOUSE: 1.0,
        _K.WOMENS_SHELTER: 0.9,
        _K.SUPPORTED_MUNICIPAL_HOUSING: 0.9,
        _K.SUBLEASE_HOUSING: 0.9,
        _K.NGO_FLAT: 0.9,
        _K.MUNICIPAL_FLAT: 0.8,
        _K.GUARANTEED_HOUSING: 0.7,
        _K.FIELD_SOCIAL_WORK: 0.7,
        _K.HOUSING_ASSISTANCE: 0.7,
        _K.EMERGENCY_AID: 0.7,
        _K.NIGHT_SHELTER: 0.6,
        _K.HOUSING_SUPPLEMENT: 0.6,
        _K.COMMERCIAL_HOSTEL: 0.5,
        _K.DEBT_ADVICE: 0.5,
        _K.LEGAL_AID: 0.4,
        _K.MARKET_OFFER: 0.4,
        _K.REAL_ESTATE_EXPERT: 0.4,
    },
    _L.INSECURE: {
        _K.MUNICIPAL_FLAT: 0.9,
        _K.SUPPORTED_MUNICIPAL_HOUSING: 0.9,
        _K.WOMENS_SHELTER: 0.9,
        _K.NGO_FLAT: 0.8,
        _K.SUBLEASE_HOUSING: 0.8,
        _K.GUARANTEED_HOUSING: 0.8,
        _K.LEGAL_AID: 0.8,
        _K.HOUSING_ASSISTANCE: 0.8,
        _K.DEBT_ADVICE: 0.7,
        _K.HOUSING_SUPPLEMENT: 0.7,
        _K.HOUSING_ALLOWANCE: 0.6,
        _K.EMERGENCY_AID: 0.6,
        _K.MARKET_OFFER: 0.6,
        _K.ASYLUM_HOUSE: 0.6,
        _K.REAL_ESTATE_EXPERT: 0.5,
        _K.FIELD_SOCIAL_WORK: 0.5,
        _K.COMMERCIAL_HOSTEL: 0.3,
        _K.NIGHT_SHELTER: 0.3,
    },
    _L.AT_RISK: {
        _K.HOUSING_ASSISTANCE: 1.0,
        _K.LEGAL_AID: 0.9,
        _K.DEBT_ADVICE: 0.9,
        _K.HOUSING_ALLOWANCE: 0.9,
        _K.HOUSING_SUPPLEMENT: 0.8,
        _K.EMERGENCY_AID: 0.7,
        _K.MUNICIPAL_FLAT: 0.5,
        _K.SUPPORTED_MUNICIPAL_HOUSING: 0.5,
        _K.GUARANTEED_HOUSING: 0.5,
        _K.WOMENS_SHELTER: 0.5,
        _K.MARKET_OFFER: 0.4,
        _K.REAL_ESTATE_EXPERT: 0.4,
        _K.SUBLEASE_HOUSING: 0.4,
        _K.NGO_FLAT: 0.4,
        _K.FIELD_SOCIAL_WORK: 0.4,
        _K.ASYLUM_HOUSE: 0.2,
    },
    _L.INADEQUATE: {
        _K.MUNICIPAL_FLAT: 0.9,
        _K.NGO_FLAT: 0.8,
        _K.SUPPORTED_MUNICIPAL_HOUSING: 0.8,
        _K.GUARANTEED_HOUSING: 0.8,
        _K.MARKET_OFFER: 0.7,
        _K.REAL_ESTATE_EXPERT: 0.7,
        _K.HOUSING_ALLOWANCE: 0.7,
        _K.HOUSING_ASSISTANCE: 0.7,
        _K.SUBLEASE_HOUSING: 0.6,
        _K.HOUSING_SUPPLEMENT: 0.6,
        _K.LEGAL_AID: 0.5,
        _K.DEBT_ADVICE: 0.5,
        _K.WOMENS_SHELTER: 0.5,
        _K.EMERGENCY_AID: 0.4,
        _K.FIELD_SOCIAL_WORK: 0.3,
        _K.ASYLUM_HOUSE: 0.3,
        _K.COMMERCIAL_HOSTEL: 0.1,
    },
    _L.NOT_IN_NEED: {
        _K.HOUSING_ALLOWANCE: 0.5,
        _K.DEBT_ADVICE: 0.5,
        _K.LEGAL_AID: 0.4,
        _K.MARKET_OFFER: 0.4,
        _K.REAL_ESTATE_EXPERT: 0.4,
        _K.HOUSING_ASSISTANCE: 0.3,
    },
}

#: 0..1, how soon a kind of solution can help (tonight = 1).
DEFAULT_IMMEDIACY: dict[SolutionKind, float] = {
    _K.NIGHT_SHELTER: 1.0,
    _K.FIELD_SOCIAL_WORK: 1.0,
    _K.EMERGENCY_AID: 0.9,
    _K.WOMENS_SHELTER: 0.9,
    _K.COMMERCIAL_HOSTEL: 0.8,
    _K.ASYLUM_HOUSE: 0.7,
    _K.LEGAL_AID: 0.5,
    _K.HOUSING_ASSISTANCE: 0.5,
    _K.DEBT_ADVICE: 0.4,
    _K.HOUSING_SUPPLEMENT: 0.4,
    _K.SUBLEASE_HOUSING: 0.4,
    _K.HOUSING_ALLOWANCE: 0.3,
    _K.NGO_FLAT: 0.3,
    _K.SUPPORTED_MUNICIPAL_HOUSING: 0.3,
    _K.GUARANTEED_HOUSING: 0.3,
    _K.MARKET_OFFER: 0.3,
    _K.REAL_ESTATE_EXPERT: 0.2,
    _K.MUNICIPAL_FLAT: 0.2,
}

#: 0..1, how urgent a need level is.
DEFAULT_URGENCY: dict[NeedLevel, float] = {
    _L.ROOFLESS: 1.0,
    _L.HOUSELESS: 0.8,
    _L.INSECURE: 0.6,
    _L.AT_RISK: 0.5,
    _L.INADEQUATE: 0.4,
    _L.NOT_IN_NEED: 0.0,
}


class MatchConfig(BaseModel):
    """score = 100 × max(0, w_relevance × relevance + w_urgency × urgency × immediacy
    + w_capacity × c − w_unaffordable × u), where urgency = max(urgency of the need level, priority
    score / priority_for_full_urgency, capped at 1), c is 1 with a free unit or no capacity tracked,
    0 when full, and u is 1 when the entry's rent is over excessive_rent_share of the household's
    income (both known), else 0. An unaffordable entry still fits, but carries a warning instead of
    a reason and ranks below affordable alternatives of similar relevance."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    relevance: dict[NeedLevel, dict[SolutionKind, float]] = Field(
        default_factory=lambda: {k: dict(v) for k, v in DEFAULT_RELEVANCE.items()}
    )
    immediacy: dict[SolutionKind, float] = Field(default_factory=lambda: dict(DEFAULT_IMMEDIACY))
    urgency: dict[NeedLevel, float] = Field(default_factory=lambda: dict(DEFAULT_URGENCY))
    weight_relevance: float = Field(default=0.6, ge=0)
    weight_urgency: float = Field(default=0.3, ge=0)
    weight_capacity: float = Field(default=0.1, ge=0)
    #: subtracted when the rent is over excessive_rent_share of income: a household paying that much
    #: falls into arrears, so such a flat must not outrank what it can afford (KMB practice default)
    weight_unaffordable: float = Field(default=0.3, ge=0)
    priority_for_full_urgency: int = Field(default=100, gt=0)
    #: below this many m² per person a flat is overcrowded (threshold of Czech exclusion reports)
    min_m2_per_person: float = Field(default=9.5, ge=0)
    #: rent above this share of income is excessive (threshold of Czech exclusion reports); such an
    #: entry is penalised by weight_unaffordable and warned about
    excessive_rent_share: float = Field(default=0.40, gt=0)
    #: urgency × immediacy at or above this earns the "fast help" reason
    fast_help_threshold: float = Field(default=0.7, ge=0, le=1)

    @model_validator(mode="after")
    def _fractions(self) -> Self:
        values = [v for table in self.relevance.values() for v in table.values()]
        values += [*self.immediacy.values(), *self.urgency.values()]
        if any(v < 0 or v > 1 for v in values):
            raise ValueError("relevance, immediacy and urgency must lie between 0 and 1")
        return self

    def relevance_of(self, level: NeedLevel, kind: SolutionKind) -> float:
        return self.relevance.get(level, {}).get(kind, 0.0)


DEFAULT_MATCH_CONFIG = MatchConfig()
