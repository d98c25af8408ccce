"""PostgreSQL's client programs (pg_dump, pg_restore, psql): found on PATH, run, and told
where to connect without a password on their command line."""

from __future__ import annotations

import asyncio
import os
import shutil
from urllib.parse import unquote, urlsplit, urlunsplit

from core.backup.errors import BackupError


def find_programs(*names: str) -> list[str]:
    """The paths of the programs ``names`` on PATH; BackupError naming those missing."""
    found = {name: shutil.which(name) for name in names}
    missing = [name for name, path in found.items() if path is None]
    if missing:
        raise BackupError(
            f"{' and '.join(missing)} not found on PATH: install PostgreSQL's client programs "
            "(Debian: postgresql-client) of the server's major version or newer"
        )
    return [path for path in found.values() if path is not None]


def libpq_target(url: str) -> tuple[str, dict[str, str]]:
    """``url`` without its password, and an environment giving the password as PGPASSWORD.

    A command line is visible to every user of the machine (``ps``); the environment is not.
    """
    parts = urlsplit(url)
    environment = dict(os.environ)
    if parts.password is None:
        return url, environment
    environment["PGPASSWORD"] = unquote(parts.password)
    userinfo, _, hostport = parts.netloc.rpartition("@")
    user = userinfo.partition(":")[0]
    return urlunsplit(parts._replace(netloc=f"{user}@{hostport}")), environment


def describe(url: str) -> str:
    """The database a URL names, for messages: its name and host, never its password."""
    parts = urlsplit(url)
    name = parts.path.lstrip("/") or parts.username or "postgres"
    return f"the PostgreSQL database {name} on {parts.hostname or 'localhost'}"


async def run(program: str, *args: str, environment: dict[str, str]) -> None:
    """Run ``program`` to its end; BackupError with its own message when it fails."""
    process = await asyncio.create_subprocess_exec(
        program,
        *args,
        stdin=asyncio.subprocess.DEVNULL,
        stdout=asyncio.subprocess.DEVNULL,
        stderr=asyncio.subprocess.PIPE,
        env=environment,
    )
    _, errors = await process.communicate()
    if process.returncode:
        raise BackupError(failure(program, errors))


def failure(program: str, errors: bytes) -> str:
    """A failed program's name and the last lines it wrote on stderr."""
    name = os.path.basename(program)
    lines = errors.decode(errors="replace").strip().splitlines()[-3:]
    return f"{name} failed: {' '.join(lines) or 'no message'}"
