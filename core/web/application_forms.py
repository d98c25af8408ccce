"""The forms of an application's page, read as posted: which status change, with what
reason, and which cohort to enrol into. Messages in the reader's language."""

from __future__ import annotations

from core.applications.pipeline import NEEDS_REASON, ApplicationStatus
from core.applications.schemas import TransitionCreate
from core.web.i18n import gettext as _

MOST = 500
"""The longest reason the service keeps (``TransitionCreate.reason``)."""


def read_change(posted: dict[str, str]) -> tuple[TransitionCreate | None, dict[str, str]]:
    """The status change a form asks for (with the track, for an application that has none
    yet), or None with the problems by field name."""
    try:
        to = ApplicationStatus(posted.get("vers", ""))
    except ValueError:
        return None, {"actions": _("Choose one of the actions offered.")}
    field = f"motif-{to.value}"
    reason = posted.get(field, "").strip()
    if to in NEEDS_REASON and not reason:
        return None, {field: _("Say why: the reason is kept in the history.")}
    if len(reason) > MOST:
        return None, {field: _("The reason is too long: 500 characters at most.")}
    track = posted.get(f"parcours-{to.value}", "").strip() or None
    return TransitionCreate(to=to, reason=reason, track=track), {}


def read_cohort(posted: dict[str, str]) -> tuple[int | None, dict[str, str]]:
    """The cohort an enrolment form names, or None with the problem."""
    chosen = posted.get("promotion", "")
    if not chosen.isdigit() or int(chosen) < 1:
        return None, {"promotion": _("Choose the cohort.")}
    return int(chosen), {}
