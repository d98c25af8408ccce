"""The access matrix of core's routes (issue 9): every route, as every audience, answers what
its declared rule says; a route without a rule fails. The plugins' routes have theirs in
tests/plugins/test_access_matrix.py; the machinery is in tests/access_matrix.py."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import Any

import httpx
import pytest
from litestar import Litestar, get

from core.auth.access import PUBLIC, Answer, Audience
from core.clock import FrozenClock
from core.enrolment import service as enrolments
from core.plugins import load_plugins
from core.surveys.links import ESSAIM, create_link
from core.surveys.schemas import LinkPurpose
from tests import access_matrix as matrix
from tests.access_matrix import SITE_A, Call, World
from tests.conftest import TEST_SITES
from tests.toy_program import AtelierPlugin

ROUTES = matrix.app_routes(
    load_plugins(load_entrypoints=False, plugins=[("atelier", AtelierPlugin())]), TEST_SITES
)
RHYTHM = {"weekdays": [1, 4], "day_starts": "09:30:00", "day_ends": "11:30:00", "room": "salle-a"}
WINDOWS = {"windows": [{"weekday": 1, "starts_at": "09:00:00", "ends_at": "12:00:00"}]}
REASON = {"reason": "Raison donnée par la personne."}


def site_a(world: World, audience: Audience) -> str:
    return SITE_A


def own_spare_token(world: World, audience: Audience) -> int:
    """The caller revokes one of its own tokens (the anonymous caller, any id)."""
    return world.spare_tokens.get(audience, 1)


def trainer_account(world: World, audience: Audience) -> int:
    return world.accounts[Audience.TRAINER]


async def book_again(client: httpx.AsyncClient, world: World) -> None:
    """The volunteer booked on the session again after an allowed caller took them off."""
    await client.post(
        f"/api/v1/sessions/{world.ids['session']}/volunteers",
        json={"volunteer": world.ids["volunteer"]},
        headers=world.headers(Audience.MANAGER),
    )


async def learner_erased(client: httpx.AsyncClient, world: World) -> None:
    """The learner erased by an admin, which put their hours certificate in the restricted
    store (once, however many callers)."""
    if "document" in world.ids:
        return
    admin = world.headers(Audience.ADMIN)
    erased = await client.post(
        f"/api/v1/learners/{world.ids['learner']}/erase",
        json={"reason": "request", "confirm": True},
        headers=admin,
    )
    await matrix.expect(erased)
    stored = await client.get("/api/v1/restricted-documents", headers=admin)
    world.ids["document"] = stored.json()["items"][0]["id"]


async def first_session_held(client: httpx.AsyncClient, world: World) -> None:
    """The clock after the first session, which the learner attended and signed: it counts
    in the reports (once, however many callers)."""
    if "held" in world.ids:
        return
    end = datetime.fromisoformat(world.ids["session_end"])
    world.clock.advance(end - world.clock.now() + timedelta(hours=1))
    signed = await client.put(
        f"/api/v1/sessions/{world.ids['session']}/attendance",
        json={
            "marks": [{"learner": world.ids["learner"], "status": "present", "signed": "sheet"}],
            "trainer_signed": "sheet",
        },
        headers=world.headers(Audience.MANAGER),
    )
    await matrix.expect(signed)
    world.ids["held"] = True


async def team_member(client: httpx.AsyncClient, world: World) -> None:
    """A trainer of site A's cohort besides the audiences, to deactivate (once)."""
    if "account" in world.ids:
        return
    from core.auth import service as auth
    from core.auth.roles import Role

    world.ids["account"] = await auth.create_account(
        email="membre@example.org",
        password=matrix.PASSWORD,
        display_name="membre",
        role=Role.TRAINER,
        cohorts=(world.ids["cohort"],),
    )


async def survey_link(client: httpx.AsyncClient, world: World) -> None:
    """A survey link for the world's enrolment, with a known secret (once)."""
    if "secret" in world.ids:
        return
    enrolment = await enrolments.get_enrolment(ESSAIM, world.ids["enrolment"])
    now = world.clock.now()
    await create_link(
        enrolment,
        LinkPurpose.SURVEY,
        0,
        SECRET,
        now=now,
        expires_at=now + timedelta(days=30),
        by=ESSAIM,
    )
    world.ids["secret"] = SECRET


SECRET = "lien-personnel-du-monde"
SURVEY = {"note": "4", "recommande": "oui"}


def login(world: World) -> dict[str, str]:
    return {"email": "manager@example.org", "password": matrix.PASSWORD}


CALLS: dict[str, Call] = {
    "POST /connexion": Call(form=login),
    "GET /postuler/{site:str}/{program:str}": Call(
        path={"site": site_a, "program": lambda w, a: "atelier"}
    ),
    # An empty form: refused in place (422) for everyone, so that the calls do not use up
    # the public forms' limit per address.
    "POST /postuler/{site:str}/{program:str}": Call(
        path={"site": site_a, "program": lambda w, a: "atelier"}, form=lambda w: {}
    ),
    "GET /candidature-recue/{reference:int}": Call(path={"reference": lambda w, a: 1}),
    "POST /benevolat": Call(form=lambda w: {}),
    "GET /antenne/benevoles": Call(query=lambda w: {"liste": "actifs"}),
    "POST /antenne/benevoles/{volunteer_id:int}": Call(form=lambda w: {"action": "reactiver"}),
    "POST /antenne/equipe": Call(
        form=lambda w: (
            {"antenne": SITE_A, "nom": "Invitée", "email": "invitee@example.org"}
            | {"role": "trainer", "promotions": str(w.ids["cohort"])}
        )
    ),
    "POST /antenne/equipe/{account_id:int}": Call(
        form=lambda w: {"antenne": SITE_A, "action": "desactiver"}, before=team_member
    ),
    "GET /mot-de-passe/{secret:str}": Call(path={"secret": lambda w, a: "inconnu"}),
    "POST /mot-de-passe/{secret:str}": Call(
        path={"secret": lambda w, a: "inconnu"},
        form=lambda w: (
            {"mot_de_passe": "une phrase assez longue"}
            | {"confirmation": "une phrase assez longue"}
        ),
    ),
    "POST /mot-de-passe-oublie": Call(form=lambda w: {"email": "manager@example.org"}),
    "login": Call(json=login),
    "createApiToken": Call(json=lambda w: {"label": "Script d'export"}),
    "revokeApiToken": Call(path={"token_id": own_spare_token}),
    "getSite": Call(path={"slug": site_a}),
    "listSiteAccounts": Call(path={"slug": site_a}),
    "inviteAccount": Call(
        path={"slug": site_a},
        json=lambda w: {
            "email": "invitee@example.org",
            "display_name": "Invitée",
            "role": "trainer",
            "cohorts": [w.ids["cohort"]],
        },
    ),
    "deactivateAccount": Call(before=team_member),
    "reactivateAccount": Call(before=team_member),
    "resendInvitation": Call(before=team_member),
    "getProgram": Call(path={"key": lambda w, a: "atelier"}),
    "listCohorts": Call(query=lambda w: {"site": SITE_A}),
    "createCohort": Call(
        json=lambda w: {
            "site": SITE_A,
            "program": "atelier",
            "track": "initiation",
            "title": "Nouvelle promotion",
            "starts_on": "2026-11-02",
            "ends_on": "2026-12-01",
        }
    ),
    "updateCohort": Call(json=lambda w: {"title": "Promotion renommée"}),
    "listSiteConflicts": Call(path={"slug": site_a}),
    "getAccountAvailability": Call(path={"account_id": trainer_account}),
    "setAccountAvailability": Call(path={"account_id": trainer_account}, json=lambda w: WINDOWS),
    "createCalendarFeed": Call(json=lambda w: {"kind": "cohort", "cohort": w.ids["cohort"]}),
    "readCalendarFeed": Call(path={"file_name": lambda w, a: w.ids["feed_file"]}),
    "listLearners": Call(query=lambda w: {"site": SITE_A}),
    "findLearnerDuplicates": Call(
        query=lambda w: {
            "first_name": f"{matrix.MARKER}1",
            "last_name": "Marqueur1",
            "birth_date": "1990-05-17",
        }
    ),
    "createLearner": Call(
        json=lambda w: {
            "site": SITE_A,
            "first_name": "Nouvelle",
            "last_name": "Personne",
            "gender": "female",
            "birth_date": "1991-01-01",
        }
    ),
    "updateLearner": Call(json=lambda w: {"phone": "0601020304"}),
    "mergeLearner": Call(json=lambda w: {"into": w.ids["other_learner"]}),
    "recordLearnerConsent": Call(json=lambda w: {"purpose": "funder_reporting"}),
    "eraseLearner": Call(json=lambda w: {"reason": "request", "confirm": True}),
    "listRestrictedDocuments": Call(before=learner_erased),
    "readRestrictedDocument": Call(before=learner_erased),
    "createApplication": Call(
        json=lambda w: {
            "learner": w.ids["learner"],
            "site": SITE_A,
            "program": "atelier",
            "track": "approfondissement",
        }
    ),
    "transitionApplication": Call(json=lambda w: {"to": "withdrawn"} | REASON),
    "recordPlacementResult": Call(json=lambda w: {"passed": True}),
    "enrol": Call(json=lambda w: {"application_id": w.ids["application"]}),
    "withdrawEnrolment": Call(json=lambda w: REASON),
    "declineOffer": Call(json=lambda w: REASON),
    "leaveWaitlist": Call(json=lambda w: REASON),
    "transferEnrolment": Call(json=lambda w: {"cohort_id": w.ids["transfer_cohort"]}),
    "recordAssessmentResult": Call(json=lambda w: {"assessment": "bilan", "value": "done"}),
    "overrideCompletion": Call(json=lambda w: {"reason": "Parcours validé en commission."}),
    "recordOutcome": Call(
        path={"checkpoint": lambda w, a: "exit"},
        json=lambda w: {"status": "permanent_job", "source": "phone"},
    ),
    "listDueFollowUps": Call(path={"slug": site_a}),
    "sendLearnerLink": Call(json=lambda w: {"purpose": "survey"}),
    "GET /suivi/{secret:str}": Call(before=survey_link),
    "POST /suivi/{secret:str}": Call(form=lambda w: SURVEY, before=survey_link),
    "recordAttendance": Call(
        json=lambda w: {"marks": [{"learner": w.ids["learner"], "status": "absent"}]}
    ),
    "listMessages": Call(query=lambda w: {"site": SITE_A}),
    "createVolunteer": Call(
        json=lambda w: {"site": SITE_A, "first_name": "Nouveau", "last_name": "Bénévole"}
    ),
    "listVolunteers": Call(query=lambda w: {"site": SITE_A}),
    "updateVolunteer": Call(json=lambda w: {"skills": ["tableur"]}),
    "setVolunteerAvailability": Call(json=lambda w: WINDOWS),
    "bookSessionVolunteer": Call(json=lambda w: {"volunteer": w.ids["volunteer"]}),
    "unbookSessionVolunteer": Call(before=book_again),
    "volunteeringReport": Call(
        query=lambda w: {"from": "2026-01-01", "to": "2026-12-31"}, before=first_session_held
    ),
    "getFunnel": Call(query=lambda w: {"by": "site"}),
    "exportFunnelCsv": Call(query=lambda w: {"by": "site"}),
    "exportFunnelXlsx": Call(query=lambda w: {"by": "site"}),
    "getProgramIndicators": Call(
        path={"program": lambda w, a: w.program},
        query=lambda w: {"by": "site"},
        before=first_session_held,
    ),
    "exportProgramIndicatorsCsv": Call(
        path={"program": lambda w, a: w.program},
        query=lambda w: {"by": "site"},
        before=first_session_held,
    ),
    "exportProgramIndicatorsXlsx": Call(
        path={"program": lambda w, a: w.program},
        query=lambda w: {"by": "site"},
        before=first_session_held,
    ),
    "getLearnerIndicators": Call(query=lambda w: {"by": "site"}, before=first_session_held),
    "exportLearnerIndicatorsCsv": Call(query=lambda w: {"by": "site"}, before=first_session_held),
    "exportLearnerIndicatorsXlsx": Call(query=lambda w: {"by": "site"}, before=first_session_held),
}
"""What a route needs beyond the world's records, by operation id (or method and path)."""


async def core_world(client: httpx.AsyncClient, clock: FrozenClock) -> World:
    """Site A's cohort (with sessions, a learner enrolled, a completion decided) and a second
    one to transfer to; site B's cohort, trained by the other trainer."""
    ids: dict[str, Any] = {
        "cohort": await matrix.insert_cohort(
            SITE_A, "atelier", "initiation", f"Promo {matrix.MARKER}", date(2026, 10, 5)
        ),
        "transfer_cohort": await matrix.insert_cohort(
            SITE_A, "atelier", "initiation", f"Promo {matrix.MARKER} bis", date(2026, 10, 5)
        ),
        "other_cohort": await matrix.insert_cohort(
            matrix.SITE_B, "atelier", "initiation", "Promo B", date(2026, 10, 5)
        ),
    }
    world = await matrix.make_accounts(
        ids, clock, (ids["cohort"],), (ids["other_cohort"],), "atelier"
    )
    sessions = await matrix.seed_sessions(client, world, ids["cohort"], RHYTHM)
    world.ids["session"] = sessions[0]["id"]
    world.ids["session_end"] = sessions[0]["end"]
    world.ids["learner"] = await matrix.seed_learner(client, world)
    world.ids["application"] = await matrix.seed_application(
        client, world, world.ids["learner"], "initiation"
    )
    world.ids["enrolment"] = await matrix.seed_enrolment(
        client, world, ids["cohort"], world.ids["application"]
    )
    await matrix.seed_site_records(client, world)
    decided = await client.post(
        f"/api/v1/enrolments/{world.ids['enrolment']}/completion",
        headers=world.headers(Audience.MANAGER),
    )
    await matrix.expect(decided)
    return world


def test_every_route_declares_who_may_call_it(app):
    routes = matrix.routes_of(app)
    assert {route.key for route in routes} == {route.key for route in ROUTES}
    assert matrix.undeclared(routes) == []


def test_a_route_without_a_rule_is_named():
    @get("/api/v1/forgotten", operation_id="forgotten")
    async def forgotten() -> None:
        """A route someone added without saying who may call it."""

    @get("/api/v1/by-hand", operation_id="byHand", opt={PUBLIC: True})
    async def by_hand() -> None:
        """A route made public by hand."""

    routes = matrix.routes_of(Litestar(route_handlers=[forgotten, by_hand]))
    assert matrix.undeclared(routes) == [
        "GET /api/v1/by-hand: no access rule; declare one with opt=access(RULE)",
        "GET /api/v1/forgotten: no access rule; declare one with opt=access(RULE)",
    ]


@pytest.mark.parametrize("engine_name", ["sqlite"], indirect=True)
@pytest.mark.parametrize("route", ROUTES, ids=str)
async def test_route_answers_every_audience_as_its_rule_says(route, client, clock):
    assert route.access is not None, f"{route} declares no access rule"
    world = await core_world(client, clock)
    failures = await matrix.check_route(client, route, CALLS.get(route.key, Call()), world)
    assert not failures, "\n".join(failures)


def _response(status: int, text: str) -> httpx.Response:
    return httpx.Response(status, text=text, headers={"content-type": "application/json"})


@pytest.mark.parametrize(
    ("answer", "status", "text", "broken"),
    [
        (Answer.ALLOWED, 200, "{}", False),
        (Answer.ALLOWED, 409, "{}", False),
        (Answer.ALLOWED, 404, "{}", True),
        (Answer.ALLOWED, 400, "{}", True),
        (Answer.HIDDEN, 404, "{}", False),
        (Answer.HIDDEN, 403, "{}", True),
        (Answer.HIDDEN, 200, "{}", True),
        (Answer.FORBIDDEN, 404, "{}", True),
        (Answer.FILTERED, 200, '{"items": []}', False),
        (Answer.FILTERED, 200, '{"items": [{"site": "paris"}]}', True),
        (Answer.FILTERED, 200, f'{{"items": [{{"name": "{matrix.MARKER}3"}}]}}', True),
        (Answer.FILTERED, 403, "{}", True),
        (Answer.UNAUTHENTICATED, 200, "{}", True),
    ],
)
def test_a_cell_breaks_its_rule_only_when_the_answer_differs(answer, status, text, broken):
    assert (matrix.verdict(answer, _response(status, text)) is not None) is broken
