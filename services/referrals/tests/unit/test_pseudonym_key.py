"""The key of the partners' case pseudonyms is the installation's own: configured
(KMB_REFERRALS_PSEUDONYM_KEY), or generated on first start into var/ (mode 600) like the secret key and
kept. In production mode (KMB_ENV=production) the service refuses to start with the public development
key, saying what to change."""

from __future__ import annotations

from pathlib import Path
from uuid import UUID

import pytest

from kmb_referrals.bootstrap import build_app
from kmb_referrals.config import DEV_PSEUDONYM_KEY, InsecureConfiguration, ReferralsSettings
from kmb_referrals.domain import pseudonymous_reference

CASE = UUID("00000000-0000-4000-8000-000000000042")


def settings(var_dir: Path, **values: object) -> ReferralsSettings:
    return ReferralsSettings(var_dir=var_dir, secret_key="unit-test-secret-0123456789", **values)


def test_each_installation_generates_its_own_key_once_and_keeps_it(tmp_path: Path) -> None:
    first, second = tmp_path / "lipovec", tmp_path / "brezany"
    key = settings(first).pseudonym_key_bytes()
    path = settings(first).pseudonym_key_path
    assert path.is_relative_to(first) and path.exists()
    assert path.stat().st_mode & 0o777 == 0o600, "readable by the service's user only"
    assert len(key) >= 32 and key != DEV_PSEUDONYM_KEY.encode()
    assert settings(first).pseudonym_key_bytes() == key, "the same key at the next start"
    other = settings(second).pseudonym_key_bytes()
    assert other != key, "another installation, another key"
    # So the same case at the same partner has other pseudonyms in the two installations.
    assert pseudonymous_reference(CASE, "ngo-domov", key) != pseudonymous_reference(CASE, "ngo-domov", other)


def test_a_configured_key_is_used_and_nothing_is_written(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("KMB_REFERRALS_PSEUDONYM_KEY", "a-key-of-our-own-0123456789")
    configured = settings(tmp_path)
    assert configured.pseudonym_key_bytes() == b"a-key-of-our-own-0123456789"
    assert not configured.pseudonym_key_path.exists()


def test_production_refuses_to_start_with_the_development_key(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("KMB_ENV", "production")
    monkeypatch.setenv("KMB_REFERRALS_PSEUDONYM_KEY", DEV_PSEUDONYM_KEY)
    with pytest.raises(InsecureConfiguration) as refused:
        build_app(settings(tmp_path))
    message = str(refused.value)
    assert "KMB_ENV=production" in message and "KMB_REFERRALS_PSEUDONYM_KEY" in message
    assert "development key" in message
    assert not (tmp_path / "referrals.db").exists(), "nothing started"


def test_production_starts_with_the_installations_own_key_and_development_with_any(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("KMB_ENV", "production")
    assert settings(tmp_path / "prod").environment == "production"
    build_app(settings(tmp_path / "prod"))  # generated key: starts
    monkeypatch.setenv("KMB_ENV", "development")
    monkeypatch.setenv("KMB_REFERRALS_PSEUDONYM_KEY", DEV_PSEUDONYM_KEY)
    build_app(settings(tmp_path / "dev"))  # development mode tolerates the public key


def test_an_unknown_mode_is_refused(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("KMB_ENV", "prod")
    with pytest.raises(ValueError, match="KMB_ENV"):
        settings(tmp_path)
