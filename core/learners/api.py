"""The learners API: thin handlers over ``core.learners.service``."""

from __future__ import annotations

from typing import Annotated

from litestar import Controller, Request, get, post
from litestar.di import NamedDependency
from litestar.params import JSONBody, PathParameter, QueryParameter

from core.auth.roles import Principal
from core.learners import service
from core.learners.schemas import LearnerCreate, LearnerPage, LearnerRead
from core.runtime import Runtime


class LearnerController(Controller):
    """Learner records within the caller's sites."""

    path = "/api/v1/learners"
    tags = ["learners"]

    @get("/", operation_id="listLearners")
    async def list_learners(
        self,
        request: Request[Principal, str, object],
        site: Annotated[str | None, QueryParameter(max_length=40)] = None,
        name: Annotated[str | None, QueryParameter(min_length=1, max_length=100)] = None,
        limit: Annotated[int, QueryParameter(ge=1, le=200)] = 50,
        offset: Annotated[int, QueryParameter(ge=0)] = 0,
    ) -> LearnerPage:
        """A page of the learners the caller reaches, found by site or name."""
        items, total = await service.list_learners(
            request.user, site=site, name=name, limit=limit, offset=offset
        )
        return LearnerPage(items=items, total=total, limit=limit, offset=offset)

    @get("/{learner_id:int}", operation_id="getLearner")
    async def get_learner(
        self,
        learner_id: Annotated[int, PathParameter(ge=1)],
        request: Request[Principal, str, object],
    ) -> LearnerRead:
        """One learner; out of the caller's scope it is not found."""
        return await service.get_learner(request.user, learner_id)

    @post("/", operation_id="createLearner")
    async def create_learner(
        self,
        data: JSONBody[LearnerCreate],
        request: Request[Principal, str, object],
        runtime: NamedDependency[Runtime],
    ) -> LearnerRead:
        """Record a learner at a site the caller manages."""
        return await service.create_learner(
            request.user, data, runtime.clock, set(runtime.sites.sites)
        )
