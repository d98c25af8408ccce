"""Volunteers. Only ``core.volunteering`` services touch them."""

from piccolo.columns import Boolean, ForeignKey, Timestamptz, Varchar
from piccolo.columns.base import OnDelete
from piccolo.table import Table

from core.learners.tables import Learner


class Volunteer(Table):
    """A person who helps at a site without pay, perhaps lent by a partner company.

    A former learner is a volunteer through ``learner``: their names and contact are then
    read from that one learner record, and this row's own name and contact columns stay
    empty (at most one volunteer per learner, unique index). ``partner`` is a partner key of
    the site's file that lends the volunteer (skills-based volunteering), ``skills`` code
    words separated by spaces. Personal data: the names and contact.
    """

    site = Varchar(length=40, index=True)
    learner = ForeignKey(references=Learner, null=True, on_delete=OnDelete.restrict, index=True)
    first_name = Varchar(length=100, default="")
    last_name = Varchar(length=100, default="")
    email = Varchar(length=254, default="")
    phone = Varchar(length=30, default="")
    skills = Varchar(length=1000, default="")
    partner = Varchar(length=40, null=True, default=None, index=True)
    active = Boolean(default=True)
    pending = Boolean(default=False)
    """Signed up on the public page and not yet accepted by a site manager: inactive until
    then (``core.volunteering.service.update_volunteer`` with ``active`` accepts)."""
    created_at = Timestamptz()
