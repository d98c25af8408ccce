"""The privacy tables. Only ``core.privacy`` touches them.

``Erasure`` is the append-only log of erasures: ids, an instant and a reason code, never a
personal value, so that it can be kept for ever and replayed after a restore.
"""

from piccolo.columns import Integer, Timestamptz, Varchar
from piccolo.table import Table


class Erasure(Table):
    """One learner's erasure: who, by whom, when, on what ground. Never updated."""

    learner = Integer(index=True)
    """The erased learner's id; no foreign key, so that the log outlives any restore."""
    erased_by = Integer()
    """The admin account that erased it."""
    erased_at = Timestamptz()
    reason = Varchar(length=24)
    """An ``ErasureReason`` code."""
