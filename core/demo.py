"""The demo: cohorts proposed by each program's plugin, plausible learners, one account per role."""

from __future__ import annotations

import random
import unicodedata
from dataclasses import dataclass
from datetime import date, timedelta

from faker import Faker

from core.auth import service as auth
from core.auth.roles import Principal, Role
from core.auth.tables import Account
from core.clock import SystemClock
from core.cohorts import service as cohorts
from core.cohorts.schemas import CohortCreate
from core.cohorts.tables import Cohort
from core.learners import service as learners
from core.learners.schemas import Gender, LearnerCreate
from core.plugin import CefrLevel
from core.plugins import PluginHost
from core.runtime import Runtime
from core.settings import Settings
from core.sites.loader import SiteRegistry

DEMO_PASSWORD = "essaim-demo-2026"
LEARNERS_PER_SITE = 40
SEED = 2026
_ROOT = Principal(account_id=0, email="demo", display_name="demo", role=Role.ADMIN)


@dataclass(frozen=True, slots=True)
class DemoReport:
    """What the demo created, and the accounts to sign in with."""

    created: bool
    cohorts: int
    learners: int
    accounts: list[tuple[str, str]]


def demo_accounts(registry: SiteRegistry) -> list[tuple[str, Role, tuple[str, ...]]]:
    """The demo's accounts: e-mail, role and sites, one site manager per site."""
    accounts = [
        ("admin@example.org", Role.ADMIN, ()),
        ("equipe.centrale@example.org", Role.CENTRAL_VIEWER, ()),
    ]
    accounts += [
        (f"responsable.{site.slug}@example.org", Role.SITE_MANAGER, (site.slug,))
        for site in registry
    ]
    return accounts


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

    The caller has bound the tables to the engine (``core.db.engine.connect``).
    """
    clock = SystemClock()
    accounts = demo_accounts(registry)
    listed = [(email, role.value) for email, role, _ in accounts]
    if await Cohort.count() or await Account.count():
        return DemoReport(created=False, cohorts=0, learners=0, accounts=listed)
    runtime = Runtime(settings=settings, host=host, sites=registry, clock=clock)
    fake = Faker("fr_FR")
    fake.seed_instance(SEED)
    rng = random.Random(SEED)
    made_cohorts = made_learners = 0
    # No enclosing transaction: each record commits on its own, so that the cohort events
    # plugins receive are about committed cohorts.
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
            first_cohort.setdefault(site.slug, cohort.id)
            made_cohorts += 1
        for _ in range(LEARNERS_PER_SITE):
            await learners.create_learner(
                _ROOT, _learner(fake, rng, site.slug, today), clock, {site.slug}
            )
            made_learners += 1
    for email, role, sites in accounts:
        await auth.create_account(
            email=email,
            password=DEMO_PASSWORD,
            display_name=email.split("@")[0],
            role=role,
            sites=sites,
            known_sites=registry.sites.keys(),
        )
    for slug, cohort_id in first_cohort.items():
        email = f"formateur.{slug}@example.org"
        await auth.create_account(
            email=email,
            password=DEMO_PASSWORD,
            display_name=email.split("@")[0],
            role=Role.TRAINER,
            cohorts=(cohort_id,),
        )
        listed.append((email, Role.TRAINER.value))
    return DemoReport(created=True, cohorts=made_cohorts, learners=made_learners, accounts=listed)
