"""The ``essaim`` command: serve, worker, migrate, backup, restore, plugins, sites, users,
cohorts, retention, reports, import, demo."""

from __future__ import annotations

import asyncio
import json
import signal
import sqlite3
import sys
from collections.abc import Awaitable, Callable
from datetime import date, timedelta
from functools import wraps
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

import asyncpg
import click
import msgspec

from core.auth.roles import Principal, Role
from core.backup.errors import BackupError
from core.db.migrate import MigrationError
from core.errors import ServiceError
from core.plugins import PluginError, PluginHost, load_plugins
from core.settings import Settings, SettingsError
from core.sites.loader import SiteConfigError, SiteRegistry, load_sites

if TYPE_CHECKING:
    from core.reporting.rebuild import Drift

T = TypeVar("T")

OPERATOR = Principal(account_id=0, email="", display_name="essaim", role=Role.ADMIN)
"""Who a command acts as when it reads or plans for the operator: every site, like an
admin, under the system's actor id (0) that the audit trail knows."""


class Context(msgspec.Struct, kw_only=True):
    """What every command shares: the settings read once from the environment."""

    settings: Settings


def fail_cleanly(command: Callable[..., T]) -> Callable[..., T]:
    """Turn configuration, database and service errors into a message and exit code 1.

    A service's refusal (a wrong field, an unknown record) reads ``field: detail``.
    """

    @wraps(command)
    def wrapper(*args: Any, **kwargs: Any) -> T:
        try:
            return command(*args, **kwargs)
        except (SettingsError, PluginError, BackupError) as exc:
            click.echo(f"essaim: {exc}", err=True)
            sys.exit(1)
        except SiteConfigError as exc:
            for error in exc.errors:
                click.echo(f"essaim: {error}", err=True)
            sys.exit(1)
        except MigrationError as exc:
            click.echo(f"essaim: {exc}", err=True)
            sys.exit(1)
        except ServiceError as exc:
            message = f"{exc.field}: {exc.detail}" if exc.field else exc.detail
            raise click.ClickException(message) from None
        except (OSError, sqlite3.Error, asyncpg.PostgresError) as exc:
            hint = " (run `essaim migrate` first?)" if "no such table" in str(exc) else ""
            click.echo(f"essaim: {type(exc).__name__}: {exc}{hint}", err=True)
            sys.exit(1)

    return wrapper


def _settings(ctx: click.Context) -> Settings:
    """The settings, with logging configured from them."""
    settings: Settings = ctx.obj.settings
    from core.logging import configure_logging

    configure_logging(settings.log_format, settings.log_level)
    return settings


def _plugins(ctx: click.Context) -> tuple[Settings, PluginHost]:
    """Settings and validated plugins; raises the errors ``fail_cleanly`` reports."""
    settings = _settings(ctx)
    host = load_plugins(load_entrypoints=settings.load_entrypoints, trace=settings.trace_plugins)
    host.validate()
    return settings, host


def _boot(ctx: click.Context) -> tuple[Settings, PluginHost, SiteRegistry]:
    """Settings, validated plugins and sites; raises the errors ``fail_cleanly`` reports."""
    settings, host = _plugins(ctx)
    return settings, host, load_sites(settings.sites_dir, host)


def _run(coroutine: Awaitable[T]) -> T:
    return asyncio.run(coroutine)  # type: ignore[arg-type]


async def _migrate(settings: Settings, host: PluginHost, *, verbose: bool = False) -> None:
    from core.db.engine import connect
    from core.db.migrate import migrate as run_migrations

    async with connect(settings, host) as engine:
        await run_migrations(engine, host, verbose=verbose)


@click.group()
@click.pass_context
def main(ctx: click.Context) -> None:
    """Essaim: operations for multi-site digital-skills training."""
    try:
        ctx.obj = Context(settings=Settings.from_env())
    except SettingsError as exc:
        raise click.ClickException(str(exc)) from exc


@main.command()
@click.pass_context
@fail_cleanly
def migrate(ctx: click.Context) -> None:
    """Apply core's and every plugin's pending migrations."""
    settings, host, _ = _boot(ctx)
    _run(_migrate(settings, host, verbose=True))


def _progress(message: str) -> None:
    """A step of a long command, on stderr so that stdout holds only its result."""
    click.echo(message, err=True)


@main.command()
@click.option(
    "--output",
    type=click.Path(path_type=Path),
    default=None,
    help="file to write, or an existing folder to write it in (default: the current folder)",
)
@click.pass_context
@fail_cleanly
def backup(ctx: click.Context, output: Path | None) -> None:
    """Copy the database and a manifest into one file (SQLite backup API or pg_dump)."""
    from core.backup.create import create_backup
    from core.clock import SystemClock

    settings = _settings(ctx)
    target = Path.cwd() if output is None else output
    path, manifest = _run(
        create_backup(settings, target, now=SystemClock().now(), progress=_progress)
    )
    click.echo(
        f"Backup written to {path} ({manifest.size} bytes of data, sha256 {manifest.sha256})."
    )


@main.command()
@click.argument("path", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--force", is_flag=True, help="replace a database that already holds data")
@click.pass_context
@fail_cleanly
def restore(ctx: click.Context, path: Path, force: bool) -> None:
    """Replace the database with a backup, after checking it; then apply newer migrations."""
    from core.backup.manifest import ENGINE_NAMES
    from core.backup.restore import restore_backup

    settings, host = _plugins(ctx)
    restored = _run(restore_backup(settings, host, path, force=force, progress=_progress))
    manifest = restored.manifest
    click.echo(
        f"Restored the {ENGINE_NAMES[manifest.engine]} backup of "
        f"{manifest.created_at:%Y-%m-%d %H:%M} UTC from {path}; "
        f"{restored.migrations_applied} newer migration(s) applied."
    )


@main.command()
@click.option("--host", "bind_host", default="127.0.0.1", show_default=True)
@click.option("--port", default=8000, show_default=True)
@click.option("--workers", default=1, show_default=True, help="uvicorn worker processes")
@click.pass_context
@fail_cleanly
def serve(ctx: click.Context, bind_host: str, port: int, workers: int) -> None:
    """Check sites and plugins, apply migrations, then serve HTTP."""
    import uvicorn

    settings, host, _ = _boot(ctx)
    _run(_migrate(settings, host))
    uvicorn.run(
        "core.app:create_app",
        factory=True,
        host=bind_host,
        port=port,
        workers=workers,
        log_config=None,
        access_log=False,
    )


@main.command()
@click.option("--once", is_flag=True, help="run the jobs due now, then stop")
@click.option("--poll", default=1.0, show_default=True, help="seconds between polls when idle")
@click.pass_context
@fail_cleanly
def worker(ctx: click.Context, once: bool, poll: float) -> None:
    """Run timed jobs (offers that expire, e-mail retries, follow-ups) until stopped."""
    from core.clock import SystemClock
    from core.db.engine import connect
    from core.jobs.handlers import core_handlers, schedule_recurring
    from core.jobs.worker import Worker
    from core.runtime import Runtime
    from core.surveys import due

    settings, host, registry = _boot(ctx)

    async def work() -> None:
        async with connect(settings, host):
            clock = SystemClock()
            runtime = Runtime(settings=settings, host=host, sites=registry, clock=clock)
            await schedule_recurring(clock)
            await due.schedule(runtime)
            handlers = core_handlers(clock, registry)
            due.register(handlers, runtime)
            runner = Worker(handlers, clock)
            if once:
                while await runner.run_once():
                    pass
                return
            stop = asyncio.Event()
            loop = asyncio.get_running_loop()
            for signum in (signal.SIGINT, signal.SIGTERM):
                loop.add_signal_handler(signum, stop.set)
            await runner.run(stop, poll_interval=poll)

    _run(work())


@main.group()
def plugins() -> None:
    """Installed plugins."""


@plugins.command("list")
@click.option("--json", "as_json", is_flag=True, help="machine-readable output")
@click.pass_context
@fail_cleanly
def plugins_list(ctx: click.Context, as_json: bool) -> None:
    """Each plugin: name, version, programs and the hooks it implements."""
    settings: Settings = ctx.obj.settings
    host = load_plugins(load_entrypoints=settings.load_entrypoints)
    host.validate()
    rows = host.info()
    if as_json:
        click.echo(json.dumps(msgspec.to_builtins(rows), indent=2))
        return
    if not rows:
        click.echo("No plugin installed.")
    for row in rows:
        click.echo(f"{row.name} {row.version} ({row.module})")
        click.echo(f"  programs: {', '.join(row.programs) or '-'}")
        click.echo(f"  hooks:    {', '.join(row.hooks)}")


@plugins.command("new")
@click.argument("name")
@click.option(
    "--into",
    type=click.Path(path_type=Path, file_okay=False),
    default=None,
    help="folder to write the plugin into (default ./essaim-NAME)",
)
def plugins_new(name: str, into: Path | None) -> None:
    """Generate a working plugin package NAME (its program key) with tests."""
    from importlib.metadata import entry_points

    from core.plugin.template import PluginNameError, check_name, default_folder, render_plugin
    from core.plugins import ENTRY_POINT_GROUP

    try:
        check_name(name)
    except PluginNameError as exc:
        raise click.ClickException(str(exc)) from None
    if entry_points(group=ENTRY_POINT_GROUP, name=name):
        raise click.ClickException(
            f"a plugin named {name!r} is already installed (essaim plugins list); choose another"
        )
    folder = into if into is not None else default_folder(name)
    try:
        written = render_plugin(name, folder)
    except FileExistsError as exc:
        raise click.ClickException(str(exc)) from None
    click.echo(f"Plugin {name!r} written in {folder}:")
    for path in written:
        click.echo(f"  {path.as_posix()}")
    click.echo(f"Next: cd {folder}, install it beside Essaim (uv pip install -e .), run pytest.")


@main.group()
def sites() -> None:
    """Site files (sites/<slug>.toml)."""


@sites.command("check")
@click.pass_context
@fail_cleanly
def sites_check(ctx: click.Context) -> None:
    """Validate every site file; print each error with file and field path; exit 1 on any."""
    _, _, registry = _boot(ctx)
    for warning in registry.warnings:
        click.echo(f"warning: {warning}", err=True)
    for site in registry:
        programs = ", ".join(site.programs) or "no program"
        click.echo(f"{site.slug}: ok ({site.config.status}, {programs})")
    click.echo(f"{len(registry)} site(s) valid.")


def _site(registry: SiteRegistry, slug: str) -> Any:
    site = registry.get(slug)
    if site is None:
        known = ", ".join(s.slug for s in registry) or "none"
        raise click.ClickException(f"no site {slug!r} (known: {known})")
    return site


@sites.command("show")
@click.argument("slug")
@click.pass_context
@fail_cleanly
def sites_show(ctx: click.Context, slug: str) -> None:
    """Describe a site's file in words: status, rooms, partners, closures, programs."""
    from core.sites.describe import show

    _, host, registry = _boot(ctx)
    for line in show(_site(registry, slug), host):
        click.echo(line)


@sites.command("diff")
@click.argument("first")
@click.argument("second")
@click.pass_context
@fail_cleanly
def sites_diff(ctx: click.Context, first: str, second: str) -> None:
    """Say how two sites differ: programs, tracks, capacities, settings, rooms."""
    from core.sites.describe import diff

    _, host, registry = _boot(ctx)
    lines = diff(_site(registry, first), _site(registry, second), host)
    for line in lines:
        click.echo(line)
    if not lines:
        click.echo(f"{first} et {second} proposent la même chose.")


@sites.command("new")
@click.argument("slug")
@click.option("--from", "model", required=True, help="slug of the site to start from")
@click.pass_context
@fail_cleanly
def sites_new(ctx: click.Context, slug: str, model: str) -> None:
    """Write sites/SLUG.toml from a model site, check it, and say what is left to fill."""
    from core.sites.describe import show
    from core.sites.opening import missing, new_site_text
    from core.sites.schema import Slug

    settings, host, registry = _boot(ctx)
    try:
        msgspec.convert(slug, Slug)
    except msgspec.ValidationError:
        raise click.ClickException(
            f"{slug!r} is not a site slug: lower-case letters, digits and dashes, 2 to 40"
        ) from None
    source = _site(registry, model)
    target = settings.sites_dir / f"{slug}.toml"
    if target.exists():
        raise click.ClickException(f"{target} already exists")
    text = new_site_text(slug, source.path.read_text(encoding="utf-8"), model, date.today())
    target.write_text(text, encoding="utf-8")
    try:
        created = _site(load_sites(settings.sites_dir, host), slug)
    except SiteConfigError:
        target.unlink()
        raise
    click.echo(f"{target} écrit à partir de {source.path.name}. Le nouveau site proposera :")
    for line in show(created, host):
        click.echo(f"  {line}")
    gaps = missing(created.config, source.config)
    click.echo("Reste à compléter :" if gaps else "Plus rien à compléter.")
    for gap in gaps:
        click.echo(f"  - {gap}")


@sites.command("conflicts")
@click.argument("slug")
@click.option(
    "--from", "first", type=click.DateTime(["%Y-%m-%d"]), default=None, help="default: today"
)
@click.option(
    "--to", "last", type=click.DateTime(["%Y-%m-%d"]), default=None, help="default: a year on"
)
@click.pass_context
@fail_cleanly
def sites_conflicts(ctx: click.Context, slug: str, first: Any, last: Any) -> None:
    """List the conflicts of a site's sessions; exit 1 when there is any."""
    from core.clock import SystemClock
    from core.db.engine import connect
    from core.french import french_date
    from core.runtime import Runtime
    from core.scheduling.api import DEFAULT_DAYS
    from core.scheduling.conflicts import Conflict
    from core.scheduling.service import site_conflicts

    settings, host, registry = _boot(ctx)
    clock = SystemClock()
    runtime = Runtime(settings=settings, host=host, sites=registry, clock=clock)
    start = first.date() if first else clock.now().date()
    end = last.date() if last else start + timedelta(days=DEFAULT_DAYS)

    async def work() -> list[Conflict]:
        async with connect(settings, host):
            return await site_conflicts(runtime, OPERATOR, slug, start, end)

    found = _run(work())
    for conflict in found:
        sessions = f"séances {conflict.session_id} et {conflict.other_session_id}"
        which = sessions if conflict.other_session_id else f"séance {conflict.session_id}"
        click.echo(f"{french_date(conflict.day, weekday=True)}, {which} : {conflict.detail}")
    click.echo(f"{len(found)} conflict(s) from {start} to {end}")
    if found:
        sys.exit(1)


@main.group()
def users() -> None:
    """Staff accounts."""


@users.command("create")
@click.option("--email", required=True)
@click.option("--name", "display_name", required=True, help="name shown in the interface")
@click.option("--role", type=click.Choice([role.value for role in Role]), required=True)
@click.option("--site", "site_slugs", multiple=True, help="a site a site manager runs (repeat)")
@click.option("--cohort", "cohort_ids", multiple=True, type=int, help="a trainer's cohort")
@click.password_option(
    help="prompted for when not given; ESSAIM_NEW_PASSWORD also works", envvar="ESSAIM_NEW_PASSWORD"
)
@click.pass_context
@fail_cleanly
def users_create(
    ctx: click.Context,
    email: str,
    display_name: str,
    role: str,
    site_slugs: tuple[str, ...],
    cohort_ids: tuple[int, ...],
    password: str,
) -> None:
    """Create an account with its role and scope."""
    from core.auth.service import create_account
    from core.db.engine import connect

    settings, host, registry = _boot(ctx)

    async def create() -> int:
        async with connect(settings, host):
            return await create_account(
                email=email,
                password=password,
                display_name=display_name,
                role=Role(role),
                sites=site_slugs,
                cohorts=cohort_ids,
                known_sites=registry.sites.keys(),
            )

    account_id = _run(create())
    click.echo(f"account {account_id} created for {email.strip().lower()} ({role})")


@main.group()
def cohorts() -> None:
    """Cohorts and their calendars."""


@cohorts.command("plan")
@click.argument("cohort_id", type=click.IntRange(1))
@click.pass_context
@fail_cleanly
def plan_cohort(ctx: click.Context, cohort_id: int) -> None:
    """Place a cohort's sessions on real days (again: keeping those already held)."""
    from core.clock import SystemClock
    from core.db.engine import connect
    from core.french import french_date, french_time
    from core.runtime import Runtime
    from core.scheduling.schemas import SessionList
    from core.scheduling.service import plan_cohort

    settings, host, registry = _boot(ctx)
    runtime = Runtime(settings=settings, host=host, sites=registry, clock=SystemClock())

    async def work() -> SessionList:
        async with connect(settings, host):
            return await plan_cohort(runtime, OPERATOR, cohort_id)

    planned = _run(work())
    for session in planned.items:
        click.echo(
            f"{session.sequence:>3}. {french_date(session.day, weekday=True)}, "
            f"{french_time(session.starts_at)} - {french_time(session.ends_at)}, {session.title}"
        )
    click.echo(f"{len(planned.items)} sessions, {planned.held} already held")


@main.group()
def retention() -> None:
    """Erasing the records whose purpose is over (docs/privacy.md)."""


@retention.command("run")
@click.option(
    "--dry-run", is_flag=True, help="list what would be erased and deleted; change nothing"
)
@click.pass_context
@fail_cleanly
def retention_run(ctx: click.Context, dry_run: bool) -> None:
    """Erase the learners due under their site's [retention] settings (proof documents kept
    in the restricted store), and delete the restricted documents that have expired."""
    from collections import Counter

    from core.clock import SystemClock
    from core.db.engine import connect
    from core.privacy.retention import RetentionReport, due_learners, run_retention
    from core.runtime import Runtime

    settings, host, registry = _boot(ctx)
    runtime = Runtime(settings=settings, host=host, sites=registry, clock=SystemClock())
    today = runtime.clock.now().date()

    async def work() -> RetentionReport:
        async with connect(settings, host):
            if dry_run:
                return await run_retention(runtime, today, dry_run=True)
            due = await due_learners(runtime, today)
            with click.progressbar(length=len(due), label="Erasing", file=sys.stderr) as bar:
                return await run_retention(
                    runtime, today, dry_run=False, due=due, progress=bar.update
                )

    report = _run(work())
    by_site = Counter((due.site, due.rule) for due in report.due)
    for (site, rule), count in sorted(by_site.items()):
        click.echo(f"{site}: {count} learner(s) due ({rule.replace('_', ' ')})")
    verb = "would be" if dry_run else "were"
    click.echo(
        f"{len(report.due)} learner(s) {verb} erased; "
        f"{report.documents_expired} expired proof document(s) {verb} deleted"
    )


@main.group()
def reports() -> None:
    """The report facts kept beside the raw records (docs/indicators.md)."""


def _drift_lines(found: Drift) -> list[str]:
    return [
        f"{len(items)} {what} differ: {', '.join(map(str, items[:10]))}"
        + (" ..." if len(items) > 10 else "")
        for what, items in (
            ("application(s)' facts", found.applications),
            ("funnel month(s)", ["/".join(key) for key in found.months]),
            ("cohort(s)' enrolment facts", found.cohorts),
        )
        if items
    ]


@reports.command("check")
@click.pass_context
@fail_cleanly
def reports_check(ctx: click.Context) -> None:
    """Compare the report facts with a fresh computation from the raw records; exit 1 when
    they differ (then run `essaim reports rebuild`)."""
    from core.db.engine import connect
    from core.reporting.rebuild import drift

    settings, host, registry = _boot(ctx)

    async def work() -> Drift:
        async with connect(settings, host):
            return await drift(registry.timezones())

    found = _run(work())
    for line in _drift_lines(found):
        click.echo(line)
    if found:
        raise click.ClickException("the report facts differ: run `essaim reports rebuild`")
    click.echo("the report facts match the raw records")


@reports.command("rebuild")
@click.pass_context
@fail_cleanly
def reports_rebuild(ctx: click.Context) -> None:
    """Compute every report fact and the funnel's monthly sums again from the raw records,
    in one transaction (writers of the facts wait meanwhile)."""
    from core.db.engine import connect
    from core.reporting.rebuild import Rebuilt, rebuild, rebuild_size

    settings, host, registry = _boot(ctx)

    async def work() -> Rebuilt:
        async with connect(settings, host):
            total = await rebuild_size()
            with click.progressbar(length=total, label="Rebuilding", file=sys.stderr) as bar:
                return await rebuild(registry.timezones(), bar.update)

    rebuilt = _run(work())
    for line in _drift_lines(rebuilt.found):
        click.echo(f"found: {line}")
    click.echo(
        f"rebuilt the facts of {rebuilt.applications} application(s) and "
        f"{rebuilt.enrolments} enrolment(s), and the funnel's monthly sums"
    )


@main.group("import")
def import_() -> None:
    """Bulk imports from spreadsheet exports."""


def _report_import(
    file: Path, dry_run: bool, work: Callable[[Callable[[int], None]], Awaitable[Any]]
) -> None:
    """Run an import under a progress bar on stderr, then print its report; exit 1 when a
    row was refused."""
    from core.sheets import SheetError, count_rows

    try:
        label = "Checking" if dry_run else "Importing"
        with click.progressbar(length=count_rows(file), label=label, file=sys.stderr) as bar:
            report = _run(work(bar.update))
    except SheetError as exc:
        raise click.ClickException(str(exc)) from None
    for error in report.invalid:
        click.echo(str(error))
    click.echo(report.summary(dry_run=dry_run))
    if report.invalid:
        sys.exit(1)


@import_.command("learners")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--site", required=True, help="slug of the site the learners belong to")
@click.option("--dry-run", is_flag=True, help="report every invalid row, write nothing")
@click.option(
    "--batch-size",
    default=500,
    show_default=True,
    type=click.IntRange(1, 5000),
    help="rows per transaction",
)
@click.pass_context
@fail_cleanly
def import_learners(
    ctx: click.Context, file: Path, site: str, dry_run: bool, batch_size: int
) -> None:
    """Import learners from a CSV or XLSX file; exit 1 when any row is invalid."""
    from core.clock import SystemClock
    from core.db.engine import connect
    from core.imports import ImportReport
    from core.learners.importing import import_learners

    settings, host, registry = _boot(ctx)

    async def work(progress: Callable[[int], None]) -> ImportReport:
        async with connect(settings, host):
            return await import_learners(
                file,
                site,
                registry,
                at=SystemClock().now(),
                dry_run=dry_run,
                batch_size=batch_size,
                progress=progress,
            )

    _report_import(file, dry_run, work)


@import_.command("applications")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--site", required=True, help="slug of the site the applications were made at")
@click.option(
    "--by", "by_email", required=True, help="e-mail of the account the import is recorded under"
)
@click.option("--dry-run", is_flag=True, help="do everything, then roll it back")
@click.option(
    "--batch-size",
    default=200,
    show_default=True,
    type=click.IntRange(1, 5000),
    help="rows per transaction",
)
@click.pass_context
@fail_cleanly
def import_applications(
    ctx: click.Context, file: Path, site: str, by_email: str, dry_run: bool, batch_size: int
) -> None:
    """Import applications from a CSV or XLSX file; exit 1 when any row is refused."""
    from core.applications.importing import import_applications
    from core.auth.service import principal_by_email
    from core.clock import SystemClock
    from core.db.engine import connect
    from core.imports import ImportReport
    from core.runtime import Runtime

    settings, host, registry = _boot(ctx)
    runtime = Runtime(settings=settings, host=host, sites=registry, clock=SystemClock())

    async def work(progress: Callable[[int], None]) -> ImportReport:
        async with connect(settings, host):
            principal = await principal_by_email(by_email)
            if principal is None:
                raise click.ClickException(f"--by: no active account {by_email!r}")
            return await import_applications(
                file,
                site,
                principal,
                runtime,
                dry_run=dry_run,
                batch_size=batch_size,
                progress=progress,
            )

    _report_import(file, dry_run, work)


@main.command()
@click.option(
    "--today",
    type=click.DateTime(["%Y-%m-%d"]),
    default=None,
    help="reference date for the demo's cohorts (default: today)",
)
@click.pass_context
@fail_cleanly
def demo(ctx: click.Context, today: Any) -> None:
    """Fill an empty database with demo sites' cohorts and one account per role."""
    from core.db.engine import connect
    from core.db.migrate import migrate as run_migrations
    from core.demo import DEMO_PASSWORD, DemoReport, seed_demo

    settings, host, registry = _boot(ctx)
    day = today.date() if today else date.today()

    async def fill() -> DemoReport:
        async with connect(settings, host) as engine:
            await run_migrations(engine, host)
            return await seed_demo(settings, host, registry, day)

    report = _run(fill())
    if report.created:
        click.echo(f"Demo created: {report.cohorts} cohorts, {report.learners} learners.")
    else:
        click.echo("The database already holds data; the demo was left as it is.")
    if not report.accounts:
        return
    click.echo(f"Demo accounts (password for all: {DEMO_PASSWORD}):")
    for email, role in report.accounts:
        click.echo(f"  {email:<40} {role}")
