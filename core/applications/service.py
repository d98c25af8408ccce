"""Applications: creation, the status pipeline, placement results, moves between records.

With ``reads`` (lists, history) and ``eligibility`` (facts, findings, stored checks), the only
modules that touch the application tables. Scope: admins reach every application and site
managers those of their sites; the central team is refused learner-level records.

A refusal never moves an application by itself: the findings are kept and shown, and a manager
decides to reject (with a reason told to the person) or to wait for the missing fact (a French
test, a birth date, a placement test).
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

import msgspec
import structlog
from piccolo.engine.postgres import PostgresEngine

from core.applications.eligibility import (
    evaluate,
    opened_tracks,
    placement_tracks,
    store_check,
    take_snapshot,
)
from core.applications.pipeline import (
    DECISIONS,
    ENROLMENT_OWNED,
    NEEDS_REASON,
    ApplicationStatus,
    refusal,
)
from core.applications.reads import PLACEMENT_RESULT_COLUMNS, get_application, managed_row
from core.applications.schemas import (
    ApplicationCreate,
    ApplicationRead,
    PlacementOutcome,
    PlacementResultCreate,
    PlacementResultRead,
    TransitionCreate,
)
from core.applications.tables import (
    Application,
    ApplicationEvent,
    PlacementResult,
)
from core.auth.roles import Principal, Role
from core.clock import Clock
from core.cohorts.schemas import CohortRead
from core.cohorts.service import get_cohort
from core.db.instants import as_utc
from core.db.raw import placeholders
from core.errors import Conflict, Forbidden, InvalidField, NotFound
from core.learners.service import ErasedLearner
from core.learners.tables import Learner
from core.notifications.service import notify
from core.notifications.templates import ApplicationDecision, ApplicationReceived, Template
from core.plugin import Finding, Program
from core.reporting.facts import record_application, refresh_applications
from core.runtime import Runtime
from core.sites.loader import Site

log = structlog.get_logger(__name__)

S = ApplicationStatus
OPEN = frozenset({S.SUBMITTED, S.SCREENING, S.PLACEMENT_TEST_PENDING})
"""Statuses in which the application is still being screened."""
TRACK_SETTABLE = frozenset({S.SCREENING, S.PLACEMENT_TEST_PENDING, S.ADMITTED})
"""Transitions that may also set the track: screening is where it is decided."""


class Ineligible(Conflict):
    """An admission refused on the findings; they travel with the error to the person."""

    def __init__(self, findings: Sequence[Finding]) -> None:
        rules = ", ".join(finding.rule for finding in findings if not finding.ok)
        super().__init__(
            f"the application does not meet the admission rules ({rules}); "
            "the findings say why, in words for the person",
            field="to",
        )
        self.findings = list(findings)


# Writes -------------------------------------------------------------------------------------


def _db() -> Any:
    return Application._meta.db


_MOVE = "UPDATE application SET {columns} WHERE id = {{}} AND status = {{}} RETURNING id"
_EVENT_COLUMNS = "application, from_status, to_status, actor, at, reason, decision"
_INSERT_EVENT = f"INSERT INTO application_event ({_EVENT_COLUMNS}) VALUES ({placeholders(7)})"
_MOVE_AND_RECORD = (
    "WITH moved AS ({move}) "
    f"INSERT INTO application_event ({_EVENT_COLUMNS}) "
    "SELECT id, {{}}::varchar, {{}}::varchar, {{}}::integer, {{}}::timestamptz, {{}}::text, "
    "{{}}::integer FROM moved RETURNING application"
)
"""PostgreSQL: the guarded update and its event in one statement (no event when the
application had moved)."""


async def _record(
    application_id: int,
    current: ApplicationStatus,
    to: ApplicationStatus,
    values: dict[Any, Any],
    *,
    actor_id: int | None,
    reason: str,
    now: datetime,
    decision: int | None = None,
) -> None:
    """Set the status ``to`` and ``values`` on an application still ``current``, and record
    the event, in one transaction (the caller's, when there is one)."""
    values = values | {Application.status: to.value, Application.updated_at: now}
    move = _MOVE.format(
        columns=", ".join(f"{column._meta.db_column_name} = {{}}" for column in values)
    )
    guarded = [*values.values(), application_id, current.value]
    event = [current.value, to.value, actor_id, now, reason, decision]
    async with _db().transaction():
        # Guarded by the status the caller read: of two concurrent changes, one finds it moved.
        if isinstance(_db(), PostgresEngine):
            moved = await Application.raw(_MOVE_AND_RECORD.format(move=move), *guarded, *event)
        else:
            moved = await Application.raw(move, *guarded)
            if moved:
                await ApplicationEvent.raw(_INSERT_EVENT, application_id, *event)
        if not moved:
            raise Conflict(
                f"application {application_id} changed meanwhile; reload it and try again"
            )
        await refresh_applications([application_id])


async def _status(application_id: int) -> ApplicationStatus:
    row = await Application.raw("SELECT status FROM application WHERE id = {}", application_id)
    if not row:
        raise NotFound(f"no application {application_id}")
    return S(row[0]["status"])


async def change_status(
    application_id: int,
    to: ApplicationStatus,
    *,
    actor_id: int | None,
    reason: str,
    clock: Clock,
    decision: int | None = None,
    track: str | None = None,
    read: ApplicationStatus | None = None,
) -> ApplicationStatus:
    """Move an application to ``to`` and record the event; returns the status it left.

    For the enrolment slice: the one way to set ``enrolled`` and ``waitlisted``, or to leave
    them. It checks the transition table only, not the caller's scope nor the facts: call it
    after your own checks, inside your transaction (it joins it), with ``actor_id`` None when
    the system acts (an expired offer). Conflict when the table refuses the change, or when
    another request changed the application meanwhile. ``track``, when given, is set too.
    ``read`` is the status the caller has just read in its transaction, if it has: it is not
    read again (the change is guarded by it all the same).
    """
    current = read or await _status(application_id)
    why = refusal(current, to)
    if why:
        raise Conflict(why, field="to")
    values: dict[Any, Any] = {} if track is None else {Application.track: track}
    await _record(
        application_id,
        current,
        to,
        values,
        actor_id=actor_id,
        reason=reason,
        now=clock.now(),
        decision=decision,
    )
    log.info(
        "application_status_changed",
        application_id=application_id,
        from_status=current.value,
        to_status=to.value,
    )
    return current


async def move_to_cohort(
    application_id: int,
    cohort: CohortRead,
    to: ApplicationStatus,
    *,
    actor_id: int,
    reason: str,
    clock: Clock,
) -> ApplicationStatus:
    """Name ``cohort`` and its site on an application whose enrolment was transferred there,
    and record the move as an event; returns the status it left.

    For the enrolment slice, like ``change_status``: call it after your own checks, inside
    your transaction. ``to`` is where the application stands in the new cohort: the status
    it already has, and the event then goes from that status to the same one (only a move
    records such an event; its reason says where to), or ``enrolled`` for a waitlisted person
    who takes a free place there. Conflict unless the application is enrolled or waitlisted
    and the table allows ``to``, or when another request changed the application meanwhile.
    """
    if to not in ENROLMENT_OWNED:
        raise ValueError(
            "an application moved to another cohort is enrolled or waitlisted there, "
            f"not {to.value}"
        )
    row = await Application.select(Application.status, Application.cohort).where(
        Application.id == application_id
    )
    if not row:
        raise NotFound(f"no application {application_id}")
    current = S(row[0]["status"])
    if current not in ENROLMENT_OWNED:
        raise Conflict(
            f"application {application_id} is {current.value}: only an enrolled or waitlisted "
            "application moves to another cohort"
        )
    why = refusal(current, to) if to is not current else None
    if why:
        raise Conflict(why, field="to")
    await _record(
        application_id,
        current,
        to,
        {Application.cohort: cohort.id, Application.site: cohort.site},
        actor_id=actor_id,
        reason=reason,
        now=clock.now(),
    )
    log.info(
        "application_moved_to_cohort",
        application_id=application_id,
        from_cohort=row[0]["cohort"],
        to_cohort=cohort.id,
        site=cohort.site,
        from_status=current.value,
        to_status=to.value,
    )
    return current


def _program(runtime: Runtime, key: str) -> Program:
    program = runtime.host.program(key)
    if program is None:
        raise Conflict(f"program {key!r} is not installed: its decisions cannot be taken now")
    return program


def _check_track(site: Site | None, program: str, track: str, cohort: CohortRead | None) -> None:
    settings = site.programs.get(program) if site else None
    if settings is None or track not in settings.tracks:
        raise InvalidField(f"the site does not offer track {track!r} of {program!r}", field="track")
    if cohort is not None and cohort.track != track:
        raise InvalidField(
            f"cohort {cohort.id} teaches track {cohort.track!r}, not {track!r}", field="track"
        )


async def _reachable_learner(principal: Principal, learner_id: int) -> None:
    """NotFound unless the learner exists within the caller's sites (any site for admins)."""
    where = [Learner.id == learner_id]
    if principal.role is not Role.ADMIN:
        where.append(Learner.site.is_in(sorted(principal.sites) or [""]))
    row = await Learner.select(Learner.erased_at).where(*where).first()
    if row is None:
        raise NotFound(f"no learner {learner_id}", field="learner")
    if row["erased_at"] is not None:
        raise ErasedLearner(learner_id)


async def _cohort(principal: Principal, cohort_id: int) -> CohortRead:
    try:
        return await get_cohort(principal, cohort_id)
    except NotFound:
        raise NotFound(f"no cohort {cohort_id}", field="cohort") from None


async def imported_keys(site: str) -> set[str]:
    """Every idempotency key the site's imported applications carry."""
    rows = await Application.select(Application.import_key).where(
        Application.site == site, Application.import_key.is_not_null()
    )
    return {row["import_key"] for row in rows}


async def create_application(
    runtime: Runtime,
    principal: Principal,
    data: ApplicationCreate,
    *,
    notify_learner: bool = True,
    import_key: str | None = None,
) -> ApplicationRead:
    """Record an application at a site the caller manages; eligibility is checked and kept.

    The application is ``submitted`` whatever the findings: an applicant found ineligible is
    told why (and where to go instead) from the stored findings, and a manager decides.
    A bulk import passes the row's ``import_key`` and tells nobody (``notify_learner``):
    those applications were received long before.
    """
    site = runtime.sites.get(data.site)
    if site is None or not principal.can_see_site(data.site):
        raise NotFound(f"no site {data.site!r}", field="site")
    if not principal.can_manage_site(data.site):
        raise Forbidden("only the site's managers and admins record applications")
    if not site.accepts_applications:
        raise Conflict(f"the site {data.site!r} is paused: it takes no new applications")
    program = runtime.host.program(data.program)
    if program is None or data.program not in site.programs:
        raise InvalidField(f"the site does not run program {data.program!r}", field="program")
    cohort = await _cohort(principal, data.cohort) if data.cohort is not None else None
    if cohort is not None and (cohort.site, cohort.program) != (data.site, data.program):
        raise InvalidField(
            f"cohort {cohort.id} is a {cohort.program!r} cohort at {cohort.site!r}, "
            f"not {data.program!r} at {data.site!r}",
            field="cohort",
        )
    track = data.track or (cohort.track if cohort else None)
    if track is not None:
        _check_track(site, data.program, track, cohort)
    await _reachable_learner(principal, data.learner)
    duplicate = await Application.select(Application.id).where(
        Application.learner == data.learner,
        Application.program == data.program,
        (Application.track.is_null() if track is None else Application.track == track),
        Application.status.not_in([S.REJECTED.value, S.WITHDRAWN.value]),
    )
    if duplicate:
        raise Conflict(
            f"learner {data.learner} already has application {duplicate[0]['id']} open "
            "for this program and track",
            field="learner",
        )
    now = runtime.clock.now()
    async with _db().transaction():
        snapshot = await take_snapshot(
            learner_id=data.learner,
            site=site,
            program=data.program,
            track=track,
            cohort=cohort,
            applied_at=now,
        )
        findings = evaluate(runtime, program, snapshot, site, admission=False)
        rows = await Application.insert(
            Application(
                learner=data.learner,
                site=data.site,
                program=data.program,
                track=track,
                cohort=cohort.id if cohort else None,
                status=S.SUBMITTED.value,
                created_by=principal.account_id,
                created_at=now,
                updated_at=now,
                import_key=import_key,
            )
        ).returning(Application.id)
        application_id = int(rows[0]["id"])
        await store_check(
            application_id, "submission", snapshot, findings, actor_id=principal.account_id, at=now
        )
        await ApplicationEvent.insert(
            ApplicationEvent(
                application=application_id,
                from_status=None,
                to_status=S.SUBMITTED.value,
                actor=principal.account_id,
                at=now,
                reason="",
            )
        )
        await record_application(application_id, now, site.config.timezone)
        if notify_learner:
            await notify(
                data.learner,
                Template.APPLICATION_RECEIVED,
                ApplicationReceived(program=program.title, site_name=site.config.name),
                clock=runtime.clock,
                site=data.site,
            )
    log.info("application_created", application_id=application_id, site=data.site)
    return await get_application(principal, application_id)


async def transition(
    runtime: Runtime, principal: Principal, application_id: int, data: TransitionCreate
) -> ApplicationRead:
    """Change an application's status as a manager asks, when the table and the facts allow.

    Admission checks eligibility again on the facts as they now stand; a refusal keeps the
    application where it is, stores the check, and raises ``Ineligible`` with the findings.
    Admission and rejection each keep a snapshot of the facts they were taken on.
    """
    row = await managed_row(principal, application_id)
    to = data.to
    current = S(row["status"])
    if to in ENROLMENT_OWNED:
        raise InvalidField(
            f"{to.value!r} is set by enrolment into a cohort (its capacity and waitlist), "
            "not by a status change",
            field="to",
        )
    if current in ENROLMENT_OWNED:
        raise Conflict(
            f"application {application_id} is {current.value}: it changes through enrolment, "
            "which gives its place to the next person",
            field="to",
        )
    why = refusal(current, to)
    if why:
        raise Conflict(why, field="to")
    reason = data.reason.strip()
    if to in NEEDS_REASON and not reason:
        raise InvalidField(
            "say why: a rejection is explained to the person, a withdrawal counts in the "
            "dropout figures",
            field="reason",
        )
    site = runtime.sites.get(row["site"])
    cohort = await _cohort(principal, row["cohort"]) if row["cohort"] is not None else None
    track = row["track"]
    if data.track is not None:
        if to not in TRACK_SETTABLE:
            raise InvalidField(
                "the track is set on the way to screening, a placement test or admission",
                field="track",
            )
        _check_track(site, row["program"], data.track, cohort)
        track = data.track
    if to is S.PLACEMENT_TEST_PENDING:
        tests = placement_tracks(_program(runtime, row["program"]), site)
        if track is not None and track not in tests:
            raise Conflict(
                f"program {row['program']!r} asks no placement test for track {track!r}",
                field="to",
            )
        if not tests:
            raise Conflict(
                f"program {row['program']!r} asks no placement test at this site", field="to"
            )
    if to is S.ADMITTED and track is None:
        raise Conflict("choose the track before admitting: send it with the change", field="track")

    now = runtime.clock.now()
    refused: list[Finding] | None = None
    async with _db().transaction():
        decision = None
        if to in DECISIONS:
            snapshot = await take_snapshot(
                learner_id=row["learner"],
                site=site,
                program=row["program"],
                track=track,
                cohort=cohort,
                applied_at=row["created_at"],
            )
            findings = evaluate(
                runtime, _program(runtime, row["program"]), snapshot, site, admission=True
            )
            decision = await store_check(
                application_id,
                "admission" if to is S.ADMITTED else "rejection",
                snapshot,
                findings,
                actor_id=principal.account_id,
                at=now,
            )
            if to is S.ADMITTED and not all(finding.ok for finding in findings):
                refused = findings
        if refused is None:
            await change_status(
                application_id,
                to,
                actor_id=principal.account_id,
                reason=reason,
                clock=runtime.clock,
                decision=decision,
                track=track if track != row["track"] else None,
            )
            if to in DECISIONS:
                await _tell_decision(runtime, row, to, reason, findings, cohort)
    if refused is not None:
        log.info("application_admission_refused", application_id=application_id)
        raise Ineligible(refused)
    return await get_application(principal, application_id)


async def _tell_decision(
    runtime: Runtime,
    row: dict[str, Any],
    to: S,
    reason: str,
    findings: list[Finding],
    cohort: CohortRead | None,
) -> None:
    """Write to the person about an admission or a refusal, in the decision's transaction.

    A refusal gives the manager's reason and every unmet rule, in plain words.
    """
    program = runtime.host.program(row["program"])
    site = runtime.sites.get(row["site"])
    reasons = [reason] if reason else []
    reasons += [finding.reason for finding in findings if not finding.ok]
    await notify(
        row["learner"],
        Template.APPLICATION_DECISION,
        ApplicationDecision(
            program=program.title if program else row["program"],
            site_name=site.config.name if site else row["site"],
            decision="admitted" if to is S.ADMITTED else "refused",
            reasons=tuple(reasons) if to is not S.ADMITTED else (),
            starts_on=cohort.starts_on if cohort and to is S.ADMITTED else None,
        ),
        clock=runtime.clock,
        site=row["site"],
    )


async def record_placement_result(
    runtime: Runtime, principal: Principal, application_id: int, data: PlacementResultCreate
) -> PlacementOutcome:
    """Record a placement test's result for an application still being screened.

    The program decides what the result opens: core asks its ``eligibility`` for each track
    the site offers, with the result among the facts. A passed result moves an application
    waiting for its test back to screening, and gives a track to one that had none when the
    result opens the track tested.
    """
    row = await managed_row(principal, application_id)
    current = S(row["status"])
    if current not in OPEN:
        raise Conflict(
            f"application {application_id} is {current.value}: placement results are "
            "recorded while it is being screened"
        )
    program = _program(runtime, row["program"])
    site = runtime.sites.get(row["site"])
    tested = data.track or row["track"]
    if tested is None:
        raise InvalidField("say which track's placement test this is", field="track")
    if tested not in placement_tracks(program, site):
        raise InvalidField(
            f"program {program.key!r} asks no placement test for track {tested!r} at this site",
            field="track",
        )
    now = runtime.clock.now()
    assessed_at = data.assessed_at or now
    if assessed_at > now:
        raise InvalidField("the test cannot have been taken in the future", field="assessed_at")
    cohort = await _cohort(principal, row["cohort"]) if row["cohort"] is not None else None
    async with _db().transaction():
        inserted = await PlacementResult.insert(
            PlacementResult(
                learner=row["learner"],
                application=application_id,
                program=program.key,
                track=tested,
                score=data.score,
                passed=data.passed,
                assessed_at=assessed_at,
                assessor=principal.account_id,
                recorded_at=now,
            )
        ).returning(PlacementResult.id)
        snapshot = await take_snapshot(
            learner_id=row["learner"],
            site=site,
            program=program.key,
            track=row["track"],
            cohort=cohort,
            applied_at=row["created_at"],
        )
        opened = opened_tracks(runtime, program, snapshot, site)
        track = row["track"]
        if track is None and data.passed and tested in opened:
            track = tested
            snapshot = msgspec.structs.replace(snapshot, track=track)
        if track is not None:
            await store_check(
                application_id,
                "placement",
                snapshot,
                evaluate(runtime, program, snapshot, site, admission=False),
                actor_id=principal.account_id,
                at=now,
            )
        if data.passed and current is S.PLACEMENT_TEST_PENDING:
            title = next(t.title for t in program.tracks if t.key == tested)
            await change_status(
                application_id,
                S.SCREENING,
                actor_id=principal.account_id,
                reason=f"Test de positionnement réussi : {title}.",
                clock=runtime.clock,
                track=track if track != row["track"] else None,
            )
        elif track != row["track"]:
            await Application.update({Application.track: track, Application.updated_at: now}).where(
                Application.id == application_id
            )
            await refresh_applications([application_id])
    result = await PlacementResult.select(*PLACEMENT_RESULT_COLUMNS).where(
        PlacementResult.id == inserted[0]["id"]
    )
    [stored] = result
    log.info("placement_result_recorded", application_id=application_id, passed=data.passed)
    return PlacementOutcome(
        result=PlacementResultRead(
            **stored
            | {
                "passed": bool(stored["passed"]),
                "assessed_at": as_utc(stored["assessed_at"]),
                "recorded_at": as_utc(stored["recorded_at"]),
            }
        ),
        application=await get_application(principal, application_id),
        opened_tracks=opened,
    )


async def move_applications(source_id: int, into_id: int) -> None:
    """Give a learner record's applications and placement results to the record kept.

    A ``MergeStep`` for ``core.learners.merge.merge_learners``: their history, checks and
    snapshots follow the application, so past decisions stay as they were taken.
    """
    await Application.update({Application.learner: into_id}).where(Application.learner == source_id)
    await PlacementResult.update({PlacementResult.learner: into_id}).where(
        PlacementResult.learner == source_id
    )
