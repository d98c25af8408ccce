"""Learner records. Only ``core.learners.service`` touches them."""

from piccolo.columns import Date, Timestamptz, Varchar
from piccolo.columns.defaults.timestamptz import TimestamptzNow
from piccolo.table import Table


class Learner(Table):
    """A person who trains with the organisation, recorded by the site that first met them.

    Every column but ``site``, ``gender`` and the dates is personal data.
    """

    site = Varchar(length=40, index=True)
    first_name = Varchar(length=100)
    last_name = Varchar(length=100, index=True)
    birth_date = Date(null=True, default=None)
    gender = Varchar(length=12)
    email = Varchar(length=254, default="")
    phone = Varchar(length=30, default="")
    french_level = Varchar(length=2, null=True, default=None)
    created_at = Timestamptz(default=TimestamptzNow())
