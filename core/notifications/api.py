"""The messages API: what was sent to learners, and what failed, for their sites' staff."""

from __future__ import annotations

from typing import Annotated

from litestar import Controller, Request, get
from litestar.params import PathParameter, QueryParameter

from core.auth.access import SITE_MANAGERS, access, listing
from core.auth.roles import Principal
from core.db.limits import ID_MAX
from core.notifications import service
from core.notifications.schemas import MessageDetail, MessagePage, MessageStatus


class MessageController(Controller):
    """Messages to learners within the caller's sites."""

    path = "/api/v1/messages"
    tags = ["messages"]

    @get("/", operation_id="listMessages", opt=access(listing(SITE_MANAGERS)))
    async def list_messages(
        self,
        request: Request[Principal, str, object],
        status: Annotated[MessageStatus | None, QueryParameter()] = None,
        learner: Annotated[int | None, QueryParameter(ge=1, le=ID_MAX)] = None,
        site: Annotated[str | None, QueryParameter(max_length=40)] = None,
        limit: Annotated[int, QueryParameter(ge=1, le=200)] = 50,
        offset: Annotated[int, QueryParameter(ge=0, le=ID_MAX)] = 0,
    ) -> MessagePage:
        """A page of messages, newest first, by status (``failed`` to follow up), learner or
        site; without their text."""
        items, total = await service.list_messages(
            request.user, status=status, learner=learner, site=site, limit=limit, offset=offset
        )
        return MessagePage(items=items, total=total, limit=limit, offset=offset)

    @get("/{message_id:int}", operation_id="getMessage", opt=access(SITE_MANAGERS))
    async def get_message(
        self,
        message_id: Annotated[int, PathParameter(ge=1, le=ID_MAX)],
        request: Request[Principal, str, object],
    ) -> MessageDetail:
        """One message with its text as sent; out of the caller's sites it is not found."""
        return await service.get_message(request.user, message_id)
