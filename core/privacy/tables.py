"""The privacy tables. Only ``core.privacy`` touches them.

``Erasure`` is the append-only log of erasures: ids, an instant and a reason code, never a
personal value, so that it can be kept for ever and replayed after a restore.
``RestrictedDocument`` is the restricted store: the proof documents the law requires to be
kept (RULES.md C4, C5), rendered before an erasure, readable by admins only until they expire.
"""

from piccolo.columns import Bytea, Date, Integer, Timestamptz, Varchar
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


class RestrictedDocument(Table, tablename="restricted_document"):
    """A proof document of an erased learner, kept until ``expires_on``. Never updated."""

    kind = Varchar(length=24)
    """``attestation`` (RULES.md C5) or ``hours_certificate`` (C4, C5)."""
    learner = Integer(index=True)
    """The erased learner's id; no foreign key, like the log."""
    enrolment = Integer()
    file_name = Varchar(length=100)
    """A name without personal data: the kind and the enrolment's id."""
    content = Bytea()
    """The PDF, as rendered before the erasure."""
    stored_at = Timestamptz()
    expires_on = Date(index=True)
