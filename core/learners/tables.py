"""Learner records and their consents. Only ``core.learners`` services touch them."""

from piccolo.columns import Boolean, Date, ForeignKey, Integer, Text, Timestamptz, Varchar
from piccolo.columns.base import OnDelete
from piccolo.columns.defaults.timestamptz import TimestamptzNow
from piccolo.table import Table


class Learner(Table):
    """A person who trains with the organisation, recorded by the site that first met them.

    Personal data: the names, birth date, contact, languages, notes and every audience
    attribute; ``refugee_status`` is a restricted field (RULES.md C7). ``name_key`` and
    ``phone_key`` are folded copies kept for duplicate detection and search. ``import_key`` is
    the idempotency key of the row a bulk import created it from, unique per site.
    """

    site = Varchar(length=40, index=True)
    first_name = Varchar(length=100)
    last_name = Varchar(length=100, index=True)
    name_key = Varchar(length=400, default="")
    birth_date = Date(null=True, default=None)
    gender = Varchar(length=12)
    email = Varchar(length=254, default="")
    phone = Varchar(length=30, default="")
    phone_key = Varchar(length=40, default="")
    languages = Varchar(length=120, default="")
    french_level = Varchar(length=2, null=True, default=None)
    french_level_method = Varchar(length=24, null=True, default=None)
    french_level_assessed_on = Date(null=True, default=None)
    qpv_resident = Boolean(null=True, default=None)
    qpv_checked_on = Date(null=True, default=None)
    qpv_map_version = Varchar(length=20, default="")
    highest_qualification = Varchar(length=12, default="unknown")
    employment_status = Varchar(length=12, default="unknown")
    refugee_status = Varchar(length=16, default="unknown")
    referral_partner = Varchar(length=40, null=True, default=None)
    notes = Text(default="")
    import_key = Varchar(length=64, null=True, default=None)
    created_at = Timestamptz(default=TimestamptzNow())
    age_band = Varchar(length=8, default="")
    """Set by an erasure in place of the birth date: ``18-25``, ``26-35``... (``core.privacy``)."""
    erased_at = Timestamptz(null=True, default=None)
    """When the record was erased; its personal fields are empty since."""


class Consent(Table):
    """A learner's consent to one purpose: given, recorded by a staff account, maybe withdrawn.

    Withdrawing keeps the row: the history of what was allowed when is the proof.
    ``recorded_by`` and ``withdrawn_by`` are account ids without a foreign key, so that the
    proof outlives the account.
    """

    learner = ForeignKey(references=Learner, null=False, on_delete=OnDelete.restrict, index=True)
    purpose = Varchar(length=24)
    given_at = Timestamptz()
    recorded_by = Integer()
    withdrawn_at = Timestamptz(null=True, default=None)
    withdrawn_by = Integer(null=True, default=None)
