"""DIGISTART's tables: each website submission and each trainer's review of it, kept as
history (rows are never updated). Core's enrolment is named through ``core.plugin.tables``.

Personal data: a website's address may name the learner, and a review's comment is text
about them; both are declared through ``essaim_personal_data``.
"""

from piccolo.columns import Date, ForeignKey, Integer, Text, Timestamptz, Varchar
from piccolo.columns.base import OnDelete
from piccolo.table import Table

from core.plugin.tables import ENROLMENT

ADDRESS_MAX_LENGTH = 500
"""As long as a result's value on core's record, where an accepted address is copied."""


class WebsiteSubmission(Table, tablename="digistart_website_submission"):
    """A learner's website handed in for an enrolment: its address and what kind it is."""

    enrolment = ForeignKey(
        references=ENROLMENT, null=False, on_delete=OnDelete.restrict, index=True
    )
    address = Varchar(length=ADDRESS_MAX_LENGTH)
    kind = Varchar(length=16)
    """``url`` (the site online) or ``repository`` (its code)."""
    submitted_on = Date()
    recorded_by = Integer()
    """The account that recorded it."""
    recorded_at = Timestamptz()


class WebsiteReview(Table, tablename="digistart_website_review"):
    """A trainer's review of a submission: accepted, or changes requested with a comment."""

    submission = ForeignKey(
        references=WebsiteSubmission, null=False, on_delete=OnDelete.restrict, index=True
    )
    enrolment = ForeignKey(
        references=ENROLMENT, null=False, on_delete=OnDelete.restrict, index=True
    )
    reviewer = Integer()
    """The reviewing account."""
    decision = Varchar(length=32)
    comment = Text(default="")
    reviewed_on = Date()
    recorded_at = Timestamptz()
