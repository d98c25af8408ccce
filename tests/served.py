"""Essaim under uvicorn in a subprocess on loopback, for tests that need real HTTP, several
worker processes or signals: started on a free port, always ended with its process group."""

from __future__ import annotations

import asyncio
import contextlib
import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest

from tests.conftest import TEST_SITES

ROOT = Path(__file__).resolve().parents[1]
START_DEADLINE_S = 60.0


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@dataclass(frozen=True)
class Served:
    """A running server: its address and its process (the group leader)."""

    base: str
    process: subprocess.Popen[bytes]


@contextlib.contextmanager
def uvicorn(database_url: str, var_dir: Path, log_path: Path) -> Iterator[Served]:
    """Essaim under uvicorn with 2 workers on loopback; its process group is always ended."""
    port = free_port()
    env = os.environ | {
        "ESSAIM_DATABASE_URL": database_url,
        "ESSAIM_SITES_DIR": str(TEST_SITES),
        "ESSAIM_VAR_DIR": str(var_dir),
        "ESSAIM_LOG_LEVEL": "warning",
    }
    command = [
        sys.executable,
        "-m",
        "uvicorn",
        "tests.enrolment:served_app",
        "--factory",
        "--host",
        "127.0.0.1",
        "--port",
        str(port),
        "--workers",
        "2",
        "--no-access-log",
        "--log-level",
        "warning",
    ]
    with log_path.open("wb") as log:
        process = subprocess.Popen(
            command,
            cwd=ROOT,
            env=env,
            stdin=subprocess.DEVNULL,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        try:
            yield Served(base=f"http://127.0.0.1:{port}", process=process)
        finally:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(process.pid, signal.SIGTERM)
            try:
                process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                with contextlib.suppress(ProcessLookupError):
                    os.killpg(process.pid, signal.SIGKILL)
                process.wait(timeout=15)


def tail(log_path: Path) -> str:
    return log_path.read_text(errors="replace")[-2000:]


async def wait_ready(base: str, log_path: Path) -> None:
    started = time.monotonic()
    async with httpx.AsyncClient(base_url=base, timeout=2.0) as probe:
        while time.monotonic() - started < START_DEADLINE_S:
            with contextlib.suppress(httpx.TransportError):
                if (await probe.get("/health")).status_code == 200:
                    return
            await asyncio.sleep(0.2)
    pytest.fail(f"uvicorn not ready after {START_DEADLINE_S} s:\n{tail(log_path)}")
