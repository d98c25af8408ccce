"""Settings read from the environment by the app factory and the CLI, never at import."""

from __future__ import annotations

import os
from collections.abc import Mapping
from pathlib import Path
from typing import Annotated, Literal

import msgspec

PROJECT_ROOT = Path(__file__).resolve().parent.parent
LOCAL_URL = "http://localhost:8000"
"""Where ``make run`` serves: the start of the links the worker writes when
``ESSAIM_PUBLIC_URL`` is not set."""


ENVIRONMENT = {
    "database_url": "ESSAIM_DATABASE_URL",
    "sites_dir": "ESSAIM_SITES_DIR",
    "var_dir": "ESSAIM_VAR_DIR",
    "log_format": "ESSAIM_LOG_FORMAT",
    "log_level": "ESSAIM_LOG_LEVEL",
    "trace_plugins": "ESSAIM_TRACE_PLUGINS",
    "cookie_secure": "ESSAIM_COOKIE_SECURE",
    "session_days": "ESSAIM_SESSION_DAYS",
    "secret_key": "ESSAIM_SECRET_KEY",
    "proof_retention_years": "ESSAIM_PROOF_RETENTION_YEARS",
    "public_url": "ESSAIM_PUBLIC_URL",
}
"""Each setting and the environment variable it is read from."""


class Settings(msgspec.Struct, frozen=True, kw_only=True):
    """Everything Essaim reads from its environment.

    ``database_url`` empty means the SQLite file under ``var_dir``; ``secret_key`` empty
    means the key kept in ``var_dir`` (``core.web.security``).
    """

    database_url: str = ""
    sites_dir: Path = PROJECT_ROOT / "sites"
    var_dir: Path = PROJECT_ROOT / "var"
    log_format: Literal["console", "json"] = "console"
    log_level: Literal["debug", "info", "warning", "error"] = "info"
    trace_plugins: bool = False
    load_entrypoints: bool = True
    cookie_secure: bool = False
    session_days: Annotated[int, msgspec.Meta(ge=1, le=365)] = 14
    secret_key: str = ""
    proof_retention_years: Annotated[int, msgspec.Meta(ge=1, le=30)] = 3
    """How long an erased learner's proof documents stay in the restricted store (RULES.md
    Privacy: 3 years by default, 10 where a funder requires it; docs/privacy.md)."""
    public_url: Annotated[str, msgspec.Meta(pattern=r"^(https?://[^\s/]+(/[^\s]*)?)?$")] = ""
    """The address people reach Essaim at (``https://essaim.example.org``): the start of the
    links in invitations, password resets and the learners' personal survey and follow-up
    links. Empty: an invitation or a reset takes the address of its request (which the proxy
    in front must then pass on faithfully), and the worker, which has no request, writes
    ``LOCAL_URL``; set it in production."""

    @property
    def sqlite_path(self) -> Path:
        """Where the SQLite database lives when no database URL is set."""
        return self.var_dir / "essaim.sqlite3"

    @property
    def uses_postgres(self) -> bool:
        """True when the database is PostgreSQL."""
        return self.database_url.startswith(("postgres://", "postgresql://"))

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None) -> Settings:
        """Read ``ESSAIM_*`` variables; unset ones keep their defaults."""
        env = os.environ if environ is None else environ
        values = {
            name: env[variable] for name, variable in ENVIRONMENT.items() if env.get(variable)
        }
        try:
            settings = msgspec.convert(values, cls, strict=False, dec_hook=_decode_path)
        except msgspec.ValidationError as exc:
            message = str(exc)
            for name, variable in ENVIRONMENT.items():
                message = message.replace(f"`$.{name}`", variable)
            raise SettingsError(f"environment: {message}") from None
        if settings.database_url and not settings.uses_postgres:
            raise SettingsError(
                "environment: ESSAIM_DATABASE_URL must start with postgresql:// "
                "(leave it unset for the SQLite file)"
            )
        return settings


def _decode_path(type_: type, value: object) -> object:
    if type_ is Path and isinstance(value, str):
        return Path(value)
    raise NotImplementedError(type_)


class SettingsError(Exception):
    """An environment variable holds a value Essaim cannot use."""
