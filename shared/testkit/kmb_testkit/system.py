"""The five services as separate processes on the real broker, for the end-to-end and browser suites.

Every service listens on 127.0.0.1 with a free port and a fresh topic namespace; all share the test
secret, so one sign-in (and ``kmb_testkit.fixtures.bearer`` tokens) is valid on all five. The fault tests
start a second copy of some services (``copies``): another process on another port with the same
settings otherwise (database, consumer group), its pid file and logs under ``<var_dir>/copy2``.
"""

from __future__ import annotations

import asyncio
import os
import signal
import socket
import time
import uuid
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from kmb_cli import services as svc
from kmb_shared.messaging import Topics
from kmb_shared.messaging.admin import delete_topics_with_prefix, ensure_topics
from kmb_shared.messaging.security import KafkaCredentials
from kmb_testkit.fixtures import TEST_SECRET

#: How long to wait for something that must happen eventually: polls return as soon as it happens, so a
#: generous bound costs nothing when it passes and keeps a busy CI machine from failing them by chance.
PATIENCE_S = 120.0


def poll(
    fetch: Callable[[], Any], ok: Callable[[Any], bool], timeout: float = PATIENCE_S, what: str = ""
) -> Any:
    """``fetch()`` every 0.2 s until ``ok`` of its value; AssertionError naming ``what`` and the last
    value after ``timeout`` seconds."""
    deadline = time.monotonic() + timeout
    last = None
    while time.monotonic() < deadline:
        last = fetch()
        if ok(last):
            return last
        time.sleep(0.2)
    raise AssertionError(f"{what or 'condition'} not reached within {timeout:.0f} s; last value: {last!r}")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@dataclass
class System:
    var_dir: Path
    env: dict[str, str]
    urls: dict[str, str]
    topics: Topics
    bootstrap: str
    #: every copy's address of each service, the first copy's (``urls``) first
    addresses: dict[str, list[str]] = field(default_factory=dict)

    def log(self, name: str, copy: int = 1) -> str:
        """What the service (that copy) wrote: its output (console spans) and its log."""
        logs = self.copy_dir(copy) / "log"
        files = [logs / f"{name}.out", logs / f"{name}.log"]
        return "".join(f.read_text(errors="replace") for f in files if f.exists())

    def copy_dir(self, copy: int) -> Path:
        """Where copy ``copy`` (1-based) of a service keeps its pid file and logs."""
        return self.var_dir if copy == 1 else self.var_dir / f"copy{copy}"

    def copy_env(self, name: str, copy: int) -> dict[str, str]:
        port = self.addresses.get(name, [self.urls[name]])[copy - 1].rsplit(":", 1)[1]
        return {**self.env, f"KMB_{name.upper()}_PORT": port}

    def kill(self, name: str, copy: int = 1, timeout: float = 30.0) -> None:
        """kill -9 that copy of the service and wait until its process is gone."""
        import psutil

        from kmb_cli.infra._common import live_process, read_pid

        proc = live_process(read_pid(self.copy_dir(copy) / "run" / f"{name}.pid"), f"{svc.MARKER} {name}")
        assert proc is not None, f"copy {copy} of {name} is not running"
        os.kill(proc.pid, signal.SIGKILL)
        try:
            proc.wait(timeout)
        except psutil.NoSuchProcess:
            pass

    def restart(self, name: str, copy: int = 1) -> None:
        """Start that copy of the service (unless it runs) and wait until it is ready."""
        env = self.copy_env(name, copy)
        svc.wait_ready(svc.start_services(self.copy_dir(copy), (name,), env=env), timeout=PATIENCE_S)


@contextmanager
def running_system(
    bootstrap: str,
    var_dir: Path,
    prefix_stem: str,
    env: Mapping[str, str] | None = None,
    copies: tuple[str, ...] = (),
    principals: Callable[[Topics], Mapping[str, Mapping[str, str]]] | None = None,
    security: KafkaCredentials | None = None,
) -> Iterator[System]:
    """Start the five services (console span exporter, fast relay; ``env`` adds or overrides variables,
    e.g. each service's ``KMB_<NAME>_DATABASE_URL``), then a second copy of each of ``copies`` once the
    first copies are ready (so only one runs the migrations); yield them, stop them and delete their
    topics. On a SASL broker, ``security`` creates and deletes the topics (the admin) and ``principals``
    makes each service's principal and ACLs for the run's topics, returning its ``KMB_KAFKA_*``."""
    prefix = f"{prefix_stem}{uuid.uuid4().hex[:8]}."
    topics = Topics(prefix)
    asyncio.run(ensure_topics(bootstrap, topics.core, security=security))
    settings = {
        "KMB_KAFKA_BOOTSTRAP": bootstrap,
        "KMB_TOPIC_PREFIX": prefix,
        "KMB_VAR_DIR": str(var_dir),
        "KMB_OTEL_EXPORTER": "console",
        "KMB_RELAY_INTERVAL_S": "0.2",
        "KMB_SECRET_KEY": TEST_SECRET,
        **(env or {}),
    }
    for name in svc.SERVICES:
        settings[f"KMB_{name.upper()}_PORT"] = str(free_port())
    settings["KMB_REFERRALS_INTAKE_URL"] = f"http://127.0.0.1:{settings['KMB_INTAKE_PORT']}"
    urls = {name: f"http://127.0.0.1:{settings[f'KMB_{name.upper()}_PORT']}" for name in svc.SERVICES}
    addresses = {
        name: [url] + ([f"http://127.0.0.1:{free_port()}"] if name in copies else [])
        for name, url in urls.items()
    }
    system = System(var_dir, settings, urls, topics, bootstrap, addresses)
    per_service = principals(topics) if principals else None
    processes = svc.start_services(var_dir, env=settings, per_service=per_service)
    try:
        svc.wait_ready(processes, timeout=PATIENCE_S)
        seconds = [
            svc.start_services(system.copy_dir(2), (name,), env=system.copy_env(name, 2)) for name in copies
        ]
        svc.wait_ready([p for started in seconds for p in started], timeout=PATIENCE_S)
        yield system
    finally:
        svc.stop_services(var_dir)
        if copies:
            svc.stop_services(system.copy_dir(2))
        asyncio.run(delete_topics_with_prefix(bootstrap, prefix, security=security))
