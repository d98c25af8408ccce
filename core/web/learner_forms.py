"""The forms of the learner pages, read as posted: the search box (a name, a phone number or
a birth date) and the record's edit form (the fields the API lets staff change), each
problem named by its field, in the reader's language."""

from __future__ import annotations

import re
from datetime import date, datetime
from typing import Any

import msgspec

from core.learners.duplicates import phone_key
from core.learners.schemas import LearnerUpdate
from core.web.i18n import gettext as _

DATE_FORMATS = ("%d/%m/%Y", "%Y-%m-%d", "%d-%m-%Y", "%d.%m.%Y")
"""How people type a birth date in the search box."""
_PHONE = re.compile(r"[0-9 +().-]+")
MIN_DIGITS = 6
"""The fewest digits of a phone number the search looks up (``core.learners.duplicates``)."""

TEXTS = ("first_name", "last_name", "email", "phone", "qpv_map_version", "notes")
CHOICES = ("gender", "highest_qualification", "employment_status", "refugee_status")
OPTIONAL_CHOICES = ("french_level", "french_level_method", "referral_partner")
DATES = ("birth_date", "french_level_assessed_on", "qpv_checked_on")
FIELDS = (*TEXTS, *CHOICES, *OPTIONAL_CHOICES, *DATES, "qpv_resident", "languages")
"""Every field of the form: those of ``LearnerUpdate``."""


class Search(msgspec.Struct, frozen=True, kw_only=True):
    """What the search box asks for: one of a name, a phone number or a birth date."""

    name: str | None = None
    phone: str | None = None
    birth_date: date | None = None


def _as_date(text: str) -> date | None:
    for form in DATE_FORMATS:
        try:
            return datetime.strptime(text, form).date()
        except ValueError:
            continue
    return None


def read_search(query: str) -> tuple[Search, dict[str, str]]:
    """What ``query`` searches by, or the problem with it."""
    text = query.strip()
    if not text:
        return Search(), {}
    if (day := _as_date(text)) is not None:
        return Search(birth_date=day), {}
    if _PHONE.fullmatch(text):
        if sum(c.isdigit() for c in text) < MIN_DIGITS:
            return Search(), {
                "q": _("Type at least 6 digits of a phone number, or a date as 31/12/1990.")
            }
        return Search(phone=text), {}
    return Search(name=text), {}


def messages() -> dict[str, str]:
    """What to say about each field when its value is refused."""
    choose = _("Choose from the list.")
    return {
        "first_name": _("Give the first name: 100 characters at most."),
        "last_name": _("Give the last name: 100 characters at most."),
        "gender": choose,
        "birth_date": _("Give a plausible birth date, as 31/12/1990."),
        "email": _("Give a valid e-mail address, or leave it empty."),
        "phone": _("Give a phone number of at least 6 digits, or leave it empty."),
        "languages": _("Give two-letter language codes, separated by spaces (fr en ar)."),
        "french_level": choose,
        "french_level_method": _("Give the French level with how it was assessed."),
        "french_level_assessed_on": _(
            "Give the French level with the date it was assessed, not in the future."
        ),
        "qpv_resident": choose,
        "qpv_checked_on": _(
            "Give the date the address was checked against the map, not in the future."
        ),
        "qpv_map_version": _(
            "Give the version of the map the address was checked against "
            "(letters, digits, dots and dashes)."
        ),
        "highest_qualification": choose,
        "employment_status": choose,
        "refugee_status": choose,
        "referral_partner": _("Choose a referral partner of the site."),
        "notes": _("The notes are too long: 10,000 characters at most."),
    }


def _values(posted: dict[str, str]) -> tuple[dict[str, Any], set[str]]:
    """The posted fields as the API takes them, and those whose dates do not read."""
    values: dict[str, Any] = {name: posted.get(name, "").strip() for name in (*TEXTS, *CHOICES)}
    values["notes"] = posted.get("notes", "").strip("\n")
    for name in OPTIONAL_CHOICES:
        values[name] = posted.get(name, "").strip() or None
    unreadable = set()
    for name in DATES:
        text = posted.get(name, "").strip()
        values[name] = _as_date(text) if text else None
        if text and values[name] is None:
            unreadable.add(name)
    values["qpv_resident"] = {"oui": True, "non": False}.get(posted.get("qpv_resident", ""))
    values["languages"] = posted.get("languages", "").replace(",", " ").lower().split()
    return values, unreadable


def read_record(posted: dict[str, str]) -> tuple[LearnerUpdate | None, dict[str, str]]:
    """The changes the edit form asks for, or None with the problems by field name."""
    values, unreadable = _values(posted)
    said = messages()
    errors = {name: said[name] for name in unreadable}
    if values["phone"] and not phone_key(values["phone"]):
        errors["phone"] = said["phone"]
    for name, value in values.items():
        if name in errors:
            continue
        try:
            msgspec.convert({name: value}, LearnerUpdate)
        except msgspec.ValidationError:
            errors[name] = said[name]
    if errors:
        return None, {name: errors[name] for name in FIELDS if name in errors}
    return msgspec.convert(values, LearnerUpdate), {}
