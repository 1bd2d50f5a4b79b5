"""The five services as separate processes on the real broker, for the end-to-end and browser suites.

Every service listens on 127.0.0.1 with a free port and a fresh topic namespace; all share the test
secret, so one sign-in (and ``kmb_testkit.fixtures.bearer`` tokens) is valid on all five.
"""

from __future__ import annotations

import asyncio
import socket
import time
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from kmb_cli import services as svc
from kmb_shared.messaging import Topics
from kmb_shared.messaging.admin import delete_topics_with_prefix, ensure_topics
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

    def log(self, name: str) -> str:
        """What the service wrote: its output (console spans) and its log."""
        files = [self.var_dir / "log" / f"{name}.out", self.var_dir / "log" / f"{name}.log"]
        return "".join(f.read_text(errors="replace") for f in files if f.exists())

    def restart(self, name: str) -> None:
        svc.wait_ready(svc.start_services(self.var_dir, (name,), env=self.env))


@contextmanager
def running_system(bootstrap: str, var_dir: Path, prefix_stem: str) -> Iterator[System]:
    """Start the five services (console span exporter, fast relay), yield them, stop them and delete
    their topics."""
    prefix = f"{prefix_stem}{uuid.uuid4().hex[:8]}."
    topics = Topics(prefix)
    asyncio.run(ensure_topics(bootstrap, topics.core))
    env = {
        "KMB_KAFKA_BOOTSTRAP": bootstrap,
        "KMB_TOPIC_PREFIX": prefix,
        "KMB_VAR_DIR": str(var_dir),
        "KMB_OTEL_EXPORTER": "console",
        "KMB_RELAY_INTERVAL_S": "0.2",
        "KMB_SECRET_KEY": TEST_SECRET,
    }
    for name in svc.SERVICES:
        env[f"KMB_{name.upper()}_PORT"] = str(free_port())
    env["KMB_REFERRALS_INTAKE_URL"] = f"http://127.0.0.1:{env['KMB_INTAKE_PORT']}"
    processes = svc.start_services(var_dir, env=env)
    try:
        svc.wait_ready(processes, timeout=120)
        urls = {name: f"http://127.0.0.1:{env[f'KMB_{name.upper()}_PORT']}" for name in svc.SERVICES}
        yield System(var_dir, env, urls, topics, bootstrap)
    finally:
        svc.stop_services(var_dir)
        asyncio.run(delete_topics_with_prefix(bootstrap, prefix))
