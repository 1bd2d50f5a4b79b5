"""Helpers shared by the Kafka and PostgreSQL launchers: paths, processes, ports."""

from __future__ import annotations

import asyncio
import concurrent.futures
import os
import socket
from collections.abc import Coroutine
from pathlib import Path
from typing import Any, TypeVar

import psutil

T = TypeVar("T")


class InfraError(RuntimeError):
    """A local infrastructure step failed; the message says what to do about it."""


def repo_root() -> Path:
    """The repository root: the nearest ancestor of this file that holds `deploy/kafka/pom.xml`."""
    override = os.environ.get("KMB_REPO_ROOT")
    if override:
        return Path(override).resolve()
    for parent in Path(__file__).resolve().parents:
        if (parent / "deploy" / "kafka" / "pom.xml").is_file():
            return parent
    for parent in [Path.cwd(), *Path.cwd().parents]:
        if (parent / "deploy" / "kafka" / "pom.xml").is_file():
            return parent
    raise InfraError("KMB repository root not found: set KMB_REPO_ROOT to the folder holding deploy/kafka")


def default_var_dir() -> Path:
    """`KMB_VAR_DIR` if set, else `<repo>/var`."""
    env = os.environ.get("KMB_VAR_DIR")
    return Path(env).resolve() if env else repo_root() / "var"


def tail(path: Path, lines: int = 20) -> str:
    """The last lines of a text file ('' if it does not exist)."""
    try:
        text = path.read_text(encoding="utf-8", errors="replace")
    except OSError:
        return ""
    return "\n".join(text.splitlines()[-lines:])


def port_in_use(port: int, host: str = "127.0.0.1") -> bool:
    """True if something already accepts connections on host:port."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.settimeout(0.5)
        return sock.connect_ex((host, port)) == 0


def read_pid(pid_file: Path) -> int | None:
    try:
        return int(pid_file.read_text().strip())
    except (OSError, ValueError):
        return None


def live_process(pid: int | None, cmdline_marker: str) -> psutil.Process | None:
    """The live process `pid` if its command line contains `cmdline_marker` (guards against reused pids)."""
    if pid is None:
        return None
    try:
        proc = psutil.Process(pid)
        if proc.status() == psutil.STATUS_ZOMBIE:
            return None
        if cmdline_marker not in " ".join(proc.cmdline()):
            return None
        return proc
    except (psutil.NoSuchProcess, psutil.AccessDenied):
        return None


def terminate(proc: psutil.Process, timeout: float) -> None:
    """SIGTERM, wait up to `timeout` seconds, then SIGKILL."""
    try:
        proc.terminate()
        proc.wait(timeout=timeout)
    except psutil.TimeoutExpired:
        proc.kill()
        proc.wait(timeout=10)
    except psutil.NoSuchProcess:
        pass


def run_sync(coro: Coroutine[Any, Any, T]) -> T:
    """Run a coroutine from sync code, also when the caller is already inside an event loop."""
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        return asyncio.run(coro)
    with concurrent.futures.ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(asyncio.run, coro).result()
