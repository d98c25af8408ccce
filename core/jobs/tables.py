"""The jobs table that ``essaim worker`` runs. Only ``core.jobs`` touches it."""

from piccolo.columns import JSON, Integer, Text, Timestamptz, Varchar
from piccolo.columns.defaults.timestamptz import TimestamptzNow
from piccolo.table import Table


class Job(Table):
    """A unit of timed work: due at ``run_at``, retried until ``max_attempts``."""

    kind = Varchar(length=64)
    payload = JSON(default="{}")
    status = Varchar(length=10, index=True)
    run_at = Timestamptz(index=True)
    attempts = Integer(default=0)
    max_attempts = Integer(default=5)
    last_error = Text(default="")
    locked_by = Varchar(length=100, null=True, default=None)
    locked_at = Timestamptz(null=True, default=None)
    created_at = Timestamptz(default=TimestamptzNow())
    finished_at = Timestamptz(null=True, default=None)
