"""wrk, Debian's HTTP load generator, driven for a bounded time against a loopback server.

A Python client would take one of the machine's two cores from the servers it measures; wrk
is C on an event loop, and its Lua script (``bench/lua/requests.lua``) sends prepared
requests read from a file, cycling through them (reads) or each at most once (enrolments),
then prints its figures as one JSON line that ``run`` parses.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from bench.loadgen import HOST

SCRIPT = Path(__file__).resolve().parent / "lua" / "requests.lua"
THREADS = 1
TIMEOUT_S = 10
MARKER = "WRK_JSON "


@dataclass(frozen=True, slots=True)
class Request:
    """One request of a requests file."""

    method: str
    path: str
    body: str = ""

    def line(self) -> str:
        """The file's line: method, path and body separated by tabs."""
        return f"{self.method}\t{self.path}\t{self.body}"


@dataclass(frozen=True, slots=True)
class Load:
    """What to send: to which port, which requests, how, for how long, over how many
    connections."""

    label: str
    port: int
    requests: Sequence[Request]
    seconds: int
    connections: int
    once: bool = False
    token: str = ""
    spare_path: str = "/"
    """A harmless GET sent while a ``once`` thread that ran out of requests stops."""
    pace_ms: int = 0
    """0: a closed loop. Else each connection waits this long on average between an answer
    and its next request: an offered load of ``connections * 1000 / pace_ms`` requests per
    second at most, for latency below saturation."""


@dataclass(frozen=True, slots=True)
class Outcome:
    """wrk's figures for one load."""

    requests: int
    seconds: float
    errors: int
    error_kinds: dict[str, int]
    p50_ms: float
    p90_ms: float
    p99_ms: float
    max_ms: float
    sent: int
    """Requests written, answered or not (an answer cut off when wrk stops is not counted in
    ``requests``, but the server may have done the work)."""
    ran_out: bool
    """A ``once`` load sent every request it had before its time was up."""
    log_tail: str = ""
    """The end of the server's log, kept when there were errors."""

    @property
    def rps(self) -> float:
        """Requests per second over the whole run."""
        return self.requests / self.seconds if self.seconds else 0.0

    def figures(self) -> dict[str, float]:
        """The figures for the JSON file."""
        return {
            "requests": self.requests,
            "seconds": round(self.seconds, 3),
            "rps": round(self.rps, 1),
            "p50_ms": round(self.p50_ms, 3),
            "p90_ms": round(self.p90_ms, 3),
            "p99_ms": round(self.p99_ms, 3),
            "max_ms": round(self.max_ms, 3),
            "errors": self.errors,
        }


def missing() -> str | None:
    """Why wrk cannot run here, or None."""
    if shutil.which("wrk") is None:
        return "wrk is not installed (Debian package wrk; .ci/system-packages installs it)"
    return None


def run(load: Load, workdir: Path) -> Outcome:
    """Drive ``load`` with wrk for its bounded time; raise RuntimeError if wrk fails."""
    requests_file = workdir / f"requests-{os.getpid()}-{load.port}-{len(load.requests)}.tsv"
    requests_file.write_text("\n".join(r.line() for r in load.requests) + "\n", encoding="utf-8")
    command = [
        "wrk",
        f"--threads={THREADS}",
        f"--connections={load.connections}",
        f"--duration={load.seconds}s",
        f"--timeout={TIMEOUT_S}s",
        f"--script={SCRIPT}",
        f"http://{HOST}:{load.port}/",
        "--",
        str(requests_file),
        "once" if load.once else "cycle",
        str(THREADS),
        load.token,
        load.spare_path,
        str(load.pace_ms),
    ]
    done = subprocess.run(
        command,
        capture_output=True,
        text=True,
        timeout=load.seconds + 3 * TIMEOUT_S,
        stdin=subprocess.DEVNULL,
    )
    requests_file.unlink()
    lines = [line for line in done.stdout.splitlines() if line.startswith(MARKER)]
    if done.returncode != 0 or not lines:
        raise RuntimeError(
            f"wrk failed on {load.label} ({done.returncode}):\n{done.stdout}{done.stderr}"
        )
    return parse(lines[-1][len(MARKER) :], load)


def parse(text: str, load: Load) -> Outcome:
    """The outcome from the script's JSON line."""
    raw = json.loads(text)
    kinds = {kind: int(raw[kind]) for kind in ("connect", "read", "write", "status", "timeout")}
    return Outcome(
        requests=int(raw["requests"]),
        seconds=raw["duration_us"] / 1e6,
        errors=sum(kinds.values()),
        error_kinds=kinds,
        p50_ms=raw["p50_us"] / 1000,
        p90_ms=raw["p90_us"] / 1000,
        p99_ms=raw["p99_us"] / 1000,
        max_ms=raw["max_us"] / 1000,
        sent=int(raw["sent"]),
        ran_out=bool(raw["ran_out"]),
    )
