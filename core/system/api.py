"""Health and plugin introspection."""

from __future__ import annotations

import msgspec
import structlog
from litestar import Controller, Response, get
from litestar.di import NamedDependency
from piccolo.apps.migrations.tables import Migration

from core.auth.access import ANY_ACCOUNT, EVERYONE, access
from core.runtime import Runtime

log = structlog.get_logger(__name__)


class Health(msgspec.Struct, kw_only=True):
    """Whether the service and its database answer."""

    status: str
    database: str


class PluginRead(msgspec.Struct, kw_only=True):
    """A loaded plugin: version, hooks implemented, programs registered."""

    name: str
    module: str
    version: str
    hooks: list[str]
    programs: list[str]


class SystemController(Controller):
    """Operational endpoints."""

    tags = ["system"]

    @get("/health", operation_id="health", opt=access(EVERYONE))
    async def health(self) -> Response[Health]:
        """200 when the database answers a query, 503 otherwise."""
        try:
            await Migration.count()
        except Exception as exc:
            log.error("health_database_down", error_type=type(exc).__name__)
            return Response(Health(status="degraded", database="unavailable"), status_code=503)
        return Response(Health(status="ok", database="ok"))

    @get("/api/v1/plugins", operation_id="listPlugins", opt=access(ANY_ACCOUNT))
    async def plugins(self, runtime: NamedDependency[Runtime]) -> list[PluginRead]:
        """Every loaded plugin."""
        return [
            PluginRead(
                name=info.name,
                module=info.module,
                version=info.version,
                hooks=list(info.hooks),
                programs=list(info.programs),
            )
            for info in runtime.host.info()
        ]
