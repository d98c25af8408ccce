"""The dashboard's charts: the labels of the indicators it draws, the markers of hidden
values and why, and each chart drawn from the reports (``core.web.charts``)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from markupsafe import Markup

from core.reporting.schemas import CountCell, RateCell, Report
from core.web.charts import Point, Words, bar_chart, line_chart
from core.web.i18n import format_month, format_number, format_share
from core.web.i18n import gettext as _

WOMEN_TARGET = 0.5
"""The organisation's target share of women (RULES.md C2)."""


def N_(message: str) -> str:
    """Mark ``message`` for the catalogs; it is translated when the page is rendered."""
    return message


FUNNEL_STEPS = (
    ("applications", N_("Applications")),
    ("eligible", N_("Eligible")),
    ("admitted", N_("Admitted applications")),
    ("enrolled", N_("Applications enrolled in a cohort")),
    ("completed", N_("Completed training")),
    ("certified", N_("Certifications")),
)
"""The funnel's steps in order: count, label (its French is the exports' title)."""
AUDIENCES = (
    ("women_share", "women", "entered", N_("Share of women")),
    ("qpv_share", "qpv", "qpv_known", N_("Share of QPV residents")),
    ("low_qualified_share", "low_qualified", "low_qualified_known", N_("Share below the bac")),
    ("job_seekers_share", "job_seekers", "job_seekers_known", N_("Share of job-seekers")),
    ("refugees_share", "refugees", "refugees_known", N_("Share of refugees")),
    ("under_26_share", "under_26", "under_26_known", N_("Share of under-26s")),
)
"""Audience shares: rate, the count over, the count it is over, label."""
RESULTS = (
    ("attendance_rate", N_("Attendance rate")),
    ("completion_rate", N_("Completion rate")),
    ("dropout_rate", N_("Dropout rate")),
    ("positive_rate_3", N_("Positive outcomes at 3 months (known)")),
    ("positive_rate_6", N_("Positive outcomes at 6 months (known)")),
)
"""The learners' results: rate, label."""


def gaps() -> dict[str, str]:
    """Each hidden marker and why, in the reader's language."""
    return {
        "<5": _("fewer than 5 people"),
        "x": _("hidden so that a number under 5 cannot be worked out by subtraction"),
        "-": _("rate not published: fewer than 5 people, or nobody"),
    }


def _count_point(label: str, cell: CountCell) -> Point:
    value = cell.value
    return Point(label, value, cell.display if value is None else format_number(value))


def _rate_point(label: str, cell: RateCell) -> Point:
    value = cell.value
    return Point(label, value, cell.display if value is None else format_share(value))


def charts(
    funnel: Report,
    months: Sequence[tuple[str, CountCell]],
    learners: Report,
    site_names: Mapping[str, str],
) -> dict[str, Markup]:
    """Every chart of the dashboard, by name; ``months`` are each month's applications."""
    reasons = gaps()
    total = funnel.total.counts
    rates = learners.total.rates
    by_site = [
        _rate_point(
            site_names.get(str(row.group["site"]), str(row.group["site"])), row.rates["women_share"]
        )
        for row in learners.rows
    ]
    return {
        "funnel": bar_chart(
            "graphique-entonnoir",
            [_count_point(_(label), total[name]) for name, label in FUNNEL_STEPS],
            Words(
                _("Applications funnel"),
                _(
                    "From applications to certifications, in bars; "
                    "the table below gives the same numbers."
                ),
                reasons,
            ),
        ),
        "months": line_chart(
            "graphique-mois",
            [_count_point(format_month(month, "MMM y"), cell) for month, cell in months],
            Words(
                _("Applications by month"),
                _("One point per month, in a line; the table below gives the same numbers."),
                reasons,
            ),
        ),
        "women": bar_chart(
            "graphique-femmes",
            by_site,
            Words(
                _("Share of women by site"),
                _(
                    "One bar per site, with the target of 50 %; the table below gives the "
                    "same numbers."
                ),
                reasons,
                target=_("target"),
            ),
            maximum=1,
            target=WOMEN_TARGET,
        ),
        "audiences": bar_chart(
            "graphique-publics",
            [_rate_point(_(label), rates[rate]) for rate, _n, _d, label in AUDIENCES],
            Words(
                _("Audiences"),
                _(
                    "One bar per audience, as a share of the learners who "
                    "entered; the table below gives the same numbers."
                ),
                reasons,
            ),
            maximum=1,
        ),
        "results": bar_chart(
            "graphique-resultats",
            [_rate_point(_(label), rates[rate]) for rate, label in RESULTS],
            Words(
                _("Attendance and results"),
                _("One bar per rate; the table below gives the same numbers."),
                reasons,
            ),
            maximum=1,
        ),
    }
