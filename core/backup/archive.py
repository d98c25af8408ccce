"""The backup file: a tar archive holding ``manifest.json`` first, then the database copy.

One file, so that the manifest cannot be separated from the data it describes; the manifest
first, so that a restore reads it (engine, migrations) without reading the data.
"""

from __future__ import annotations

import hashlib
import io
import tarfile
from pathlib import Path

from core.backup.errors import BackupError
from core.backup.manifest import Manifest, decode, encode

MANIFEST_NAME = "manifest.json"
_CHUNK = 1 << 20


def checksum(path: Path) -> tuple[str, int]:
    """The sha256 (hex) and size in bytes of the file at ``path``."""
    digest = hashlib.sha256()
    size = 0
    with path.open("rb") as handle:
        while chunk := handle.read(_CHUNK):
            digest.update(chunk)
            size += len(chunk)
    return digest.hexdigest(), size


def write_archive(path: Path, manifest: Manifest, data: Path) -> None:
    """Write the backup file at ``path``: the manifest, then ``data`` under ``manifest.data``.

    Readable by its owner only: it holds learners' personal data.
    """
    encoded = encode(manifest)
    with tarfile.open(path, "w", format=tarfile.PAX_FORMAT) as tar:
        info = tarfile.TarInfo(MANIFEST_NAME)
        info.size = len(encoded)
        info.mtime = int(manifest.created_at.timestamp())
        info.mode = 0o600
        tar.addfile(info, io.BytesIO(encoded))
        tar.add(data, arcname=manifest.data, recursive=False)
    path.chmod(0o600)


def read_manifest(path: Path) -> Manifest:
    """The manifest of the backup file at ``path``; BackupError when it is no backup."""
    try:
        with tarfile.open(path, "r:") as tar:
            first = tar.next()
            handle = tar.extractfile(first) if first and first.name == MANIFEST_NAME else None
            if handle is None:
                raise BackupError(f"{path} is not an Essaim backup: it has no {MANIFEST_NAME}")
            raw = handle.read()
    except tarfile.TarError as exc:
        raise BackupError(f"{path} is not an Essaim backup: {exc}") from None
    return decode(raw, path)


def extract_data(path: Path, manifest: Manifest, destination: Path) -> None:
    """Copy the database out of the backup file to ``destination``, checking its sha256.

    BackupError when the copy is missing, cut short or differs from what the manifest says.
    """
    damaged = f"{path} is damaged: its database copy does not match its manifest's sha256"
    digest = hashlib.sha256()
    size = 0
    try:
        with tarfile.open(path, "r:") as tar:
            source = tar.extractfile(tar.getmember(manifest.data))
            if source is None:
                raise BackupError(damaged)
            with destination.open("wb") as out:
                while chunk := source.read(_CHUNK):
                    digest.update(chunk)
                    size += len(chunk)
                    out.write(chunk)
    except (tarfile.TarError, KeyError) as exc:
        raise BackupError(f"{damaged} ({exc})") from None
    if size != manifest.size or digest.hexdigest() != manifest.sha256:
        raise BackupError(damaged)
