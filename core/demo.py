"""The demo: cohorts proposed by each program's plugin, plausible learners, one account per role."""

from __future__ import annotations

import random
import unicodedata
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from faker import Faker

from core.auth import service as auth
from core.auth.roles import Principal, Role
from core.auth.tables import Account
from core.clock import SystemClock
from core.cohorts import service as cohorts
from core.cohorts.schemas import CohortCreate, CohortRead, CohortUpdate
from core.cohorts.tables import Cohort
from core.learners import service as learners
from core.learners.schemas import Gender, LearnerCreate
from core.plugin import CefrLevel
from core.plugins import PluginHost
from core.runtime import Runtime
from core.scheduling import service as scheduling
from core.settings import Settings
from core.sites.loader import Site, SiteRegistry

DEMO_PASSWORD = "essaim-demo-2026"
LEARNERS_PER_SITE = 40
SEED = 2026
_ROOT = Principal(account_id=0, email="demo", display_name="demo", role=Role.ADMIN)
_RHYTHMS = ((1, 4), (2, 5), (1, 3), (2, 4))
"""The weekdays of the demo's cohorts, in turn."""


@dataclass(frozen=True, slots=True)
class DemoReport:
    """What the demo created, and the accounts to sign in with."""

    created: bool
    cohorts: int
    learners: int
    accounts: list[tuple[str, str]]


def demo_accounts(registry: SiteRegistry) -> list[tuple[str, Role, str]]:
    """The demo's accounts: e-mail, role, and the site a manager or trainer works at."""
    accounts = [
        ("admin@example.org", Role.ADMIN, ""),
        ("equipe.centrale@example.org", Role.CENTRAL_VIEWER, ""),
    ]
    for site in registry:
        accounts.append((f"responsable.{site.slug}@example.org", Role.SITE_MANAGER, site.slug))
        accounts.append((f"formateur.{site.slug}@example.org", Role.TRAINER, site.slug))
    return accounts


async def _schedule(runtime: Runtime, cohort: CohortRead, index: int, site: Site) -> None:
    """Give the ``index``-th cohort of the site a rhythm, a room in turn, and its calendar."""
    plan = await cohorts.session_plan(runtime, _ROOT, cohort.id)
    longest = max((session.minutes for session in plan), default=120)
    starts = time(14, 0) if index % 2 and longest <= 180 else time(9, 30)
    ends = (datetime.combine(date.min, starts) + timedelta(minutes=longest)).time()
    rooms = site.config.rooms
    rhythm = CohortUpdate(
        weekdays=list(_RHYTHMS[index % len(_RHYTHMS)]),
        day_starts=starts,
        day_ends=ends,
        room=rooms[index % len(rooms)].key if rooms else None,
    )
    await cohorts.update_cohort(runtime, _ROOT, cohort.id, rhythm)
    await scheduling.plan_cohort(runtime, _ROOT, cohort.id)


def _ascii(text: str) -> str:
    folded = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return "".join(c for c in folded.lower() if c.isalnum() or c == "-")


def _learner(fake: Faker, rng: random.Random, site: str, today: date) -> LearnerCreate:
    woman = rng.random() < 0.55
    first = fake.first_name_female() if woman else fake.first_name_male()
    last = fake.last_name()
    age_days = rng.randint(18 * 365 + 5, 55 * 365)
    return LearnerCreate(
        site=site,
        first_name=first,
        last_name=last,
        gender=Gender.FEMALE if woman else Gender.MALE,
        birth_date=today - timedelta(days=age_days),
        email=f"{_ascii(first)}.{_ascii(last)}{rng.randint(1, 99)}@example.org",
        phone=f"06 {rng.randint(10, 99)} {rng.randint(10, 99)} {rng.randint(10, 99)} "
        f"{rng.randint(10, 99)}",
        french_level=rng.choice(list(CefrLevel)[:5]),
    )


async def seed_demo(
    settings: Settings, host: PluginHost, registry: SiteRegistry, today: date
) -> DemoReport:
    """Fill an empty, migrated database with the demo; leave one that holds data as it is.

    The caller has bound the tables to the engine (``core.db.engine.connect``). The report
    lists the demo accounts present in the database, so a rerun shows them again.
    """
    created = not (await Cohort.count() or await Account.count())
    made_cohorts = made_learners = 0
    if created:
        made_cohorts, made_learners = await _fill(settings, host, registry, today)
    accounts = demo_accounts(registry)
    present = await Account.select(Account.email).where(
        Account.email.is_in([email for email, _, _ in accounts])
    )
    emails = {row["email"] for row in present}
    return DemoReport(
        created=created,
        cohorts=made_cohorts,
        learners=made_learners,
        accounts=[(email, role.value) for email, role, _ in accounts if email in emails],
    )


async def _fill(
    settings: Settings, host: PluginHost, registry: SiteRegistry, today: date
) -> tuple[int, int]:
    """Create the demo's cohorts, learners and accounts; returns the cohort and learner counts.

    No enclosing transaction: each record commits on its own, so that the cohort events
    plugins receive are about committed cohorts.
    """
    clock = SystemClock()
    runtime = Runtime(settings=settings, host=host, sites=registry, clock=clock)
    fake = Faker("fr_FR")
    fake.seed_instance(SEED)
    rng = random.Random(SEED)
    made_cohorts = made_learners = 0
    first_cohort: dict[str, int] = {}
    for site in registry:
        for proposal in host.demo_cohorts(site.info(), today):
            cohort = await cohorts.create_cohort(
                runtime,
                _ROOT,
                CohortCreate(
                    site=site.slug,
                    program=proposal.program,
                    track=proposal.track,
                    title=proposal.title,
                    starts_on=proposal.starts_on,
                    ends_on=proposal.ends_on,
                    capacity=proposal.capacity,
                ),
            )
            await _schedule(runtime, cohort, made_cohorts, site)
            first_cohort.setdefault(site.slug, cohort.id)
            made_cohorts += 1
        for _ in range(LEARNERS_PER_SITE):
            await learners.create_learner(
                _ROOT, _learner(fake, rng, site.slug, today), clock, {site.slug}
            )
            made_learners += 1
    for email, role, site in demo_accounts(registry):
        if role is Role.TRAINER and site not in first_cohort:
            continue  # a site without cohorts has nothing for a trainer to run
        await auth.create_account(
            email=email,
            password=DEMO_PASSWORD,
            display_name=email.split("@")[0],
            role=role,
            sites=(site,) if role is Role.SITE_MANAGER else (),
            cohorts=(first_cohort[site],) if role is Role.TRAINER else (),
            known_sites=registry.sites.keys(),
        )
    return made_cohorts, made_learners
