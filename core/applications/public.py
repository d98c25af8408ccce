"""Applications sent by the person themself, on the public page: what a program at a site asks
before the form, and the one entry point that records the learner, their consents and the
application.

It acts as the public form's principal (``core.auth.service.public_form_principal``) and calls
the services a site manager's request calls: the learner record's rules and duplicate
detection, the consent model, eligibility findings and the "application received" message
through the jobs table, the audit trail. Nothing is written unless everything is.
"""

from __future__ import annotations

from datetime import date
from typing import Annotated

import msgspec
import structlog

from core.applications.eligibility import language_partners
from core.applications.rules import ADULT_AGE, age_on
from core.applications.schemas import ApplicationCreate
from core.applications.service import create_application
from core.applications.tables import Application
from core.audit import service as audit
from core.auth.service import public_form_principal
from core.errors import InvalidField, NotFound
from core.learners import consent
from core.learners.schemas import (
    ConsentCreate,
    ConsentPurpose,
    Email,
    EmploymentStatus,
    Gender,
    LearnerCreate,
    LevelMethod,
    Name,
    Phone,
    Qualification,
    RefugeeStatus,
)
from core.learners.service import create_learner
from core.plugin import CefrLevel, Key
from core.runtime import Runtime
from core.sites.loader import Site

log = structlog.get_logger(__name__)

REQUIRED_CONSENT = ConsentPurpose.TRAINING_RECORD
"""Without it nothing can be kept, so no application can be made."""


class TrackOffer(msgspec.Struct, frozen=True, kw_only=True):
    """A track of a program, as an applicant reads it."""

    key: str
    title: str
    hours: int
    summary: str
    requirements: str
    steps: tuple[str, ...]
    """The titles of the steps before admission (a French test, a placement test)."""


class ProgramOffer(msgspec.Struct, frozen=True, kw_only=True):
    """A program a site runs, with what it asks: from the site's file and the program."""

    site: str
    site_name: str
    address: str
    program: str
    title: str
    summary: str
    tracks: tuple[TrackOffer, ...]
    adult_age: int
    language_partners: tuple[str, ...]


class SiteOffers(msgspec.Struct, frozen=True, kw_only=True):
    """A site taking applications and the programs it runs."""

    site: str
    name: str
    programs: tuple[ProgramOffer, ...]


class PublicApplication(msgspec.Struct, kw_only=True, forbid_unknown_fields=True):
    """What the person sends: who they are, how to reach them, what they agree to, and the
    optional questions funders ask. At least a phone number or an e-mail address."""

    site: Annotated[str, msgspec.Meta(min_length=1, max_length=40)]
    program: Key
    first_name: Name
    last_name: Name
    birth_date: date
    gender: Gender
    phone: Phone = ""
    email: Email = ""
    french_level: CefrLevel | None = None
    highest_qualification: Qualification = Qualification.UNKNOWN
    employment_status: EmploymentStatus = EmploymentStatus.UNKNOWN
    refugee_status: RefugeeStatus = RefugeeStatus.UNKNOWN
    consents: frozenset[ConsentPurpose] = frozenset()


class Receipt(msgspec.Struct, frozen=True, kw_only=True):
    """What the receipt page shows: the reference and the first name, nothing else."""

    reference: int
    first_name: str


class Underage(InvalidField):
    """C1: younger than 18 on the day of the application."""

    def __init__(self, age: int) -> None:
        super().__init__(
            f"applicants are {ADULT_AGE} or older (rule C1): {age} on the application's day",
            field="birth_date",
        )
        self.age = age


def _program_offer(runtime: Runtime, site: Site, key: str) -> ProgramOffer | None:
    program = runtime.host.program(key)
    settings = site.programs.get(key)
    if program is None or settings is None:
        return None
    tracks = tuple(
        TrackOffer(
            key=track.key,
            title=track.title,
            hours=track.hours,
            summary=track.summary,
            requirements=track.requirements,
            steps=tuple(step.title for step in program.admission_steps(track.key)),
        )
        for track in program.tracks
        if track.key in settings.tracks
    )
    return ProgramOffer(
        site=site.slug,
        site_name=site.config.name,
        address=site.config.address,
        program=key,
        title=program.title,
        summary=program.summary,
        tracks=tracks,
        adult_age=ADULT_AGE,
        language_partners=language_partners(site),
    )


def offers(runtime: Runtime) -> list[SiteOffers]:
    """The sites taking applications, each with the installed programs it runs."""
    found = []
    for site in runtime.sites:
        if not site.accepts_applications:
            continue
        programs = tuple(
            offer
            for key in site.programs
            if (offer := _program_offer(runtime, site, key)) is not None
        )
        if programs:
            found.append(SiteOffers(site=site.slug, name=site.config.name, programs=programs))
    return found


def offer(runtime: Runtime, site_slug: str, program: str) -> ProgramOffer:
    """One program at a site taking applications; NotFound otherwise."""
    site = runtime.sites.get(site_slug)
    found = _program_offer(runtime, site, program) if site and site.accepts_applications else None
    if found is None:
        raise NotFound(f"the site {site_slug!r} takes no application to {program!r}")
    return found


async def submit(runtime: Runtime, data: PublicApplication) -> Receipt:
    """Record the person, their consents and their application, as the public form.

    InvalidField (naming the field) when the consent to keep the record is missing, when
    neither a phone nor an e-mail is given, when the person is under 18 (C1, ``Underage``),
    or when a learner rule refuses a value. A possible duplicate does not stop the person:
    the record is made, and the audit trail names the records it may duplicate, for the
    site's team to merge.
    """
    offered = offer(runtime, data.site, data.program)
    if REQUIRED_CONSENT not in data.consents:
        raise InvalidField("the consent to keep the record is required", field="consents")
    if not (data.phone.strip() or data.email.strip()):
        raise InvalidField("give a phone number or an e-mail address", field="phone")
    now = runtime.clock.now()
    age = age_on(data.birth_date, now.date())
    if age < ADULT_AGE:
        raise Underage(age)
    principal = await public_form_principal(data.site)
    learner = LearnerCreate(
        site=data.site,
        first_name=data.first_name,
        last_name=data.last_name,
        gender=data.gender,
        birth_date=data.birth_date,
        email=data.email,
        phone=data.phone,
        french_level=data.french_level,
        french_level_method=LevelMethod.SELF_DECLARED if data.french_level else None,
        french_level_assessed_on=now.date() if data.french_level else None,
        highest_qualification=data.highest_qualification,
        employment_status=data.employment_status,
        refugee_status=data.refugee_status,
        confirm_new_person=True,
    )
    async with Application._meta.db.transaction():
        record = await create_learner(principal, learner, runtime.clock, runtime.sites)
        for purpose in sorted(data.consents):
            await consent.record_consent(
                principal, record.id, ConsentCreate(purpose=purpose), runtime.clock
            )
        application = await create_application(
            runtime,
            principal,
            ApplicationCreate(learner=record.id, site=data.site, program=offered.program),
        )
        await audit.record(
            principal.account_id,
            "application.submitted",
            "application",
            application.id,
            at=now,
            details={"via": "public_form", "learner": record.id},
        )
    log.info("public_application_received", application_id=application.id, site=data.site)
    return Receipt(reference=application.id, first_name=record.first_name)
