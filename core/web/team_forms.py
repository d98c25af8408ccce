"""The forms of the team page, read as posted: the invitation and the account actions.
Messages in the reader's language."""

from __future__ import annotations

import re

from core.auth.schemas import GrantedRole, InvitationCreate
from core.db.limits import ID_MAX
from core.errors import Conflict, InvalidField
from core.web.i18n import gettext as _

EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
"""The shape the API accepts (``core.auth.schemas.Email``)."""
NAME_LENGTH = 200
EMAIL_LENGTH = 254
ACTIONS = {"desactiver": False, "reactiver": True}
"""The account actions a form may ask for, and whether the account is active after it."""
RESEND = "renvoyer"
"""The action that sends an invited account a new link."""


def read_email(posted: dict[str, str], field: str = "email") -> tuple[str, dict[str, str]]:
    """The e-mail address typed in ``field``, or the problem."""
    email = posted.get(field, "").strip()
    if not email:
        return email, {field: _("Write the e-mail address.")}
    if len(email) > EMAIL_LENGTH or not EMAIL.match(email):
        return email, {field: _("This e-mail address is not valid: check it (name@example.org).")}
    return email, {}


def read_invitation(
    posted: dict[str, str], cohorts: list[str]
) -> tuple[InvitationCreate | None, dict[str, str]]:
    """The invitation the form asks for (``cohorts`` are the values of the ticked cohort
    boxes), or None with the problems by field name."""
    errors: dict[str, str] = {}
    name = posted.get("nom", "").strip()
    if not name:
        errors["nom"] = _("Write the person's name.")
    elif len(name) > NAME_LENGTH:
        errors["nom"] = _("The name is too long: 200 characters at most.")
    email, problem = read_email(posted)
    errors |= problem
    try:
        role = GrantedRole(posted.get("role", ""))
    except ValueError:
        errors["role"] = _("Choose the person's role.")
        role = None
    chosen = [int(v) for v in cohorts if v.isdigit() and len(v) <= 12 and 1 <= int(v) <= ID_MAX]
    if role is GrantedRole.TRAINER and not chosen:
        errors["promotions"] = _("Choose at least one cohort for a trainer or a volunteer.")
    if errors or role is None:
        return None, errors
    kept = chosen if role is GrantedRole.TRAINER else []
    return InvitationCreate(email=email, display_name=name, role=role, cohorts=kept), {}


def invitation_refused(refused: Conflict | InvalidField) -> dict[str, str]:
    """Where and why the service refused an invitation."""
    if refused.field == "email":
        return {"email": _("An account already uses this e-mail address.")}
    if refused.field == "cohorts":
        return {"promotions": _("Choose cohorts of this site only.")}
    return {"role": _("This role cannot be given here.")}
