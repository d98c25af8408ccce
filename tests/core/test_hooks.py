"""Every hook of the contract, exercised through core as a running Essaim uses it.

Each test is named after its hook (``test_<hook>_...``); a docs meta-test relies on that.
The plugins here are the toy program, the outside plugin ``acme_essaim`` imported from its
source (tests/fixtures/outside_plugin), a probe with a public route, and, where a test asks
for them through ``extra_plugins``, event recorders and a plugin whose event hook raises.
"""

from __future__ import annotations

import importlib
import json
import shutil
from datetime import date
from pathlib import Path
from typing import Any

import httpx
import msgspec
import pytest
import structlog
from litestar import get
from piccolo.apps.migrations.tables import Migration

from core.cohorts.tables import Cohort
from core.db.engine import CORE_APPS, app_modules
from core.plugin import (
    CohortChanged,
    DemoCohort,
    PersonalColumn,
    PersonalKind,
    SiteInfo,
    hookimpl,
)
from core.plugins import PluginError, PluginHost, load_plugins
from core.settings import Settings
from core.sites.loader import load_sites
from tests.conftest import TEST_SITES, People
from tests.fixtures import outside_plugin
from tests.toy_program import AtelierPlugin, AtelierSettings

ACME = outside_plugin()

LYON = """\
slug = "lyon"
name = "Lyon"
status = "active"
department = "69"
timezone = "Europe/Paris"

[programs.robotique]
tracks = ["decouverte"]
capacity = 8
kits = 4
"""

COHORT = {
    "site": "paris",
    "program": "atelier",
    "track": "initiation",
    "title": "Initiation janvier",
    "starts_on": "2027-01-11",
    "ends_on": "2027-02-12",
}


@get("/probe/open", opt={"public": True}, operation_id="probeOpen")
async def probe_open() -> dict[str, bool]:
    """A route that declares itself public, as any plugin may."""
    return {"open": True}


class Probe:
    """Contributes one public route."""

    @hookimpl
    def essaim_register_routes(self) -> list[Any]:
        return [probe_open]


class Recorder:
    """Keeps the cohort events it is told about."""

    def __init__(self) -> None:
        self.events: list[CohortChanged] = []

    @hookimpl
    def essaim_on_cohort_changed(self, event: CohortChanged) -> None:
        self.events.append(event)


class Broken:
    """An event hook that raises."""

    @hookimpl
    def essaim_on_cohort_changed(self, event: CohortChanged) -> None:
        raise RuntimeError("queue unreachable")


@pytest.fixture
def extra_plugins() -> tuple[tuple[str, type], ...]:
    """Plugins a test adds, as (name, class); tests override it by parametrizing it."""
    return ()


@pytest.fixture
def plugin_host(extra_plugins: tuple[tuple[str, type], ...]) -> PluginHost:
    return load_plugins(
        load_entrypoints=False,
        plugins=[
            ("atelier", AtelierPlugin()),
            ("acme", ACME),
            ("probe", Probe()),
            *((name, plugin_class()) for name, plugin_class in extra_plugins),
        ],
    )


@pytest.fixture
def sites_dir(tmp_path: Path) -> Path:
    """The test sites (toy program) and Lyon, which runs the outside plugin's program."""
    directory = tmp_path / "sites"
    shutil.copytree(TEST_SITES, directory)
    (directory / "lyon.toml").write_text(LYON, encoding="utf-8")
    return directory


# essaim_register_programs


async def test_essaim_register_programs_serves_each_program_with_its_plugin(
    client: httpx.AsyncClient, people: People
) -> None:
    programs = (await client.get("/api/v1/programs")).json()
    assert [(program["key"], program["plugin"]) for program in programs] == [
        ("atelier", "atelier"),
        ("robotique", "acme"),
    ]
    robotique = programs[1]
    assert [track["track"]["key"] for track in robotique["tracks"]] == ["decouverte"]
    assert [unit["key"] for unit in robotique["tracks"][0]["units"]] == ["premiers_pas"]
    assert "kits" in json.dumps(robotique["settings_schema"])

    lyon = (await client.get("/api/v1/sites/lyon")).json()
    assert lyon["programs"] == [
        {"key": "robotique", "title": "Robotique", "tracks": ["decouverte"], "capacity": 8}
    ]

    # A decision about a cohort goes to the program that owns it.
    created = await client.post(
        "/api/v1/cohorts",
        json=COHORT | {"site": "lyon", "program": "robotique", "track": "decouverte"},
        headers=people.auth("admin"),
    )
    assert created.status_code == 201, created.text
    assert created.json()["capacity"] == 8
    plan = await client.get(
        f"/api/v1/cohorts/{created.json()['id']}/plan", headers=people.auth("admin")
    )
    assert [(item["title"], item["minutes"]) for item in plan.json()] == [
        ("Jour 1", 360),
        ("Jour 2", 360),
    ]


# essaim_register_routes


async def test_essaim_register_routes_mounts_them_under_api_v1_behind_auth(
    client: httpx.AsyncClient, people: People
) -> None:
    anonymous = await client.get("/api/v1/programs/robotique/ping")
    assert anonymous.status_code == 401
    forged = await client.get(
        "/api/v1/programs/robotique/ping", headers={"Authorization": "Bearer nope"}
    )
    assert forged.status_code == 401

    answered = await client.get(
        "/api/v1/programs/robotique/ping", headers=people.auth("paris_trainer")
    )
    assert answered.status_code == 200
    assert answered.json() == {"plugin": "acme", "answer": "pong"}

    # Mounted under /api/v1 only, not where the plugin wrote it.
    assert (
        await client.get("/programs/robotique/ping", headers=people.auth("admin"))
    ).status_code == 404

    # A route that declares itself public answers without credentials.
    public = await client.get("/api/v1/probe/open")
    assert public.status_code == 200
    assert public.json() == {"open": True}

    paths = (await client.get("/schema/openapi.json")).json()["paths"]
    assert {"/api/v1/programs/robotique/ping", "/api/v1/probe/open"} <= set(paths)


# essaim_piccolo_apps


async def test_essaim_piccolo_apps_are_migrated_after_core_and_usable(
    db_settings: Settings, plugin_host: PluginHost
) -> None:
    assert app_modules(plugin_host) == [*CORE_APPS, "acme_essaim.piccolo_app"]

    applied = await Migration.select(Migration.app_name).order_by(Migration.id)
    order = [row["app_name"] for row in applied]
    core_apps = {importlib.import_module(module).APP_CONFIG.app_name for module in CORE_APPS}
    assert set(order) == {*core_apps, "acme_kits"}
    assert max(order.index(app) for app in core_apps) < order.index("acme_kits")

    kit_loan = importlib.import_module("acme_essaim.tables").KitLoan
    rows = await Cohort.insert(
        Cohort(
            site="lyon",
            program="robotique",
            track="decouverte",
            title="Robotique Lyon",
            starts_on=date(2026, 10, 5),
            ends_on=date(2026, 10, 6),
            capacity=8,
        )
    ).returning(Cohort.id)
    cohort_id = rows[0]["id"]
    await kit_loan.insert(kit_loan(cohort=cohort_id, kit_code="K-01", lent_on=date(2026, 10, 5)))
    loan = await kit_loan.select(kit_loan.kit_code, kit_loan.cohort.site).first()
    assert loan == {"kit_code": "K-01", "cohort.site": "lyon"}

    # The lazy reference is a real foreign key to core's table, restrictive on delete.
    with pytest.raises(Exception, match=r"(?i)foreign key"):
        await kit_loan.insert(kit_loan(cohort=999_999, kit_code="K-02", lent_on=date(2026, 1, 1)))
    with pytest.raises(Exception, match=r"(?i)foreign key"):
        await Cohort.delete().where(Cohort.id == cohort_id)
    assert await Cohort.count() == 1


# essaim_demo_data


class Squatter:
    """Proposes demo cohorts for a program it does not register."""

    def __init__(self, program: str) -> None:
        self.program = program

    @hookimpl
    def essaim_demo_data(self, site: SiteInfo, today: date) -> list[DemoCohort]:
        return [
            DemoCohort(
                program=self.program,
                track="initiation",
                title="Pas à moi",
                starts_on=today,
                ends_on=today,
                capacity=5,
            )
        ]


SITE = SiteInfo(
    slug="lyon",
    name="Lyon",
    timezone="Europe/Paris",
    programs={
        "atelier": AtelierSettings(tracks=("initiation", "approfondissement"), capacity=12),
        "robotique": ACME.Robotique.settings_schema(tracks=("decouverte",), capacity=8),
    },
)


def test_essaim_demo_data_each_plugin_proposes_for_its_own_programs() -> None:
    host = load_plugins(
        load_entrypoints=False, plugins=[("atelier", AtelierPlugin()), ("acme", ACME)]
    )
    proposed = host.demo_cohorts(SITE, date(2026, 9, 1))
    assert sorted((cohort.program, cohort.track) for cohort in proposed) == [
        ("atelier", "approfondissement"),
        ("atelier", "initiation"),
        ("robotique", "decouverte"),
    ]


@pytest.mark.parametrize("program", ["atelier", "cuisine"], ids=["another-plugin's", "unknown"])
def test_essaim_demo_data_for_a_program_the_plugin_does_not_own_is_refused(program: str) -> None:
    host = load_plugins(
        load_entrypoints=False,
        plugins=[("atelier", AtelierPlugin()), ("acme", ACME), ("squatter", Squatter(program))],
    )
    with pytest.raises(PluginError) as raised:
        host.demo_cohorts(SITE, date(2026, 9, 1))
    message = f"plugin 'squatter' proposed a demo cohort for program {program!r}"
    assert str(raised.value) == f"{message}, which it does not own"


async def test_essaim_demo_data_seeds_the_outside_plugin_cohorts(
    db_settings: Settings, plugin_host: PluginHost, sites_dir: Path
) -> None:
    from core.demo import seed_demo

    registry = load_sites(sites_dir, plugin_host)
    report = await seed_demo(db_settings, plugin_host, registry, date(2026, 9, 1))
    assert report.created
    robotique = await Cohort.select(Cohort.site, Cohort.track, Cohort.capacity).where(
        Cohort.program == "robotique"
    )
    assert robotique == [{"site": "lyon", "track": "decouverte", "capacity": 8}]


# essaim_personal_data


class Declarer:
    """A plugin that declares one personal column, and one that declares something else."""

    def __init__(self, columns: list[object]) -> None:
        self.columns = columns

    @hookimpl
    def essaim_personal_data(self) -> list[object]:
        return self.columns


def test_essaim_personal_data_gathers_each_plugins_columns_with_its_name() -> None:
    note = PersonalColumn(
        table="acme_note", column="text", kind=PersonalKind.FREE_TEXT, learner="enrolment"
    )
    host = load_plugins(load_entrypoints=False, plugins=[("acme", Declarer([note]))])
    assert host.personal_data() == [("acme", note)]


def test_essaim_personal_data_of_the_wrong_type_names_the_plugin() -> None:
    host = load_plugins(load_entrypoints=False, plugins=[("acme", Declarer(["acme_note.text"]))])
    with pytest.raises(PluginError, match=r"plugin 'acme' returned 'acme_note\.text'"):
        host.personal_data()


# essaim_on_cohort_changed


@pytest.mark.parametrize("extra_plugins", [(("recorder", Recorder),)], ids=["recorder"])
async def test_essaim_on_cohort_changed_fires_once_with_ids_only(
    client: httpx.AsyncClient, people: People, plugin_host: PluginHost
) -> None:
    recorder = plugin_host.pm.get_plugin("recorder")
    response = await client.post(
        "/api/v1/cohorts", json=COHORT, headers=people.auth("paris_manager")
    )
    assert response.status_code == 201
    expected = CohortChanged(
        action="created",
        cohort_id=response.json()["id"],
        site="paris",
        program="atelier",
        track="initiation",
    )
    assert recorder.events == [expected]
    assert ACME.RECEIVED[-1] == expected  # every plugin is told, not just one
    # Ids and keys only: nothing typed by a person (the title, say) travels with the event.
    assert CohortChanged.__struct_fields__ == ("action", "cohort_id", "site", "program", "track")
    assert COHORT["title"].encode() not in msgspec.json.encode(recorder.events[0])

    refused = await client.post(
        "/api/v1/cohorts",
        json=COHORT | {"track": "robotique"},
        headers=people.auth("paris_manager"),
    )
    assert refused.status_code == 422
    assert len(recorder.events) == 1


@pytest.mark.parametrize(
    "extra_plugins",
    [
        (("aaa_broken", Broken), ("recorder", Recorder)),
        (("recorder", Recorder), ("zzz_broken", Broken)),
    ],
    ids=["broken-sorts-first", "broken-sorts-last"],
)
async def test_essaim_on_cohort_changed_a_raising_plugin_is_logged_not_fatal(
    client: httpx.AsyncClient,
    people: People,
    plugin_host: PluginHost,
    extra_plugins: tuple[tuple[str, type], ...],
) -> None:
    broken = next(name for name, _ in extra_plugins if name.endswith("broken"))
    with structlog.testing.capture_logs() as logs:
        response = await client.post(
            "/api/v1/cohorts", json=COHORT, headers=people.auth("paris_manager")
        )
    assert response.status_code == 201
    cohort_id = response.json()["id"]
    assert [entry for entry in logs if entry["event"] == "plugin_event_failed"] == [
        {
            "event": "plugin_event_failed",
            "log_level": "error",
            "plugin": broken,
            "hook": "essaim_on_cohort_changed",
            "error_type": "RuntimeError",
            "cohort_id": cohort_id,
        }
    ]
    # The other plugins are still told, whichever order they run in.
    assert [event.cohort_id for event in plugin_host.pm.get_plugin("recorder").events] == [
        cohort_id
    ]
    fetched = await client.get(f"/api/v1/cohorts/{cohort_id}", headers=people.auth("admin"))
    assert fetched.status_code == 200
