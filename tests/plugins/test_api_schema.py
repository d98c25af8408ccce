"""Schemathesis against the whole API: no 5xx and no response outside the OpenAPI schema.

Every operation of the served schema (core's and the installed plugins'), on a freshly seeded
SQLite database with the repository's sites, once as the admin and once as the Paris site
manager. The run is reproducible (a fixed seed, derandomized generation) and bounded
(``MAX_EXAMPLES`` an operation and phase). It goes through schemathesis's own engine, the one
its command line runs, so that every phase runs (the schema's examples, the boundary values of
the coverage phase, then random valid and invalid data). DEVELOPERS.md says how to run it and
how to leave an operation out.
"""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from dataclasses import dataclass

import pytest
import schemathesis
from litestar import Litestar
from schemathesis.config import SchemathesisConfig
from schemathesis.engine import events
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

SEED = 2026
MAX_EXAMPLES = 10
"""Examples an operation gets in each phase; with both roles the run stays within minutes."""

EXCLUDED_OPERATIONS = (
    # They wipe state the rest of the run needs; each has its own tests instead.
    "logout",  # revokes the caller's own token: tests/core/test_auth_api.py
    "revokeApiToken",  # may revoke the run's own token: tests/core/test_auth_api.py
    "mergeLearner",  # folds one learner into another for good: tests/core/test_learner_merge.py
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
    """The demo's cohorts, learners and accounts, and an API token for each of ``ACCOUNTS``."""
    async with connect(settings, host):
        await seed_demo(settings, host, load_sites(settings.sites_dir, host), clock.now().date())
        tokens = {}
        for who, email in ACCOUNTS.items():
            account = await Account.select(Account.id).where(Account.email == email).first()
            assert account is not None, email
            _, tokens[who] = await auth.issue_api_token(account["id"], "schemathesis", clock)
    return tokens


@pytest.fixture
def target(db_settings: Settings, plugin_host: PluginHost, clock: FrozenClock) -> Iterator[Target]:
    """The app on a freshly seeded database; schemathesis's client runs its lifespan."""
    tokens = asyncio.run(_seed(db_settings, plugin_host, clock))
    yield Target(app=create_app(db_settings, host=plugin_host, clock=clock), tokens=tokens)
    # Schemathesis keeps a started lifespan until the process ends: close the app's
    # database pool now, before the database is dropped.
    asgi.shutdown_lifespans()


def _config(token: str) -> SchemathesisConfig:
    return SchemathesisConfig.from_dict(
        {
            "seed": SEED,
            "workers": 1,
            "cache": {"enabled": False},
            "headers": {"Authorization": f"Bearer {token}"},
            "generation": {
                "mode": "all",
                "max-examples": MAX_EXAMPLES,
                "deterministic": True,
                "database": "none",
            },
            "phases": {"stateful": {"enabled": False}},
            "checks": {"enabled": False} | {name: {"enabled": True} for name in CHECKS},
        }
    )


def _failures(target: Target, who: str) -> list[str]:
    """Every failed check and engine error of a whole run as ``who``, one line each."""
    schema = schemathesis.openapi.from_asgi(
        "/schema/openapi.json", target.app, config=_config(target.tokens[who])
    ).exclude(operation_id=list(EXCLUDED_OPERATIONS))
    found: list[str] = []
    for event in schemathesis.engine.from_schema(schema).execute():
        if isinstance(event, events.ScenarioFinished):
            for case_id, checks in event.recorder.checks.items():
                for check in checks:
                    if check.failure_info is not None:
                        interaction = event.recorder.interactions.get(case_id)
                        found.append(_describe(event.recorder.label, check, interaction))
        elif isinstance(event, events.NonFatalError):
            found.append(f"{event.label}: {event.info.title}: {event.info.message}")
        elif isinstance(event, events.FatalError):
            raise event.exception
    return sorted(set(found))


def _describe(label: str, check: object, interaction: object) -> str:
    failure = check.failure_info.failure  # type: ignore[attr-defined]
    request = getattr(interaction, "request", None)
    response = getattr(interaction, "response", None)
    sent = f"{request.method} {request.uri}" if request is not None else ""
    status = response.status_code if response is not None else ""
    return f"{label}: {failure.title} ({sent} -> {status}): {failure.message[:300]}"


@pytest.mark.parametrize("who", list(ACCOUNTS))
def test_api_answers_within_its_schema(target: Target, who: str) -> None:
    failures = _failures(target, who)
    assert not failures, f"{len(failures)} failures:\n" + "\n".join(failures)
