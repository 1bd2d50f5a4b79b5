"""A throwaway PostgreSQL server for tests and local use, run from Debian's `postgresql` package.

The cluster lives in `<var_dir>/pg-<port>` (trust auth for user `kmb`, listening on 127.0.0.1 only, its
socket inside the data folder). PostgreSQL refuses to run as root, so as root every server command
runs as the `postgres` user through `runuser` (and, if that user cannot enter the var dir, the
cluster goes to /tmp/kmb-pg/<hash of the var dir> instead).
"""

from __future__ import annotations

import hashlib
import os
import pwd
import shlex
import shutil
import subprocess
import tempfile
from pathlib import Path

from ._common import InfraError, port_in_use

PG_ROOT = Path("/usr/lib/postgresql")
DEFAULT_PORT = 55432
DB_USER = "kmb"
_PG_CTL_RUNNING = 0

__all__ = ["DEFAULT_PORT", "InfraError", "ensure_installed", "find_bin_dir", "start", "stop", "url"]


def url(port: int = DEFAULT_PORT) -> str:
    """SQLAlchemy async URL of the throwaway server on `port`."""
    return f"postgresql+asyncpg://{DB_USER}@127.0.0.1:{port}/postgres"


def _version_key(bin_dir: Path) -> tuple[int, ...]:
    name = bin_dir.parent.name
    return tuple(int(part) for part in name.split(".") if part.isdigit()) or (0,)


def find_bin_dir() -> Path | None:
    """The newest `/usr/lib/postgresql/<version>/bin` holding both `initdb` and `pg_ctl`."""
    found = [d for d in PG_ROOT.glob("*/bin") if (d / "initdb").is_file() and (d / "pg_ctl").is_file()]
    return max(found, key=_version_key) if found else None


def _is_root() -> bool:
    return os.geteuid() == 0


def ensure_installed() -> Path:
    """Return the server's bin folder; install Debian's `postgresql` first if missing and we are root."""
    bin_dir = find_bin_dir()
    if bin_dir is not None:
        return bin_dir
    if not _is_root():
        raise InfraError("PostgreSQL server not found: install it (sudo apt-get install -y postgresql)")
    env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
    for cmd in (["apt-get", "update"], ["apt-get", "install", "-y", "--no-install-recommends", "postgresql"]):
        result = subprocess.run(cmd, capture_output=True, text=True, env=env, check=False)
        if result.returncode != 0:
            raise InfraError(f"`{' '.join(cmd)}` failed (exit {result.returncode}): {result.stderr[-500:]}")
    bin_dir = find_bin_dir()
    if bin_dir is None:
        raise InfraError(f"apt-get installed postgresql but no initdb/pg_ctl is under {PG_ROOT}/*/bin")
    return bin_dir


def _as_server_user(cmd: list[str]) -> list[str]:
    return ["runuser", "-u", "postgres", "--", *cmd] if _is_root() else cmd


def _run(cmd: list[str], what: str) -> subprocess.CompletedProcess[str]:
    result = subprocess.run(_as_server_user(cmd), capture_output=True, text=True, check=False)
    if result.returncode != 0:
        output = (result.stderr or result.stdout).strip()[-800:]
        raise InfraError(f"PostgreSQL {what} failed (exit {result.returncode}): {output}")
    return result


def _server_user_can_enter(folder: Path) -> bool:
    return subprocess.run(_as_server_user(["test", "-x", str(folder)]), check=False).returncode == 0


def _paths(var_dir: Path, port: int) -> tuple[Path, Path]:
    """Data folder and log file: under the var dir, or (as root, if user `postgres` cannot enter the
    var dir, e.g. a clone under /root) under /tmp/kmb-pg/<hash of the var dir>."""
    var_dir = var_dir.resolve()
    base, log_dir = var_dir, var_dir / "log"
    if _is_root():
        var_dir.mkdir(parents=True, exist_ok=True)
        if not _server_user_can_enter(var_dir):
            digest = hashlib.sha256(str(var_dir).encode()).hexdigest()[:12]
            base = log_dir = Path(tempfile.gettempdir()) / "kmb-pg" / digest
    return base / f"pg-{port}", log_dir / f"postgres-{port}.log"


def _running(bin_dir: Path, data_dir: Path) -> bool:
    if not (data_dir / "PG_VERSION").is_file():
        return False
    cmd = _as_server_user([str(bin_dir / "pg_ctl"), "-D", str(data_dir), "status"])
    return subprocess.run(cmd, capture_output=True, check=False).returncode == _PG_CTL_RUNNING


def _hand_to_server_user(data_dir: Path, log_file: Path) -> None:
    """As root: give the data folder and log file to `postgres` and check it can reach them."""
    try:
        server = pwd.getpwnam("postgres")
    except KeyError as exc:
        raise InfraError("user `postgres` not found: reinstall Debian's postgresql package") from exc
    for path in (data_dir, *data_dir.rglob("*"), log_file):
        os.chown(path, server.pw_uid, server.pw_gid)
    data_dir.chmod(0o700)
    if subprocess.run(_as_server_user(["test", "-w", str(data_dir)]), check=False).returncode != 0:
        raise InfraError(f"user `postgres` cannot write to {data_dir}: make its parent folders searchable")


def start(var_dir: Path, port: int = DEFAULT_PORT, timeout: int = 60) -> str:
    """Start (or reuse) the throwaway server on 127.0.0.1:`port`, creating its cluster once; return URL."""
    bin_dir = ensure_installed()
    data_dir, log_file = _paths(var_dir, port)
    if _running(bin_dir, data_dir):
        return url(port)
    if port_in_use(port):
        raise InfraError(f"port {port} is already in use by a process not started from {var_dir}")
    if data_dir.exists() and not (data_dir / "PG_VERSION").is_file():
        shutil.rmtree(data_dir)  # a half-finished initdb: start clean
    data_dir.mkdir(parents=True, exist_ok=True)
    log_file.parent.mkdir(parents=True, exist_ok=True)
    log_file.touch()
    if _is_root():
        _hand_to_server_user(data_dir, log_file)
    if not (data_dir / "PG_VERSION").is_file():
        initdb = [str(bin_dir / "initdb"), "-D", str(data_dir), "-U", DB_USER, "--auth=trust"]
        _run([*initdb, "-E", "UTF8", "--locale=C", "--no-sync"], "initdb")
    # Throwaway server: durability settings off for speed; the socket stays inside the data folder.
    options = f"-p {port} -h 127.0.0.1 -k {shlex.quote(str(data_dir))} -c fsync=off -c synchronous_commit=off"
    pg_ctl = [str(bin_dir / "pg_ctl"), "-D", str(data_dir), "-l", str(log_file), "-w", "-t", str(timeout)]
    try:
        _run([*pg_ctl, "-o", options, "start"], "start")
    except InfraError as exc:
        raise InfraError(f"{exc}; see {log_file}") from exc
    return url(port)


def stop(var_dir: Path, port: int = DEFAULT_PORT, timeout: int = 30) -> bool:
    """Stop the server of `<var_dir>/pg-<port>` (fast shutdown); True if one was running."""
    bin_dir = find_bin_dir()
    data_dir, _ = _paths(var_dir, port)
    if bin_dir is None or not _running(bin_dir, data_dir):
        return False
    _run(
        [str(bin_dir / "pg_ctl"), "-D", str(data_dir), "-m", "fast", "-w", "-t", str(timeout), "stop"], "stop"
    )
    return True
