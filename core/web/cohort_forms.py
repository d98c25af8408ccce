"""The forms of a cohort's page, read as posted: whom to withdraw and why, whom to transfer
and where. Messages in the reader's language."""

from __future__ import annotations

from core.enrolment.schemas import ReasonBody, TransferCreate
from core.web.i18n import gettext as _

MOST = 500
"""The longest reason the service keeps (``ReasonBody.reason``)."""


def _chosen(posted: dict[str, str], field: str, among: set[int]) -> int | None:
    """The id chosen in ``field``, when it is one of ``among``."""
    value = posted.get(field, "")
    return int(value) if value.isdigit() and int(value) in among else None


def _reason(posted: dict[str, str], field: str, errors: dict[str, str]) -> str:
    reason = posted.get(field, "").strip()
    if len(reason) > MOST:
        errors[field] = _("The reason is too long: 500 characters at most.")
    return reason


def read_withdrawal(
    posted: dict[str, str], enrolled: set[int]
) -> tuple[tuple[int, ReasonBody] | None, dict[str, str]]:
    """The enrolment to withdraw (one of ``enrolled``) and why, or None with the problems."""
    errors: dict[str, str] = {}
    enrolment = _chosen(posted, "retrait-personne", enrolled)
    if enrolment is None:
        errors["retrait-personne"] = _("Choose the person who leaves the cohort.")
    reason = _reason(posted, "retrait-motif", errors)
    if not reason:
        errors["retrait-motif"] = _("Say why: a withdrawal counts in the dropout figures.")
    if errors or enrolment is None:
        return None, errors
    return (enrolment, ReasonBody(reason=reason)), {}


def read_transfer(
    posted: dict[str, str], movable: set[int], targets: set[int]
) -> tuple[tuple[int, TransferCreate] | None, dict[str, str]]:
    """The enrolment to transfer (one of ``movable``), the cohort to move it to (one of
    ``targets``) and why, or None with the problems."""
    errors: dict[str, str] = {}
    enrolment = _chosen(posted, "transfert-personne", movable)
    if enrolment is None:
        errors["transfert-personne"] = _("Choose the person to transfer.")
    target = _chosen(posted, "transfert-promotion", targets)
    if target is None:
        errors["transfert-promotion"] = _("Choose the cohort to transfer the person to.")
    reason = _reason(posted, "transfert-motif", errors)
    if errors or enrolment is None or target is None:
        return None, errors
    return (enrolment, TransferCreate(cohort_id=target, reason=reason)), {}
