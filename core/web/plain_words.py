"""The validation messages of msgspec and of the site loader, said in the reader's language
where they are known ones, for the pages that show them (imports, site files). A message
that is not known is shown as it is."""

from __future__ import annotations

import re

from core.web.i18n import gettext as _

_EXPECTED = re.compile(r"^Expected `(\w+)`, got `\w+`$")
_LONGEST = re.compile(r"^Expected `str` of length <= (\d+)$")
_CHOICE = re.compile(r"^Invalid enum value '(.*)'$")
_UNKNOWN_FIELD = re.compile(r"^Object contains unknown field `(\w+)`$")
_MISSING_FIELD = re.compile(r"^Object missing required field `(\w+)`$")
_UNSET_VARIABLE = re.compile(r"^environment variable (\w+) is not set$")


def _kind(name: str) -> str | None:
    return {
        "int": _("a whole number"),
        "float": _("a number"),
        "bool": _("true or false"),
        "date": _("a date such as 2026-09-01"),
        "str": _("text"),
        "array": _("a list"),
        "object": _("a table"),
    }.get(name)


def plain(message: str) -> str:
    """``message`` in the reader's language when it is a known one, else as it is."""
    known = {
        "required": _("required"),
        "required column missing": _("required column missing"),
        "column given twice": _("column given twice"),
        "not a learner column": _("not a column of a learners' file"),
        "not an application column": _("not a column of an applications' file"),
        "Invalid RFC3339 encoded date": _("not a date: write it as 2026-09-01"),
        "the file is not UTF-8 text": _("the file is not UTF-8 text"),
        "the file is no longer there": _("the file is no longer there"),
    }
    if message in known:
        return known[message]
    if (found := _EXPECTED.match(message)) and (kind := _kind(found[1])):
        return _("expected: %(kind)s") % {"kind": kind}
    if found := _LONGEST.match(message):
        return _("too long: %(most)s characters at most") % {"most": found[1]}
    if found := _CHOICE.match(message):
        return _("the value “%(value)s” is not one of those allowed") % {"value": found[1]}
    if found := _UNKNOWN_FIELD.match(message):
        return _("“%(name)s” is not a known field: check its spelling") % {"name": found[1]}
    if found := _MISSING_FIELD.match(message):
        return _("the field “%(name)s” is missing") % {"name": found[1]}
    if found := _UNSET_VARIABLE.match(message):
        return _("the environment variable %(name)s is not set on the server") % {"name": found[1]}
    return message
