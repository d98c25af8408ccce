"""Attendance: a session's sheet entered in one request, rates against the whole program,
and the learners to look at. The only module that writes the attendance tables.

RULES.md C4: a learner is present only with a signature for each half-day they attended,
and the trainer signs too; once the trainer has signed, every change is audited.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

import structlog

from core.attendance.documents import (
    CertificateFacts,
    SheetFacts,
    Training,
    attendance_sheet,
    hours_certificate,
)
from core.attendance.schemas import (
    ATTENDED,
    NOON,
    AttendanceStatus,
    CohortAttendance,
    FlagKind,
    FlagRead,
    HalfDay,
    LearnerAttendance,
    MarkInput,
    MarkRead,
    SheetInput,
    SheetRead,
)
from core.attendance.tables import AttendanceFlag, AttendanceMark, Signature
from core.audit import service as audit
from core.auth.accounts import display_name
from core.auth.roles import Principal, Role
from core.cohorts import service as cohorts
from core.cohorts.schemas import CohortRead
from core.enrolment.schemas import Roster
from core.enrolment.service import roster
from core.errors import Conflict, Forbidden, InvalidField, NotFound
from core.french import french_date
from core.plugin import ProgramSettings
from core.reporting.enrolment_facts import refresh_cohorts
from core.runtime import Runtime
from core.scheduling import service as scheduling
from core.scheduling.schemas import SessionRead

log = structlog.get_logger(__name__)

_TOLERANCE = 1e-9


def half_days(session: SessionRead) -> list[HalfDay]:
    """The half-days a session's sheet is signed for."""
    days = []
    if session.starts_at < NOON:
        days.append(HalfDay.MORNING)
    if session.ends_at > NOON:
        days.append(HalfDay.AFTERNOON)
    return days


def session_minutes(session: SessionRead) -> int:
    """How long the session lasts, in minutes."""
    return int((session.end - session.start).total_seconds() // 60)


def _check_recorder(principal: Principal, cohort: CohortRead) -> None:
    if principal.role is Role.TRAINER and cohort.id in principal.cohorts:
        return
    if principal.can_manage_site(cohort.site):
        return
    raise Forbidden("only the cohort's trainers and the site's managers record attendance")


def _check_marks(
    marks: Sequence[MarkInput], enrolled: set[int], session: SessionRead
) -> dict[int, tuple[MarkInput, int, list[HalfDay]]]:
    """Each mark by learner, with its minutes and signed half-days; InvalidField naming
    the mark for the first thing wrong."""
    full, halves = session_minutes(session), half_days(session)
    checked: dict[int, tuple[MarkInput, int, list[HalfDay]]] = {}
    for n, mark in enumerate(marks):
        field = f"marks[{n}]"
        if mark.learner not in enrolled:
            raise InvalidField(f"learner {mark.learner} is not enrolled in the cohort", field=field)
        if mark.learner in checked:
            raise InvalidField(f"learner {mark.learner} is marked twice", field=field)
        signed = list(dict.fromkeys(mark.half_days or halves))
        if mark.status in ATTENDED:
            if mark.signed is None:
                raise InvalidField(
                    "a present or late learner signs the sheet (RULES.md C4)",
                    field=f"{field}.signed",
                )
            if not set(signed) <= set(halves):
                raise InvalidField(
                    f"the session has only {', '.join(halves)}", field=f"{field}.half_days"
                )
        elif mark.signed is not None or mark.half_days:
            raise InvalidField(f"an {mark.status} learner does not sign", field=f"{field}.signed")
        if mark.status is AttendanceStatus.LATE:
            if mark.minutes is None or mark.minutes >= full:
                raise InvalidField(
                    f"say how many of the session's {full} minutes a late learner attended",
                    field=f"{field}.minutes",
                )
            minutes = mark.minutes
        elif mark.status is AttendanceStatus.PRESENT:
            if mark.minutes not in (None, full):
                raise InvalidField(
                    f"a present learner attended the whole {full} minutes; mark them late",
                    field=f"{field}.minutes",
                )
            minutes = full
        else:
            minutes = 0
        checked[mark.learner] = (mark, minutes, signed if mark.status in ATTENDED else [])
    return checked


async def _trainer_signed_at(session_id: int) -> datetime | None:
    row = (
        await Signature.select(Signature.signed_at)
        .where(Signature.session == session_id, Signature.account.is_not_null())
        .order_by(Signature.signed_at)
        .first()
    )
    return row["signed_at"] if row else None


async def _sign(
    session_id: int, half: HalfDay, method: str, at: datetime, recorder: int, **signer: int
) -> None:
    """A signature event, unless this signer already signed this half-day."""
    column = Signature.learner if "learner" in signer else Signature.account
    already = await Signature.exists().where(
        Signature.session == session_id,
        Signature.half_day == half.value,
        column == next(iter(signer.values())),
    )
    if not already:
        await Signature.insert(
            Signature(
                session=session_id,
                half_day=half.value,
                method=method,
                signed_at=at,
                recorded_by=recorder,
                **signer,
            )
        )


async def record_sheet(
    runtime: Runtime, principal: Principal, session_id: int, data: SheetInput
) -> SheetRead:
    """Record a session's attendance as the trainer or a site manager enters it.

    Refused before the session starts (409), for a learner not enrolled in the cohort or a
    present one without a signature (422, naming the mark). Marks replace earlier ones;
    signatures are added, never removed. Then the cohort's flags are brought up to date.
    """
    session = await scheduling.get_session(principal, session_id)
    cohort = await cohorts.get_cohort(principal, session.cohort)
    _check_recorder(principal, cohort)
    now = runtime.clock.now()
    if now < session.start:
        raise Conflict("attendance is recorded once the session has started")
    enrolled = {entry.learner for entry in (await roster(principal, cohort.id)).enrolled}
    checked = _check_marks(data.marks, enrolled, session)
    async with AttendanceMark._meta.db.transaction():
        signed_before = await _trainer_signed_at(session_id) is not None
        rows = await AttendanceMark.select(
            AttendanceMark.id,
            AttendanceMark.learner,
            AttendanceMark.status,
            AttendanceMark.minutes,
        ).where(AttendanceMark.session == session_id)
        current = {row["learner"]: row for row in rows}
        for learner, (mark, minutes, signed) in checked.items():
            await _store_mark(
                session_id,
                learner,
                mark.status,
                minutes,
                current.get(learner),
                audited=signed_before,
                principal=principal,
                now=now,
            )
            for half in signed:
                assert mark.signed is not None
                await _sign(
                    session_id, half, mark.signed, now, principal.account_id, learner=learner
                )
        if data.trainer_signed is not None:
            for half in half_days(session):
                await _sign(
                    session_id,
                    half,
                    data.trainer_signed,
                    now,
                    principal.account_id,
                    account=principal.account_id,
                )
        await _update_flags(runtime, cohort, now)
        await refresh_cohorts([cohort.id])
    log.info("attendance_recorded", session_id=session_id, marks=len(checked))
    return await _sheet(principal, session)


async def _store_mark(
    session_id: int,
    learner: int,
    status: AttendanceStatus,
    minutes: int,
    current: dict[str, Any] | None,
    *,
    audited: bool,
    principal: Principal,
    now: datetime,
) -> None:
    values = {"status": status.value, "minutes": minutes}
    if current is None:
        await AttendanceMark.insert(
            AttendanceMark(
                session=session_id,
                learner=learner,
                recorded_by=principal.account_id,
                recorded_at=now,
                **values,
            )
        )
        changed = sorted(values)
    else:
        changed = sorted(name for name, value in values.items() if current[name] != value)
        if not changed:
            return
        await AttendanceMark.update(
            {
                AttendanceMark.status: status.value,
                AttendanceMark.minutes: minutes,
                AttendanceMark.recorded_by: principal.account_id,
                AttendanceMark.recorded_at: now,
            }
        ).where(AttendanceMark.id == current["id"])
    if audited:
        await audit.record(
            principal.account_id,
            "attendance.changed",
            "session",
            session_id,
            at=now,
            details={"learner": learner, "fields": changed, "status": status.value},
        )


async def marked_sessions(session_ids: Sequence[int]) -> set[int]:
    """Which of ``session_ids`` have attendance recorded (unscoped: the caller read the
    sessions within its scope)."""
    if not session_ids:
        return set()
    rows = (
        await AttendanceMark.select(AttendanceMark.session)
        .where(AttendanceMark.session.is_in(list(session_ids)))
        .distinct()
    )
    return {int(row["session"]) for row in rows}


async def sheet(principal: Principal, session_id: int) -> SheetRead:
    """A session's sheet: every enrolled learner with their mark and signed half-days."""
    return await _sheet(principal, await scheduling.get_session(principal, session_id))


async def _sheet(principal: Principal, session: SessionRead) -> SheetRead:
    session_id = session.id
    if principal.role is Role.CENTRAL_VIEWER:
        raise Forbidden("the central team sees aggregated figures, not attendance sheets")
    enrolled = (await roster(principal, session.cohort)).enrolled
    marks = {
        row["learner"]: row
        for row in await AttendanceMark.select(
            AttendanceMark.learner, AttendanceMark.status, AttendanceMark.minutes
        ).where(AttendanceMark.session == session_id)
    }
    signed: dict[int, list[HalfDay]] = {}
    for row in await Signature.select(Signature.learner, Signature.half_day).where(
        Signature.session == session_id, Signature.learner.is_not_null()
    ):
        signed.setdefault(row["learner"], []).append(HalfDay(row["half_day"]))
    learners = {entry.learner: entry for entry in enrolled} | {
        learner: None for learner in marks if learner not in {e.learner for e in enrolled}
    }
    names = {e.learner: (e.first_name, e.last_name) for e in enrolled}
    return SheetRead(
        session=session.id,
        cohort=session.cohort,
        half_days=half_days(session),
        minutes=session_minutes(session),
        marks=[
            MarkRead(
                learner=learner,
                first_name=names.get(learner, ("", ""))[0],
                last_name=names.get(learner, ("", ""))[1],
                status=AttendanceStatus(marks[learner]["status"]) if learner in marks else None,
                minutes=marks[learner]["minutes"] if learner in marks else 0,
                signed_half_days=sorted(signed.get(learner, [])),
            )
            for learner in learners
        ],
        trainer_signed_at=await _trainer_signed_at(session_id),
    )


def _program_settings(runtime: Runtime, cohort: CohortRead) -> ProgramSettings | None:
    site = runtime.sites.get(cohort.site)
    return site.programs.get(cohort.program) if site else None


async def _marks_of(cohort_id: int) -> list[dict[str, Any]]:
    return await AttendanceMark.select(
        AttendanceMark.session,
        AttendanceMark.learner,
        AttendanceMark.status,
        AttendanceMark.minutes,
    ).where(AttendanceMark.session.cohort == cohort_id)


def _learner_figures(
    learner: int,
    sessions: list[SessionRead],
    marks: dict[tuple[int, int], dict[str, Any]],
    excused_count: bool,
    planned: int,
) -> tuple[LearnerAttendance, int]:
    """A learner's figures, and the planned minutes of the sessions not marked for them."""
    attended = excused = unmarked = in_a_row = 0
    streak_open = True
    for session in reversed(sessions):
        mark = marks.get((session.id, learner))
        if mark is None:
            unmarked += session_minutes(session)
            continue
        status = AttendanceStatus(mark["status"])
        if status in ATTENDED:
            attended += mark["minutes"]
            streak_open = False
        elif status is AttendanceStatus.EXCUSED:
            excused += session_minutes(session)
        elif streak_open:
            in_a_row += 1
    counted = attended + (excused if excused_count else 0)
    figures = LearnerAttendance(
        learner=learner,
        attended_minutes=attended,
        excused_minutes=excused,
        counted_minutes=counted,
        rate=counted / planned if planned else 0.0,
        absences_in_a_row=in_a_row,
    )
    return figures, unmarked


async def _figures(
    runtime: Runtime, cohort: CohortRead, learners: Sequence[int], sessions: list[SessionRead]
) -> tuple[list[tuple[LearnerAttendance, int]], int, ProgramSettings | None]:
    planned = sum(session_minutes(s) for s in sessions)
    settings = _program_settings(runtime, cohort)
    excused_count = settings.excused_absences_count if settings else False
    marks = {(row["session"], row["learner"]): row for row in await _marks_of(cohort.id)}
    rows = [
        _learner_figures(learner, sessions, marks, excused_count, planned) for learner in learners
    ]
    return rows, planned, settings


async def _update_flags(runtime: Runtime, cohort: CohortRead, now: datetime) -> None:
    """Raise the flags whose reason has just appeared, dated the site's local day."""
    site = runtime.sites.get(cohort.site)
    if site is None:
        return
    marked = sorted({row["learner"] for row in await _marks_of(cohort.id)})
    figures, planned, settings = await _figures(
        runtime, cohort, marked, await scheduling.sessions_of(cohort.id)
    )
    threshold = settings.attendance_threshold if settings else 0.8
    raised = {
        (row["learner"], row["kind"])
        for row in await AttendanceFlag.select(AttendanceFlag.learner, AttendanceFlag.kind).where(
            AttendanceFlag.cohort == cohort.id
        )
    }
    today = now.astimezone(ZoneInfo(site.config.timezone)).date()
    alert = site.config.attendance.absence_alert
    for figure, unmarked in figures:
        reasons = []
        if figure.absences_in_a_row >= alert:
            reasons.append(
                (
                    FlagKind.ABSENCES_IN_A_ROW,
                    f"{figure.absences_in_a_row} absences de suite, jusqu'au "
                    f"{french_date(today, weekday=True)}.",
                )
            )
        best = (figure.counted_minutes + unmarked) / planned if planned else 1.0
        if best + _TOLERANCE < threshold:
            reasons.append(
                (
                    FlagKind.THRESHOLD_OUT_OF_REACH,
                    f"Même en venant à toutes les séances restantes, au mieux "
                    f"{math.floor(best * 100)} % des heures prévues : il en faut "
                    f"{round(threshold * 100)} %.",
                )
            )
        for kind, reason in reasons:
            if (figure.learner, kind.value) in raised:
                continue
            await AttendanceFlag.insert(
                AttendanceFlag(
                    cohort=cohort.id,
                    learner=figure.learner,
                    kind=kind.value,
                    reason=reason,
                    raised_on=today,
                    raised_at=now,
                )
            )
            log.info("attendance_flag_raised", cohort_id=cohort.id, kind=kind.value)


async def cohort_attendance(
    runtime: Runtime, principal: Principal, cohort_id: int, *, of: Roster | None = None
) -> CohortAttendance:
    """The attendance of every enrolled learner, the cohort's rate and its open flags.

    ``of`` is the cohort's roster when the caller has just read it (a page showing both),
    so that the learners' names are read, and audited, once."""
    if principal.role is Role.CENTRAL_VIEWER:
        raise Forbidden("the central team sees aggregated figures, not learners' attendance")
    cohort = await cohorts.get_cohort(principal, cohort_id)
    if of is None or of.cohort != cohort_id:
        of = await roster(principal, cohort_id)
    enrolled = [entry.learner for entry in of.enrolled]
    figures, planned, settings = await _figures(
        runtime, cohort, enrolled, await scheduling.sessions_of(cohort.id)
    )
    learners = [figure for figure, _ in figures]
    flags = (
        await AttendanceFlag.select(
            AttendanceFlag.learner,
            AttendanceFlag.kind,
            AttendanceFlag.reason,
            AttendanceFlag.raised_on,
        )
        .where(AttendanceFlag.cohort == cohort_id)
        .order_by(AttendanceFlag.id)
    )
    total = planned * len(learners)
    return CohortAttendance(
        cohort=cohort_id,
        planned_minutes=planned,
        threshold=settings.attendance_threshold if settings else 0.8,
        excused_count=settings.excused_absences_count if settings else False,
        rate=sum(f.counted_minutes for f in learners) / total if total else None,
        learners=learners,
        flags=[FlagRead(**row) for row in flags],
    )


def _training(runtime: Runtime, cohort: CohortRead) -> Training:
    program = runtime.host.program(cohort.program)
    title, track = cohort.program, cohort.track
    if program is not None:
        title = program.title
        track = next((t.title for t in program.tracks if t.key == cohort.track), cohort.track)
    site = runtime.sites.get(cohort.site)
    room = ""
    if site is not None and cohort.room:
        room = next((r.name for r in site.config.rooms if r.key == cohort.room), cohort.room)
    return Training(
        program=title,
        track=track,
        cohort=cohort.title,
        site=site.config.name if site else cohort.site,
        room=room,
    )


async def sheet_pdf(runtime: Runtime, principal: Principal, session_id: int) -> bytes:
    """The session's attendance sheet to print and sign, one page per half-day."""
    session = await scheduling.get_session(principal, session_id)
    current = await _sheet(principal, session)
    cohort = await cohorts.get_cohort(principal, session.cohort)
    trainer = await display_name(session.trainer) if session.trainer else None
    facts = SheetFacts(
        training=_training(runtime, cohort),
        session=session,
        half_days=current.half_days,
        trainer=trainer or "",
        marks=current.marks,
        trainer_signed=current.trainer_signed_at is not None,
    )
    return attendance_sheet(facts, created_at=runtime.clock.now())


async def hours_certificate_pdf(
    runtime: Runtime, principal: Principal, cohort_id: int, learner_id: int
) -> bytes:
    """The certificate of the hours a learner of the cohort attended (RULES.md C5)."""
    if principal.role is Role.CENTRAL_VIEWER:
        raise Forbidden("the central team sees aggregated figures, not learners' attendance")
    cohort = await cohorts.get_cohort(principal, cohort_id)
    entry = next(
        (e for e in (await roster(principal, cohort_id)).enrolled if e.learner == learner_id), None
    )
    if entry is None:
        raise NotFound(f"no learner {learner_id} enrolled in cohort {cohort_id}")
    sessions = await scheduling.sessions_of(cohort_id)
    [(learner, _)], planned, _ = await _figures(runtime, cohort, [learner_id], sessions)
    site = runtime.sites.get(cohort.site)
    now = runtime.clock.now()
    zone = ZoneInfo(site.config.timezone) if site else None
    facts = CertificateFacts(
        training=_training(runtime, cohort),
        first_name=entry.first_name,
        last_name=entry.last_name,
        first_day=sessions[0].day if sessions else None,
        last_day=sessions[-1].day if sessions else None,
        planned_minutes=planned,
        attended_minutes=learner.attended_minutes,
        issued_on=now.astimezone(zone).date() if zone else now.date(),
    )
    return hours_certificate(facts, created_at=now)


async def learner_hours(
    runtime: Runtime, cohort: CohortRead, learner_id: int
) -> tuple[float, float]:
    """The cohort's planned hours and those the learner attended, excused absences counted
    when the program's site settings say so: the figures completion is decided on."""
    sessions = await scheduling.sessions_of(cohort.id)
    [(figures, _)], planned, _ = await _figures(runtime, cohort, [learner_id], sessions)
    return planned / 60, figures.counted_minutes / 60
