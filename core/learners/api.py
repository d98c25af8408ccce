"""The learners API: thin handlers over the learners services."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any

import msgspec
from litestar import Controller, Request, Response, get, patch, post
from litestar.di import NamedDependency
from litestar.params import JSONBody, PathParameter, QueryParameter

from core.auth.access import ADMINS, DUPLICATE_CHECK, SITE_MANAGERS, access, listing
from core.auth.roles import Principal
from core.db.limits import ID_MAX
from core.errors import problem
from core.learners import consent, merge, service
from core.learners.merge_steps import MERGE_STEPS
from core.learners.schemas import (
    ConsentCreate,
    ConsentList,
    ConsentRead,
    DuplicateList,
    LearnerCreate,
    LearnerPage,
    LearnerRead,
    LearnerUpdate,
    MergeRequest,
)
from core.learners.service import PossibleDuplicate
from core.runtime import Runtime

LearnerId = Annotated[int, PathParameter(ge=1, le=ID_MAX)]
NameQuery = Annotated[str, QueryParameter(max_length=100)]
PhoneQuery = Annotated[str, QueryParameter(max_length=30)]


def possible_duplicate(request: Request, exc: PossibleDuplicate) -> Response[dict[str, Any]]:
    """The 409 of a possible duplicate, with the minimal matches to check with the person."""
    errors = [{"field": exc.field or "", "message": exc.detail}]
    return problem(exc.status_code, exc.detail, errors, matches=msgspec.to_builtins(exc.matches))


class LearnerController(Controller):
    """Learner records within the caller's sites, their consents, duplicates and merges."""

    path = "/api/v1/learners"
    tags = ["learners"]
    exception_handlers = {PossibleDuplicate: possible_duplicate}

    @get("/", operation_id="listLearners", opt=access(listing(SITE_MANAGERS)))
    async def list_learners(
        self,
        request: Request[Principal, str, object],
        site: Annotated[str | None, QueryParameter(max_length=40)] = None,
        name: Annotated[str | None, QueryParameter(min_length=1, max_length=100)] = None,
        phone: Annotated[str | None, QueryParameter(min_length=1, max_length=30)] = None,
        birth_date: Annotated[date | None, QueryParameter()] = None,
        limit: Annotated[int, QueryParameter(ge=1, le=200)] = 50,
        offset: Annotated[int, QueryParameter(ge=0, le=ID_MAX)] = 0,
    ) -> LearnerPage:
        """A page of the learners the caller reaches, found by site, name, phone or birth date."""
        items, total = await service.list_learners(
            request.user,
            site=site,
            name=name,
            phone=phone,
            birth_date=birth_date,
            limit=limit,
            offset=offset,
        )
        return LearnerPage(items=items, total=total, limit=limit, offset=offset)

    @get("/duplicates", operation_id="findLearnerDuplicates", opt=access(DUPLICATE_CHECK))
    async def find_duplicates(
        self,
        request: Request[Principal, str, object],
        runtime: NamedDependency[Runtime],
        first_name: NameQuery = "",
        last_name: NameQuery = "",
        birth_date: Annotated[date | None, QueryParameter()] = None,
        phone: PhoneQuery = "",
        email: Annotated[str, QueryParameter(max_length=254)] = "",
    ) -> DuplicateList:
        """Records at any site that may be this person, as a minimal match each."""
        matches = await service.check_duplicates(
            request.user,
            runtime.clock,
            first_name=first_name,
            last_name=last_name,
            birth_date=birth_date,
            phone=phone,
            email=email,
        )
        return DuplicateList(matches=matches)

    @get("/{learner_id:int}", operation_id="getLearner", opt=access(SITE_MANAGERS))
    async def get_learner(
        self,
        learner_id: LearnerId,
        request: Request[Principal, str, object],
        runtime: NamedDependency[Runtime],
    ) -> LearnerRead:
        """One learner; out of the caller's scope it is not found. The read is audited."""
        return await service.get_learner(request.user, learner_id, runtime.clock)

    @post("/", operation_id="createLearner", opt=access(SITE_MANAGERS))
    async def create_learner(
        self,
        data: JSONBody[LearnerCreate],
        request: Request[Principal, str, object],
        runtime: NamedDependency[Runtime],
    ) -> LearnerRead:
        """Record a learner at a site the caller manages; 409 with the possible duplicates."""
        return await service.create_learner(request.user, data, runtime.clock, runtime.sites)

    @patch("/{learner_id:int}", operation_id="updateLearner", opt=access(SITE_MANAGERS))
    async def update_learner(
        self,
        learner_id: LearnerId,
        data: JSONBody[LearnerUpdate],
        request: Request[Principal, str, object],
        runtime: NamedDependency[Runtime],
    ) -> LearnerRead:
        """Change some fields of a learner record; absent fields keep their value."""
        return await service.update_learner(
            request.user, learner_id, data, runtime.clock, runtime.sites
        )

    @post(
        "/{learner_id:int}/merge", operation_id="mergeLearner", opt=access(ADMINS), status_code=200
    )
    async def merge_learner(
        self,
        learner_id: LearnerId,
        data: JSONBody[MergeRequest],
        request: Request[Principal, str, object],
        runtime: NamedDependency[Runtime],
    ) -> LearnerRead:
        """Merge this record into ``into`` (admins only); returns the record kept."""
        return await merge.merge_learners(
            request.user, learner_id, data.into, runtime.clock, steps=MERGE_STEPS
        )

    @get(
        "/{learner_id:int}/consents", operation_id="listLearnerConsents", opt=access(SITE_MANAGERS)
    )
    async def list_consents(
        self,
        learner_id: LearnerId,
        request: Request[Principal, str, object],
        runtime: NamedDependency[Runtime],
    ) -> ConsentList:
        """Every consent of the learner, withdrawn ones included."""
        items = await consent.list_consents(request.user, learner_id, runtime.clock)
        return ConsentList(items=items)

    @post(
        "/{learner_id:int}/consents", operation_id="recordLearnerConsent", opt=access(SITE_MANAGERS)
    )
    async def record_consent(
        self,
        learner_id: LearnerId,
        data: JSONBody[ConsentCreate],
        request: Request[Principal, str, object],
        runtime: NamedDependency[Runtime],
    ) -> ConsentRead:
        """Record a consent the learner gave."""
        return await consent.record_consent(request.user, learner_id, data, runtime.clock)

    @post(
        "/{learner_id:int}/consents/{consent_id:int}/withdraw",
        operation_id="withdrawLearnerConsent",
        opt=access(SITE_MANAGERS),
        status_code=200,
    )
    async def withdraw_consent(
        self,
        learner_id: LearnerId,
        consent_id: Annotated[int, PathParameter(ge=1, le=ID_MAX)],
        request: Request[Principal, str, object],
        runtime: NamedDependency[Runtime],
    ) -> ConsentRead:
        """Record that the learner withdrew a consent."""
        return await consent.withdraw_consent(request.user, learner_id, consent_id, runtime.clock)
