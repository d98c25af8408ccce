"""Cohort tables. Only ``core.cohorts.service`` touches them."""

from piccolo.columns import Date, Integer, Time, Timestamptz, Varchar
from piccolo.columns.defaults.timestamptz import TimestamptzNow
from piccolo.table import Table


class Cohort(Table):
    """A cohort (promotion) of one program's track at one site.

    Its weekly rhythm is ``weekdays`` (ISO numbers separated by spaces, "1 4" for Mondays and
    Thursdays) and the daily slot from ``day_starts`` to ``day_ends``, wall-clock times in the
    site's time zone; ``room`` is a room key of the site's file; ``lead_trainer`` an account
    id. Once the cohort is planned, ``ends_on`` is the day of its last session.
    """

    site = Varchar(length=40, index=True)
    program = Varchar(length=32, index=True)
    track = Varchar(length=32)
    title = Varchar(length=200)
    starts_on = Date(index=True)
    ends_on = Date()
    capacity = Integer()
    created_at = Timestamptz(default=TimestamptzNow())
    status = Varchar(length=12, default="planned", index=True)
    room = Varchar(length=40, null=True, default=None)
    lead_trainer = Integer(null=True, default=None)
    weekdays = Varchar(length=20, default="")
    day_starts = Time(null=True, default=None)
    day_ends = Time(null=True, default=None)
