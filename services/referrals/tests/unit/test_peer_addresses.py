"""Referrals reaches intake and the catalogue where they really run (issue 16: intake's address
ignored KMB_INTAKE_PORT and stayed at 8001)."""

from __future__ import annotations

import pytest

from kmb_referrals.config import ReferralsSettings


def test_the_peers_follow_their_ports(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("KMB_INTAKE_PUBLIC_URL", raising=False)
    monkeypatch.delenv("KMB_CATALOGUE_PUBLIC_URL", raising=False)
    monkeypatch.setenv("KMB_INTAKE_PORT", "18101")
    monkeypatch.setenv("KMB_CATALOGUE_PORT", "18103")
    settings = ReferralsSettings()
    assert settings.intake_url == "http://127.0.0.1:18101"
    assert settings.catalogue_url == "http://127.0.0.1:18103"


def test_a_public_address_or_an_explicit_one_wins(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("KMB_INTAKE_PORT", "18101")
    monkeypatch.setenv("KMB_INTAKE_PUBLIC_URL", "https://kmb.lipovec.cz/prijem/")
    assert ReferralsSettings().intake_url == "https://kmb.lipovec.cz/prijem"
    monkeypatch.setenv("KMB_REFERRALS_INTAKE_URL", "http://intake.internal:8001")
    assert ReferralsSettings().intake_url == "http://intake.internal:8001"
