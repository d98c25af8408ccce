"""api: Essaim under load on PostgreSQL, against the same SQL on the raw driver and a bare
JSON endpoint, driven by wrk on loopback.

``essaim serve`` runs with ``WORKERS`` uvicorn workers on a fresh PostgreSQL database
(``bench.api_data``: cohorts with full rosters, admitted applications waiting), logging as in
production (JSON, info). ``bench.bare_sql_app`` runs beside it under uvicorn with the same
workers: the same statements in bare Litestar handlers on asyncpg, with no auth, logging or
ORM (the limit of this stack), and a constant JSON list. wrk (``bench.wrk``) drives each
endpoint in turn for a bounded time over ``connections`` keep-alive connections:

- the roster, ``GET /api/v1/cohorts/{id}/roster`` with a site manager's API token, cycling
  through many cohorts: the rows and one ``learner.read`` audit entry per person shown;
- an enrolment, ``POST /api/v1/cohorts/{id}/enrolments``, each request a fresh admitted
  application, dealt over many cohorts; each side has its own applications and cohorts, so
  that no request is a re-enrolment (a 409, which would count as an error).

Each load runs twice after its warm-up: in a closed loop (each connection sends its next
request as soon as it has the answer), for requests per second, and paced at
``PACED_RATE`` requests per second over the same connections, for latency below saturation
(in a closed loop, latency is the queue: its mean is the connections over the throughput).

Errors are non-2xx/3xx answers and socket errors; they must be 0. Ratios: Essaim requests/s
over the raw-driver handler's and over the bare JSON endpoint's, from the same run. PostgreSQL
only; skipped with a message when it does not answer or wrk is missing, except under CI,
which installs wrk (``.ci/system-packages``) and must run it.
"""

from __future__ import annotations

import asyncio
import dataclasses
import os
import tempfile
import time
from pathlib import Path

import asyncpg
import msgspec

from bench import api_data, servers, wrk
from bench.bare_app import PATH as BARE_PATH
from bench.databases import postgres_database, postgres_unreachable
from bench.results import BenchResult, Case, fmt
from core.logging import configure_logging

NAME = "api"
WORKERS = 2
READY_SECONDS = 60.0
GOAL_RATIO = 0.5
GOAL_P99_MS = 50.0
BARE_JSON = f"GET {BARE_PATH} (bare JSON)"
ROSTER = "roster"
ENROL = "enrolment"
WARMUP = "warm-up: "
PACED = "paced: "
PACED_RATE = 100
"""Requests per second offered by the paced loads, over the same connections: latency
below saturation. A closed loop's latency is queueing: by Little's law its mean is the
connections over the throughput (50 connections at 1,000 requests/s: 50 ms), whatever the
server does per request."""


@dataclasses.dataclass(frozen=True, slots=True)
class Params:
    """How long and how hard each endpoint is driven, and the dataset's size."""

    seconds: int
    warmup_seconds: int
    connections: int
    cohorts_per_group: int
    enrolments_per_side: int
    """Admitted applications prepared per side: more than the fastest side enrols in time."""


SIZES = {
    "quick": Params(seconds=2, warmup_seconds=1, connections=50, cohorts_per_group=100,
                    enrolments_per_side=4_000),
    "full": Params(seconds=60, warmup_seconds=5, connections=50, cohorts_per_group=1_000,
                   enrolments_per_side=150_000),
}  # fmt: skip


def run(size: str) -> BenchResult:
    """Seed the database, start both servers, drive every endpoint, return the figures."""
    params = SIZES[size]
    result = BenchResult(
        name=NAME,
        size=size,
        ratio_definition="Essaim requests/s / raw-driver handler requests/s (same SQL); "
        "and / bare JSON endpoint requests/s",
        cases=[],
        headers=["endpoint", "server", "requests", "req/s", "p50 ms", "p99 ms", "errors",
                 "vs SQL", "vs JSON"],
        rows=[],
        parameters={**dataclasses.asdict(params), "workers": WORKERS, "wrk_threads": wrk.THREADS},
    )  # fmt: skip
    reason = wrk.missing() or asyncio.run(postgres_unreachable())
    if reason:
        if os.environ.get("CI"):
            raise RuntimeError(f"CI runs the load benchmark: {reason}")
        result.skipped["postgresql"] = reason
        return result
    configure_logging(level="WARNING")
    timings: dict[str, float] = {}
    with tempfile.TemporaryDirectory(prefix="essaim-bench-api-") as tmp:
        outcomes, dataset = asyncio.run(_measure(params, Path(tmp), timings))
    _fill(result, params, outcomes, dataset)
    result.parameters["timings_s"] = {name: round(s, 2) for name, s in timings.items()}
    return result


async def _measure(
    params: Params, root: Path, timings: dict[str, float]
) -> tuple[dict[str, wrk.Outcome], api_data.Dataset]:
    """A fresh database, seeded, then the loads (in a thread: they block); the seconds each
    phase took go to ``timings``."""
    async with postgres_database() as url:
        env = _environment(root, url)
        # Essaim boots its workers while the data goes in; its own migration step waits on
        # the migration lock that the seeding holds, then finds nothing left to apply.
        with servers.essaim_serve(
            "essaim serve", env=env, log_path=root / "essaim.log", workers=WORKERS
        ) as essaim:
            started = time.perf_counter()
            dataset = await api_data.build(
                url, root / "seed", params.cohorts_per_group, params.enrolments_per_side
            )
            timings["seed"] = time.perf_counter() - started
            outcomes = await asyncio.to_thread(_load, params, root, env, essaim, dataset, timings)
        await _check_writes(url, dataset, outcomes)
    return outcomes, dataset


async def _check_writes(
    url: str, dataset: api_data.Dataset, outcomes: dict[str, wrk.Outcome]
) -> None:
    """Raise unless each side's cohorts gained at least one enrolment per enrolment answered
    and at most one per request sent (warm-up included): a request cut off in flight when wrk
    stopped may still be done by the server."""
    connection = await asyncpg.connect(url, timeout=10)
    try:
        for side, pairs in (("raw SQL", dataset.bare_pairs), ("Essaim", dataset.essaim_pairs)):
            runs = [outcomes[f"{prefix}{ENROL}, {side}"] for prefix in ("", WARMUP, PACED)]
            cohorts = sorted({cohort for cohort, _ in pairs})
            count = await connection.fetchval(
                "SELECT count(*) FROM enrolment WHERE cohort = ANY($1::integer[])", cohorts
            )
            added = count - api_data.ROSTER * len(cohorts)
            answered = sum(run.requests - run.error_kinds["status"] for run in runs)
            sent = sum(run.sent for run in runs)
            if not answered <= added <= sent:
                raise RuntimeError(
                    f"{ENROL}, {side}: {answered} enrolments answered and {sent} sent, "
                    f"but {added} written"
                )
    finally:
        await connection.close()


def _environment(root: Path, url: str) -> dict[str, str]:
    """Both servers on ``url``; Essaim logging as in production (JSON, info)."""
    env = dict(os.environ)
    env.update(
        ESSAIM_DATABASE_URL=url,
        ESSAIM_VAR_DIR=str(root / "var"),
        ESSAIM_LOG_FORMAT="json",
        ESSAIM_LOG_LEVEL="info",
        BENCH_DATABASE_URL=url,
    )
    return env


def _roster_requests(prefix: str, cohorts: list[int]) -> list[wrk.Request]:
    return [wrk.Request("GET", f"{prefix}/cohorts/{cohort}/roster") for cohort in cohorts]


def _enrol_requests(prefix: str, pairs: list[api_data.Pair]) -> list[wrk.Request]:
    return [
        wrk.Request(
            "POST",
            f"{prefix}/cohorts/{cohort}/enrolments",
            msgspec.json.encode({"application_id": application}).decode(),
        )
        for cohort, application in pairs
    ]


def _loads(
    params: Params, bare: servers.Server, essaim: servers.Server, dataset: api_data.Dataset
) -> list[wrk.Load]:
    """Every load, reads first (the writes grow the tables they read)."""
    n, token = params.connections, dataset.token
    return [
        wrk.Load(BARE_JSON, bare.port, [wrk.Request("GET", BARE_PATH)], params.seconds, n),
        wrk.Load(
            f"{ROSTER}, raw SQL",
            bare.port,
            _roster_requests("", dataset.read_cohorts),
            params.seconds,
            n,
        ),
        wrk.Load(
            f"{ROSTER}, Essaim",
            essaim.port,
            _roster_requests("/api/v1", dataset.read_cohorts),
            params.seconds,
            n,
            token=token,
        ),
        wrk.Load(
            f"{ENROL}, raw SQL",
            bare.port,
            _enrol_requests("", dataset.bare_pairs),
            params.seconds,
            n,
            once=True,
            spare_path=BARE_PATH,
        ),
        wrk.Load(
            f"{ENROL}, Essaim",
            essaim.port,
            _enrol_requests("/api/v1", dataset.essaim_pairs),
            params.seconds,
            n,
            once=True,
            token=token,
            spare_path="/health",
        ),
    ]


def _split(load: wrk.Load, seconds: int) -> tuple[wrk.Load, wrk.Load, wrk.Load]:
    """A warm-up of ``seconds`` (workers, pools and their prepared statements), the measured
    closed loop and the paced load. An enrolment load shares its applications out, so that
    none is sent twice: the first fifth to the warm-up, the last tenth to the paced load."""
    label = f"{WARMUP}{load.label}"
    paced = dataclasses.replace(
        load, label=f"{PACED}{load.label}", pace_ms=load.connections * 1000 // PACED_RATE
    )
    if not load.once:
        return dataclasses.replace(load, label=label, seconds=seconds), load, paced
    cut, tail = len(load.requests) // 5, len(load.requests) - len(load.requests) // 10
    return (
        dataclasses.replace(load, label=label, seconds=seconds, requests=load.requests[:cut]),
        dataclasses.replace(load, requests=load.requests[cut:tail]),
        dataclasses.replace(paced, requests=load.requests[tail:]),
    )


def _load(
    params: Params,
    root: Path,
    env: dict[str, str],
    essaim: servers.Server,
    dataset: api_data.Dataset,
    timings: dict[str, float],
) -> dict[str, wrk.Outcome]:
    """The baseline server up beside Essaim; every load in turn: warmed up, in a closed
    loop, then paced; the outcomes."""
    started = time.perf_counter()
    with servers.uvicorn(
        "bare Litestar + asyncpg",
        "bench.bare_sql_app:create_app",
        factory=True,
        env={**env, "BENCH_ACTOR_ID": str(dataset.account_id)},
        log_path=root / "bare.log",
        workers=WORKERS,
    ) as bare:
        servers.wait_ready(bare, BARE_PATH, READY_SECONDS)
        servers.wait_ready(essaim, "/health", READY_SECONDS)
        timings["servers_ready"] = time.perf_counter() - started
        started = time.perf_counter()
        outcomes = {}
        for load in _loads(params, bare, essaim, dataset):
            for run in _split(load, params.warmup_seconds):
                outcomes[run.label] = wrk.run(run, root)
                if outcomes[run.label].errors:
                    log = essaim if "Essaim" in run.label else bare
                    outcomes[run.label] = dataclasses.replace(
                        outcomes[run.label], log_tail=log.log_tail(5)
                    )
        timings["loads"] = time.perf_counter() - started
        return outcomes


def _fill(
    result: BenchResult,
    params: Params,
    outcomes: dict[str, wrk.Outcome],
    dataset: api_data.Dataset,
) -> None:
    """The table, the cases, the goal's verdicts and the notes."""
    json_rps = outcomes[BARE_JSON].rps
    paced_json = outcomes[PACED + BARE_JSON]
    result.rows.append([BARE_JSON, "bare", *_cells(outcomes[BARE_JSON]), "-", "1.000"])
    result.rows.append([BARE_JSON, f"bare, {PACED_RATE}/s", *_cells(paced_json), "-", "-"])
    for endpoint in (ROSTER, ENROL):
        raw, ours = outcomes[f"{endpoint}, raw SQL"], outcomes[f"{endpoint}, Essaim"]
        raw_paced = outcomes[f"{PACED}{endpoint}, raw SQL"]
        paced = outcomes[f"{PACED}{endpoint}, Essaim"]
        ratio = round(ours.rps / raw.rps, 4) if raw.rps else None
        to_json = round(ours.rps / json_rps, 4) if json_rps else None
        raw_to_json = round(raw.rps / json_rps, 4) if json_rps else None
        result.rows.append([endpoint, "raw SQL", *_cells(raw), "1.000", fmt(raw_to_json, 3)])
        result.rows.append([endpoint, "Essaim", *_cells(ours), fmt(ratio, 3), fmt(to_json, 3)])
        result.rows.append([endpoint, f"raw SQL, {PACED_RATE}/s", *_cells(raw_paced), "-", "-"])
        result.rows.append([endpoint, f"Essaim, {PACED_RATE}/s", *_cells(paced), "-", "-"])
        figures = ours.figures() | {
            "ratio_to_bare_json": to_json or 0.0,
            "paced_rps": round(paced.rps, 1),
            "paced_p50_ms": round(paced.p50_ms, 3),
            "paced_p99_ms": round(paced.p99_ms, 3),
            "paced_errors": paced.errors,
        }
        baseline = raw.figures() | {
            "paced_p50_ms": round(raw_paced.p50_ms, 3),
            "paced_p99_ms": round(raw_paced.p99_ms, 3),
        }
        result.cases.append(
            Case(f"{endpoint} (postgresql)", figures, "raw-driver handler", baseline, ratio)
        )
        met = (
            ratio is not None
            and ratio >= GOAL_RATIO
            and paced.p99_ms < GOAL_P99_MS
            and ours.errors == 0
            and paced.errors == 0
        )
        result.notes.append(
            f"{endpoint}: goal (>= {GOAL_RATIO} of the raw-driver handler's requests/s in a "
            f"closed loop, p99 < {GOAL_P99_MS:.0f} ms at {params.connections} connections "
            f"offering {PACED_RATE} requests/s, 0 errors) " + ("met" if met else "NOT met")
        )
    result.parameters["bare_json"] = outcomes[BARE_JSON].figures()
    result.parameters["rows"] = dataset.rows
    result.parameters["server"] = (
        f"essaim serve and uvicorn, {WORKERS} workers each, JSON info logs for Essaim"
    )
    for label, outcome in outcomes.items():
        if outcome.errors:
            result.notes.append(
                f"{label}: {outcome.errors} errors {outcome.error_kinds}; server log:\n"
                f"{outcome.log_tail}"
            )
        if outcome.ran_out and not label.startswith((WARMUP, PACED)):
            result.notes.append(
                f"{label}: sent every prepared enrolment before its time was up; requests/s "
                "is understated: raise enrolments_per_side"
            )
    result.notes.append(
        "the raw-driver enrolment sends the checks, the cohort's lock, the places counted, "
        "the insert, the guarded status update and the history event; Essaim's transaction "
        "also refreshes the report facts (the application's, its funnel month's, the "
        "cohort's enrolments'), and checks the token and the site scope"
    )
    result.notes.append(
        f"p50/p99 of a closed loop are its queue (Little's law: mean latency = "
        f"{params.connections} connections / requests/s); the {PACED_RATE}/s rows give the "
        "latency below saturation, which the p99 goal reads"
    )
    result.notes.append(
        "server, PostgreSQL and wrk share the machine's CPUs (nothing pinned): figures "
        "from a busy machine are indicative"
    )


def _cells(outcome: wrk.Outcome) -> list[str]:
    return [
        f"{outcome.requests:,}",
        fmt(outcome.rps, 0),
        fmt(outcome.p50_ms),
        fmt(outcome.p99_ms),
        str(outcome.errors),
    ]
