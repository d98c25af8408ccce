"""Session tables. Only ``core.scheduling`` services touch them."""

from piccolo.columns import Date, ForeignKey, Integer, Time, Timestamptz, Varchar
from piccolo.columns.base import OnDelete
from piccolo.table import Table

from core.cohorts.tables import Cohort


class TrainingSession(Table):
    """One session of a cohort: a unit of its plan on a local day, at local times.

    ``day``, ``starts_at`` and ``ends_at`` are wall-clock values in ``timezone`` (the site's
    zone when it was planned): what was planned is what people read on the timetable, and
    the instants follow from them. ``room`` is a room key of the site's file, ``trainer`` an
    account id; both start as the cohort's.
    """

    cohort = ForeignKey(references=Cohort, null=False, on_delete=OnDelete.restrict, index=True)
    sequence = Integer()
    unit = Varchar(length=64)
    title = Varchar(length=200)
    day = Date(index=True)
    starts_at = Time()
    ends_at = Time()
    timezone = Varchar(length=64)
    room = Varchar(length=40, null=True, default=None)
    trainer = Integer(null=True, default=None, index=True)
    created_at = Timestamptz()
