"""The plugin manager: loads the ``essaim`` entry points, validates what plugins return.

Only ``PluginHost`` calls hooks, so that tracing, error attribution and checks
live in one place. It is built by the app factory or the CLI, never at import.
"""

from __future__ import annotations

import difflib
import importlib
import inspect
import re
import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from functools import cached_property
from importlib.metadata import entry_points
from typing import Any

import msgspec
import pluggy
import structlog
from litestar import Controller, Router
from litestar.handlers import BaseRouteHandler
from piccolo.conf.apps import AppConfig

from core import hookspecs
from core.plugin import (
    INDICATOR_NAME,
    PROJECT_NAME,
    Assessment,
    CohortChanged,
    DemoCohort,
    Key,
    NoPersonalData,
    PersonalColumn,
    Program,
    ProgramIndicators,
    ProgramSettings,
    SiteInfo,
    Track,
    Unit,
)

log = structlog.get_logger(__name__)

ENTRY_POINT_GROUP = PROJECT_NAME


class PluginError(Exception):
    """A plugin failed to load, broke the contract, or raised; the message names it."""


@dataclass(frozen=True, slots=True)
class PluginInfo:
    """One registered plugin, as ``essaim plugins list`` shows it."""

    name: str
    module: str
    version: str
    hooks: tuple[str, ...]
    programs: tuple[str, ...]


def load_plugins(
    *,
    load_entrypoints: bool = True,
    plugins: Iterable[tuple[str, object]] = (),
    trace: bool = False,
) -> PluginHost:
    """Build the plugin host: hookspecs, installed plugins, then the ``plugins`` given.

    ``check_pending`` runs last, so that a hook name that matches no spec fails here.
    """
    pm = pluggy.PluginManager(PROJECT_NAME)
    versions: dict[str, str] = {}
    pm.add_hookspecs(hookspecs)
    if load_entrypoints:
        declared: dict[str, str] = {}
        for ep in entry_points(group=ENTRY_POINT_GROUP):
            origin = f"{ep.value} from {ep.dist.name if ep.dist else 'an unknown distribution'}"
            if ep.name in declared:
                # Keeping whichever comes first on sys.path would make the choice silent.
                raise PluginError(
                    f"plugin name {ep.name!r} is declared twice: by {declared[ep.name]} "
                    f"and by {origin}"
                )
            declared[ep.name] = origin
            try:
                plugin = ep.load()
            except Exception as exc:
                raise PluginError(
                    f"plugin {ep.name!r} ({ep.value}) could not be loaded: {exc}"
                ) from exc
            _register(pm, plugin, ep.name)
            if ep.dist is not None:
                versions[ep.name] = ep.dist.version
    for name, plugin in plugins:
        _register(pm, plugin, name)
    try:
        pm.check_pending()
    except pluggy.PluginValidationError as exc:
        raise PluginError(_unknown_hooks_message(pm, exc.plugin)) from exc
    _refuse_call_order_options(pm)
    return PluginHost(pm, versions=versions, trace=trace)


def _refuse_call_order_options(pm: pluggy.PluginManager) -> None:
    """Refuse wrappers and tryfirst/trylast: hooks are called one plugin at a time, in name
    order, so that results are attributed and never depend on order; those options would
    silently do nothing."""
    for caller in pm.hook.__dict__.values():
        if not isinstance(caller, pluggy.HookCaller):
            continue
        for impl in caller.get_hookimpls():
            options = [
                option
                for option in ("wrapper", "hookwrapper", "tryfirst", "trylast")
                if getattr(impl, option)
            ]
            if options:
                raise PluginError(
                    f"plugin {impl.plugin_name!r} marks {caller.name} with "
                    f"{', '.join(options)}: Essaim calls every plugin on its own, "
                    "and no behaviour may depend on call order"
                )


def _unknown_hooks_message(pm: pluggy.PluginManager, plugin: object) -> str:
    """Name the plugin (pluggy's message shows its repr) and suggest the hook it meant."""
    name = pm.get_name(plugin) or repr(plugin)
    unknown = sorted(
        caller.name for caller in pm.get_hookcallers(plugin) or () if not caller.has_spec()
    )
    hints = [
        f"{hook!r} (did you mean {close[0]!r}?)" if close else repr(hook)
        for hook in unknown
        for close in [difflib.get_close_matches(hook, hook_names(), n=1)]
    ]
    return f"plugin {name!r} implements unknown hook {', '.join(hints)}"


def _register(pm: pluggy.PluginManager, plugin: object, name: str) -> None:
    try:
        pm.register(plugin, name=name)
    except (ValueError, pluggy.PluginValidationError) as exc:
        raise PluginError(f"plugin {name!r} could not be registered: {exc}") from exc


class PluginHost:
    """The one typed facade over ``pm.hook``; validates results and names culprits."""

    def __init__(
        self, pm: pluggy.PluginManager, *, versions: dict[str, str], trace: bool = False
    ) -> None:
        self.pm = pm
        self.versions = versions
        self.trace = trace

    def _impls(self, hook_name: str) -> list[pluggy.HookImpl]:
        """A hook's implementations by plugin name, so that no outcome depends on load order."""
        caller = getattr(self.pm.hook, hook_name)
        return sorted(caller.get_hookimpls(), key=lambda impl: impl.plugin_name)

    def _call_one(self, impl: pluggy.HookImpl, hook_name: str, kwargs: dict[str, Any]) -> Any:
        """Call one implementation; what it raises becomes a PluginError naming it."""
        started = time.perf_counter()
        # Whatever the plugin logs carries its name and the hook.
        with structlog.contextvars.bound_contextvars(plugin=impl.plugin_name, hook=hook_name):
            try:
                result = impl.function(**{k: kwargs[k] for k in impl.argnames})
            except Exception as exc:
                raise PluginError(
                    f"plugin {impl.plugin_name!r} raised in {hook_name}: "
                    f"{type(exc).__name__}: {exc}"
                ) from exc
            if self.trace:
                log.info("plugin_hook_called", ms=round((time.perf_counter() - started) * 1000, 3))
        return result

    def _call(self, hook_name: str, **kwargs: Any) -> list[tuple[str, Any]]:
        """Call each implementation of a hook and pair every result with its plugin's name."""
        results: list[tuple[str, Any]] = []
        for impl in self._impls(hook_name):
            result = self._call_one(impl, hook_name, kwargs)
            if result is not None:
                results.append((impl.plugin_name, result))
        return results

    def _notify(self, hook_name: str, kwargs: dict[str, Any], **ids: Any) -> list[PluginError]:
        """Call an event hook on every plugin, even after one raised; log and return failures.

        ``ids`` go into the log line: ids only, since an event's log must hold no personal data.
        """
        failures: list[PluginError] = []
        for impl in self._impls(hook_name):
            try:
                self._call_one(impl, hook_name, kwargs)
            except PluginError as exc:
                failures.append(exc)
                log.error(
                    "plugin_event_failed",
                    plugin=impl.plugin_name,
                    hook=hook_name,
                    error_type=type(exc.__cause__).__name__,
                    **ids,
                )
        return failures

    @cached_property
    def _programs(self) -> dict[str, tuple[str, Program]]:
        found: dict[str, tuple[str, Program]] = {}
        for plugin_name, programs in self._call("essaim_register_programs"):
            for program in programs:
                _check_program(plugin_name, program)
                if program.key in found:
                    raise PluginError(
                        f"program key {program.key!r} registered by {found[program.key][0]} "
                        f"and by {plugin_name}"
                    )
                found[program.key] = (plugin_name, program)
        return dict(sorted(found.items()))

    def programs(self) -> list[Program]:
        """Every registered program, ordered by key."""
        return [program for _, program in self._programs.values()]

    def program(self, key: str) -> Program | None:
        """The program that owns ``key``, or None when no plugin registers it."""
        entry = self._programs.get(key)
        return entry[1] if entry else None

    def program_owner(self, key: str) -> str:
        """The name of the plugin that registered program ``key``."""
        return self._programs[key][0]

    def routes(self) -> list[Any]:
        """Every route handler, controller or router the plugins contribute."""
        found = []
        for plugin_name, routes in self._call("essaim_register_routes"):
            for route in routes:
                if not (
                    isinstance(route, BaseRouteHandler | Router)
                    or (inspect.isclass(route) and issubclass(route, Controller))
                ):
                    raise PluginError(
                        f"plugin {plugin_name!r} returned {route!r} from essaim_register_routes: "
                        "not a Litestar route handler, controller or router"
                    )
                found.append(route)
        return found

    def piccolo_apps(self) -> list[str]:
        """The dotted paths of the plugins' Piccolo apps, each checked to import."""
        found = []
        for plugin_name, apps in self._call("essaim_piccolo_apps"):
            for path in apps:
                _check_piccolo_app(plugin_name, path)
                found.append(path)
        return found

    def personal_data(self) -> list[tuple[str, PersonalColumn]]:
        """Each plugin's declared personal columns, with the plugin's name."""
        return [
            (plugin_name, item)
            for plugin_name, item in self._personal_declarations()
            if isinstance(item, PersonalColumn)
        ]

    def tables_without_personal_data(self) -> list[tuple[str, NoPersonalData]]:
        """The tables each plugin declares as holding no personal data, with its name."""
        return [
            (plugin_name, item)
            for plugin_name, item in self._personal_declarations()
            if isinstance(item, NoPersonalData)
        ]

    def _personal_declarations(self) -> list[tuple[str, PersonalColumn | NoPersonalData]]:
        found = []
        for plugin_name, items in self._call("essaim_personal_data"):
            for item in items:
                if not isinstance(item, PersonalColumn | NoPersonalData):
                    raise PluginError(
                        f"plugin {plugin_name!r} returned {item!r} from essaim_personal_data: "
                        "not a core.plugin.PersonalColumn nor a core.plugin.NoPersonalData"
                    )
                found.append((plugin_name, item))
        return found

    @cached_property
    def _indicators(self) -> dict[str, ProgramIndicators]:
        found: dict[str, ProgramIndicators] = {}
        for plugin_name, declared in self._call("essaim_indicators"):
            for item in declared:
                _check_indicators(plugin_name, item, self._programs)
                if item.program in found:
                    raise PluginError(
                        f"plugin {plugin_name!r} declares the indicators of program "
                        f"{item.program!r} twice"
                    )
                found[item.program] = item
        return dict(sorted(found.items()))

    def indicators(self) -> list[ProgramIndicators]:
        """The programs' own indicators, checked, ordered by program key."""
        return list(self._indicators.values())

    def demo_cohorts(self, site: SiteInfo, today: date) -> list[DemoCohort]:
        """The demo cohorts every plugin proposes for ``site``, checked against its programs."""
        cohorts: list[DemoCohort] = []
        for plugin_name, proposed in self._call("essaim_demo_data", site=site, today=today):
            for cohort in proposed:
                owner = self._programs.get(cohort.program)
                if owner is None or owner[0] != plugin_name:
                    raise PluginError(
                        f"plugin {plugin_name!r} proposed a demo cohort for program "
                        f"{cohort.program!r}, which it does not own"
                    )
                cohorts.append(cohort)
        return cohorts

    def notify_cohort_changed(self, event: CohortChanged) -> None:
        """Tell every plugin that a cohort changed; a plugin that raises is logged, not fatal."""
        self._notify("essaim_on_cohort_changed", {"event": event}, cohort_id=event.cohort_id)

    def validate(self) -> None:
        """Run every registration hook once, so that contract errors surface at start-up."""
        self.programs()
        self.piccolo_apps()
        self.routes()
        self.indicators()

    def info(self) -> list[PluginInfo]:
        """Each registered plugin with its version, hooks and programs."""
        rows = []
        for name, plugin in self.pm.list_name_plugin():
            if plugin is None:
                continue
            hooks = tuple(sorted(caller.name for caller in self.pm.get_hookcallers(plugin) or ()))
            programs = tuple(key for key, (owner, _) in self._programs.items() if owner == name)
            rows.append(
                PluginInfo(
                    name=name,
                    module=getattr(plugin, "__name__", type(plugin).__name__),
                    version=self.versions.get(name, "unregistered"),
                    hooks=hooks,
                    programs=programs,
                )
            )
        return sorted(rows, key=lambda row: row.name)


def _check_program(plugin_name: str, program: object) -> None:
    """Raise a PluginError naming the plugin when ``program`` breaks the Program contract."""

    def fail(problem: str) -> PluginError:
        key = getattr(program, "key", "?")
        return PluginError(f"plugin {plugin_name!r}, program {key!r}: {problem}")

    if not isinstance(program, Program):
        missing = [
            name
            for name in (
                "key",
                "title",
                "summary",
                "tracks",
                "curriculum",
                "settings_schema",
                "eligibility",
                "admission_steps",
                "session_plan",
                "assessments",
                "completion",
            )
            if not hasattr(program, name)
        ]
        raise fail(f"is not a Program (missing: {', '.join(missing)})")
    try:
        msgspec.convert(program.key, Key)
    except msgspec.ValidationError as exc:
        raise fail(f"key must be lowercase letters, digits and underscores ({exc})") from None
    for attribute, kind in (("tracks", Track), ("curriculum", Unit)):
        items = getattr(program, attribute)
        if not isinstance(items, tuple) or not all(isinstance(item, kind) for item in items):
            raise fail(f"{attribute} must be a tuple of core.plugin.{kind.__name__}")
    track_keys = [track.key for track in program.tracks]
    if not track_keys:
        raise fail("declares no track")
    if len(set(track_keys)) != len(track_keys):
        raise fail(f"declares a track twice: {track_keys}")
    for unit in program.curriculum:
        if unit.track not in track_keys:
            raise fail(f"unit {unit.key!r} belongs to unknown track {unit.track!r}")
    for track in track_keys:
        _check_assessments(program.assessments(track), track, fail)
    schema = program.settings_schema
    if not (inspect.isclass(schema) and issubclass(schema, ProgramSettings)):
        raise fail("settings_schema must be a subclass of core.plugin.ProgramSettings")
    config = schema.__struct_config__
    if not (config.frozen and config.forbid_unknown_fields):
        raise fail("settings_schema must be frozen and forbid unknown fields")


def _check_assessments(assessments: object, track: str, fail: Callable[[str], PluginError]) -> None:
    """Raise when a track's assessments are not a tuple of Assessment with distinct keys."""
    if not isinstance(assessments, tuple) or not all(
        isinstance(item, Assessment) for item in assessments
    ):
        raise fail(f"assessments({track!r}) must return a tuple of core.plugin.Assessment")
    keys = [item.key for item in assessments]
    if len(set(keys)) != len(keys):
        raise fail(f"assessments({track!r}) name a key twice: {keys}")


CORE_LEARNER_COUNTS = ("entered", "completed")
"""Counts core gives every program's indicators, which a program's rates may use."""


def _check_indicators(
    plugin_name: str, item: object, programs: dict[str, tuple[str, Program]]
) -> None:
    """Refuse a declaration of indicators that is not the plugin's own or not well formed."""

    def fail(problem: str) -> PluginError:
        return PluginError(f"plugin {plugin_name!r} returned from essaim_indicators {problem}")

    if not isinstance(item, ProgramIndicators):
        raise fail(f"{item!r}: not a core.plugin.ProgramIndicators")
    owner = programs.get(item.program)
    if owner is None or owner[0] != plugin_name:
        raise fail(f"indicators of program {item.program!r}, which it does not register")
    unknown_tracks = set(item.tracks) - {track.key for track in owner[1].tracks}
    if unknown_tracks:
        raise fail(f"unknown tracks {sorted(unknown_tracks)} of {item.program!r}")
    names = [*CORE_LEARNER_COUNTS]
    for indicator in (*item.counts, *item.rates):
        if not re.fullmatch(INDICATOR_NAME, indicator.name):
            raise fail(f"indicator name {indicator.name!r}: lower-case letters, digits and _")
        if indicator.name in names:
            raise fail(f"indicator {indicator.name!r} twice (or one of core's)")
        if not indicator.title.strip() or not indicator.definition.strip():
            raise fail(f"indicator {indicator.name!r} without a French title and definition")
        names.append(indicator.name)
    counts = {*CORE_LEARNER_COUNTS, *(count.name for count in item.counts)}
    for rate in item.rates:
        for part in (rate.numerator, rate.denominator):
            if part not in counts:
                raise fail(f"rate {rate.name!r} over {part!r}, which is not one of its counts")


def _check_piccolo_app(plugin_name: str, path: str) -> None:
    """Raise a PluginError naming the plugin when ``path`` is not an importable Piccolo app."""
    try:
        module = importlib.import_module(path)
    except Exception as exc:
        raise PluginError(
            f"plugin {plugin_name!r} names Piccolo app {path!r}, which could not be imported: "
            f"{type(exc).__name__}: {exc}"
        ) from exc
    if not isinstance(getattr(module, "APP_CONFIG", None), AppConfig):
        raise PluginError(
            f"plugin {plugin_name!r} names Piccolo app {path!r}, which has no APP_CONFIG"
        )


def hook_names() -> Sequence[str]:
    """The names of every hook in the contract, for documentation and meta-tests."""
    return sorted(name for name in dir(hookspecs) if name.startswith("essaim_"))
