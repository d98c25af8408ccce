"""http_api: Essaim's endpoints over real HTTP on loopback, against a bare Litestar endpoint.

Essaim (``core.app:create_app``, SQLite filled by ``essaim demo``) and ``bench.bare_app`` each
run in one uvicorn worker pinned to CPU 0; the load generator runs here, pinned to CPU 1, with
a few keep-alive connections. Endpoints are driven in interleaved slices (round-robin, order
rotated each round) so that a noisy neighbour slows every endpoint alike, not one of them.
Ratio: Essaim requests/s divided by the bare endpoint's requests/s from the same run.
"""

from __future__ import annotations

import asyncio
import contextlib
import importlib.util
import os
import subprocess
import sys
import tempfile
import time
from dataclasses import asdict, dataclass
from pathlib import Path

import httpx

from bench import servers
from bench.bare_app import PATH as BARE_PATH
from bench.loadgen import Driver, Endpoint, Sample
from bench.results import PROJECT_ROOT, BenchResult, Case, fmt

NAME = "http_api"
READY_SECONDS = 60.0
DEMO_SECONDS = 180.0
MANAGER = "responsable.paris@example.org"
SITE = "paris"


@dataclass(frozen=True, slots=True)
class Params:
    """How hard and how long each endpoint is driven."""

    connections: int
    rounds: int
    slice_seconds: float
    slice_requests: int
    warmup_seconds: float
    warmup_requests: int


SIZES = {
    "quick": Params(4, rounds=5, slice_seconds=0.4, slice_requests=2_000, warmup_seconds=0.25,
                    warmup_requests=300),
    "full": Params(4, rounds=12, slice_seconds=1.0, slice_requests=10_000, warmup_seconds=1.0,
                   warmup_requests=1_000),
}  # fmt: skip


@dataclass(frozen=True, slots=True)
class Target:
    """An endpoint and what it costs Essaim, for the table."""

    endpoint: Endpoint
    work: str


def run(size: str) -> BenchResult:
    """Start both servers, drive every endpoint, stop the servers, return the figures."""
    params = SIZES[size]
    two_cpus = (os.cpu_count() or 1) >= 2
    server_cpus, client_cpus = ({0}, {1}) if two_cpus else (None, None)
    started = time.perf_counter()
    with (
        tempfile.TemporaryDirectory(prefix="essaim-bench-http-") as tmp,
        contextlib.ExitStack() as stack,
    ):
        root = Path(tmp)
        env = _environment(root)
        bare = stack.enter_context(
            servers.uvicorn(
                "bare Litestar",
                "bench.bare_app:create_app",
                factory=True,
                env=env,
                log_path=root / "bare.log",
                cpus=server_cpus,
            )
        )
        _demo(env)
        essaim = stack.enter_context(
            servers.uvicorn(
                "Essaim",
                "core.app:create_app",
                factory=True,
                env=env,
                log_path=root / "essaim.log",
                cpus=server_cpus,
            )
        )
        servers.wait_ready(bare, BARE_PATH, READY_SECONDS)
        servers.wait_ready(essaim, "/health", READY_SECONDS)
        token, visible = _api_token(essaim)
        baseline = Target(Endpoint(f"bare GET {BARE_PATH}", bare.port, BARE_PATH), "constant list")
        targets = [
            Target(Endpoint("GET /health", essaim.port, "/health"), "1 query"),
            Target(Endpoint("GET /api/v1/sites", essaim.port, "/api/v1/sites"), "no database"),
            Target(
                Endpoint(
                    f"GET /api/v1/cohorts?site={SITE} (token)",
                    essaim.port,
                    f"/api/v1/cohorts?site={SITE}",
                    (("Authorization", f"Bearer {token}"),),
                ),
                "token lookup + scoped list",
            ),
        ]
        before = os.sched_getaffinity(0) if hasattr(os, "sched_getaffinity") else None
        setup_s = time.perf_counter() - started
        servers.pin(0, client_cpus)
        try:
            samples = asyncio.run(_drive([baseline, *targets], params))
        finally:
            servers.pin(0, before)
    result = _result(size, params, baseline, targets, samples, server_cpus, client_cpus, visible)
    result.parameters["setup_s"] = round(setup_s, 2)
    return result


def _environment(root: Path) -> dict[str, str]:
    """Essaim on a fresh SQLite file under ``root``, logging as in production (JSON, info)."""
    env = dict(os.environ)
    env.pop("ESSAIM_DATABASE_URL", None)
    env.update(
        ESSAIM_VAR_DIR=str(root / "var"),
        ESSAIM_LOG_FORMAT="json",
        ESSAIM_LOG_LEVEL="info",
    )
    return env


def _demo(env: dict[str, str]) -> None:
    """``essaim demo``: migrate and fill the database; raises with its output if it fails."""
    command = [sys.executable, "-c", "from core.cli import main; main()", "demo"]
    done = subprocess.run(
        command,
        cwd=PROJECT_ROOT,
        env={**env, "ESSAIM_LOG_LEVEL": "warning"},
        stdin=subprocess.DEVNULL,
        capture_output=True,
        text=True,
        timeout=DEMO_SECONDS,
    )
    if done.returncode != 0:
        raise RuntimeError(f"essaim demo failed ({done.returncode}):\n{done.stdout}{done.stderr}")


def _api_token(essaim: servers.Server) -> tuple[str, int]:
    """Log in as a site manager, issue an API token; return it and the cohorts it sees."""
    from core.demo import DEMO_PASSWORD

    with httpx.Client(base_url=essaim.url(""), timeout=10.0) as client:
        login = client.post(
            "/api/v1/auth/login", json={"email": MANAGER, "password": DEMO_PASSWORD}
        )
        login.raise_for_status()
        # An API write on the session cookie needs the form token the sign-in page sets.
        client.get("/connexion").raise_for_status()
        issued = client.post(
            "/api/v1/auth/tokens",
            json={"label": "bench"},
            headers={"X-CSRFToken": client.cookies["essaim_csrf"]},
        )
        issued.raise_for_status()
        token = str(issued.json()["token"])
        client.cookies.clear()
        page = client.get(
            "/api/v1/cohorts",
            params={"site": SITE},
            headers={"Authorization": f"Bearer {token}"},
        )
        page.raise_for_status()
        return token, int(page.json()["total"])


async def _drive(targets: list[Target], params: Params) -> dict[str, Sample]:
    """Warm every endpoint up, then drive them round-robin, rotating the order each round."""
    drivers = [Driver(target.endpoint, params.connections) for target in targets]
    samples = {driver.endpoint.label: Sample() for driver in drivers}
    try:
        for driver in drivers:
            await driver.run_slice(params.warmup_requests, params.warmup_seconds, None)
        for round_ in range(params.rounds):
            shift = round_ % len(drivers)
            for driver in drivers[shift:] + drivers[:shift]:
                sample = samples[driver.endpoint.label]
                await driver.run_slice(params.slice_requests, params.slice_seconds, sample)
    finally:
        for driver in drivers:
            driver.close()
    return samples


def _result(
    size: str,
    params: Params,
    baseline: Target,
    targets: list[Target],
    samples: dict[str, Sample],
    server_cpus: set[int] | None,
    client_cpus: set[int] | None,
    visible: int,
) -> BenchResult:
    base = samples[baseline.endpoint.label].figures()
    cases = []
    rows = [[baseline.endpoint.label, baseline.work, *_cells(base), "1.000"]]
    for target in targets:
        figures = samples[target.endpoint.label].figures()
        ratio = round(figures["rps"] / base["rps"], 4) if base["rps"] else None
        cases.append(Case(target.endpoint.label, figures, baseline.endpoint.label, base, ratio))
        rows.append([target.endpoint.label, target.work, *_cells(figures), fmt(ratio, 3)])
    http = "httptools" if importlib.util.find_spec("httptools") else "h11"
    loop = "uvloop" if importlib.util.find_spec("uvloop") else "asyncio"
    return BenchResult(
        name=NAME,
        size=size,
        ratio_definition="Essaim requests/s / bare Litestar requests/s",
        cases=cases,
        headers=["endpoint", "work", "requests", "req/s", "p50 ms", "p95 ms", "ratio"],
        rows=rows,
        parameters={
            **asdict(params),
            "server": f"uvicorn, 1 worker, {http}, {loop} loop, no access log",
            "client": "bench.loadgen (asyncio streams, HTTP/1.1 keep-alive)",
            "server_cpus": sorted(server_cpus) if server_cpus else None,
            "client_cpus": sorted(client_cpus) if client_cpus else None,
            "essaim_database": "SQLite (essaim demo in a temporary ESSAIM_VAR_DIR)",
            "essaim_logging": "json, info: one log line a request",
            "cohorts_visible_to_token": visible,
        },
        notes=[
            f"server pinned to CPU {sorted(server_cpus)}, client to CPU {sorted(client_cpus)}"
            if server_cpus and client_cpus
            else "one CPU: server and client share it, ratios still compare like with like",
        ],
    )


def _cells(figures: dict[str, float]) -> list[str]:
    return [
        f"{int(figures['requests']):,}",
        fmt(figures["rps"], 0),
        fmt(figures["p50_ms"]),
        fmt(figures["p95_ms"]),
    ]
