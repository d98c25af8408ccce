"""The access matrix of the plugins' routes (issue 9): each, as every audience, answers what its
declared rule says, on a world whose site-A cohort runs the route's program. Core's routes
have theirs in tests/core/test_access_matrix.py; the machinery is in tests/access_matrix.py."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import httpx
import pytest
from litestar.handlers import HTTPRouteHandler

from core.auth.access import Audience
from core.clock import FrozenClock
from core.plugins import load_plugins
from plugins.digital.placement import TESTS
from tests import access_matrix as matrix
from tests.access_matrix import SITE_A, SITE_B, Call, World
from tests.plugins.conftest import REPO_SITES
from tests.plugins.digitous.steps import placement_body, signatories

HOST = load_plugins()
ROUTES = matrix.app_routes(HOST, REPO_SITES)


def _operation_ids(routes: list[Any]) -> set[str]:
    """The operation ids of the handlers the plugins contribute (alone or in controllers)."""
    found = set()
    for route in routes:
        handlers = [route] if isinstance(route, HTTPRouteHandler) else vars(route).values()
        found |= {h.operation_id for h in handlers if isinstance(h, HTTPRouteHandler)}
    return found


PLUGIN_ROUTES = [route for route in ROUTES if route.key in _operation_ids(HOST.routes())]
TRACKS = {"digital": "beginner", "digistart": "web", "digitous": "bootcamp"}
"""The track of each program's site-A cohort (for DIGITOUS, the bootcamp; the placement
cohort comes after it)."""
STARTS = date(2026, 10, 5)


def program_of(route: matrix.Route) -> str:
    """The program whose routes ``route`` is among: ``/api/v1/programs/<key>/...``."""
    return route.path.split("/")[4]


def placement_enrolment(world: World, audience: Audience) -> int:
    return world.ids["placement_enrolment"]


def placement_application(world: World, audience: Audience) -> int:
    return world.ids["placement_application"]


ON_PLACEMENT = {"enrolment_id": placement_enrolment}
CALLS: dict[str, Call] = {
    "digitalRecordAttempt": Call(
        json=lambda w: {
            "module": "computer_essentials",
            "syllabus": "6.0",
            "taken_on": "2026-08-31",
            "test_centre": "Centre PCIE Paris 19",
        }
    ),
    "digitalRecordCertificate": Call(
        json=lambda w: {"level": "base", "number": "FR-0042", "issued_on": "2026-08-31"}
    ),
    "digitalCreateExamSession": Call(
        json=lambda w: {
            "site": SITE_A,
            "test_centre": "Centre PCIE Paris 19",
            "held_on": "2026-11-13",
            "modules": ["computer_essentials"],
            "candidates": [w.ids["enrolment"]],
        }
    ),
    "digitalGetExamSession": Call(path={"session_id": lambda w, a: w.ids["exam_session"]}),
    "digitalImportResults": Call(
        path={"session_id": lambda w, a: w.ids["exam_session"]},
        query=lambda w: {"dry_run": "true"},
        content=lambda w: (
            "Référence;Module;Version;Score;Résultat\n"
            f"{w.ids['enrolment']};computer_essentials;6.0;80;réussi\n"
        ).encode(),
    ),
    "digitalScorePlacement": Call(
        path={"application_id": placement_application},
        json=lambda w: {
            "track": "intermediate",
            "sections": {s.key: s.pass_mark for s in TESTS["intermediate"].sections},
        },
    ),
    "digistartSubmitWebsite": Call(json=lambda w: {"address": "https://example.org/mon-site"}),
    "digistartReviewWebsite": Call(json=lambda w: {"decision": "accepted"}),
    "digitousRecordCodeReview": Call(
        json=lambda w: {
            "reviewer": "Karim, développeur bénévole",
            "repository": "https://git.example.org/promo/todo",
            "commit": "a1b2c3d4e5",
            "reviewed_on": "2026-09-01",
            "grade": "meets",
        }
    ),
    "digitousGetPlacement": Call(path=ON_PLACEMENT),
    "digitousCreatePlacement": Call(
        path=ON_PLACEMENT, json=lambda w: placement_body(w.ids["placement_starts"])
    ),
    "digitousRenewPlacement": Call(
        path=ON_PLACEMENT,
        json=lambda w: {"ends_on": (w.ids["placement_starts"] + timedelta(55)).isoformat()},
    ),
    "digitousSignAgreement": Call(
        path=ON_PLACEMENT,
        json=lambda w: {
            "reference": "PMSMP-2026-0042",
            "signed_on": "2026-09-01",
            "signatories": signatories("learner", "company", "training_body", "prescriber"),
        },
    ),
    "digitousRecordEvaluation": Call(
        path=ON_PLACEMENT,
        json=lambda w: {"stage": "midterm", "grade": "meets", "evaluated_on": "2026-09-01"},
    ),
}
"""What a plugin route needs beyond the world's records, by operation id."""


async def _placement_passed(client: httpx.AsyncClient, world: World, track: str) -> int:
    """A new learner's application to ``track``, admitted after a passed placement test
    (how DIGISTART and the DIGITOUS bootcamp admit without a completed earlier level)."""
    learner = await matrix.seed_learner(client, world)
    application = await matrix.seed_application(
        client, world, learner, track, steps=("screening", "placement_test_pending")
    )
    passed = await client.post(
        f"/api/v1/applications/{application}/placement-results",
        json={"passed": True},
        headers=world.headers(Audience.MANAGER),
    )
    await matrix.expect(passed)
    moved = await client.post(
        f"/api/v1/applications/{application}/transitions",
        json={"to": "admitted"},
        headers=world.headers(Audience.MANAGER),
    )
    await matrix.expect(moved)
    world.ids["learner"] = learner
    return application


async def _digital(client: httpx.AsyncClient, world: World) -> None:
    """An exam session with the learner as candidate, and another learner's application to
    the intermediate level waiting for its placement test."""
    headers = world.headers(Audience.MANAGER)
    session = await client.post(
        "/api/v1/programs/digital/exam-sessions",
        json=CALLS["digitalCreateExamSession"].json(world),  # type: ignore[misc]
        headers=headers,
    )
    world.ids["exam_session"] = (await matrix.expect(session))["id"]
    learner = await matrix.seed_learner(client, world)
    world.ids["placement_application"] = await matrix.seed_application(
        client, world, learner, "intermediate", steps=("screening", "placement_test_pending")
    )


async def _digistart(client: httpx.AsyncClient, world: World) -> None:
    """A website the learner handed in, for the review route."""
    submitted = await client.post(
        f"/api/v1/programs/digistart/enrolments/{world.ids['enrolment']}/website/submissions",
        json=CALLS["digistartSubmitWebsite"].json(world),  # type: ignore[misc]
        headers=world.headers(Audience.MANAGER),
    )
    world.ids["submission"] = (await matrix.expect(submitted))["id"]


async def _digitous(client: httpx.AsyncClient, world: World) -> None:
    """The bootcamp declared completed, and the learner enrolled in the placement cohort
    with a placement created."""
    headers = world.headers(Audience.MANAGER)
    enrolment = world.ids["enrolment"]
    decided = await client.post(f"/api/v1/enrolments/{enrolment}/completion", headers=headers)
    await matrix.expect(decided)
    overridden = await client.post(
        f"/api/v1/enrolments/{enrolment}/completion/override",
        json={"reason": "Parcours validé en commission pédagogique."},
        headers=headers,
    )
    await matrix.expect(overridden)
    application = await matrix.seed_application(client, world, world.ids["learner"], "placement")
    world.ids["placement_enrolment"] = await matrix.seed_enrolment(
        client, world, world.ids["placement_cohort"], application
    )
    created = await client.post(
        f"/api/v1/programs/digitous/enrolments/{world.ids['placement_enrolment']}/placement",
        json=placement_body(world.ids["placement_starts"]),
        headers=headers,
    )
    await matrix.expect(created)


EXTRAS = {"digital": _digital, "digistart": _digistart, "digitous": _digitous}


async def program_world(client: httpx.AsyncClient, clock: FrozenClock, program: str) -> World:
    """Site A's cohort of ``program`` with a learner enrolled (and what the program's routes
    act on), site B's cohort trained by the other trainer."""
    track = TRACKS[program]
    ids: dict[str, Any] = {
        "cohort": await matrix.insert_cohort(
            SITE_A, program, track, f"{program} {matrix.MARKER}", STARTS
        ),
        "other_cohort": await matrix.insert_cohort(SITE_B, "digital", "beginner", "B", STARTS),
    }
    trained = (ids["cohort"],)
    if program == "digitous":
        monday = clock.now().date() + timedelta(days=28 - clock.now().date().weekday())
        ids["placement_starts"] = monday
        ids["placement_cohort"] = await matrix.insert_cohort(
            SITE_A, program, "placement", f"Stage {matrix.MARKER}", monday
        )
        trained += (ids["placement_cohort"],)
    world = await matrix.make_accounts(ids, clock, trained, (ids["other_cohort"],), program)
    if program == "digital":
        world.ids["learner"] = await matrix.seed_learner(client, world)
        application = await matrix.seed_application(client, world, world.ids["learner"], track)
    else:
        application = await _placement_passed(client, world, track)
    world.ids["application"] = application
    world.ids["enrolment"] = await matrix.seed_enrolment(client, world, ids["cohort"], application)
    await EXTRAS[program](client, world)
    return world


def test_every_route_declares_who_may_call_it(app):
    routes = matrix.routes_of(app)
    assert {route.key for route in routes} == {route.key for route in ROUTES}
    assert PLUGIN_ROUTES, "the installed plugins serve routes"
    assert matrix.undeclared(routes) == []


@pytest.mark.parametrize("engine_name", ["sqlite"], indirect=True)
@pytest.mark.parametrize("route", PLUGIN_ROUTES, ids=str)
async def test_plugin_route_answers_every_audience_as_its_rule_says(route, client, clock):
    assert route.access is not None, f"{route} declares no access rule"
    world = await program_world(client, clock, program_of(route))
    failures = await matrix.check_route(client, route, CALLS.get(route.key, Call()), world)
    assert not failures, "\n".join(failures)
