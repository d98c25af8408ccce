"""The attendance form: a sheet's values as the page shows them, read back from what was
posted, checked with messages in the reader's language naming the field, and turned into
the ``SheetInput`` the attendance service records.

Field names: ``statut-<learner>``, ``minutes-<learner>``, ``signature`` (how the present
learners signed), ``formateur-signe`` (the trainer signs the sheet too).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from core.attendance.schemas import (
    ATTENDED,
    AttendanceStatus,
    MarkInput,
    SheetInput,
    SheetRead,
    SignatureMethod,
)
from core.web.i18n import gettext as _

SIGNATURE = "signature"
TRAINER_SIGNS = "formateur-signe"
STATUSES = (
    AttendanceStatus.PRESENT,
    AttendanceStatus.LATE,
    AttendanceStatus.ABSENT,
    AttendanceStatus.EXCUSED,
)
"""The choices offered for each learner, in the order shown."""


def status_field(learner: int) -> str:
    """The name of a learner's status field."""
    return f"statut-{learner}"


def minutes_field(learner: int) -> str:
    """The name of a late learner's minutes field."""
    return f"minutes-{learner}"


@dataclass(slots=True)
class SheetForm:
    """What the form shows: each learner's status and minutes as typed, how the learners
    signed, whether the trainer signs, and the errors by field name."""

    statuses: dict[int, str]
    minutes: dict[int, str]
    signature: str = SignatureMethod.SHEET.value
    trainer_signs: bool = True
    errors: dict[str, str] = field(default_factory=dict)

    @classmethod
    def from_sheet(cls, sheet: SheetRead) -> SheetForm:
        """The recorded sheet; a learner not marked yet shows as present."""
        statuses, minutes = {}, {}
        for mark in sheet.marks:
            statuses[mark.learner] = (mark.status or AttendanceStatus.PRESENT).value
            late = mark.status is AttendanceStatus.LATE
            minutes[mark.learner] = str(mark.minutes) if late else ""
        return cls(
            statuses=statuses, minutes=minutes, trainer_signs=sheet.trainer_signed_at is None
        )

    @classmethod
    def from_post(cls, sheet: SheetRead, posted: Mapping[str, str]) -> SheetForm:
        """The values posted for the sheet's learners, kept as typed."""
        return cls(
            statuses={
                m.learner: posted.get(status_field(m.learner), "").strip() for m in sheet.marks
            },
            minutes={
                m.learner: posted.get(minutes_field(m.learner), "").strip() for m in sheet.marks
            },
            signature=posted.get(SIGNATURE, "").strip(),
            trainer_signs=bool(posted.get(TRAINER_SIGNS)),
        )


def _name(sheet: SheetRead, learner: int) -> str:
    mark = next(m for m in sheet.marks if m.learner == learner)
    return f"{mark.first_name} {mark.last_name}"


def check(form: SheetForm, sheet: SheetRead) -> SheetInput | None:
    """The sheet to record, or None with ``form.errors`` filled, one message per field."""
    errors = form.errors
    marks = []
    for learner, value in form.statuses.items():
        name = _name(sheet, learner)
        try:
            status = AttendanceStatus(value)
        except ValueError:
            errors[status_field(learner)] = _(
                "Attendance of %(name)s: choose present, late, absent or excused absence."
            ) % {"name": name}
            continue
        minutes = None
        if status is AttendanceStatus.LATE:
            typed = form.minutes[learner]
            if not typed.isdigit() or not 0 < int(typed) < sheet.minutes:
                errors[minutes_field(learner)] = _(
                    "Minutes attended by %(name)s: a whole number from 1 to %(most)s, "
                    "since %(name)s came late."
                ) % {"name": name, "most": sheet.minutes - 1}
                continue
            minutes = int(typed)
        signed = None
        if status in ATTENDED:
            signed = _signature(form, errors)
        marks.append(MarkInput(learner=learner, status=status, minutes=minutes, signed=signed))
    trainer = _signature(form, errors) if form.trainer_signs else None
    if errors or not marks:
        return None
    return SheetInput(marks=marks, trainer_signed=trainer)


def _signature(form: SheetForm, errors: dict[str, str]) -> SignatureMethod | None:
    try:
        return SignatureMethod(form.signature)
    except ValueError:
        errors[SIGNATURE] = _("How the sheet was signed: choose one of the three ways.")
        return None
