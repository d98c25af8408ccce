"""The plugin contract is checked at start-up, and every error names its culprit.

Then the proof that the contract is enough: an outside package (tests/fixtures/outside_plugin),
built and installed offline into a folder of its own, is found through its entry point and
listed by ``essaim plugins list`` next to the built-ins, with no change to core.
"""

from __future__ import annotations

import json
import sqlite3
from datetime import date
from importlib.metadata import version
from pathlib import Path
from typing import Any

import msgspec
import pluggy
import pytest

from core.plugin import (
    AdmissionStep,
    Assessment,
    CohortFacts,
    CompletionDecision,
    CompletionFacts,
    DemoCohort,
    EligibilityFacts,
    Finding,
    PlannedSession,
    ProgramCount,
    ProgramIndicators,
    ProgramRate,
    ProgramSettings,
    SiteInfo,
    Track,
    Unit,
    hookimpl,
)
from core.plugins import PluginError, PluginHost, load_plugins
from tests.fixtures import OUTSIDE_PLUGIN
from tests.installing import environment, essaim, install


class SampleSettings(ProgramSettings, frozen=True, kw_only=True, forbid_unknown_fields=True):
    """A well-formed settings schema."""


class Sample:
    """A program that fits the contract; tests break one attribute at a time."""

    key = "cuisine"
    title = "X"
    summary = "Un programme d'essai."
    tracks = (Track(key="base", title="Base", hours=2),)
    curriculum = (Unit(key="u1", track="base", title="Unité 1", hours=2),)
    settings_schema: Any = SampleSettings

    def __init__(self, **attributes: Any) -> None:
        for name, value in attributes.items():
            setattr(self, name, value)

    def eligibility(self, facts: EligibilityFacts) -> list[Finding]:
        return []

    def admission_steps(self, track: str) -> tuple[AdmissionStep, ...]:
        return ()

    def session_plan(self, cohort: CohortFacts) -> tuple[PlannedSession, ...]:
        return ()

    def assessments(self, track: str) -> tuple[Assessment, ...]:
        return ()

    def completion(self, facts: CompletionFacts) -> CompletionDecision:
        return CompletionDecision(completed=True)


class Unfinished:
    """Data, eligibility and admission, but no session plan and no completion rule."""

    key = "cuisine"
    title = "X"
    summary = ""
    tracks = Sample.tracks
    curriculum = Sample.curriculum
    settings_schema = SampleSettings

    def eligibility(self, facts: EligibilityFacts) -> list[Finding]:
        return []

    def admission_steps(self, track: str) -> tuple[AdmissionStep, ...]:
        return ()


class Registers:
    """A plugin that registers the programs it is given."""

    def __init__(self, *programs: object) -> None:
        self.programs = list(programs)

    @hookimpl
    def essaim_register_programs(self) -> list[object]:
        return self.programs


def host_with(*plugins: tuple[str, object]) -> PluginHost:
    return load_plugins(load_entrypoints=False, plugins=plugins)


@pytest.mark.parametrize("order", [("a", "b"), ("b", "a")], ids=["a-first", "b-first"])
def test_a_program_key_registered_twice_names_both_plugins(order: tuple[str, str]) -> None:
    host = host_with(*((name, Registers(Sample())) for name in order))
    # Same sentence whichever plugin loads first: no outcome depends on load order.
    with pytest.raises(PluginError) as raised:
        host.validate()
    assert str(raised.value) == "program key 'cuisine' registered by a and by b"


def test_a_program_missing_methods_is_named_with_what_it_lacks() -> None:
    host = host_with(("acme", Registers(Unfinished())))
    with pytest.raises(PluginError) as raised:
        host.validate()
    assert str(raised.value) == (
        "plugin 'acme', program 'cuisine': is not a Program "
        "(missing: session_plan, assessments, completion)"
    )


class LooseSettings(ProgramSettings, forbid_unknown_fields=False):
    """Accepts typos in site files."""


class MutableSettings(ProgramSettings, frozen=False):
    """Can be changed after validation."""


class LookAlikeSettings(msgspec.Struct, frozen=True, kw_only=True, forbid_unknown_fields=True):
    """Strict, but not a ProgramSettings: it lacks tracks and capacity."""

    tracks: tuple[str, ...]


@pytest.mark.parametrize(
    ("schema", "problem"),
    [
        (LooseSettings, "settings_schema must be frozen and forbid unknown fields"),
        (MutableSettings, "settings_schema must be frozen and forbid unknown fields"),
        (LookAlikeSettings, "settings_schema must be a subclass of core.plugin.ProgramSettings"),
        (
            SampleSettings(tracks=("base",), capacity=3),
            "settings_schema must be a subclass of core.plugin.ProgramSettings",
        ),
        (dict, "settings_schema must be a subclass of core.plugin.ProgramSettings"),
    ],
    ids=["not-forbidding-unknown-fields", "not-frozen", "not-a-subclass", "an-instance", "dict"],
)
def test_a_settings_schema_that_is_not_a_strict_program_settings_is_refused(
    schema: object, problem: str
) -> None:
    host = host_with(("acme", Registers(Sample(settings_schema=schema))))
    with pytest.raises(PluginError) as raised:
        host.validate()
    assert str(raised.value) == f"plugin 'acme', program 'cuisine': {problem}"


@pytest.mark.parametrize(
    ("attributes", "problem"),
    [
        (
            {"curriculum": (Unit(key="u9", track="advanced", title="Suite", hours=2),)},
            "unit 'u9' belongs to unknown track 'advanced'",
        ),
        ({"tracks": ()}, "declares no track"),
        ({"tracks": Sample.tracks * 2}, "declares a track twice: ['base', 'base']"),
        ({"tracks": ({"key": "base"},)}, "tracks must be a tuple of core.plugin.Track"),
        ({"curriculum": [Sample.curriculum[0]]}, "curriculum must be a tuple of core.plugin.Unit"),
    ],
    ids=["unit-on-unknown-track", "no-track", "track-twice", "track-not-a-track", "unit-list"],
)
def test_a_malformed_curriculum_is_named(attributes: dict[str, Any], problem: str) -> None:
    host = host_with(("acme", Registers(Sample(**attributes))))
    with pytest.raises(PluginError) as raised:
        host.validate()
    assert str(raised.value) == f"plugin 'acme', program 'cuisine': {problem}"


def test_a_malformed_key_is_named() -> None:
    host = host_with(("acme", Registers(Sample(key="Robotique!"))))
    with pytest.raises(PluginError, match=r"^plugin 'acme', program 'Robotique!': key must be"):
        host.validate()


class Raises:
    """A plugin whose every hook raises."""

    @hookimpl
    def essaim_register_programs(self) -> list[object]:
        raise RuntimeError("curriculum file missing")

    @hookimpl
    def essaim_register_routes(self) -> list[object]:
        raise RuntimeError("curriculum file missing")

    @hookimpl
    def essaim_piccolo_apps(self) -> list[str]:
        raise RuntimeError("curriculum file missing")

    @hookimpl
    def essaim_demo_data(self, site: SiteInfo, today: date) -> list[DemoCohort]:
        raise RuntimeError("curriculum file missing")


SITE = SiteInfo(slug="lyon", name="Lyon", timezone="Europe/Paris", programs={})


@pytest.mark.parametrize(
    ("hook", "call"),
    [
        ("essaim_register_programs", PluginHost.programs),
        ("essaim_register_routes", PluginHost.routes),
        ("essaim_piccolo_apps", PluginHost.piccolo_apps),
        ("essaim_demo_data", lambda host: host.demo_cohorts(SITE, date(2026, 9, 1))),
    ],
)
def test_a_hook_that_raises_is_named_with_its_plugin(hook: str, call: Any) -> None:
    host = host_with(("atelier", Registers(Sample())), ("broken", Raises()))
    with pytest.raises(PluginError) as raised:
        call(host)
    assert str(raised.value) == (
        f"plugin 'broken' raised in {hook}: RuntimeError: curriculum file missing"
    )
    assert isinstance(raised.value.__cause__, RuntimeError)


class Contributes:
    """A plugin that returns what it is given from the routes and Piccolo apps hooks."""

    def __init__(self, *, routes: tuple[Any, ...] = (), apps: tuple[str, ...] = ()) -> None:
        self.routes, self.apps = list(routes), list(apps)

    @hookimpl
    def essaim_register_routes(self) -> list[Any]:
        return self.routes

    @hookimpl
    def essaim_piccolo_apps(self) -> list[str]:
        return self.apps


async def not_a_route() -> dict[str, str]:
    return {}


def test_a_route_that_is_not_a_litestar_handler_is_named() -> None:
    host = host_with(("acme", Contributes(routes=(not_a_route,))))
    with pytest.raises(PluginError) as raised:
        host.validate()
    assert str(raised.value).startswith("plugin 'acme' returned <function not_a_route at ")
    assert str(raised.value).endswith(
        "from essaim_register_routes: not a Litestar route handler, controller or router"
    )


@pytest.mark.parametrize(
    ("app", "problem"),
    [
        (
            "acme_missing.piccolo_app",
            "could not be imported: ModuleNotFoundError: No module named 'acme_missing'",
        ),
        ("core.plugin", "has no APP_CONFIG"),
    ],
    ids=["missing", "not-an-app"],
)
def test_a_piccolo_app_that_does_not_load_is_named(app: str, problem: str) -> None:
    host = host_with(("acme", Contributes(apps=(app,))))
    with pytest.raises(PluginError) as raised:
        host.validate()
    assert str(raised.value) == f"plugin 'acme' names Piccolo app {app!r}, which {problem}"


class Misspelled:
    """``essaim_register_program``, singular: a hook that does not exist."""

    @hookimpl
    def essaim_register_program(self) -> list[object]:
        return [Sample()]


def test_a_misspelled_hook_fails_at_load_naming_the_plugin() -> None:
    with pytest.raises(PluginError) as raised:
        host_with(("atelier", Registers(Sample(key="atelier"))), ("acme", Misspelled()))
    assert str(raised.value) == (
        "plugin 'acme' implements unknown hook 'essaim_register_program' "
        "(did you mean 'essaim_register_programs'?)"
    )
    # pluggy's check_pending found it, before any hook ran.
    assert isinstance(raised.value.__cause__, pluggy.PluginValidationError)


class WrongArguments:
    """``essaim_demo_data`` asking for an argument the hook does not pass."""

    @hookimpl
    def essaim_demo_data(self, site: SiteInfo, day: date) -> list[DemoCohort]:
        return []


def test_a_hook_with_unknown_arguments_fails_at_load_naming_the_plugin() -> None:
    with pytest.raises(PluginError, match=r"(?s)^plugin 'acme' could not be registered: .*'day'"):
        host_with(("acme", WrongArguments()))


# The outside plugin, installed as a user would install it.


ROBOTIQUE_SITE = """\
slug = "lyon"
name = "Lyon"
status = "opening"
department = "69"
timezone = "Europe/Paris"

[programs.robotique]
tracks = ["decouverte"]
capacity = 8
kits = 4
"""


@pytest.fixture(scope="module")
def outside_plugin_env(tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    """An environment where acme-essaim is installed (in a folder of its own) next to essaim."""
    target = tmp_path_factory.mktemp("outside-plugin")
    install(OUTSIDE_PLUGIN, target)
    assert (target / "acme_essaim" / "migrations").is_dir()
    sites = tmp_path_factory.mktemp("sites")
    (sites / "lyon.toml").write_text(ROBOTIQUE_SITE, encoding="utf-8")
    return environment(
        PYTHONPATH=str(target), ESSAIM_SITES_DIR=str(sites), ESSAIM_VAR_DIR=str(target / "var")
    )


def test_an_outside_plugin_is_listed_next_to_the_built_ins(
    outside_plugin_env: dict[str, str],
) -> None:
    listed = essaim(outside_plugin_env, "plugins", "list", "--json")
    assert listed.returncode == 0, listed.stderr
    rows = {row["name"]: row for row in json.loads(listed.stdout)}
    assert sorted(rows) == ["acme", "digistart", "digital", "digitous"]
    assert rows["acme"] == {
        "name": "acme",
        "module": "acme_essaim",
        "version": "0.3.1",
        "hooks": [
            "essaim_demo_data",
            "essaim_on_cohort_changed",
            "essaim_piccolo_apps",
            "essaim_register_programs",
            "essaim_register_routes",
        ],
        "programs": ["robotique"],
    }
    for built_in in ("digistart", "digital", "digitous"):
        assert rows[built_in]["version"] == version("essaim")
        assert rows[built_in]["module"] == f"plugins.{built_in}"
        assert rows[built_in]["programs"] == [built_in]


def test_a_site_file_is_validated_with_the_outside_plugin_settings(
    outside_plugin_env: dict[str, str], tmp_path: Path
) -> None:
    checked = essaim(outside_plugin_env, "sites", "check")
    assert checked.returncode == 0, checked.stderr
    assert "lyon: ok" in checked.stdout
    assert "robotique" in checked.stdout

    # The plugin's own field is checked by its own schema, with the field path.
    (tmp_path / "lyon.toml").write_text(ROBOTIQUE_SITE.replace("kits", "kit"), encoding="utf-8")
    failed = essaim(outside_plugin_env | {"ESSAIM_SITES_DIR": str(tmp_path)}, "sites", "check")
    assert failed.returncode == 1
    assert "lyon.toml" in failed.stderr
    assert "$.programs.robotique" in failed.stderr
    assert "Traceback" not in failed.stderr


def test_without_the_outside_plugin_its_site_file_is_refused(
    outside_plugin_env: dict[str, str],
) -> None:
    # The same site file, the same command, the plugin not installed: "unknown program".
    env = {key: value for key, value in outside_plugin_env.items() if key != "PYTHONPATH"}
    failed = essaim(env, "sites", "check")
    assert failed.returncode == 1
    assert "unknown program 'robotique'" in failed.stderr


def test_the_outside_plugin_tables_are_migrated_by_essaim_migrate(
    outside_plugin_env: dict[str, str],
) -> None:
    migrated = essaim(outside_plugin_env, "migrate")
    assert migrated.returncode == 0, migrated.stderr
    database = Path(outside_plugin_env["ESSAIM_VAR_DIR"]) / "essaim.sqlite3"
    with sqlite3.connect(database) as connection:
        tables = {row[0] for row in connection.execute("SELECT name FROM sqlite_master")}
        applied = [row[0] for row in connection.execute("SELECT app_name FROM migration")]
        references = connection.execute("PRAGMA foreign_key_list(acme_kit_loan)").fetchall()
    assert {"cohort", "acme_kit_loan"} <= tables
    # After every core app; the order among plugins' apps (the built-in ones have tables too)
    # is not the contract.
    core_apps = [i for i, name in enumerate(applied) if name.startswith("essaim_")]
    assert applied.index("acme_kits") > max(core_apps)
    assert [(row[2], row[3]) for row in references] == [("cohort", "cohort")]


@pytest.mark.parametrize("option", ["tryfirst", "trylast", "wrapper", "hookwrapper"])
def test_call_order_options_are_refused_naming_the_plugin(option):
    class Ordered:
        @hookimpl(**{option: True})
        def essaim_register_programs(self):
            yield  # a wrapper's shape; never called
            return []

    with pytest.raises(
        PluginError,
        match=rf"plugin 'ordered' marks essaim_register_programs "
        rf"with {option}",
    ):
        load_plugins(load_entrypoints=False, plugins=[("ordered", Ordered())])


class Reports:
    """A plugin that registers the cuisine program and declares the indicators given."""

    def __init__(self, *declared: object) -> None:
        self.declared = list(declared)

    @hookimpl
    def essaim_register_programs(self) -> list[object]:
        return [Sample()]

    @hookimpl
    def essaim_indicators(self) -> list[object]:
        return self.declared


def _count(name: str = "dishes") -> ProgramCount:
    return ProgramCount(name=name, title="Plats", definition="Plats servis.", condition="1 = 1")


@pytest.mark.parametrize(
    ("declared", "problem"),
    [
        ({"program": "robotique"}, "indicators of program 'robotique', which it does not"),
        ({"tracks": ("advanced",)}, "unknown tracks ['advanced'] of 'cuisine'"),
        ({"counts": (_count("Dishes!"),)}, "indicator name 'Dishes!': lower-case letters"),
        ({"counts": (_count("completed"),)}, "indicator 'completed' twice (or one of core's)"),
        (
            {"rates": (ProgramRate(name="share", title="T", definition="D.", numerator="dishes",
                                   denominator="guests"),)},
            "rate 'share' over 'guests', which is not one of its counts",
        ),
    ],
)  # fmt: skip
def test_essaim_indicators_malformed_are_refused_naming_the_plugin(
    declared: dict[str, Any], problem: str
) -> None:
    item = ProgramIndicators(**{"program": "cuisine", "counts": (_count(),), **declared})
    host = host_with(("atelier", Reports(item)))
    with pytest.raises(PluginError) as raised:
        host.validate()
    assert str(raised.value).startswith("plugin 'atelier' returned from essaim_indicators ")
    assert problem in str(raised.value)


def test_essaim_indicators_well_formed_are_served_as_a_report_of_the_program() -> None:
    from core.reporting.program_sets import program_sets

    item = ProgramIndicators(program="cuisine", counts=(_count(),), certified="SELECT 1")
    [indicators] = program_sets(host_with(("atelier", Reports(item)))).values()
    assert indicators.key == "cuisine"
    assert indicators.shown == ("entered", "completed", "dishes")
    assert "program = 'cuisine'" in indicators.population
