"""The five services as separate local processes: start, wait until ready, stop, report status."""

from __future__ import annotations

import importlib
import os
import subprocess
import sys
import time
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx

from kmb_shared.settings import ServiceSettings

from .infra._common import InfraError, live_process, read_pid, tail, terminate

SERVICES = ("intake", "assessment", "catalogue", "referrals", "stats")
MARKER = "kmb_cli.serve"


def settings_class(name: str) -> type[ServiceSettings]:
    module = importlib.import_module(f"kmb_{name}.config")
    cls = getattr(module, f"{name.capitalize()}Settings")
    assert issubclass(cls, ServiceSettings)
    return cls


def build_app(name: str, settings: ServiceSettings | None = None) -> Any:
    module = importlib.import_module(f"kmb_{name}.bootstrap")
    return module.build_app(settings)


def serve(name: str) -> None:
    """Run one service in this process (what each child process of `kmb up` does)."""
    import uvicorn

    settings = settings_class(name)()
    app = build_app(name, settings)
    # proxy_headers off: uvicorn would otherwise take X-Forwarded-For from 127.0.0.1 as the client; intake
    # reads forwarded headers itself, only from KMB_TRUSTED_PROXIES (entrypoints/security.py).
    uvicorn.run(
        app, host=settings.host, port=settings.port, log_level="info", access_log=False, proxy_headers=False
    )


@dataclass(frozen=True)
class ServiceProcess:
    name: str
    pid: int
    url: str
    log_file: Path


def _pid_file(var_dir: Path, name: str) -> Path:
    return var_dir / "run" / f"{name}.pid"


def url_of(name: str, env: Mapping[str, str] | None = None) -> str:
    """The service's address from its settings (the ``KMB_`` variables of this process, or ``env``)."""
    settings = settings_class(name)()
    port = (env or {}).get(f"KMB_{name.upper()}_PORT") or settings.port
    return f"http://{settings.host}:{port}"


def start_services(
    var_dir: Path, names: tuple[str, ...] = SERVICES, env: Mapping[str, str] | None = None
) -> list[ServiceProcess]:
    """Start each service as its own process with this process's environment plus ``env`` (logs under
    var/log, pid files under var/run)."""
    (var_dir / "log").mkdir(parents=True, exist_ok=True)
    (var_dir / "run").mkdir(parents=True, exist_ok=True)
    started = []
    for name in names:
        pid_file = _pid_file(var_dir, name)
        log_file = var_dir / "log" / f"{name}.log"
        existing = live_process(read_pid(pid_file), f"{MARKER} {name}")
        if existing is not None:
            started.append(ServiceProcess(name, existing.pid, url_of(name, env), log_file))
            continue
        with log_file.open("ab") as log:
            proc = subprocess.Popen(
                [sys.executable, "-m", "kmb_cli.serve", name],
                env={**os.environ, **(env or {})},
                stdout=log,
                stderr=subprocess.STDOUT,
                stdin=subprocess.DEVNULL,
                start_new_session=True,
            )
        pid_file.write_text(str(proc.pid))
        started.append(ServiceProcess(name, proc.pid, url_of(name, env), log_file))
    return started


def wait_ready(processes: list[ServiceProcess], timeout: float = 90.0) -> None:
    deadline = time.monotonic() + timeout
    pending = {p.name: p for p in processes}
    while pending and time.monotonic() < deadline:
        for name, proc in list(pending.items()):
            if live_process(proc.pid, MARKER) is None:
                raise InfraError(
                    f"{name} exited while starting; last lines of {proc.log_file}:\n{tail(proc.log_file)}"
                )
            try:
                if httpx.get(f"{proc.url}/readyz", timeout=2.0).status_code == 200:
                    del pending[name]
            except httpx.HTTPError:
                pass
        time.sleep(0.3)
    if pending:
        names = ", ".join(pending)
        logs = "\n".join(f"--- {p.log_file}\n{tail(p.log_file)}" for p in pending.values())
        raise InfraError(f"not ready within {timeout:.0f} s: {names}\n{logs}")


def stop_services(var_dir: Path, names: tuple[str, ...] = SERVICES, timeout: float = 20.0) -> list[str]:
    stopped = []
    for name in reversed(names):
        pid_file = _pid_file(var_dir, name)
        proc = live_process(read_pid(pid_file), f"{MARKER} {name}")
        if proc is not None:
            terminate(proc, timeout)
            stopped.append(name)
        pid_file.unlink(missing_ok=True)
    return stopped


def service_status(var_dir: Path, name: str) -> dict[str, Any]:
    proc = live_process(read_pid(_pid_file(var_dir, name)), f"{MARKER} {name}")
    url = url_of(name)
    status: dict[str, Any] = {
        "service": name,
        "url": url,
        "pid": proc.pid if proc else None,
        "up": False,
        "ready": False,
    }
    try:
        status["up"] = httpx.get(f"{url}/healthz", timeout=2.0).status_code == 200
        status["ready"] = httpx.get(f"{url}/readyz", timeout=3.0).status_code == 200
    except httpx.HTTPError:
        pass
    return status
