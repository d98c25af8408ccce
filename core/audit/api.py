"""The audit API: read-only, admins only. Entries are appended by the services that act."""

from __future__ import annotations

from typing import Annotated

from litestar import Controller, Request, get
from litestar.params import QueryParameter

from core.audit import service
from core.audit.schemas import AuditPage
from core.auth.access import ADMINS, access
from core.auth.roles import Principal
from core.db.limits import ID_MAX


class AuditController(Controller):
    """The audit trail; there is deliberately no route that changes or removes an entry."""

    opt = access(ADMINS)

    path = "/api/v1/audit"
    tags = ["audit"]

    @get("/", operation_id="listAuditEntries")
    async def list_entries(
        self,
        request: Request[Principal, str, object],
        action: Annotated[str | None, QueryParameter(max_length=60)] = None,
        target_type: Annotated[str | None, QueryParameter(max_length=40)] = None,
        target_id: Annotated[int | None, QueryParameter(ge=0, le=ID_MAX)] = None,
        actor_id: Annotated[int | None, QueryParameter(ge=0, le=ID_MAX)] = None,
        limit: Annotated[int, QueryParameter(ge=1, le=200)] = 50,
        offset: Annotated[int, QueryParameter(ge=0, le=ID_MAX)] = 0,
    ) -> AuditPage:
        """A page of the trail, newest first, filtered by action, target or actor."""
        items, total = await service.list_entries(
            request.user,
            action=action,
            target_type=target_type,
            target_id=target_id,
            actor_id=actor_id,
            limit=limit,
            offset=offset,
        )
        return AuditPage(items=items, total=total, limit=limit, offset=offset)
