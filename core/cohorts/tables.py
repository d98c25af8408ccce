"""Cohort tables. Only ``core.cohorts.service`` touches them."""

from piccolo.columns import Date, Integer, Timestamptz, Varchar
from piccolo.columns.defaults.timestamptz import TimestamptzNow
from piccolo.table import Table


class Cohort(Table):
    """A cohort (promotion) of one program's track at one site."""

    site = Varchar(length=40, index=True)
    program = Varchar(length=32, index=True)
    track = Varchar(length=32)
    title = Varchar(length=200)
    starts_on = Date(index=True)
    ends_on = Date()
    capacity = Integer()
    created_at = Timestamptz(default=TimestamptzNow())
