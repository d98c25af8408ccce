"""An import file uploaded through the pages, kept on the server between its dry run and
its import, and run through the same code as ``essaim import`` (``core.learners.importing``,
``core.applications.importing``).

Each import run from a page is one ``import.run`` entry of the audit trail, naming who ran
it; the rows themselves are audited as the command audits them.

A file is refused before it is kept when it is not a CSV or XLSX file, is empty or larger
than ``MAX_BYTES``, or, for a CSV, is not UTF-8 text. A kept file is named by a random
token, belongs to the account that uploaded it, and is deleted once imported or after
``KEPT_FOR``; importing it is idempotent as the command's imports are (each row's key).
"""

from __future__ import annotations

import enum
import secrets
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path

import msgspec
import structlog

from core.applications.importing import import_applications
from core.audit import service as audit
from core.auth.roles import Principal, Role
from core.errors import Forbidden, NotFound
from core.imports import ImportReport
from core.learners.importing import import_learners
from core.runtime import Runtime
from core.sheets import SheetError

log = structlog.get_logger(__name__)

MAX_BYTES = 2 * 1024 * 1024
"""The largest file kept: tens of thousands of rows, far more than a site's export."""
KEPT_FOR = timedelta(hours=24)
"""How long an uploaded file waits for its import before it is deleted."""
FOLDER = "imports"
SUFFIXES = (".csv", ".xlsx")
_WAITING = ".json"
_CLAIMED = ".claimed"
"""What a kept file's description is named while it waits, and once an import took it."""
_ZIP = b"PK\x03\x04"


class ImportKind(enum.StrEnum):
    """What a file lists."""

    LEARNERS = "learners"
    APPLICATIONS = "applications"


class Refusal(enum.StrEnum):
    """Why a file was not kept or cannot be read."""

    TYPE = "type"
    EMPTY = "empty"
    SIZE = "size"
    ENCODING = "encoding"
    UNREADABLE = "unreadable"
    GONE = "gone"


class FileRefused(Exception):
    """The file is refused, for ``reason``."""

    def __init__(self, reason: Refusal) -> None:
        super().__init__(reason.value)
        self.reason = reason


class _Meta(msgspec.Struct, frozen=True, kw_only=True):
    site: str
    kind: ImportKind
    account: int
    name: str
    suffix: str
    at: float


@dataclass(frozen=True, slots=True)
class StagedImport:
    """A kept file: its token, site, kind, the name it was uploaded under, and its dry run."""

    token: str
    site: str
    kind: ImportKind
    name: str
    report: ImportReport


def importable_sites(runtime: Runtime, principal: Principal) -> list[str]:
    """The sites ``principal`` imports into: every site for an admin, their own for a site
    manager; Forbidden for the central team and trainers."""
    if principal.role not in (Role.ADMIN, Role.SITE_MANAGER):
        raise Forbidden("only site managers and admins import files")
    return [site.slug for site in runtime.sites if principal.can_manage_site(site.slug)]


def _check_site(runtime: Runtime, principal: Principal, site: str) -> None:
    if site not in importable_sites(runtime, principal):
        raise NotFound(f"no site {site!r}", field="site")


def _folder(runtime: Runtime) -> Path:
    folder = Path(runtime.settings.var_dir) / FOLDER
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def _check_content(name: str, content: bytes) -> str:
    """The file's suffix once its content is acceptable; FileRefused otherwise."""
    suffix = Path(name).suffix.lower()
    if suffix not in SUFFIXES:
        raise FileRefused(Refusal.TYPE)
    if not content.strip():
        raise FileRefused(Refusal.EMPTY)
    if len(content) > MAX_BYTES:
        raise FileRefused(Refusal.SIZE)
    if suffix == ".xlsx" and not content.startswith(_ZIP):
        raise FileRefused(Refusal.TYPE)
    if suffix == ".csv":
        try:
            content.decode("utf-8-sig")
        except UnicodeDecodeError:
            raise FileRefused(Refusal.ENCODING) from None
    return suffix


def _forget_old(runtime: Runtime, folder: Path) -> None:
    """Delete the files kept longer than ``KEPT_FOR``, so that the folder stays bounded."""
    oldest = (runtime.clock.now() - KEPT_FOR).timestamp()
    for meta in [*folder.glob(f"*{_WAITING}"), *folder.glob(f"*{_CLAIMED}")]:
        try:
            kept = msgspec.json.decode(meta.read_bytes(), type=_Meta)
        except (OSError, msgspec.DecodeError):
            continue
        if kept.at < oldest:
            (folder / f"{meta.stem}{kept.suffix}").unlink(missing_ok=True)
            meta.unlink(missing_ok=True)


async def _run(
    runtime: Runtime, principal: Principal, meta: _Meta, path: Path, *, dry_run: bool
) -> ImportReport:
    try:
        if meta.kind is ImportKind.LEARNERS:
            return await import_learners(
                path, meta.site, runtime.sites, at=runtime.clock.now(), dry_run=dry_run
            )
        return await import_applications(path, meta.site, principal, runtime, dry_run=dry_run)
    except SheetError:
        raise FileRefused(Refusal.UNREADABLE) from None


async def stage(
    runtime: Runtime,
    principal: Principal,
    site: str,
    kind: ImportKind,
    name: str,
    content: bytes,
) -> StagedImport:
    """Keep the file for ``principal`` and run its dry run; NotFound for a site they do not
    import into, FileRefused for a file that is not kept (nothing is kept then)."""
    _check_site(runtime, principal, site)
    suffix = _check_content(name, content)
    folder = _folder(runtime)
    _forget_old(runtime, folder)
    token = secrets.token_hex(16)
    meta = _Meta(
        site=site,
        kind=kind,
        account=principal.account_id,
        name=Path(name).name[:120],
        suffix=suffix,
        at=runtime.clock.now().timestamp(),
    )
    path = folder / f"{token}{suffix}"
    path.write_bytes(content)
    (folder / f"{token}{_WAITING}").write_bytes(msgspec.json.encode(meta))
    try:
        report = await _run(runtime, principal, meta, path, dry_run=True)
    except FileRefused:
        _forget(folder, token, suffix)
        raise
    log.info("import_staged", site=site, kind=kind.value, invalid=len(report.invalid))
    return StagedImport(token=token, site=site, kind=kind, name=meta.name, report=report)


def _forget(folder: Path, token: str, suffix: str) -> None:
    (folder / f"{token}{suffix}").unlink(missing_ok=True)
    (folder / f"{token}{_WAITING}").unlink(missing_ok=True)


async def run_staged(runtime: Runtime, principal: Principal, token: str) -> StagedImport:
    """Import the file ``principal`` kept under ``token``, then delete it; FileRefused
    (gone) when no such file waits for them."""
    importable_sites(runtime, principal)
    folder = _folder(runtime)
    meta_path = folder / f"{token}{_WAITING}"
    if not (token.isalnum() and len(token) == 32) or not meta_path.is_file():
        raise FileRefused(Refusal.GONE)
    meta = msgspec.json.decode(meta_path.read_bytes(), type=_Meta)
    if meta.account != principal.account_id:
        raise FileRefused(Refusal.GONE)
    _check_site(runtime, principal, meta.site)
    claimed = folder / f"{token}{_CLAIMED}"
    try:
        # Renaming is atomic: of two confirmations sent at once, one import runs.
        meta_path.rename(claimed)
    except FileNotFoundError:
        raise FileRefused(Refusal.GONE) from None
    path = folder / f"{token}{meta.suffix}"
    try:
        report = await _run(runtime, principal, meta, path, dry_run=False)
    finally:
        _forget(folder, token, meta.suffix)
        claimed.unlink(missing_ok=True)
    await audit.record(
        principal.account_id,
        "import.run",
        "import",
        None,
        at=runtime.clock.now(),
        details={
            "kind": meta.kind.value,
            # A code word: a slug's hyphens read as underscores.
            "site": meta.site.replace("-", "_"),
            "created": report.created,
            "skipped": report.skipped,
            "invalid": len(report.invalid),
        },
    )
    log.info(
        "import_run",
        site=meta.site,
        kind=meta.kind.value,
        created=report.created,
        skipped=report.skipped,
        invalid=len(report.invalid),
    )
    return StagedImport(token=token, site=meta.site, kind=meta.kind, name=meta.name, report=report)
