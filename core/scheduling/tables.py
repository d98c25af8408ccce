"""Session tables. Only ``core.scheduling`` services touch them."""

from piccolo.columns import Date, ForeignKey, Integer, Time, Timestamptz, Varchar
from piccolo.columns.base import OnDelete
from piccolo.table import Table

from core.cohorts.tables import Cohort
from core.volunteering.tables import Volunteer


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


class CalendarFeed(Table):
    """A subscription to sessions as an iCalendar feed, read at a secret address.

    ``kind`` says what ``target`` names: a cohort id, a room as ``site:room``, or a trainer's
    account id. ``site`` is the site of a cohort or room feed (none for a trainer), so that a
    site's managers find its feeds in one indexed condition. Only the SHA-256 of the secret is
    stored, as for API tokens: the address is shown once. A feed serves sessions within the
    current reach of ``created_by``, and dies with that account, like its tokens.
    """

    kind = Varchar(length=10)
    target = Varchar(length=90)
    site = Varchar(length=40, null=True, default=None, index=True)
    secret_hash = Varchar(length=64, unique=True)
    created_by = Integer(index=True)
    created_at = Timestamptz()
    revoked_at = Timestamptz(null=True, default=None)


class SessionVolunteer(Table):
    """A volunteer booked for a session, besides its trainer; one row per session and
    volunteer (unique index). ``assigned_by`` is the account that booked them."""

    session = ForeignKey(
        references=TrainingSession, null=False, on_delete=OnDelete.restrict, index=True
    )
    volunteer = ForeignKey(
        references=Volunteer, null=False, on_delete=OnDelete.restrict, index=True
    )
    assigned_by = Integer()
    assigned_at = Timestamptz()


class Availability(Table):
    """A weekly window in which a person said they are available: an ISO weekday and
    wall-clock times, held against a session's local times, in force from ``valid_from`` to
    ``valid_until`` (inclusive; open when null).

    ``person_kind`` says what ``person_id`` is: an account id (a trainer, a site manager
    who teaches) or a volunteer id. No foreign key, as for a session's trainer: accounts
    and volunteers are deactivated, never deleted.
    """

    person_kind = Varchar(length=10)
    person_id = Integer(index=True)
    weekday = Integer()
    starts_at = Time()
    ends_at = Time()
    valid_from = Date(null=True, default=None)
    valid_until = Date(null=True, default=None)
