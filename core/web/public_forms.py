"""The public forms read as posted: the application and the volunteer sign-up, each field
checked with a message that names it, in the reader's language, and the values as typed to
show again.

Input names are the form's (French, as in the address bar of the other pages); ``FIELDS``
maps a service's field name to the input that shows its error.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from datetime import date, time
from typing import Any, TypeVar

from core.applications.public import PublicApplication
from core.learners.duplicates import phone_key
from core.learners.schemas import (
    ConsentPurpose,
    EmploymentStatus,
    Gender,
    Qualification,
    RefugeeStatus,
)
from core.plugin import CefrLevel
from core.scheduling.schemas import WindowInput
from core.volunteering.public import PublicVolunteer
from core.web.i18n import gettext as _

FIELDS = {
    "first_name": "prenom",
    "last_name": "nom",
    "birth_date": "naissance",
    "gender": "genre",
    "phone": "telephone",
    "email": "email",
    "french_level": "niveau_francais",
    "highest_qualification": "diplome",
    "employment_status": "situation",
    "refugee_status": "statut",
    "consents": "accord",
    "partner": "entreprise",
    "skills": "competences",
    "windows": "disponibilites",
}
"""The input of each service field."""

SKILLS = ("bureautique", "internet", "excel", "web", "javascript", "anglais", "emploi")
"""The skills a volunteer may tick: code words, as the volunteer record keeps them."""

HALF_DAYS = {
    "matin": (time(9, 0), time(12, 30)),
    "apres-midi": (time(13, 30), time(18, 0)),
    "soir": (time(18, 0), time(21, 0)),
}
"""The parts of a day a volunteer may tick, and the weekly window each stands for."""

WEEKDAYS = range(1, 7)
"""Monday to Saturday (1 = Monday)."""

_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
_PHONE = re.compile(r"^[0-9 +().-]*$")
_MOST = 100
E = TypeVar("E")

Posted = Mapping[str, Any]
"""A posted form: ``get`` gives one value, ``getall`` every value of a repeated name."""


def _one(posted: Posted, name: str) -> str:
    return str(posted.get(name, "")).strip()


def _every(posted: Posted, name: str) -> list[str]:
    getall: Callable[[str], list[Any]] | None = getattr(posted, "getall", None)
    values = getall(name, []) if getall else ([posted[name]] if name in posted else [])  # type: ignore[call-arg]
    return [str(value).strip() for value in values if str(value).strip()]


def _choice(posted: Posted, name: str, kind: type[E], errors: dict[str, str]) -> E | None:
    """The enum value chosen in ``name``, None when none was; an error for anything else."""
    value = _one(posted, name)
    if not value:
        return None
    try:
        return kind(value)  # type: ignore[call-arg]
    except ValueError:
        errors[name] = _("Choose one of the answers offered.")
        return None


def _names(posted: Posted, errors: dict[str, str]) -> dict[str, str]:
    names = {"first_name": _one(posted, "prenom"), "last_name": _one(posted, "nom")}
    if not names["first_name"]:
        errors["prenom"] = _("Write your first name.")
    elif len(names["first_name"]) > _MOST:
        errors["prenom"] = _("Your first name is too long: 100 letters at most.")
    if not names["last_name"]:
        errors["nom"] = _("Write your last name.")
    elif len(names["last_name"]) > _MOST:
        errors["nom"] = _("Your last name is too long: 100 letters at most.")
    return names


def _contact(posted: Posted, errors: dict[str, str]) -> dict[str, str]:
    contact = {"phone": _one(posted, "telephone"), "email": _one(posted, "email").lower()}
    if contact["phone"] and (
        len(contact["phone"]) > 30
        or not _PHONE.fullmatch(contact["phone"])
        or not phone_key(contact["phone"])
    ):
        errors["telephone"] = _(
            "This phone number is not valid. Write only numbers, for example 06 12 34 56 78."
        )
    if contact["email"] and (len(contact["email"]) > 254 or not _EMAIL.fullmatch(contact["email"])):
        errors["email"] = _("This e-mail address is not valid. Example: nom@exemple.fr")
    if not (contact["phone"] or contact["email"]) and "telephone" not in errors:
        errors["telephone"] = _(
            "Write a phone number or an e-mail address, so that we can answer you."
        )
    return contact


def _birth_date(posted: Posted, errors: dict[str, str], today: date) -> date | None:
    value = _one(posted, "naissance")
    if not value:
        errors["naissance"] = _("Write your birth date.")
        return None
    try:
        born = date.fromisoformat(value)
    except ValueError:
        errors["naissance"] = _("This date is not valid. Example: 31/12/1990")
        return None
    if born.year < 1900 or born > today:
        errors["naissance"] = _("This date is not valid. Example: 31/12/1990")
        return None
    return born


def read_application(
    posted: Posted, site: str, program: str, today: date
) -> tuple[PublicApplication | None, dict[str, str]]:
    """The application the form asks for, or None with the problems by input name; a birth
    date after ``today`` is refused."""
    errors: dict[str, str] = {}
    names = _names(posted, errors)
    born = _birth_date(posted, errors, today)
    gender = _choice(posted, "genre", Gender, errors)
    if gender is None and "genre" not in errors:
        errors["genre"] = _("Choose one answer. You can choose “I prefer not to say”.")
    contact = _contact(posted, errors)
    level = _choice(posted, "niveau_francais", CefrLevel, errors)
    qualification = _choice(posted, "diplome", Qualification, errors)
    situation = _choice(posted, "situation", EmploymentStatus, errors)
    status = _choice(posted, "statut", RefugeeStatus, errors)
    consents: set[ConsentPurpose] = set()
    for value in _every(posted, "accord"):
        try:
            consents.add(ConsentPurpose(value))
        except ValueError:
            errors["accord"] = _("Choose one of the answers offered.")
    if ConsentPurpose.TRAINING_RECORD not in consents and "accord" not in errors:
        errors["accord"] = _(
            "Tick the first box. Without your agreement, we cannot keep your application."
        )
    if errors or born is None or gender is None:
        return None, errors
    return PublicApplication(
        site=site,
        program=program,
        birth_date=born,
        gender=gender,
        french_level=level,
        highest_qualification=qualification or Qualification.UNKNOWN,
        employment_status=situation or EmploymentStatus.UNKNOWN,
        refugee_status=status or RefugeeStatus.UNKNOWN,
        consents=frozenset(consents),
        **names,
        **contact,
    ), {}


def read_volunteer(
    posted: Posted, site_partners: Mapping[str, str]
) -> tuple[PublicVolunteer | None, dict[str, str]]:
    """The sign-up the form asks for, or None with the problems by input name.
    ``site_partners`` are the companies that may lend volunteers at the chosen site."""
    errors: dict[str, str] = {}
    site = _one(posted, "antenne")
    if not site:
        errors["antenne"] = _("Choose a site.")
    names = _names(posted, errors)
    contact = _contact(posted, errors)
    skills = [skill for skill in _every(posted, "competences") if skill in SKILLS]
    if len(skills) != len(_every(posted, "competences")):
        errors["competences"] = _("Choose one of the answers offered.")
    partner = _one(posted, "entreprise") or None
    if partner is not None and partner not in site_partners:
        errors["entreprise"] = _("Choose one of the companies offered, or “No company”.")
    windows = []
    for value in _every(posted, "disponibilites"):
        day, _sep, part = value.partition("-")
        if not day.isdigit() or int(day) not in WEEKDAYS or part not in HALF_DAYS:
            errors["disponibilites"] = _("Choose one of the answers offered.")
            break
        starts, ends = HALF_DAYS[part]
        windows.append(WindowInput(weekday=int(day), starts_at=starts, ends_at=ends))
    if not _every(posted, "accord"):
        errors["accord"] = _("Tick the box. Without your agreement, we cannot keep your details.")
    if errors:
        return None, errors
    return PublicVolunteer(
        site=site, skills=tuple(skills), partner=partner, windows=tuple(windows), **names, **contact
    ), {}
