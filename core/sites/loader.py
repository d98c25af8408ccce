"""Load and validate every site file, strictly and early; each error names file and field path."""

from __future__ import annotations

import hashlib
import os
import tomllib
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import msgspec

from core.plugin import ProgramSettings, SiteInfo
from core.plugins import PluginHost
from core.sites.departments import DEPARTMENTS
from core.sites.schema import SiteFile, SiteStatus


class SiteConfigError(Exception):
    """One or more site files are invalid; ``errors`` holds one line per problem."""

    def __init__(self, errors: list[str]) -> None:
        super().__init__("\n".join(errors))
        self.errors = errors


@dataclass(frozen=True, slots=True)
class Site:
    """A validated site: its file's content, its programs' typed settings, and its provenance."""

    config: SiteFile
    programs: Mapping[str, ProgramSettings]
    path: Path
    content_hash: str

    @property
    def slug(self) -> str:
        """The site's key, equal to its file name."""
        return self.config.slug

    @property
    def accepts_applications(self) -> bool:
        """False while the site is paused."""
        return self.config.status is not SiteStatus.PAUSED

    def info(self) -> SiteInfo:
        """The view of this site that plugins are given."""
        return SiteInfo(
            slug=self.slug,
            name=self.config.name,
            timezone=self.config.timezone,
            programs=dict(self.programs),
        )


@dataclass(frozen=True, slots=True)
class SiteRegistry:
    """Every loaded site, by slug, plus warnings that do not stop the server."""

    sites: Mapping[str, Site]
    warnings: tuple[str, ...] = field(default=())

    def get(self, slug: str) -> Site | None:
        """The site called ``slug``, or None."""
        return self.sites.get(slug)

    def __iter__(self) -> Iterator[Site]:
        return iter(self.sites.values())

    def __len__(self) -> int:
        return len(self.sites)

    def timezones(self) -> dict[str, str]:
        """Each site's time zone, by slug: the zone its months are reported in."""
        return {slug: site.config.timezone for slug, site in self.sites.items()}


def load_sites(
    directory: Path, host: PluginHost, environ: Mapping[str, str] | None = None
) -> SiteRegistry:
    """Load every ``*.toml`` in ``directory``; raise SiteConfigError listing every problem."""
    env = os.environ if environ is None else environ
    if not directory.is_dir():
        raise SiteConfigError([f"{directory}: the sites folder does not exist"])
    errors: list[str] = []
    warnings: list[str] = []
    sites: dict[str, Site] = {}
    for path in sorted(directory.glob("*.toml")):
        site, file_errors = _load_one(path, host)
        errors.extend(file_errors)
        if site is not None:
            warnings.extend(_secret_warnings(site, env))
            sites[site.slug] = site
    if errors:
        raise SiteConfigError(errors)
    return SiteRegistry(sites=sites, warnings=tuple(warnings))


def _display(path: Path) -> str:
    """``sites/lyon.toml``: the file under its folder's name, whatever the working directory."""
    folder = path.parent.absolute().name
    return f"{folder}/{path.name}" if folder else path.name


def _at(message: str, prefix: str) -> str:
    """Re-root a msgspec error path under ``prefix`` (``$.programs.digital``, say)."""
    if " - at `$" in message:
        return message.replace(" - at `$", f" - at `{prefix}", 1)
    return f"{message} - at `{prefix}`"


def _load_one(path: Path, host: PluginHost) -> tuple[Site | None, list[str]]:
    name = _display(path)
    raw = path.read_bytes()
    try:
        data = tomllib.loads(raw.decode("utf-8"))
    except UnicodeDecodeError:
        return None, [f"{name}: the file is not UTF-8 text"]
    except tomllib.TOMLDecodeError as exc:
        return None, [f"{name}: TOML syntax error: {exc}"]
    try:
        config = msgspec.convert(data, SiteFile)
    except msgspec.ValidationError as exc:
        return None, [f"{name}: {_at(str(exc), '$')}"]

    errors: list[str] = []
    if config.slug != path.stem:
        errors.append(
            f"{name}: slug {config.slug!r} differs from the file name {path.stem!r} - at `$.slug`"
        )
    if config.department not in DEPARTMENTS:
        errors.append(
            f"{name}: unknown department {config.department!r} "
            "(a French department code such as '75' or '2A') - at `$.department`"
        )
    try:
        ZoneInfo(config.timezone)
    except (ZoneInfoNotFoundError, ValueError, OSError):
        # OSError: a folder of the tz database ("Europe") or an unreadable entry.
        errors.append(
            f"{name}: unknown time zone {config.timezone!r} "
            "(an IANA name such as 'Europe/Paris') - at `$.timezone`"
        )
    for label, keys in (
        ("room", [room.key for room in config.rooms]),
        ("partner", [partner.key for partner in config.partners]),
    ):
        seen: set[str] = set()
        reported: set[str] = set()
        for index, key in enumerate(keys):
            if key in seen and key not in reported:
                errors.append(
                    f"{name}: {label} key {key!r} is used twice - at `$.{label}s[{index}].key`"
                )
                reported.add(key)
            seen.add(key)

    programs: dict[str, ProgramSettings] = {}
    for key, block in config.programs.items():
        where = f"$.programs.{key}"
        program = host.program(key)
        if program is None:
            installed = ", ".join(p.key for p in host.programs()) or "none"
            errors.append(
                f"{name}: unknown program {key!r} (installed: {installed}) - at `{where}`"
            )
            continue
        try:
            settings = msgspec.convert(block, program.settings_schema)
        except msgspec.ValidationError as exc:
            errors.append(f"{name}: {_at(str(exc), where)}")
            continue
        known = {track.key for track in program.tracks}
        unknown = [track for track in settings.tracks if track not in known]
        if unknown:
            errors.append(
                f"{name}: unknown track {unknown[0]!r} for program {key!r} "
                f"(known: {', '.join(sorted(known))}) - at `{where}.tracks`"
            )
            continue
        programs[key] = settings
    if errors:
        return None, errors
    digest = hashlib.sha256(raw).hexdigest()[:16]
    return Site(config=config, programs=programs, path=path, content_hash=digest), []


def check_file(path: Path, host: PluginHost) -> list[str]:
    """The problems of one site file as it is now on disk, one line each (none when valid),
    as ``load_sites`` reports them."""
    if not path.is_file():
        return [f"{_display(path)}: the file is no longer there"]
    return _load_one(path, host)[1]


def file_hash(path: Path) -> str | None:
    """The short hash ``Site.content_hash`` holds, of the file as it is now; None without it."""
    return hashlib.sha256(path.read_bytes()).hexdigest()[:16] if path.is_file() else None


def site_warnings(site: Site, env: Mapping[str, str] | None = None) -> list[str]:
    """What does not stop the server but should be fixed in ``site``'s file."""
    return _secret_warnings(site, os.environ if env is None else env)


def _secret_warnings(site: Site, env: Mapping[str, str]) -> list[str]:
    mail = site.config.mail
    if mail is not None and mail.password_env and not env.get(mail.password_env):
        return [
            f"{_display(site.path)}: environment variable {mail.password_env} is not set "
            "- at `$.mail.password_env`"
        ]
    return []
