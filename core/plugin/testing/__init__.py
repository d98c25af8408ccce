"""The contract test kit: the checks every plugin, built-in or outside, runs against itself.

A plugin's tests subclass ``ContractTests`` with the plugin's entry-point name (or the object
holding its hook implementations)::

    from core.plugin.testing import ContractTests


    class TestContract(ContractTests):
        plugin = "acme"

and get one test per check. ``check_plugin`` returns the problems as a list, for other uses;
``assert_contract`` raises with all of them. Every problem names the plugin and, where it
applies, the program, track, unit and hook, and says what to fix.

The checks load the plugin alone in core's plugin host, as start-up would, then call its
programs' pure methods on facts the kit makes up and its hooks on a made-up site. Nothing
here touches a database.
"""

from __future__ import annotations

from collections.abc import Collection
from datetime import date
from importlib.metadata import entry_points
from typing import ClassVar

from core.plugin import CompletionFacts, Program, ProgramSettings, Track
from core.plugin.testing.hooks import check_demo_data, check_routes
from core.plugin.testing.personal import check_tables
from core.plugin.testing.problems import Problem, where
from core.plugin.testing.programs import (
    CompleteFacts,
    best_passing,
    check_program,
    default_complete_facts,
    minimal_block,
)
from core.plugins import ENTRY_POINT_GROUP, PluginError, load_plugins

CHECKS = (
    "startup",
    "curriculum",
    "settings",
    "session_plan",
    "assessments",
    "eligibility",
    "completion",
    "next_offers",
    "demo_data",
    "routes",
    "tables",
    "personal_data",
)
"""Every check, in the order the kit runs them; ``Problem.check`` is one of these."""

TODAY = date(2027, 1, 4)
"""The reference date of the kit's made-up cohorts and demo."""


class PluginNotFound(LookupError):
    """No plugin of that name in the ``essaim`` entry-point group."""


def plugin_by_name(name: str) -> object:
    """The object that the ``essaim`` entry point ``name`` designates, loaded."""
    found = entry_points(group=ENTRY_POINT_GROUP, name=name)
    for entry_point in found:
        return entry_point.load()
    installed = sorted(ep.name for ep in entry_points(group=ENTRY_POINT_GROUP)) or ["none"]
    raise PluginNotFound(
        f"no plugin {name!r} in the {ENTRY_POINT_GROUP!r} entry-point group (installed: "
        f"{', '.join(installed)}); install the plugin's package (pip install -e .) or fix its "
        "[project.entry-points.essaim] table"
    )


def start_up_problem(name: str, error: PluginError) -> Problem:
    """The start-up check's error as a problem, without naming the plugin twice."""
    message = str(error)
    own = f"plugin {name!r}"
    if message.startswith(own):
        message = message[len(own) :].lstrip(",: ")
    return Problem(
        check="startup",
        where=where(name),
        message=f"{message} (Essaim refuses to start with this; the kit's other checks run "
        "once it is fixed)",
    )


def check_plugin(
    plugin: object,
    *,
    name: str | None = None,
    complete_facts: CompleteFacts | None = None,
    external_programs: Collection[str] = (),
    today: date = TODAY,
) -> list[Problem]:
    """Every problem the kit finds in ``plugin``: an entry-point name, or the module or object
    holding the hook implementations (then ``name`` is the name it is registered under).

    ``complete_facts(program, track, settings)`` gives the facts of a learner who completes a
    track, for programs where full attendance and every assessment at its best passing value
    are not enough; None from it lets the kit make them. ``external_programs`` are the keys of
    other plugins' programs that this plugin's completions may offer next.
    """
    if isinstance(plugin, str):
        name = name or plugin
        plugin = plugin_by_name(plugin)
    name = name or getattr(plugin, "__name__", type(plugin).__name__)
    try:
        host = load_plugins(load_entrypoints=False, plugins=[(name, plugin)])
        host.validate()
        programs = host.programs()
    except PluginError as exc:
        return [start_up_problem(name, exc)]
    problems: list[Problem] = []
    for program in programs:
        problems += check_program(
            name,
            program,
            complete_facts=complete_facts,
            external_programs=external_programs,
            today=today,
        )
    problems += check_demo_data(name, host, programs, today)
    problems += check_routes(name, host, programs)
    problems += check_tables(name, host, programs)
    return sorted(problems, key=lambda problem: CHECKS.index(problem.check))


def report(problems: list[Problem]) -> str:
    """The problems as lines to read, one per problem."""
    return "\n".join(f"- [{problem.check}] {problem}" for problem in problems)


def assert_contract(plugin: object, **options: object) -> None:
    """Raise AssertionError listing every problem ``check_plugin(plugin, **options)`` finds."""
    problems = check_plugin(plugin, **options)  # type: ignore[arg-type]
    if problems:
        raise AssertionError(f"the plugin breaks Essaim's contract:\n{report(problems)}")


class ContractTests:
    """Base class of a plugin's contract tests: one test per check of the kit.

    Set ``plugin`` to the entry-point name (the installed plugin is then what is checked) or
    to the module holding the hooks with ``name``; override ``complete_facts`` when a learner
    completes a track on more than full attendance and the best result of every assessment;
    list in ``external_programs`` the other plugins' programs that completions may offer.
    """

    plugin: ClassVar[object] = None
    name: ClassVar[str | None] = None
    external_programs: ClassVar[Collection[str]] = ()

    def complete_facts(
        self, program: Program, track: Track, settings: ProgramSettings
    ) -> CompletionFacts | None:
        """The facts of a learner who completes ``track``; None lets the kit make them."""
        return None

    def contract_problems(self, check: str) -> list[Problem]:
        """The problems of ``check``; the kit runs once per class."""
        cls = type(self)
        if "_contract_problems" not in cls.__dict__:
            if cls.plugin is None:
                raise TypeError(f"{cls.__name__}.plugin is not set: name the plugin to check")
            cls._contract_problems = check_plugin(  # type: ignore[attr-defined]
                cls.plugin,
                name=cls.name,
                complete_facts=self.complete_facts,
                external_programs=cls.external_programs,
            )
        found: list[Problem] = cls._contract_problems  # type: ignore[attr-defined]
        return [problem for problem in found if problem.check == check]

    def assert_check(self, check: str) -> None:
        """Raise AssertionError listing the problems of ``check``, if any."""
        problems = self.contract_problems(check)
        if problems:
            raise AssertionError(f"{len(problems)} problem(s):\n{report(problems)}")

    def test_programs_pass_the_start_up_checks(self) -> None:
        self.assert_check("startup")

    def test_tracks_have_units_that_add_up_to_their_hours(self) -> None:
        self.assert_check("curriculum")

    def test_settings_build_from_a_minimal_site_block_and_refuse_unknown_fields(self) -> None:
        self.assert_check("settings")

    def test_session_plans_cover_each_track(self) -> None:
        self.assert_check("session_plan")

    def test_assessments_are_well_formed(self) -> None:
        self.assert_check("assessments")

    def test_eligibility_gives_findings_with_rules_and_reasons(self) -> None:
        self.assert_check("eligibility")

    def test_completion_refuses_an_empty_record_and_completes_a_full_one(self) -> None:
        self.assert_check("completion")

    def test_next_offers_name_known_programs(self) -> None:
        self.assert_check("next_offers")

    def test_demo_data_proposes_only_own_programs(self) -> None:
        self.assert_check("demo_data")

    def test_routes_live_under_the_programs_keys(self) -> None:
        self.assert_check("routes")

    def test_tables_are_named_after_a_program(self) -> None:
        self.assert_check("tables")

    def test_personal_data_is_declared(self) -> None:
        self.assert_check("personal_data")


__all__ = [
    "CHECKS",
    "CompleteFacts",
    "ContractTests",
    "PluginNotFound",
    "Problem",
    "assert_contract",
    "best_passing",
    "check_plugin",
    "default_complete_facts",
    "minimal_block",
    "plugin_by_name",
    "report",
]
