"""The audit trail. Only ``core.audit.service`` touches it, and only to append."""

from piccolo.columns import JSON, Integer, Timestamptz, Varchar
from piccolo.table import Table


class AuditEntry(Table):
    """Who did what to, or read, which record, when and from where: ids and code words only,
    never personal data.

    Rows are never updated or deleted: the database refuses both (see the migration).
    ``actor_id`` is an account id without a foreign key, so that the trail outlives accounts;
    0 is the system itself (the demo, an import run from the command line).
    """

    actor_id = Integer()
    action = Varchar(length=60)
    target_type = Varchar(length=40)
    target_id = Integer(null=True, default=None)
    at = Timestamptz()
    details = JSON(default="{}")
    source = Varchar(length=64, default="")
    """Where it came from: the client's address for a request, ``system`` otherwise."""
    request_id = Varchar(length=32, default="")
    """The request's id, as in the logs and the ``X-Request-Id`` header."""
