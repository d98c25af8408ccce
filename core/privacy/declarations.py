"""Core's own columns, judged one by one: personal data about a learner, or not.

``PERSONAL`` uses the type plugins declare theirs with (``essaim_personal_data``), so that
export and erasure read one list. ``NOT_PERSONAL`` says why each other text, JSON or date
column of a table that leads to a learner holds nothing that leads back to the person. A
column in neither list fails ``tests/plugins/test_privacy_declarations.py``: a new column
must be judged before it can hold a learner's data unnoticed.
"""

from __future__ import annotations

from dataclasses import dataclass

from core.plugin import PersonalColumn, PersonalKind

ID, C, F, L = PersonalKind.IDENTITY, PersonalKind.CONTACT, PersonalKind.FREE_TEXT, PersonalKind.LINK


def _personal(table: str, learner: str, **columns: PersonalKind) -> list[PersonalColumn]:
    return [
        PersonalColumn(table=table, column=column, kind=kind, learner=learner)
        for column, kind in columns.items()
    ]


PERSONAL: tuple[PersonalColumn, ...] = (
    *_personal(
        "learner",
        "id",
        first_name=ID,
        last_name=ID,
        name_key=ID,
        birth_date=ID,
        email=C,
        phone=C,
        phone_key=C,
        languages=ID,
        french_level=ID,
        french_level_method=ID,
        notes=F,
        import_key=ID,
    ),
    *_personal("application", "learner", import_key=ID),
    # A snapshot of the facts checked, birth date and French level among them.
    *_personal("eligibility_check", "application", facts=ID),
    *_personal("eligibility_finding", "eligibility_check", reason=F, referral=F),
    *_personal("application_event", "application", reason=F),
    # The text sent, addressed by name; an error may quote the address it failed on; a
    # personal link waiting to leave with it.
    *_personal("message", "learner", subject=F, body=F, last_error=C, link=L),
    *_personal("enrolment", "learner", reason=F),
    # A volunteer who trained here first: the same person.
    *_personal("volunteer", "learner", first_name=ID, last_name=ID, email=C, phone=C, skills=F),
    *_personal("attendance_flag", "learner", reason=F),
    # A deliverable's value is an address that may name the person.
    *_personal("assessment_result", "enrolment", value=L, comment=F),
    # Findings may quote a deliverable; the number names the attestation, kept apart.
    *_personal("completion", "enrolment", findings=F, override_reason=F, attestation_number=ID),
    *_personal("outcome", "enrolment", employer_or_school=ID),
    # The hash of a personal link's secret: emptied, the link stops answering.
    *_personal("learner_link", "enrolment", secret_hash=L),
    # What the learner typed in the satisfaction survey.
    *_personal("survey_answer", "enrolment", comment=F),
)
"""Core's columns that hold personal data about a learner."""


@dataclass(frozen=True, slots=True)
class NotPersonal:
    """Columns of ``table`` judged to hold nothing that leads back to a person, and why."""

    table: str
    columns: tuple[str, ...]
    reason: str


_CODES = "code words from a fixed list (sites, programs, tracks, statuses, kinds)"
_DATES = "days of the training's own calendar, kept so that reports keep their periods"

NOT_PERSONAL: tuple[NotPersonal, ...] = (
    NotPersonal(
        "learner",
        ("site", "gender", "highest_qualification", "employment_status", "refugee_status"),
        "coarse audience attributes the reports count (RULES.md C7), kept after an erasure",
    ),
    NotPersonal(
        "learner",
        ("qpv_checked_on", "qpv_map_version", "french_level_assessed_on", "referral_partner"),
        "when and against which map or partner code a fact was checked: no value of the person",
    ),
    NotPersonal("learner", ("age_band",), "a ten-year band, kept in place of the birth date"),
    NotPersonal("consent", ("purpose",), _CODES),
    NotPersonal("application", ("site", "program", "track", "status"), _CODES),
    NotPersonal("eligibility_check", ("stage",), _CODES),
    NotPersonal("eligibility_finding", ("rule",), _CODES),
    NotPersonal("application_event", ("from_status", "to_status"), _CODES),
    NotPersonal("placement_result", ("program", "track"), _CODES),
    NotPersonal("message", ("site", "channel", "template", "status"), _CODES),
    NotPersonal("enrolment", ("status",), _CODES),
    NotPersonal("volunteer", ("site", "partner"), _CODES),
    NotPersonal("attendance_mark", ("status",), _CODES),
    NotPersonal("signature", ("half_day", "method"), _CODES),
    NotPersonal("attendance_flag", ("kind",), _CODES),
    NotPersonal("attendance_flag", ("raised_on",), _DATES),
    NotPersonal("assessment_result", ("assessment",), _CODES),
    NotPersonal("assessment_result", ("assessed_on",), _DATES),
    NotPersonal("completion", ("site", "program", "track"), _CODES),
    NotPersonal(
        "completion",
        ("facts", "next_offers"),
        "hours, rates, grades on a program's scale and the programs offered next: numbers "
        "and codes, no text about the person",
    ),
    NotPersonal("completion", ("completed_on",), _DATES),
    NotPersonal("outcome", ("status", "source"), _CODES),
    NotPersonal("outcome", ("starts_on",), _DATES),
    NotPersonal("learner_link", ("purpose",), _CODES),
    NotPersonal("survey_answer", ("helped",), _CODES),
    NotPersonal("report_application", ("site", "program", "track", "month"), _CODES),
    NotPersonal(
        "report_enrolment",
        ("site", "program", "track", "month", "status", "outcome_3", "outcome_6"),
        _CODES,
    ),
    NotPersonal("report_enrolment", ("follow_up_3", "follow_up_6"), _DATES),
)
"""Core's other text, JSON and date columns of the tables that lead to a learner."""
