"""uvicorn subprocesses on loopback: started, pinned to a CPU, polled till ready, always stopped."""

from __future__ import annotations

import contextlib
import ctypes
import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path

import httpx

from bench.loadgen import HOST
from bench.results import PROJECT_ROOT

STOP_SECONDS = 10.0
PR_SET_PDEATHSIG = 1


@dataclass(frozen=True, slots=True)
class Server:
    """A running uvicorn: its port, process and log file."""

    label: str
    port: int
    process: subprocess.Popen[bytes]
    log_path: Path

    def url(self, path: str) -> str:
        """The loopback URL of ``path`` on this server."""
        return f"http://{HOST}:{self.port}{path}"

    def log_tail(self, lines: int = 20) -> str:
        """The end of the server's output, for error messages."""
        try:
            text = self.log_path.read_text(encoding="utf-8", errors="replace")
        except OSError:
            return ""
        return "\n".join(text.splitlines()[-lines:])


def _die_with_parent() -> None:
    """In the child, before exec: ask Linux to SIGTERM it if the benchmark process dies."""
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(PR_SET_PDEATHSIG, signal.SIGTERM)
    except (OSError, AttributeError):
        pass


def free_port() -> int:
    """A TCP port free on loopback now (the OS picks it)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind((HOST, 0))
        return int(probe.getsockname()[1])


def pin(pid: int, cpus: set[int] | None) -> None:
    """Restrict ``pid`` (0: this process) to ``cpus`` when the platform allows it."""
    if cpus and hasattr(os, "sched_setaffinity"):
        os.sched_setaffinity(pid, cpus)


@contextlib.contextmanager
def uvicorn(
    label: str,
    app: str,
    *,
    env: Mapping[str, str],
    log_path: Path,
    factory: bool = False,
    cpus: set[int] | None = None,
    workers: int = 1,
) -> Iterator[Server]:
    """Serve ``app`` with uvicorn on a free loopback port; stop it on exit.

    Every server gets the flags of ``essaim serve``: no access log, ``workers`` processes
    (one by default).
    """
    port = free_port()
    command = [
        sys.executable,
        "-m",
        "uvicorn",
        app,
        "--host",
        HOST,
        "--port",
        str(port),
        "--workers",
        str(workers),
        "--no-access-log",
        "--log-level",
        "warning",
        "--timeout-keep-alive",
        "120",
    ]
    if factory:
        command.append("--factory")
    with started(label, port, command, env=env, log_path=log_path, cpus=cpus) as server:
        yield server


@contextlib.contextmanager
def essaim_serve(
    label: str, *, env: Mapping[str, str], log_path: Path, workers: int
) -> Iterator[Server]:
    """``essaim serve`` itself (checks, migrations, uvicorn with ``workers`` processes) on a
    free loopback port; stopped on exit."""
    port = free_port()
    command = [
        str(Path(sys.executable).with_name("essaim")),
        "serve",
        "--host",
        HOST,
        "--port",
        str(port),
        "--workers",
        str(workers),
    ]
    with started(label, port, command, env=env, log_path=log_path) as server:
        yield server


@contextlib.contextmanager
def started(
    label: str,
    port: int,
    command: list[str],
    *,
    env: Mapping[str, str],
    log_path: Path,
    cpus: set[int] | None = None,
) -> Iterator[Server]:
    """Run ``command`` (a server listening on ``port``) for the block, then stop it.

    The server runs in its own session (a Ctrl-C reaches the benchmark, whose ``finally``
    stops it) and, on Linux, receives SIGTERM if the benchmark process dies abruptly.
    """
    with log_path.open("wb") as log:
        process = subprocess.Popen(
            command,
            cwd=PROJECT_ROOT,
            env=dict(env),
            stdin=subprocess.DEVNULL,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
            preexec_fn=_die_with_parent if sys.platform == "linux" else None,
        )
        try:
            pin(process.pid, cpus)
            yield Server(label=label, port=port, process=process, log_path=log_path)
        finally:
            stop(process)


def stop(process: subprocess.Popen[bytes]) -> None:
    """SIGTERM, then SIGKILL to its whole session (uvicorn's workers included) if it has not
    exited within ``STOP_SECONDS``."""
    if process.poll() is not None:
        return
    process.terminate()
    try:
        process.wait(timeout=STOP_SECONDS)
    except subprocess.TimeoutExpired:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGKILL)
        process.wait(timeout=STOP_SECONDS)


def wait_ready(server: Server, path: str, deadline_s: float, attempts: int = 1000) -> float:
    """Poll ``path`` until it answers 200; return the seconds waited.

    Raises RuntimeError, with the server's output, if it exits or the deadline passes.
    """
    started = time.perf_counter()
    last = "no answer"
    with httpx.Client(timeout=2.0) as client:
        for _ in range(attempts):
            if server.process.poll() is not None:
                raise RuntimeError(
                    f"{server.label} exited with {server.process.returncode}:\n{server.log_tail()}"
                )
            try:
                response = client.get(server.url(path))
                if response.status_code == 200:
                    return time.perf_counter() - started
                last = f"status {response.status_code}"
            except httpx.TransportError as exc:
                last = type(exc).__name__
            if time.perf_counter() - started > deadline_s:
                break
            time.sleep(0.1)
    raise RuntimeError(
        f"{server.label} not ready on {path} after {deadline_s:.0f} s ({last}):\n"
        f"{server.log_tail()}"
    )
