"""Bodies of the attendance API."""

from __future__ import annotations

import enum
from datetime import date, datetime, time
from typing import Annotated

import msgspec

from core.db.limits import ID_MAX


class AttendanceStatus(enum.StrEnum):
    """How a learner attended a session."""

    PRESENT = "present"
    LATE = "late"
    ABSENT = "absent"
    EXCUSED = "excused"


ATTENDED = frozenset({AttendanceStatus.PRESENT, AttendanceStatus.LATE})
"""The statuses that need the learner's signature (RULES.md C4)."""


class SignatureMethod(enum.StrEnum):
    """How a signature was given: on the paper sheet, recorded by the trainer who saw the
    person sign, or on a tablet."""

    SHEET = "sheet"
    TRAINER = "trainer"
    TABLET = "tablet"


NOON = time(13, 0)
"""Half-days part at 13:00: a session starting before is in the morning, one ending after
in the afternoon."""


class HalfDay(enum.StrEnum):
    """The half-days a sheet is signed for (a session across noon has both)."""

    MORNING = "morning"
    AFTERNOON = "afternoon"


class FlagKind(enum.StrEnum):
    """Why a learner is flagged to the site manager."""

    ABSENCES_IN_A_ROW = "absences_in_a_row"
    THRESHOLD_OUT_OF_REACH = "threshold_out_of_reach"


class MarkInput(msgspec.Struct, kw_only=True, forbid_unknown_fields=True):
    """One learner's line of the sheet.

    ``minutes`` is required when late (what they attended); a present learner attended the
    whole session. ``signed`` says how the learner signed each half-day in ``half_days``
    (all of the session's by default); an absent or excused learner does not sign.
    """

    learner: Annotated[int, msgspec.Meta(ge=1, le=ID_MAX)]
    status: AttendanceStatus
    minutes: Annotated[int, msgspec.Meta(ge=0, le=1440)] | None = None
    signed: SignatureMethod | None = None
    half_days: list[HalfDay] | None = None


class SheetInput(msgspec.Struct, kw_only=True, forbid_unknown_fields=True):
    """A whole session's attendance, in one request, and the trainer's own signature."""

    marks: Annotated[list[MarkInput], msgspec.Meta(min_length=1, max_length=200)]
    trainer_signed: SignatureMethod | None = None


class MarkRead(msgspec.Struct, kw_only=True):
    """A learner's attendance at a session, with the half-days they signed."""

    learner: int
    first_name: str
    last_name: str
    status: AttendanceStatus | None
    minutes: int
    signed_half_days: list[HalfDay]


class SheetRead(msgspec.Struct, kw_only=True):
    """A session's sheet: every enrolled learner (unmarked ones with no status yet), and
    when the trainer signed it."""

    session: int
    cohort: int
    half_days: list[HalfDay]
    minutes: int
    marks: list[MarkRead]
    trainer_signed_at: datetime | None


class FlagRead(msgspec.Struct, kw_only=True):
    """A learner flagged to the site manager, since ``raised_on``."""

    learner: int
    kind: FlagKind
    reason: str
    raised_on: date


class LearnerAttendance(msgspec.Struct, kw_only=True):
    """A learner's attendance against the whole planned program of the cohort."""

    learner: int
    attended_minutes: int
    excused_minutes: int
    counted_minutes: int
    rate: float
    absences_in_a_row: int


class CohortAttendance(msgspec.Struct, kw_only=True):
    """Attendance rates of a cohort's learners and of the cohort, against the program's
    planned minutes (not only the sessions so far), and its open flags."""

    cohort: int
    planned_minutes: int
    threshold: float
    excused_count: bool
    rate: float | None
    learners: list[LearnerAttendance]
    flags: list[FlagRead]
