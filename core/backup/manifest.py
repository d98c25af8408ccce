"""What a backup file says about itself: engine, migrations, time, and its data's checksum."""

from __future__ import annotations

import importlib.metadata
from datetime import datetime
from pathlib import Path
from typing import Literal

import msgspec

from core.backup.errors import BackupError

FORMAT = "essaim-backup"
VERSION = 1
"""The layout of the file; a restore refuses a version it does not know."""

Engine = Literal["sqlite", "postgresql"]
ENGINE_NAMES: dict[Engine, str] = {"sqlite": "SQLite", "postgresql": "PostgreSQL"}

Migrations = dict[str, list[str]]
"""Applied migration ids by Piccolo app name, each list sorted."""


class _Header(msgspec.Struct, frozen=True):
    """The two fields read before the rest, which a later format may change."""

    format: str
    version: int


class Manifest(msgspec.Struct, frozen=True, kw_only=True):
    """Everything a restore checks before it touches the database."""

    format: str = FORMAT
    version: int = VERSION
    engine: Engine
    created_at: datetime
    """When the copy was taken, in UTC."""
    essaim_version: str
    migrations: Migrations
    """Every migration applied in the copied database: its schema."""
    data: str
    """The name of the database copy inside the file."""
    size: int
    sha256: str
    """Of the database copy, checked before anything is restored."""


def essaim_version() -> str:
    """The installed distribution's version, to tell which Essaim can restore a backup."""
    return importlib.metadata.version("essaim")


def encode(manifest: Manifest) -> bytes:
    """The manifest as indented JSON, readable with any tool."""
    return msgspec.json.format(msgspec.json.encode(manifest), indent=2)


def decode(raw: bytes, source: Path) -> Manifest:
    """The manifest of the backup file ``source``; BackupError when it cannot be used."""
    try:
        header = msgspec.json.decode(raw, type=_Header)
    except msgspec.DecodeError as exc:
        raise BackupError(f"{source} is not an Essaim backup: manifest.json: {exc}") from None
    if header.format != FORMAT:
        raise BackupError(f"{source} is not an Essaim backup: its manifest says {header.format!r}")
    if header.version != VERSION:
        raise BackupError(
            f"{source} has backup format {header.version}, this Essaim reads format {VERSION}: "
            "restore it with the Essaim version that wrote it"
        )
    try:
        return msgspec.json.decode(raw, type=Manifest)
    except msgspec.DecodeError as exc:
        raise BackupError(f"{source} is damaged: manifest.json: {exc}") from None
