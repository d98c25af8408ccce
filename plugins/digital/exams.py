"""PCIE/ICDL exam sessions: a test centre, a day, the modules taken and the candidates.

Candidates are enrolments of DIGITAL cohorts of the session's site; their enrolment id is
the reference a test centre's result sheet gives back.
"""

from __future__ import annotations

from typing import Any

import structlog

from core.plugin.services import (
    InvalidField,
    NotFound,
    Principal,
    Runtime,
    audit,
    learner_names,
    transaction,
)
from plugins.digital import scope
from plugins.digital.attempts import check_module
from plugins.digital.curriculum import KEY
from plugins.digital.schemas import CandidateRead, ExamSessionInput, ExamSessionRead
from plugins.digital.tables import ExamCandidate, ExamSession

log = structlog.get_logger(__name__)

WHAT = "exam session"


async def create_session(
    runtime: Runtime, principal: Principal, data: ExamSessionInput
) -> ExamSessionRead:
    """Create an exam session at a site the caller manages, with its candidates."""
    scope.site_for_writing(principal, data.site, WHAT)
    found = runtime.sites.get(data.site)
    if found is None or KEY not in found.programs:
        raise InvalidField(f"site {data.site!r} does not run DIGITAL", field="site")
    for index, module in enumerate(data.modules):
        check_module(module, field=f"modules[{index}]")
    if len(set(data.candidates)) != len(data.candidates):
        raise InvalidField("a candidate is listed twice", field="candidates")
    for index, enrolment_id in enumerate(data.candidates):
        try:
            context = await scope.writing(principal, enrolment_id)
        except NotFound:
            context = None
        if context is None or context.site != data.site:
            raise InvalidField(
                f"enrolment {enrolment_id} is not in a DIGITAL cohort of {data.site}",
                field=f"candidates[{index}]",
            )
    session = ExamSession(
        site=data.site,
        test_centre=data.test_centre.strip(),
        held_on=data.held_on,
        modules=",".join(dict.fromkeys(data.modules)),
        created_by=principal.account_id,
        created_at=runtime.clock.now(),
    )
    async with transaction():
        await session.save()
        if data.candidates:
            await ExamCandidate.insert(
                *(
                    ExamCandidate(exam_session=session.id, enrolment=enrolment_id)
                    for enrolment_id in data.candidates
                )
            )
        await audit(
            runtime,
            principal,
            "exam_session.created",
            "exam_session",
            session.id,
            {"candidates": sorted(data.candidates), "modules": list(dict.fromkeys(data.modules))},
        )
    log.info("exam_session_created", exam_session=session.id, candidates=len(data.candidates))
    return await read_session(principal, session.id)


async def session_row(principal: Principal, session_id: int) -> dict[str, Any]:
    """The exam session, when the caller may see its site's learners; NotFound otherwise."""
    row = await ExamSession.select().where(ExamSession.id == session_id).first()
    if row is None:
        raise NotFound(f"no exam session {session_id}")
    scope.site_for_reading(principal, row["site"], WHAT)
    return row


async def candidates(principal: Principal, session_id: int) -> list[CandidateRead]:
    """The session's candidates, by last and first name; their names' reads audited."""
    rows = await ExamCandidate.select(
        ExamCandidate.enrolment,
        ExamCandidate.enrolment.learner.as_alias("learner"),
        ExamCandidate.enrolment.cohort.track.as_alias("track"),
    ).where(ExamCandidate.exam_session == session_id)
    names = await learner_names(principal, [row["learner"] for row in rows], "exam_candidates")
    found = [
        CandidateRead(
            enrolment=row["enrolment"],
            learner=row["learner"],
            first_name=names[row["learner"]][0],
            last_name=names[row["learner"]][1],
            track=row["track"],
        )
        for row in rows
    ]
    return sorted(found, key=lambda c: (c.last_name.lower(), c.first_name.lower(), c.enrolment))


async def read_session(principal: Principal, session_id: int) -> ExamSessionRead:
    """The exam session with its candidate list."""
    row = await session_row(principal, session_id)
    return ExamSessionRead(
        id=row["id"],
        site=row["site"],
        test_centre=row["test_centre"],
        held_on=row["held_on"],
        modules=[m for m in row["modules"].split(",") if m],
        candidates=await candidates(principal, session_id),
    )
