"""The dashboard's filters: a GET form (period from one month to another, site, program)
read from the query, checked with messages in the reader's language naming the field, and
turned into the ``ReportFilters`` the reports service takes, and into the query of the
export links.

Field names are the reports API's parameters (``from``, ``to``, ``site``, ``program``), so
that a dashboard address and its export's carry the same query.
"""

from __future__ import annotations

import re
from collections.abc import Collection, Mapping
from dataclasses import dataclass, field
from urllib.parse import urlencode

from core.reporting.aggregates import ReportFilters
from core.web.i18n import gettext as _

FIELDS = ("from", "to", "site", "program")
MONTH = re.compile(r"^\d{4}-(0[1-9]|1[0-2])$")
EXPORT_GROUPING = ("site",)
"""The exports' grouping: one line per site, then the total."""


@dataclass(slots=True)
class DashboardForm:
    """The filters as typed (empty: not filtered), and the errors by field name."""

    values: dict[str, str]
    errors: dict[str, str] = field(default_factory=dict)

    @classmethod
    def from_query(cls, query: Mapping[str, str]) -> DashboardForm:
        """The filters of a request's query; other parameters are ignored."""
        return cls(values={name: (query.get(name) or "").strip() for name in FIELDS})


def check(
    form: DashboardForm, sites: Collection[str], programs: Collection[str]
) -> ReportFilters | None:
    """The filters when every value holds (``sites`` and ``programs`` are those offered),
    else None with ``form.errors`` filled."""
    values = form.values
    for name, label in (("from", _("Start month")), ("to", _("End month"))):
        if values[name] and not MONTH.match(values[name]):
            form.errors[name] = _("%(field)s: write a month as YYYY-MM, for example 2026-09.") % {
                "field": label
            }
    if not form.errors and values["from"] and values["to"] and values["from"] > values["to"]:
        form.errors["to"] = _("End month: it comes before the start month.")
    if values["site"] and values["site"] not in sites:
        form.errors["site"] = _("Site: choose one from the list.")
    if values["program"] and values["program"] not in programs:
        form.errors["program"] = _("Program: choose one from the list.")
    if form.errors:
        return None
    return ReportFilters(
        from_month=values["from"] or None,
        to_month=values["to"] or None,
        sites=(values["site"],) if values["site"] else None,
        program=values["program"] or None,
    )


def export_query(filters: ReportFilters, *, with_program: bool = True) -> str:
    """The query of an export link with ``filters`` (a program's own export takes no
    ``program``: its path names it)."""
    pairs = [("by", by) for by in EXPORT_GROUPING]
    if filters.from_month:
        pairs.append(("from", filters.from_month))
    if filters.to_month:
        pairs.append(("to", filters.to_month))
    pairs.extend(("site", site) for site in filters.sites or ())
    if with_program and filters.program:
        pairs.append(("program", filters.program))
    return urlencode(pairs)
