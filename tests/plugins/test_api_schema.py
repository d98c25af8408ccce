"""Schemathesis against the whole API: no 5xx and no response outside the OpenAPI schema.

Every operation of the served schema (core's and the installed plugins'), on a freshly seeded
SQLite database with the repository's sites, once as the admin and once as the Paris site
manager. The run is reproducible (a fixed seed, derandomized generation) and bounded
(``MAX_EXAMPLES`` an operation and phase). It goes through schemathesis's own engine, the one
its command line runs, so that every phase runs (the schema's examples, the boundary values of
the coverage phase, then random valid and invalid data); its pytest integration cannot serve
here, as its fixture-based schemas do not run under pytest 9. DEVELOPERS.md says how to run it
and how to leave an operation out.
"""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from dataclasses import dataclass, field

import httpx
import pytest
import schemathesis
from asgi_lifespan import LifespanManager
from litestar import Litestar
from schemathesis.config import SchemathesisConfig
from schemathesis.engine import events
from schemathesis.engine.recorder import CheckNode, Interaction
from schemathesis.python import asgi

from core.app import create_app
from core.auth import service as auth
from core.auth.tables import Account
from core.clock import FrozenClock
from core.db.engine import connect
from core.demo import seed_demo
from core.plugins import PluginHost
from core.settings import Settings
from core.sites.loader import load_sites
from tests.applications import apply, make_learner, move
from tests.conftest import People, check_report_facts
from tests.plugins.digital.helpers import digital_cohort, enrolled, plan

SEED = 2026
MAX_EXAMPLES = 20
"""Examples an operation gets in each phase; with both roles the run stays within minutes."""
RECORD_IDS = 40
"""Integers are drawn from 1 to this half the time, so that ids name seeded records."""
NAMED_PROBABILITY = 0.5
"""How often a site, program, track or id is a real one rather than anything the schema allows."""

EXCLUDED_OPERATIONS = (
    # They wipe state the rest of the run needs; each has its own tests instead.
    "logout",  # revokes the caller's own token: tests/core/test_auth_api.py
    "revokeApiToken",  # may revoke the run's own token: tests/core/test_auth_api.py
    "mergeLearner",  # folds one learner into another for good: tests/core/test_learner_merge.py
    "eraseLearner",  # empties a learner's record for good: tests/plugins/digitous/test_erasure.py
)

CHECKS = (
    "not_a_server_error",
    "status_code_conformance",
    "content_type_conformance",
    "response_schema_conformance",
)

ACCOUNTS = {"admin": "admin@example.org", "paris_manager": "responsable.paris@example.org"}
"""The demo accounts the run authenticates as."""


@pytest.fixture
def engine_name() -> str:
    """SQLite only: the run checks the API's contract, which does not depend on the engine."""
    return "sqlite"


@dataclass(frozen=True)
class Target:
    """The app under test and a bearer token for each account of ``ACCOUNTS``."""

    app: Litestar
    tokens: dict[str, str]


async def _seed(settings: Settings, host: PluginHost, clock: FrozenClock) -> dict[str, str]:
    """The demo, an API token for each of ``ACCOUNTS``, and records the demo has none of."""
    async with connect(settings, host):
        await seed_demo(settings, host, load_sites(settings.sites_dir, host), clock.now().date())
        tokens = {}
        for who, email in ACCOUNTS.items():
            account = await Account.select(Account.id).where(Account.email == email).first()
            assert account is not None, email
            _, tokens[who] = await auth.issue_api_token(account["id"], "schemathesis", clock)
    app = create_app(settings, host=host, clock=clock)
    async with (
        LifespanManager(app),
        httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://x") as client,
    ):
        await _records(client, People(tokens=tokens, paris_cohort=0, bordeaux_cohort=0))
    return tokens


async def _records(client: httpx.AsyncClient, people: People) -> None:
    """Enrolments in a planned DIGITAL cohort and an application being screened, through the
    API, so that the routes about them answer with records and not only with 404s."""
    cohort = await digital_cohort(client, people)
    await plan(client, people, cohort)
    for _ in range(3):
        await enrolled(client, people, cohort)
    learner = await make_learner(client, people)
    application = (await apply(client, people, learner, program="digital", track="beginner"))["id"]
    await move(client, people, application, "screening")


@pytest.fixture
def target(db_settings: Settings, plugin_host: PluginHost, clock: FrozenClock) -> Iterator[Target]:
    """The app on a freshly seeded database; schemathesis's client runs its lifespan."""
    tokens = asyncio.run(_seed(db_settings, plugin_host, clock))
    app = create_app(db_settings, host=plugin_host, clock=clock)
    yield Target(app=app, tokens=tokens)
    # Schemathesis keeps a started lifespan until the process ends: close the app's
    # database pool now, before the database is dropped.
    asgi.shutdown_lifespans()
    asyncio.run(_check_facts(db_settings, plugin_host, app))


async def _check_facts(settings: Settings, host: PluginHost, app: Litestar) -> None:
    """Whatever the run wrote, the report facts still equal the raw records."""
    async with connect(settings, host):
        await check_report_facts(app)


def _dictionaries(app: Litestar) -> dict[str, list[str | int]]:
    """Values that name real things in the seeded database, for generation to draw from."""
    runtime = app.state.runtime
    programs = runtime.host.programs()
    return {
        "sites": [site.slug for site in runtime.sites],
        "programs": [program.key for program in programs],
        "tracks": [track.key for program in programs for track in program.tracks],
        "ids": list(range(1, RECORD_IDS + 1)),
    }


NAMED_BY = {
    "sites": ("site", "slug", "body.site"),
    "programs": ("program", "key", "body.program"),
    "tracks": ("track", "body.track"),
}
"""The parameters and body fields that name a site, a program or a track."""


def _config(app: Litestar, token: str) -> SchemathesisConfig:
    parameters = {
        name: {"dictionary": dictionary, "probability": NAMED_PROBABILITY}
        for dictionary, names in NAMED_BY.items()
        for name in names
    }
    return SchemathesisConfig.from_dict(
        {
            "seed": SEED,
            "workers": 1,
            "cache": {"enabled": False},
            "headers": {"Authorization": f"Bearer {token}"},
            "dictionaries": {
                name: {"values": values} for name, values in _dictionaries(app).items()
            },
            "parameters": parameters,
            "generation": {
                "mode": "all",
                "max-examples": MAX_EXAMPLES,
                "deterministic": True,
                "database": "none",
                "dictionaries": {
                    "integer": {"dictionary": "ids", "probability": NAMED_PROBABILITY}
                },
            },
            "phases": {"stateful": {"enabled": False}},
            "checks": {"enabled": False} | {name: {"enabled": True} for name in CHECKS},
        }
    )


@dataclass
class Outcome:
    """What a run found: the operations it sent requests to, and each failure, one line each."""

    tested: set[str] = field(default_factory=set)
    failures: set[str] = field(default_factory=set)


def _run(target: Target, who: str) -> tuple[set[str], Outcome]:
    """A whole schemathesis run as ``who``; the labels of the operations it had to test too."""
    schema = schemathesis.openapi.from_asgi(
        "/schema/openapi.json", target.app, config=_config(target.app, target.tokens[who])
    ).exclude(operation_id=list(EXCLUDED_OPERATIONS))
    expected = {result.ok().label for result in schema.get_all_operations()}
    outcome = Outcome()
    for event in schemathesis.engine.from_schema(schema).execute():
        if isinstance(event, events.ScenarioFinished):
            if event.recorder.interactions:
                outcome.tested.add(event.recorder.label)
            for case_id, checks in event.recorder.checks.items():
                interaction = event.recorder.interactions.get(case_id)
                for check in checks:
                    if check.failure_info is not None:
                        outcome.failures.add(_describe(event.recorder.label, check, interaction))
        elif isinstance(event, events.NonFatalError):
            outcome.failures.add(f"{event.label}: {event.info.title}: {event.info.message}")
        elif isinstance(event, events.FatalError):
            raise event.exception
    return expected, outcome


def _describe(label: str, check: CheckNode, interaction: Interaction | None) -> str:
    """One line: the operation, what was wrong, the request sent and the status it got."""
    assert check.failure_info is not None
    failure = check.failure_info.failure
    sent = answered = ""
    if interaction is not None:
        sent = f"{interaction.request.method} {interaction.request.uri}"
        if interaction.response is not None:
            answered = str(interaction.response.status_code)
    return f"{label}: {failure.title} ({sent} -> {answered}): {failure.message[:300]}"


# A whole run as one account: about a minute here, more on a busy CI machine.
@pytest.mark.timeout(600)
@pytest.mark.parametrize("who", list(ACCOUNTS))
def test_api_answers_within_its_schema(target: Target, who: str) -> None:
    expected, outcome = _run(target, who)
    assert len(expected) > 90  # the whole API, core's and the plugins'
    assert outcome.tested == expected, f"never requested: {sorted(expected - outcome.tested)}"
    failures = sorted(outcome.failures)
    assert not failures, f"{len(failures)} failures:\n" + "\n".join(failures)
