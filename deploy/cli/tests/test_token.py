"""`kmb token`: a token for scripts on this host expires like every other (issue 13 item 3)."""

from __future__ import annotations

import time
from pathlib import Path

import pytest
from typer.testing import CliRunner

from kmb_cli.main import app
from kmb_shared.auth import Signer, load_secret


def _issue(tmp_path: Path, *args: str) -> tuple[str, str]:
    result = CliRunner().invoke(app, ["token", "--role", "analyst", "--var-dir", str(tmp_path), *args])
    assert result.exit_code == 0, result.output
    return result.stdout.strip(), result.stderr


@pytest.mark.parametrize(
    ("args", "env_days", "days"), [((), None, 90), (("--days", "2"), None, 2), ((), "7", 7)]
)
def test_the_token_expires_after_the_days_asked_or_configured(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, args: tuple[str, ...], env_days: str | None, days: float
) -> None:
    monkeypatch.delenv("KMB_SECRET_KEY", raising=False)
    if env_days:
        monkeypatch.setenv("KMB_API_TOKEN_DAYS", env_days)
    else:
        monkeypatch.delenv("KMB_API_TOKEN_DAYS", raising=False)
    token, told = _issue(tmp_path, *args)
    principal = Signer(load_secret(tmp_path, None)).read_token(token)
    assert principal is not None and principal.roles == {"analyst"}
    assert principal.sid and f"token id {principal.sid}" in told
    assert principal.issued_at is not None
    # the expiry is not on the Principal; an expired token is refused: read it as of just past its end
    future = principal.issued_at + days * 86400 + 60
    monkeypatch.setattr(time, "time", lambda: future)
    assert Signer(load_secret(tmp_path, None)).read_token(token) is None
    monkeypatch.setattr(time, "time", lambda: future - 120)
    assert Signer(load_secret(tmp_path, None)).read_token(token) is not None
