"""The access matrix: every route of the app, called as every audience, against its rule.

A route's rule (``core.auth.access``) says what it answers each audience. The matrix lists the
app's HTTP routes, builds a world of real records (two sites, a cohort each, a learner with an
application and an enrolment at site A, the accounts of every role), calls each route as each
audience with the records of site A in its path, and checks the answer:

- ALLOWED: a success, or 409 or 422 (the record's state or the body's content refused, past
  the access check); never 400, 401, 403 or 404. The bodies sent are valid in shape (a 400 is
  the framework's validation, which runs before any access check);
- FILTERED: a success whose body names none of site A's records (its slug, the learner's or
  the volunteer's name, the cohorts' titles all carry a marker);
- FORBIDDEN: 403; HIDDEN: 404; UNAUTHENTICATED: 401.

Core's suite runs it on core's routes with the toy program; the plugins' suite on the
plugins' routes, whose worlds put the records in a cohort of the route's program. What a
route needs beyond the world (a body, a query, a path value that is not a record of the
world) is in the tables of the test modules, keyed by operation id.
"""

from __future__ import annotations

import itertools
import re
import tempfile
from collections.abc import Awaitable, Callable, Iterator
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

import httpx
from litestar import Litestar
from litestar.routes import HTTPRoute

from core.app import create_app
from core.auth.access import ACCESS, PUBLIC, Access, Answer, Audience
from core.clock import FrozenClock
from core.plugins import PluginHost
from core.settings import Settings
from core.web.security import COOKIE

EXCLUDED_PREFIXES = ("/schema", "/static")
"""Served by the framework (OpenAPI) or from files (public, declared in ``core.app``)."""
MARKER = "Zéphyrine"
"""In every name of a world's site-A record, so that a filtered answer can be checked."""
SITE_A, SITE_B = "paris", "bordeaux"
ALLOWED_STATUSES = {409, 422}
"""Refusals that come after the access check: the record's state, the body's content."""
PASSWORD = "correct horse battery"
_serial = itertools.count(1)


@dataclass(frozen=True)
class Route:
    """One HTTP method of one route handler."""

    method: str
    path: str
    operation_id: str
    access: Access | None
    public_option: bool

    @property
    def key(self) -> str:
        """How the tables of bodies and path values name the route."""
        return self.operation_id

    def __str__(self) -> str:
        return f"{self.method} {self.path}"


def routes_of(app: Litestar) -> list[Route]:
    """Every method of every HTTP route handler, Litestar's automatic ones and the excluded
    prefixes left out, in path order."""
    found = []
    for route in app.routes:
        if not isinstance(route, HTTPRoute) or route.path.startswith(EXCLUDED_PREFIXES):
            continue
        for handler in route.route_handlers:
            for method in sorted(set(handler.http_methods) - {"HEAD", "OPTIONS"}):
                operation_id = handler.operation_id
                key = operation_id if isinstance(operation_id, str) else f"{method} {route.path}"
                found.append(
                    Route(
                        method=method,
                        path=route.path,
                        operation_id=key,
                        access=handler.opt.get(ACCESS),
                        public_option=bool(handler.opt.get(PUBLIC)),
                    )
                )
    return sorted(found, key=lambda r: (r.path, r.method))


def undeclared(routes: list[Route]) -> list[str]:
    """The routes that declare no access rule, or whose public option is not their rule's
    (set by hand rather than through ``access``), each named with what is wrong."""
    problems = []
    for route in routes:
        if route.access is None:
            problems.append(f"{route}: no access rule; declare one with opt=access(RULE)")
        elif route.access.public != route.public_option:
            problems.append(f"{route}: its public option is not its rule's")
    return problems


def app_routes(host: PluginHost, sites_dir: Path) -> list[Route]:
    """The routes of the app for ``host`` and ``sites_dir``, for parametrizing at collection
    time: the app is built and thrown away, no database is opened."""
    with tempfile.TemporaryDirectory() as var:
        settings = Settings(var_dir=Path(var), sites_dir=sites_dir, load_entrypoints=False)
        return routes_of(create_app(settings, host=host))


@dataclass
class World:
    """The records every route is called on, and a token per audience."""

    tokens: dict[Audience, str]
    accounts: dict[Audience, int]
    spare_tokens: dict[Audience, int]
    """One more API token per audience, for the route that revokes the caller's own."""
    clock: FrozenClock
    ids: dict[str, Any] = field(default_factory=dict)
    program: str = "atelier"

    def headers(self, audience: Audience) -> dict[str, str]:
        """The credentials of ``audience``; none for the anonymous caller."""
        if audience is Audience.ANONYMOUS:
            return {}
        return {"Authorization": f"Bearer {self.tokens[audience]}"}


AUDIENCE_ROLES = {
    Audience.ADMIN: ("admin", ()),
    Audience.CENTRAL: ("central_viewer", ()),
    Audience.MANAGER: ("site_manager", (SITE_A,)),
    Audience.OTHER_MANAGER: ("site_manager", (SITE_B,)),
    Audience.TRAINER: ("trainer", ()),
    Audience.OTHER_TRAINER: ("trainer", ()),
}
"""Each signed-in audience's role and sites; trainers get their cohorts from the world."""


async def make_accounts(
    ids: dict[str, Any],
    clock: FrozenClock,
    trained: tuple[int, ...],
    other_trained: tuple[int, ...],
    program: str,
) -> World:
    """The world of ``ids``, with an account per signed-in audience and two API tokens each:
    the trainer trains the ``trained`` cohorts (site A's), the other trainer ``other_trained``."""
    from core.auth import service as auth
    from core.auth.roles import Role

    cohorts = {Audience.TRAINER: trained, Audience.OTHER_TRAINER: other_trained}
    tokens, accounts, spare = {}, {}, {}
    for audience, (role, sites) in AUDIENCE_ROLES.items():
        account = await auth.create_account(
            email=f"{audience.name.lower()}@example.org",
            password=PASSWORD,
            display_name=audience.name.lower(),
            role=Role(role),
            sites=sites,
            cohorts=cohorts.get(audience, ()),
            known_sites=(SITE_A, SITE_B),
        )
        accounts[audience] = account
        _, tokens[audience] = await auth.issue_api_token(account, "matrix", clock)
        spare[audience], _ = await auth.issue_api_token(account, "spare", clock)
    return World(
        tokens=tokens,
        accounts=accounts,
        spare_tokens=spare,
        clock=clock,
        ids=dict(ids),
        program=program,
    )


async def insert_cohort(site: str, program: str, track: str, title: str, starts_on: date) -> int:
    """A cohort straight into its table (as ``people`` does), before any account exists."""
    from core.cohorts.tables import Cohort

    rows = await Cohort.insert(
        Cohort(
            site=site,
            program=program,
            track=track,
            title=title,
            starts_on=starts_on,
            ends_on=date(starts_on.year + 1, starts_on.month, 1),
            capacity=20,
        )
    ).returning(Cohort.id)
    return int(rows[0]["id"])


async def expect(response: httpx.Response, *statuses: int) -> dict[str, Any]:
    """The JSON of a seeding request, which must succeed."""
    assert response.status_code in (statuses or (200, 201)), (
        response.request.method,
        response.request.url.path,
        response.text,
    )
    return response.json() if response.content else {}


async def seed_learner(
    client: httpx.AsyncClient, world: World, who: Audience = Audience.MANAGER, **fields: Any
) -> int:
    """A learner of site A whose names carry the marker."""
    n = next(_serial)
    body = {
        "site": SITE_A,
        "first_name": f"{MARKER}{n}",
        "last_name": f"Marqueur{n}",
        "gender": "female",
        "birth_date": "1990-05-17",
        "french_level": "B1",
        "email": f"apprenant{n}@example.org",
    } | fields
    response = await client.post("/api/v1/learners", json=body, headers=world.headers(who))
    return int((await expect(response))["id"])


async def seed_application(
    client: httpx.AsyncClient,
    world: World,
    learner: int,
    track: str,
    steps: tuple[str, ...] = ("screening", "admitted"),
) -> int:
    """An application of ``learner`` to the world's program at site A, moved along ``steps``."""
    headers = world.headers(Audience.MANAGER)
    body = {"learner": learner, "site": SITE_A, "program": world.program, "track": track}
    created = await expect(await client.post("/api/v1/applications", json=body, headers=headers))
    for step in steps:
        moved = await client.post(
            f"/api/v1/applications/{created['id']}/transitions", json={"to": step}, headers=headers
        )
        await expect(moved)
    return int(created["id"])


async def seed_enrolment(
    client: httpx.AsyncClient, world: World, cohort: int, application: int
) -> int:
    """The admitted application enrolled in ``cohort``."""
    response = await client.post(
        f"/api/v1/cohorts/{cohort}/enrolments",
        json={"application_id": application},
        headers=world.headers(Audience.MANAGER),
    )
    return int((await expect(response))["id"])


async def seed_sessions(
    client: httpx.AsyncClient, world: World, cohort: int, rhythm: dict[str, Any]
) -> list[dict[str, Any]]:
    """The cohort given a rhythm and a room, and planned: its sessions."""
    headers = world.headers(Audience.MANAGER)
    await expect(await client.patch(f"/api/v1/cohorts/{cohort}", json=rhythm, headers=headers))
    planned = await client.post(f"/api/v1/cohorts/{cohort}/sessions/plan", headers=headers)
    return list((await expect(planned))["items"])


async def seed_site_records(client: httpx.AsyncClient, world: World) -> None:
    """The records of site A that do not depend on the program: a second learner (to merge
    into), a consent, a volunteer booked on the first session, a calendar feed, and the
    message the application sent the learner."""
    headers = world.headers(Audience.MANAGER)
    ids = world.ids
    ids["other_learner"] = await seed_learner(client, world)
    consent = await client.post(
        f"/api/v1/learners/{ids['learner']}/consents",
        json={"purpose": "contact_email"},
        headers=headers,
    )
    ids["consent"] = (await expect(consent))["id"]
    volunteer = await client.post(
        "/api/v1/volunteers",
        json={"site": SITE_A, "first_name": MARKER, "last_name": "Bénévole"},
        headers=headers,
    )
    ids["volunteer"] = (await expect(volunteer))["id"]
    booked = await client.post(
        f"/api/v1/sessions/{ids['session']}/volunteers",
        json={"volunteer": ids["volunteer"]},
        headers=headers,
    )
    await expect(booked)
    feed = await client.post(
        "/api/v1/calendar-feeds", json={"kind": "cohort", "cohort": ids["cohort"]}, headers=headers
    )
    issued = await expect(feed)
    ids["feed"] = issued["id"]
    ids["feed_file"] = issued["url"].rpartition("/")[2]
    messages = await client.get(
        "/api/v1/messages", params={"learner": ids["learner"]}, headers=headers
    )
    ids["message"] = (await expect(messages))["items"][0]["id"]


PathValue = Callable[[World, Audience], Any]
Body = Callable[[World], Any]


@dataclass(frozen=True)
class Call:
    """How to call one route: path values beyond the world's ids, query, body."""

    path: dict[str, PathValue] = field(default_factory=dict)
    query: Callable[[World], dict[str, Any]] | None = None
    json: Body | None = None
    content: Body | None = None
    form: Body | None = None
    before: Callable[[httpx.AsyncClient, World], Awaitable[None]] | None = None
    """Run before each audience's call: puts the world in the state the route acts on (a
    session held, a booking the previous caller removed made again)."""


PATH_PARAMETER = re.compile(r"\{(\w+):\w+\}")


def url_of(route: Route, call: Call, world: World, audience: Audience) -> str:
    """The route's path with its parameters filled: by ``call``, else the world's record of
    the same name without ``_id`` (``cohort_id`` is ``world.ids["cohort"]``)."""

    def value(match: re.Match[str]) -> str:
        name = match.group(1)
        if name in call.path:
            return str(call.path[name](world, audience))
        record = name.removesuffix("_id")
        if record not in world.ids:
            raise AssertionError(f"{route}: no value for {{{name}}}: add it to the call table")
        return str(world.ids[record])

    return PATH_PARAMETER.sub(value, route.path)


async def call_route(
    client: httpx.AsyncClient, route: Route, call: Call, world: World, audience: Audience
) -> httpx.Response:
    """Call ``route`` as ``audience``."""
    kwargs: dict[str, Any] = {"headers": world.headers(audience)}
    if call.query:
        kwargs["params"] = call.query(world)
    if call.json:
        kwargs["json"] = call.json(world)
    elif call.content:
        kwargs["content"] = call.content(world)
    elif call.form:
        kwargs["data"] = call.form(world)
    if route.method not in ("GET", "HEAD") and not route.path.startswith("/api/"):
        kwargs["headers"] = {**kwargs["headers"], CSRF_HEADER: await csrf_token(client)}
    return await client.request(route.method, url_of(route, call, world, audience), **kwargs)


CSRF_HEADER = "x-csrftoken"


async def csrf_token(client: httpx.AsyncClient) -> str:
    """The form token a page's form would carry: the cookie the sign-in form sets."""
    if COOKIE not in client.cookies:
        await client.get("/connexion")
    return client.cookies[COOKIE]


def mentions_site_a(response: httpx.Response) -> bool:
    """True when the answer names a record of site A (its slug, or a marked name)."""
    text = response.content.decode("utf-8", errors="replace").lower()
    return SITE_A in text or MARKER.lower() in text


def verdict(answer: Answer, response: httpx.Response) -> str | None:
    """Why ``response`` breaks ``answer``, or None when it keeps it."""
    status = response.status_code
    if answer is Answer.ALLOWED:
        if status < 400 or status in ALLOWED_STATUSES:
            return None
        return f"allowed, but answered {status}: {response.text[:300]}"
    if answer is Answer.FILTERED:
        if status >= 400:
            return f"a filtered list, but answered {status}: {response.text[:300]}"
        if mentions_site_a(response):
            return f"a filtered list, but it shows site A's records: {response.text[:300]}"
        return None
    expected = int(answer.value)
    if status != expected:
        return f"expected {expected}, answered {status}: {response.text[:300]}"
    return None


ORDER = (
    Audience.ANONYMOUS,
    Audience.CENTRAL,
    Audience.OTHER_MANAGER,
    Audience.OTHER_TRAINER,
    Audience.TRAINER,
    Audience.MANAGER,
    Audience.ADMIN,
)
"""Refusals first, so that a write some audience may make runs after every refusal; among the
allowed, the admin last, as the one who may most often undo what the others did."""


def cells(rule: Access) -> Iterator[tuple[Audience, Answer]]:
    """The audiences to call, in ``ORDER`` with the answers they expect: those that must be
    refused before those that may write."""
    refused = [a for a in ORDER if rule.answer(a) not in (Answer.ALLOWED, Answer.FILTERED)]
    others = [a for a in ORDER if a not in refused]
    for audience in (*refused, *others):
        yield audience, rule.answer(audience)


async def check_route(
    client: httpx.AsyncClient, route: Route, call: Call, world: World
) -> list[str]:
    """Call ``route`` as every audience; the broken cells, as sentences."""
    assert route.access is not None
    failures = []
    texts = []
    filtered = False
    for audience, answer in cells(route.access):
        if call.before:
            await call.before(client, world)
        response = await call_route(client, route, call, world, audience)
        problem = verdict(answer, response)
        if problem:
            failures.append(f"{route} as {audience.value}: {problem}")
        filtered = filtered or answer is Answer.FILTERED
        if answer is Answer.ALLOWED and textual(response):
            texts.append(response)
    if filtered and texts and not any(mentions_site_a(response) for response in texts):
        failures.append(
            f"{route}: no allowed answer shows site A's records, so that the filtered ones "
            "prove nothing: give the call a query that lists them"
        )
    return failures


def textual(response: httpx.Response) -> bool:
    """True for an answer in text (JSON, CSV, HTML, iCalendar), not a PDF or a workbook."""
    kind = response.headers.get("content-type", "")
    return kind.startswith(("text/", "application/json", "application/problem+json"))
