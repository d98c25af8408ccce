"""The messages sent to learners and to staff accounts. Only ``core.notifications.service``,
``core.notifications.accounts`` and ``core.notifications.sending`` (which sends both) touch them.
"""

from piccolo.columns import ForeignKey, Integer, Text, Timestamptz, Varchar
from piccolo.columns.base import OnDelete
from piccolo.table import Table

from core.auth.tables import Account
from core.learners.tables import Learner


class Message(Table):
    """One message to a learner: what was written, on which channel, and whether it went.

    Personal data: ``subject`` and ``body`` (they hold the learner's name and situation).
    ``last_error`` says why a send failed in words that hold no personal data. A personal
    link (a survey's) is kept apart from the body, which holds a placeholder, in ``link``
    until the message leaves, sent or given up, then emptied: the database keeps no usable
    secret (``core.surveys`` stores its hash), and whoever reads the message cannot answer
    in the learner's place.
    """

    learner = ForeignKey(references=Learner, null=False, on_delete=OnDelete.restrict, index=True)
    site = Varchar(length=40, index=True)
    channel = Varchar(length=8)
    template = Varchar(length=40)
    subject = Varchar(length=200)
    body = Text()
    link = Varchar(length=400, default="")
    status = Varchar(length=8, index=True)
    attempts = Integer(default=0)
    last_error = Varchar(length=200, default="")
    created_at = Timestamptz()
    sent_at = Timestamptz(null=True, default=None)


class AccountMessage(Table):
    """One e-mail to a staff account (an invitation, a password reset) and whether it went.

    ``body`` holds a placeholder where the single-use link goes; ``link`` holds the link only
    until the message leaves (sent or given up), then is emptied, so that the database keeps
    no usable secret (``core.auth.links`` stores its hash). ``site`` names whose mail
    settings send it.
    """

    account = ForeignKey(references=Account, null=False, on_delete=OnDelete.cascade, index=True)
    site = Varchar(length=40)
    template = Varchar(length=40)
    subject = Varchar(length=200)
    body = Text()
    link = Varchar(length=400, default="")
    status = Varchar(length=8, index=True)
    attempts = Integer(default=0)
    last_error = Varchar(length=200, default="")
    created_at = Timestamptz()
    sent_at = Timestamptz(null=True, default=None)
