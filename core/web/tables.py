"""What the public forms' guard counts. Only ``core.web.guard`` touches it."""

from piccolo.columns import Timestamptz, Varchar
from piccolo.table import Table


class FormSubmission(Table):
    """A submission of a public form, kept for the guard's window (``core.web.guard``), so
    that every worker counts the same ones. ``client`` is a digest of the client's address,
    never the address itself; nothing of what was typed is kept here."""

    form = Varchar(length=40)
    client = Varchar(length=64, index=True)
    at = Timestamptz()
