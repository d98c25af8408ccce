"""The application factory: ``create_app(settings)`` returns the Litestar app."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

import structlog
import swagger_ui_bundle
from litestar import Litestar, Router
from litestar.datastructures import State
from litestar.di import Provide
from litestar.middleware import DefineMiddleware
from litestar.openapi import OpenAPIConfig
from litestar.openapi.plugins import SwaggerRenderPlugin
from litestar.static_files import create_static_files_router
from litestar.template import TemplateConfig

from core.applications.api import ApplicationController
from core.attendance.api import AttendanceController
from core.audit.api import AuditController
from core.auth.access import EVERYONE, PUBLIC, access
from core.auth.api import AuthController
from core.auth.middleware import AuthenticationMiddleware
from core.auth.team_api import TeamController
from core.bodies import check_json_body
from core.clock import Clock, SystemClock
from core.cohorts.api import CohortController
from core.completion.api import CompletionController
from core.db.engine import bind, make_engine
from core.enrolment.api import EnrolmentController
from core.errors import EXCEPTION_HANDLERS
from core.learners.api import LearnerController
from core.logging import configure_logging
from core.notifications.api import MessageController
from core.openapi import ApiContract
from core.outcomes.api import OutcomeController
from core.plugins import PluginHost, load_plugins
from core.privacy.api import PrivacyController, RestrictedDocumentController
from core.programs.api import ProgramController
from core.reporting.api import ReportController
from core.requestid import log_response, request_id_middleware
from core.runtime import Runtime, provide_runtime
from core.scheduling.api import (
    AccountAvailabilityController,
    CalendarFeedController,
    PublicCalendarController,
    SessionController,
    SiteConflictController,
)
from core.settings import Settings
from core.sites.api import SiteController
from core.sites.loader import load_sites
from core.surveys.api import LearnerLinkController
from core.system.api import SystemController
from core.volunteering.api import (
    SessionVolunteerController,
    VolunteerController,
    VolunteeringReportController,
)
from core.web.applications import ApplicationListController, ApplicationPageController
from core.web.assessments import AssessmentPageController
from core.web.attendance import AttendancePageController
from core.web.cohorts import CohortListController, CohortPageController
from core.web.completion import CompletionPageController
from core.web.dashboard import DashboardController
from core.web.follow_up import FollowUpPageController
from core.web.homes import HomeController
from core.web.i18n import Catalogs
from core.web.imports import ImportPageController
from core.web.language import language_middleware
from core.web.learners import LearnerPageController, LearnerSearchController
from core.web.pages import PageController
from core.web.passwords import PasswordPageController
from core.web.public import PublicFormController
from core.web.rendering import template_engine
from core.web.security import csrf_config
from core.web.site_config import SiteConfigController
from core.web.team import TeamPageController
from core.web.volunteers import VolunteerPageController

log = structlog.get_logger(__name__)

WEB = Path(__file__).parent / "web"
SWAGGER_ASSETS = "/static/swagger"
MAX_BODY_BYTES = 1024 * 1024
"""The largest request body read: a learner record with its 10,000-character notes is about
20 kB, the largest batch (an exam session's results) well under 100 kB. Larger gets a 413."""


def create_app(
    settings: Settings | None = None,
    *,
    host: PluginHost | None = None,
    clock: Clock | None = None,
    catalogs: Catalogs | None = None,
) -> Litestar:
    """Build Essaim: plugins loaded and checked, sites validated, routes mounted; the pages
    in the languages of ``catalogs`` (those of ``core/web/locale`` by default).

    Raises ``PluginError`` or ``SiteConfigError`` before anything serves.
    """
    settings = settings or Settings.from_env()
    configure_logging(settings.log_format, settings.log_level)
    host = host or load_plugins(
        load_entrypoints=settings.load_entrypoints, trace=settings.trace_plugins
    )
    host.validate()
    sites = load_sites(settings.sites_dir, host)
    for warning in sites.warnings:
        log.warning("site_warning", detail=warning)
    for site in sites:
        log.info("site_loaded", site=site.slug, content_hash=site.content_hash)
    engine = make_engine(settings)
    bind(engine, host)
    runtime = Runtime(settings=settings, host=host, sites=sites, clock=clock or SystemClock())
    catalogs = catalogs or Catalogs.load()

    @asynccontextmanager
    async def database_pool(app: Litestar) -> AsyncIterator[None]:
        await engine.start_connection_pool()
        try:
            yield
        finally:
            await engine.close_connection_pool()

    plugin_routes = host.routes()
    route_handlers = [
        PageController,
        PublicFormController,
        HomeController,
        AttendancePageController,
        FollowUpPageController,
        DashboardController,
        ApplicationListController,
        ApplicationPageController,
        VolunteerPageController,
        TeamPageController,
        PasswordPageController,
        CohortListController,
        CohortPageController,
        LearnerSearchController,
        LearnerPageController,
        AssessmentPageController,
        CompletionPageController,
        SiteConfigController,
        ImportPageController,
        SystemController,
        AuthController,
        TeamController,
        SiteController,
        ProgramController,
        CohortController,
        SessionController,
        SiteConflictController,
        AccountAvailabilityController,
        VolunteerController,
        SessionVolunteerController,
        VolunteeringReportController,
        AttendanceController,
        CalendarFeedController,
        PublicCalendarController,
        LearnerController,
        PrivacyController,
        RestrictedDocumentController,
        MessageController,
        ApplicationController,
        EnrolmentController,
        CompletionController,
        ReportController,
        OutcomeController,
        LearnerLinkController,
        AuditController,
        create_static_files_router(
            path="/static",
            directories=[WEB / "static"],
            opt=access(EVERYONE),
            include_in_schema=False,
        ),
        create_static_files_router(
            path=SWAGGER_ASSETS,
            directories=[Path(swagger_ui_bundle.swagger_ui_path)],
            opt=access(EVERYONE),
            include_in_schema=False,
        ),
    ]
    if plugin_routes:
        route_handlers.append(Router(path="/api/v1", route_handlers=plugin_routes))

    return Litestar(
        route_handlers=route_handlers,
        state=State({"runtime": runtime}),
        dependencies={"runtime": Provide(provide_runtime, sync_to_thread=False)},
        middleware=[
            request_id_middleware,
            language_middleware(catalogs),
            DefineMiddleware(
                AuthenticationMiddleware, exclude_from_auth_key=PUBLIC, exclude=[r"^/schema"]
            ),
        ],
        before_request=check_json_body,
        before_send=[log_response],
        exception_handlers=EXCEPTION_HANDLERS,
        plugins=[ApiContract()],
        request_max_body_size=MAX_BODY_BYTES,
        lifespan=[database_pool],
        template_config=TemplateConfig(instance=template_engine(catalogs)),
        csrf_config=csrf_config(settings),
        openapi_config=OpenAPIConfig(
            title="Essaim",
            version="1",
            path="/schema",
            render_plugins=[
                SwaggerRenderPlugin(
                    path="/",
                    js_url=f"{SWAGGER_ASSETS}/swagger-ui-bundle.js",
                    css_url=f"{SWAGGER_ASSETS}/swagger-ui.css",
                    standalone_preset_js_url=f"{SWAGGER_ASSETS}/swagger-ui-standalone-preset.js",
                )
            ],
        ),
        debug=False,
    )
