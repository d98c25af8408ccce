"""The team API: a site's accounts, inviting a person, deactivating and reactivating an
account. The team page (``core.web.team``) calls the same services."""

from __future__ import annotations

from typing import Annotated

from litestar import Controller, Request, get, post
from litestar.di import NamedDependency
from litestar.params import JSONBody, PathParameter

from core.auth import team
from core.auth.access import SITE_MANAGERS, access
from core.auth.roles import Principal
from core.auth.schemas import InvitationCreate, TeamMember
from core.db.limits import ID_MAX
from core.runtime import Runtime

Slug = Annotated[str, PathParameter(max_length=40)]
AccountId = Annotated[int, PathParameter(ge=1, le=ID_MAX)]


def link_base(request: Request, runtime: Runtime) -> str:
    """Where the links of e-mails point: the configured public address, else the request's."""
    return runtime.settings.public_url or str(request.base_url)


class TeamController(Controller):
    """The accounts of a site's team, managed by its managers and by admins."""

    tags = ["accounts"]
    opt = access(SITE_MANAGERS)

    @get("/api/v1/sites/{slug:str}/accounts", operation_id="listSiteAccounts")
    async def list_accounts(
        self,
        slug: Slug,
        request: Request[Principal, str, object],
        runtime: NamedDependency[Runtime],
    ) -> list[TeamMember]:
        """The site's managers and the trainers of its cohorts, with role and status."""
        return await team.team(request.user, slug, runtime.sites)

    @post("/api/v1/sites/{slug:str}/accounts", operation_id="inviteAccount", status_code=201)
    async def invite(
        self,
        slug: Slug,
        data: JSONBody[InvitationCreate],
        request: Request[Principal, str, object],
        runtime: NamedDependency[Runtime],
    ) -> TeamMember:
        """Invite a person to the site's team: the account is created without a password and
        an e-mail carries a single-use link to choose one (7 days). 409 when the address
        already has an account."""
        return await team.invite(
            request.user,
            slug,
            data,
            sites=runtime.sites,
            clock=runtime.clock,
            link_base=link_base(request, runtime),
        )

    @post(
        "/api/v1/accounts/{account_id:int}/deactivate",
        operation_id="deactivateAccount",
        status_code=200,
    )
    async def deactivate(
        self,
        account_id: AccountId,
        request: Request[Principal, str, object],
        runtime: NamedDependency[Runtime],
    ) -> TeamMember:
        """Deactivate an account of a team one manages: its sessions and API tokens stop
        working at once and it can no longer sign in."""
        return await team.set_active(request.user, account_id, False, runtime.clock)

    @post(
        "/api/v1/accounts/{account_id:int}/reactivate",
        operation_id="reactivateAccount",
        status_code=200,
    )
    async def reactivate(
        self,
        account_id: AccountId,
        request: Request[Principal, str, object],
        runtime: NamedDependency[Runtime],
    ) -> TeamMember:
        """Let a deactivated account sign in again (its old sessions and tokens stay
        revoked)."""
        return await team.set_active(request.user, account_id, True, runtime.clock)

    @post(
        "/api/v1/accounts/{account_id:int}/invitation",
        operation_id="resendInvitation",
        status_code=201,
    )
    async def resend_invitation(
        self,
        account_id: AccountId,
        request: Request[Principal, str, object],
        runtime: NamedDependency[Runtime],
    ) -> TeamMember:
        """Send an invited account a new link (the earlier one stops working); 409 once it
        has chosen its password or is deactivated."""
        return await team.resend_invitation(
            request.user,
            account_id,
            sites=runtime.sites,
            clock=runtime.clock,
            link_base=link_base(request, runtime),
        )
