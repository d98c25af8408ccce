"""The contract test kit (core.plugin.testing), run by every plugin against itself.

The three built-ins and the outside plugin run it as any plugin would, by subclassing
``ContractTests``; a deliberately broken plugin (tests/fixtures/broken_plugin) shows that every
check can fail, and that each message says where and what to fix.
"""

from __future__ import annotations

from typing import Any

import pytest
from litestar import Controller, Router, get

from core.plugin import (
    CompletionDecision,
    CompletionFacts,
    Finding,
    NoPersonalData,
    Program,
    ProgramSettings,
    Track,
    hookimpl,
)
from core.plugin.services import ANY_ACCOUNT, access
from core.plugin.testing import (
    CHECKS,
    ContractTests,
    PluginNotFound,
    assert_contract,
    check_plugin,
    plugin_by_name,
)
from core.plugins import load_plugins
from tests.fixtures import broken_plugin, outside_plugin
from tests.toy_program import Atelier, AtelierPlugin


class TestDigitalContract(ContractTests):
    plugin = "digital"
    external_programs = ("digistart",)


class TestDigistartContract(ContractTests):
    plugin = "digistart"
    external_programs = ("digitous",)


class TestDigitousContract(ContractTests):
    plugin = "digitous"


class TestOutsidePluginContract(ContractTests):
    plugin = outside_plugin()
    name = "acme"


class TestToyProgramContract(ContractTests):
    plugin = AtelierPlugin()
    name = "atelier"


def _problems(plugin: object, **options: Any) -> list[tuple[str, str]]:
    return [(problem.check, str(problem)) for problem in check_plugin(plugin, **options)]


def test_the_broken_plugin_fails_every_check_with_what_to_fix() -> None:
    found = _problems(broken_plugin, name="broken")
    assert {check for check, _ in found} == set(CHECKS) - {"startup"}
    messages = [message for _, message in found]
    expected = [
        "plugin 'broken', program 'casse', track 'base': its units add up to 8 h but the track "
        "declares 10 h; change Track.hours or the units' hours",
        "plugin 'broken', program 'casse', track 'vide': has no unit",
        "plugin 'broken', program 'casse': CasseSettings does not build from the minimal site "
        "block {'tracks': ['base', 'vide'], 'capacity': 12}: Object missing required field "
        "`rooms`; give every field but tracks and capacity a default",
        "plugin 'broken', program 'bancal', track 'pratique': session 2 of the plan is numbered 3",
        "plugin 'broken', program 'bancal', track 'pratique', unit 'u2': session 3 lasts 0 minutes",
        "plugin 'broken', program 'bancal', track 'pratique', unit 'ailleurs': session 4 names "
        "a unit that is not one of the track's (['u1', 'u2'])",
        "plugin 'broken', program 'bancal', track 'pratique': the plan has 4 h of sessions but "
        "the track lasts 6 h",
        "plugin 'broken', program 'bancal', track 'pratique', unit 'ailleurs': assessment "
        "'hors' closes a unit that is not one of the track's",
        "plugin 'broken', program 'bancal', track 'pratique': eligibility() for a newcomer "
        "returned []; return a list of core.plugin.Finding, at least one",
        "plugin 'broken', program 'bancal', track 'pratique': eligibility() for a beginner in "
        "French returned a finding without a rule id or a reason",
        "plugin 'broken', program 'bancal', track 'pratique': completion() completes a learner "
        "who attended no hour and has no result",
        "plugin 'broken', program 'bancal', track 'pratique': completion() offers program "
        "'fantome', which this plugin does not register; if another plugin provides it, "
        "declare it external",
        "plugin 'broken', program 'bancal', track 'pratique': completion() offers unknown "
        "track 'inconnu'; offer one of ['pratique']",
        "plugin 'broken', program 'bancal', track 'inconnu', hook essaim_demo_data: proposes a "
        "cohort on a track the site does not offer (['pratique'])",
        "plugin 'broken', program 'bancal', track 'inconnu', hook essaim_demo_data: proposes "
        "cohort 'Bancal' from 2027-01-04 to 2027-01-03 for 0 learners",
        "plugin 'broken', hook essaim_demo_data: proposes 1 cohort(s) for a site that runs "
        "none of its programs; return an empty list",
        "plugin 'broken', hook essaim_register_routes: serves /api/v1/casse/ping; put the "
        "plugin's routes under /api/v1/programs/bancal/... or /api/v1/programs/casse/...",
        "plugin 'broken', hook essaim_register_routes: GET /casse/ping declares no access rule",
        "plugin 'broken', hook essaim_piccolo_apps: table 'notes' (Notes) is not prefixed with "
        "a program key; name it bancal_...",
    ]
    for sentence in expected:
        assert any(message.startswith(sentence) for message in messages), sentence


def test_essaim_personal_data_declarations_are_checked_against_the_tables() -> None:
    found = [message for check, message in _problems(broken_plugin, name="broken")]
    place = "plugin 'broken', hook essaim_personal_data: "
    for sentence in (
        "PersonalColumn bancal_remark.texte names a column Remark does not have "
        "(columns: ['cohort', 'comment', 'id', 'learner'])",
        "PersonalColumn bancal_remark.comment says the learner is found through column "
        "'cohort', which is not a ForeignKey to core's learner or enrolment",
        "PersonalColumn bancal_missing.note names a table none of the plugin's Piccolo apps holds",
        "NoPersonalData for table 'bancal_badge' gives no reason",
        "table 'notes' links a learner and has text columns ['body'] but declares none of "
        "them; return a PersonalColumn for each personal one from essaim_personal_data, or "
        "NoPersonalData(table='notes', reason=...) if none is",
    ):
        assert any(message.startswith(place + sentence) for message in found), sentence


def test_essaim_personal_data_an_explicit_none_satisfies_the_kit() -> None:
    class Declared:
        """The broken plugin's tables, each declared with no personal data."""

        @hookimpl
        def essaim_piccolo_apps(self) -> list[str]:
            return [broken_plugin.PICCOLO_APP]

        @hookimpl
        def essaim_personal_data(self) -> list[NoPersonalData]:
            return [
                NoPersonalData(table=table, reason="codes only")
                for table in ("bancal_remark", "notes", "bancal_badge")
            ]

    found = _problems(Declared(), name="bancal")
    assert [message for check, message in found if check == "personal_data"] == []
    # The table that is not prefixed is still named, by its own check.
    assert [check for check, _ in found] == ["tables"]


def test_the_broken_plugin_fails_as_a_contract_test_class() -> None:
    class TestBroken(ContractTests):
        plugin = broken_plugin
        name = "broken"

    case = TestBroken()
    case.test_programs_pass_the_start_up_checks()
    with pytest.raises(AssertionError, match=r"has no unit; add Unit\(track=\.\.\.\)"):
        case.test_tracks_have_units_that_add_up_to_their_hours()
    with pytest.raises(AssertionError, match=r"serves /api/v1/casse/ping"):
        case.test_routes_live_under_the_programs_keys()
    with pytest.raises(AssertionError, match="the plugin breaks Essaim's contract"):
        assert_contract(broken_plugin, name="broken")


class Unfinished:
    """A program without a completion rule: start-up refuses it."""

    key = "inacheve"
    title = "Inachevé"
    summary = ""
    tracks = Atelier.tracks
    curriculum = Atelier.curriculum
    settings_schema = Atelier.settings_schema


class Registers:
    """A plugin that registers the programs it is given."""

    def __init__(self, *programs: object) -> None:
        self.programs = list(programs)

    @hookimpl
    def essaim_register_programs(self) -> list[object]:
        return self.programs


def test_a_plugin_that_fails_start_up_gets_that_problem_alone() -> None:
    found = check_plugin(Registers(Unfinished()), name="acme")
    assert [(problem.check, str(problem)) for problem in found] == [
        (
            "startup",
            "plugin 'acme': program 'inacheve': is not a Program (missing: eligibility, "
            "admission_steps, session_plan, assessments, completion) (Essaim refuses to start "
            "with this; the kit's other checks run once it is fixed)",
        )
    ]


class Jury(Atelier):
    """Completes only when the jury has said ``admis``, which no assessment of the kit's
    default facts carries."""

    def completion(self, facts: CompletionFacts) -> CompletionDecision:
        admitted = facts.deliverables.get("carnet") == "admis"
        finding = Finding(
            rule="J1",
            ok=admitted,
            reason="Le jury vous a admis." if admitted else "Le jury ne vous a pas encore admis.",
        )
        return CompletionDecision(completed=admitted, findings=(finding,))


def _admitted(program: Program, track: Track, settings: ProgramSettings) -> CompletionFacts:
    return CompletionFacts(
        track=track.key,
        scheduled_hours=track.hours,
        attended_hours=track.hours,
        deliverables={"carnet": "admis"},
        settings=settings,
    )


def test_a_plugin_gives_the_facts_of_a_learner_who_completes() -> None:
    refused = _problems(Registers(Jury()), name="acme")
    assert [check for check, _ in refused] == ["completion", "completion"]
    assert (
        "(Le jury ne vous a pas encore admis.); fix the rule, or give the kit the facts"
        in (refused[0][1])
    )
    assert _problems(Registers(Jury()), name="acme", complete_facts=_admitted) == []


def test_a_contract_test_class_passes_its_complete_facts() -> None:
    class TestJury(ContractTests):
        plugin = Registers(Jury())
        name = "acme"

        def complete_facts(
            self, program: Program, track: Track, settings: ProgramSettings
        ) -> CompletionFacts | None:
            return _admitted(program, track, settings)

    TestJury().test_completion_refuses_an_empty_record_and_completes_a_full_one()


class Ping(Controller):
    path = "/programs/atelier"
    opt = access(ANY_ACCOUNT)

    @get("/ping", operation_id="kitControllerPing")
    async def ping(self) -> dict[str, str]:
        return {}


@get("/ping", operation_id="kitRouterPing", opt=access(ANY_ACCOUNT))
async def router_ping() -> dict[str, str]:
    return {}


class Routes(AtelierPlugin):
    """The toy program with the routes it is given."""

    def __init__(self, *routes: Any) -> None:
        self.routes = list(routes)

    @hookimpl
    def essaim_register_routes(self) -> list[Any]:
        return self.routes


def test_routes_of_controllers_and_routers_are_checked_on_their_full_path() -> None:
    inside = Routes(Ping, Router(path="/programs/atelier/more", route_handlers=[router_ping]))
    assert _problems(inside, name="atelier") == []
    outside = Routes(Router(path="/programs/atelierx", route_handlers=[router_ping]))
    assert [message for _, message in _problems(outside, name="atelier")] == [
        "plugin 'atelier', hook essaim_register_routes: serves /api/v1/programs/atelierx/ping; "
        "put the plugin's routes under /api/v1/programs/atelier/..."
    ]


@get("/programs/atelier/open", operation_id="kitUndeclared")
async def undeclared() -> dict[str, str]:
    return {}


def test_a_route_without_an_access_rule_is_named() -> None:
    assert [message for _, message in _problems(Routes(undeclared), name="atelier")] == [
        "plugin 'atelier', hook essaim_register_routes: GET /programs/atelier/open declares no "
        "access rule; add opt=access(RULE) (core.plugin.services: ANY_ACCOUNT, COHORT_TEAM, "
        "SITE_MANAGERS...)"
    ]


def test_a_plugin_is_found_by_its_entry_point_name() -> None:
    assert plugin_by_name("digital") is load_plugins().pm.get_plugin("digital")
    with pytest.raises(PluginNotFound, match=r"no plugin 'robotiqe' in the 'essaim' entry-point"):
        plugin_by_name("robotiqe")
