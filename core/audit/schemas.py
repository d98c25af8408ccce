"""Response bodies of the audit API."""

from __future__ import annotations

from datetime import datetime
from typing import Any

import msgspec


class AuditEntryRead(msgspec.Struct, kw_only=True):
    """One entry of the trail: who did what to which record, when, with ids only."""

    id: int
    at: datetime
    actor_id: int
    action: str
    target_type: str
    target_id: int | None
    details: dict[str, Any]
    source: str
    """The client's address, or ``system`` for Essaim's own work."""
    request_id: str


class AuditPage(msgspec.Struct, kw_only=True):
    """One page of the trail, newest first, with the total under the same filters."""

    items: list[AuditEntryRead]
    total: int
    limit: int
    offset: int
