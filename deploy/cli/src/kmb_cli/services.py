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


#: where a service process logs (set by `kmb up` for each child), and how the file is rotated
LOG_FILE_ENV, LOG_MAX_MB_ENV, LOG_BACKUPS_ENV = "KMB_LOG_FILE", "KMB_LOG_MAX_MB", "KMB_LOG_BACKUPS"
LOG_FORMAT = "%(asctime)s %(levelname)s %(name)s: %(message)s"
#: ``json`` for one JSON object a line (kmb_shared.logs), ``plain`` (the default) for text
LOG_FORMAT_ENV = "KMB_LOG_FORMAT"


def log_config(env: Mapping[str, str] | None = None, service: str = "") -> dict[str, Any]:
    """The logging of a service process: everything (its own loggers, uvicorn's, aiokafka's) at INFO to
    ``KMB_LOG_FILE``, rotated at ``KMB_LOG_MAX_MB`` (10) MB keeping ``KMB_LOG_BACKUPS`` (5) old files, so a
    long broker outage that logs a reconnect every few seconds cannot fill the disk; without a file, to
    stderr. ``KMB_LOG_FORMAT=json`` writes each line as JSON with time, level, logger, message, the
    ``service`` and the current trace id (:mod:`kmb_shared.logs`)."""
    env = os.environ if env is None else env
    target = env.get(LOG_FILE_ENV)
    formatter = env.get(LOG_FORMAT_ENV, "plain").strip().lower() or "plain"
    if formatter not in ("plain", "json"):
        raise ValueError(f"{LOG_FORMAT_ENV} must be plain or json, not {formatter!r}")
    handler: dict[str, Any] = {
        "class": "logging.StreamHandler",
        "formatter": formatter,
        "stream": "ext://sys.stderr",
    }
    if target:
        handler = {
            "class": "logging.handlers.RotatingFileHandler",
            "formatter": formatter,
            "filename": target,
            "maxBytes": int(float(env.get(LOG_MAX_MB_ENV, "10")) * 1024 * 1024),
            "backupCount": int(env.get(LOG_BACKUPS_ENV, "5")),
            "encoding": "utf-8",
        }
    quiet = {"handlers": ["main"], "level": "INFO", "propagate": False}
    return {
        "version": 1,
        "disable_existing_loggers": False,
        "formatters": {
            "plain": {"format": LOG_FORMAT},
            "json": {"()": "kmb_shared.logs.ServiceJsonFormatter", "service": service},
        },
        "handlers": {"main": handler},
        "root": {"handlers": ["main"], "level": "INFO"},
        "loggers": {"uvicorn": quiet, "uvicorn.error": {"level": "INFO"}, "uvicorn.access": quiet},
    }


def serve(name: str) -> None:
    """Run one service in this process (what each child process of `kmb up` does)."""
    import uvicorn

    settings = settings_class(name)()
    app = build_app(name, settings)
    # proxy_headers off: uvicorn would otherwise take X-Forwarded-For from 127.0.0.1 as the client; intake
    # reads forwarded headers itself, only from KMB_TRUSTED_PROXIES (entrypoints/security.py).
    uvicorn.run(
        app,
        host=settings.host,
        port=settings.port,
        log_level="info",
        log_config=log_config(service=name),
        access_log=False,
        proxy_headers=False,
    )


@dataclass(frozen=True)
class ServiceProcess:
    name: str
    pid: int
    url: str
    #: the service's log (rotated); what it writes outside logging (a crash at start) is in ``out_file``
    log_file: Path

    @property
    def out_file(self) -> Path:
        return self.log_file.with_suffix(".out")

    def last_lines(self) -> str:
        return "\n".join(f"--- {f}\n{tail(f)}" for f in (self.out_file, self.log_file) if f.exists())


def _pid_file(var_dir: Path, name: str) -> Path:
    return var_dir / "run" / f"{name}.pid"


def url_of(name: str, env: Mapping[str, str] | None = None) -> str:
    """The service's address from its settings (the ``KMB_`` variables of this process, or ``env``)."""
    settings = settings_class(name)()
    port = (env or {}).get(f"KMB_{name.upper()}_PORT") or settings.port
    return f"http://{settings.host}:{port}"


def start_services(
    var_dir: Path,
    names: tuple[str, ...] = SERVICES,
    env: Mapping[str, str] | None = None,
    per_service: Mapping[str, Mapping[str, str]] | None = None,
) -> list[ServiceProcess]:
    """Start each service as its own process with this process's environment plus ``env`` and its own
    part of ``per_service`` (e.g. its Kafka credentials; logs under var/log, pid files under var/run)."""
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
        with log_file.with_suffix(".out").open("ab") as out:
            proc = subprocess.Popen(
                [sys.executable, "-m", "kmb_cli.serve", name],
                env={
                    **os.environ,
                    LOG_FILE_ENV: str(log_file),
                    **(env or {}),
                    **(per_service or {}).get(name, {}),
                },
                stdout=out,
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
                raise InfraError(f"{name} exited while starting; last lines of its log:\n{proc.last_lines()}")
            try:
                if httpx.get(f"{proc.url}/readyz", timeout=2.0).status_code == 200:
                    del pending[name]
            except httpx.HTTPError:
                pass
        time.sleep(0.3)
    if pending:
        names = ", ".join(pending)
        logs = "\n".join(p.last_lines() for p in pending.values())
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
        ready = httpx.get(f"{url}/readyz", timeout=3.0)
        status["ready"] = ready.status_code == 200
        status["kafka"] = ready.json().get("checks", {}).get("kafka")
    except (httpx.HTTPError, ValueError, AttributeError):
        pass
    return status
