"""The audit trail: append an entry, list entries for admins. The only module on the table.

An entry holds ids and code words (an action, field names, enum values), never what a
person typed: a name, an e-mail or a note in the trail would outlive the erasure of the
record it came from. ``record`` refuses anything else, so that a careless caller fails in
tests rather than leaking in production.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from datetime import datetime
from typing import Any

from piccolo.utils.encoding import dump_json

from core.audit.origin import current_origin
from core.audit.schemas import AuditEntryRead
from core.audit.tables import AuditEntry
from core.auth.roles import Principal, Role
from core.db.bulk import insert_rows
from core.errors import Forbidden

SYSTEM_ACTOR = 0
"""The actor id of work done by Essaim itself (the demo, a command-line import)."""

MAX_LIST_ITEMS = 200

_ACTION = re.compile(r"^[a-z][a-z_]*(\.[a-z][a-z_]*)+$")
_CODE_WORD = re.compile(r"^[a-z][a-z0-9_]{0,39}$")

Detail = bool | int | str | Sequence[int] | Sequence[str]
"""A detail value: an id, a flag, a code word, or a list of ids or of code words."""


def _is_code_word(value: object) -> bool:
    return isinstance(value, str) and _CODE_WORD.fullmatch(value) is not None


def _is_id(value: object) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _checked_details(details: Mapping[str, Detail]) -> dict[str, Any]:
    """``details`` as plain JSON, or ValueError naming the key that holds something else."""
    checked: dict[str, Any] = {}
    for key, value in details.items():
        if not _is_code_word(key):
            raise ValueError(f"audit detail key {key!r} is not a code word")
        if isinstance(value, bool) or _is_id(value) or _is_code_word(value):
            checked[key] = value
        elif (
            isinstance(value, list | tuple)
            and len(value) <= MAX_LIST_ITEMS
            and (all(_is_id(v) for v in value) or all(_is_code_word(v) for v in value))
        ):
            checked[key] = list(value)
        else:
            raise ValueError(f"audit detail {key!r} holds something other than ids or code words")
    return checked


def _checked(
    action: str, target_type: str, at: datetime, details: Mapping[str, Detail] | None
) -> dict[str, Any]:
    """``details`` as stored, once the action, target type and instant have passed."""
    if not _ACTION.fullmatch(action):
        raise ValueError(f"audit action {action!r} is not <domain>.<verb>")
    if not _is_code_word(target_type):
        raise ValueError(f"audit target type {target_type!r} is not a code word")
    if at.tzinfo is None:
        raise ValueError("audit instants are timezone-aware")
    return _checked_details(details or {})


async def record(
    actor_id: int,
    action: str,
    target_type: str,
    target_id: int | None,
    *,
    at: datetime,
    details: Mapping[str, Detail] | None = None,
) -> int:
    """Append an entry and return its id; inside a transaction it commits with the change.

    ``action`` is ``<domain>.<verb>`` (``learner.read``), ``target_type`` a code word,
    ``at`` the injected clock's instant. Raises ValueError on anything that could carry
    personal data.
    """
    checked = _checked(action, target_type, at, details)
    origin = current_origin()
    entry = AuditEntry(
        actor_id=actor_id,
        action=action,
        target_type=target_type,
        target_id=target_id,
        at=at,
        details=checked,
        source=origin.source,
        request_id=origin.request_id,
    )
    rows = await AuditEntry.insert(entry).returning(AuditEntry.id)
    return int(rows[0]["id"])


_BULK_COLUMNS = (
    AuditEntry.actor_id,
    AuditEntry.action,
    AuditEntry.target_type,
    AuditEntry.target_id,
    AuditEntry.at,
    AuditEntry.details,
    AuditEntry.source,
    AuditEntry.request_id,
)


async def record_many(
    actor_id: int,
    action: str,
    target_type: str,
    targets: Sequence[tuple[int | None, Mapping[str, Detail] | None]],
    *,
    at: datetime,
) -> None:
    """Append one entry per (target id, details) in one driver call: a bulk import's batch.

    The same checks as ``record``, for every entry, before anything is written; must run
    inside the transaction of the change it records.
    """
    none = dump_json(_checked(action, target_type, at, None))
    origin = current_origin()
    rows = [
        (
            actor_id,
            action,
            target_type,
            target_id,
            at,
            dump_json(_checked(action, target_type, at, details)) if details else none,
            origin.source,
            origin.request_id,
        )
        for target_id, details in targets
    ]
    await insert_rows(AuditEntry, _BULK_COLUMNS, rows)


async def record_reads(principal: Principal, learner_ids: Sequence[int], via: str) -> None:
    """Append who read which learners' records, one entry each (``learner.read``, with
    ``via``: the record, a list, a roster...), dated by the request's clock."""
    ids = sorted(set(learner_ids))
    if not ids:
        return
    # A read runs outside a transaction, or inside the one of the change that reads.
    async with AuditEntry._meta.db.transaction():
        await record_many(
            principal.account_id,
            "learner.read",
            "learner",
            [(learner, {"via": via}) for learner in ids],
            at=current_origin().clock.now(),
        )


async def list_entries(
    principal: Principal,
    *,
    action: str | None = None,
    target_type: str | None = None,
    target_id: int | None = None,
    actor_id: int | None = None,
    limit: int = 50,
    offset: int = 0,
) -> tuple[list[AuditEntryRead], int]:
    """A page of the trail, newest first, and its total; admins only."""
    if principal.role is not Role.ADMIN:
        raise Forbidden("only admins read the audit trail")
    filters: list[Any] = []
    if action:
        filters.append(AuditEntry.action == action)
    if target_type:
        filters.append(AuditEntry.target_type == target_type)
    if target_id is not None:
        filters.append(AuditEntry.target_id == target_id)
    if actor_id is not None:
        filters.append(AuditEntry.actor_id == actor_id)
    rows = (
        await AuditEntry.select(
            AuditEntry.id,
            AuditEntry.at,
            AuditEntry.actor_id,
            AuditEntry.action,
            AuditEntry.target_type,
            AuditEntry.target_id,
            AuditEntry.details,
            AuditEntry.source,
            AuditEntry.request_id,
        )
        .where(*filters)
        .order_by(AuditEntry.at, AuditEntry.id, ascending=False)
        .limit(limit)
        .offset(offset)
        .output(load_json=True)
    )
    total = await AuditEntry.count().where(*filters)
    return [AuditEntryRead(**row) for row in rows], total
