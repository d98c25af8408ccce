"""Backups and restores on both engines: a restored database gives the reports it gave when it
was backed up; a file that is no backup, is damaged, is of the other engine or of a schema the
code does not know is refused, and the database is left as it was.

The data: at Paris, six learners apply to a planned cohort, five are admitted and enrolled,
four attend its two sessions, one withdraws; at Bordeaux, two apply and one is admitted.
"""

from __future__ import annotations

import os
import shutil
import stat
import tarfile
from datetime import timedelta
from pathlib import Path

import msgspec
import pytest

from core.auth.roles import Principal, Role
from core.backup.archive import checksum, read_manifest, write_archive
from core.backup.create import create_backup, default_name
from core.backup.errors import BackupError
from core.backup.restore import restore_backup
from core.learners.tables import Learner
from core.plugins import PluginHost, load_plugins
from core.reporting.aggregates import ReportFilters
from core.reporting.indicator_sets import FUNNEL, LEARNERS
from core.reporting.schemas import Report
from core.reporting.service import report
from tests.applications import apply, make_learner, move
from tests.enrolment import admitted, enrol
from tests.fixtures import outside_plugin
from tests.toy_program import AtelierPlugin

ADMIN = Principal(account_id=0, email="", display_name="admin", role=Role.ADMIN)
RHYTHM = {"weekdays": [1, 4], "day_starts": "09:30:00", "day_ends": "11:30:00"}
OTHER_ENGINE = {"sqlite": "postgresql", "postgres": "sqlite"}


async def fill(client, people, clock) -> list[int]:
    """The data the module's docstring describes, entered through the API; the enrolments."""
    manager = people.auth("paris_manager")
    await client.patch(f"/api/v1/cohorts/{people.paris_cohort}", json=RHYTHM, headers=manager)
    plan = await client.post(
        f"/api/v1/cohorts/{people.paris_cohort}/sessions/plan", headers=manager
    )
    sessions = [session["id"] for session in plan.json()["items"]]
    enrolments = []
    for gender in ("female", "male", "female", "female", "male"):
        application = await admitted(client, people, gender=gender)
        enrolments.append(await enrol(client, people, people.paris_cohort, application))
    await apply(client, people, await make_learner(client, people))
    for _ in range(2):
        learner = await make_learner(client, people, who="bordeaux_manager", site="bordeaux")
        bordeaux = await apply(client, people, learner, who="bordeaux_manager", site="bordeaux")
    await move(client, people, bordeaux["id"], "screening", who="bordeaux_manager")
    await move(client, people, bordeaux["id"], "admitted", who="bordeaux_manager")
    clock.advance(timedelta(days=38))
    for session in sessions:
        marks = [
            {"learner": e["learner"], "status": "present", "signed": "sheet"} for e in enrolments
        ]
        marks[-1] = {"learner": enrolments[-1]["learner"], "status": "absent"}
        response = await client.put(
            f"/api/v1/sessions/{session}/attendance",
            json={"marks": marks, "trainer_signed": "sheet"},
            headers=people.auth("paris_trainer"),
        )
        assert response.status_code == 200, response.text
    await withdraw(client, people, enrolments[0]["id"])
    return [enrolment["id"] for enrolment in enrolments]


async def withdraw(client, people, enrolment: int) -> None:
    response = await client.post(
        f"/api/v1/enrolments/{enrolment}/withdraw",
        json={"reason": "a trouvé un emploi"},
        headers=people.auth("paris_manager"),
    )
    assert response.status_code in (200, 201), response.text


async def reports(clock) -> tuple[Report, Report]:
    """The funnel and the learners' indicators by site, program and month, as an admin."""
    by = ("site", "program", "month")
    today = clock.now().date()
    funnel = await report(ADMIN, FUNNEL, ReportFilters(), by, today=today)
    learners = await report(ADMIN, LEARNERS, ReportFilters(), by, today=today)
    return funnel, learners


@pytest.fixture
async def backup(db_settings, tmp_path, clock) -> Path:
    """A backup of the test database with one learner in it (no API needed)."""
    await Learner.insert(Learner(site="paris", first_name="Awa", last_name="Diallo"))
    path, _ = await create_backup(db_settings, tmp_path / "backup.tar", now=clock.now())
    return path


def repack(path: Path, target: Path, *, data: Path | None = None, **changes: object) -> Path:
    """The backup ``path`` written again at ``target`` with its manifest changed, or with
    ``data`` as its database copy under a matching checksum (as a faulty tool would write)."""
    manifest = read_manifest(path)
    with tarfile.open(path) as tar:
        tar.extract(manifest.data, target.parent / "unpacked", filter="data")
    copy = target.parent / "unpacked" / manifest.data
    if data is not None:
        copy = data
        sha256, size = checksum(data)
        changes |= {"sha256": sha256, "size": size}
    write_archive(target, msgspec.structs.replace(manifest, **changes), copy)
    return target


def flip_a_byte_of_the_data(path: Path) -> None:
    manifest = read_manifest(path)
    with tarfile.open(path) as tar:
        member = tar.getmember(manifest.data)
    with path.open("r+b") as handle:
        handle.seek(member.offset_data + member.size // 2)
        byte = handle.read(1)
        handle.seek(-1, os.SEEK_CUR)
        handle.write(bytes([byte[0] ^ 0xFF]))


async def test_a_restored_database_gives_the_same_reports(
    client, people, clock, db_settings, plugin_host, tmp_path
):
    enrolments = await fill(client, people, clock)
    before = await reports(clock)
    assert before[0].total.counts["applications"].value == 8
    assert before[1].total.counts["entered"].value == 4

    path, manifest = await create_backup(db_settings, tmp_path, now=clock.now())
    assert path == tmp_path / default_name(manifest.engine, clock.now())
    assert stat.S_IMODE(path.stat().st_mode) == 0o600, "personal data: its owner's only"
    assert manifest.created_at == clock.now()

    # The data move on after the backup: another application, another withdrawal.
    await apply(client, people, await make_learner(client, people))
    await withdraw(client, people, enrolments[1])
    changed = await reports(clock)
    assert changed != before

    with pytest.raises(BackupError) as refused:
        await restore_backup(db_settings, plugin_host, path)
    message = str(refused.value)
    assert " is not empty, its tables hold rows: " in message
    assert "learner (9)" in message and "application (9)" in message
    assert message.endswith("restoring replaces all of it: add --force to do so")
    assert await reports(clock) == changed, "refused: nothing was restored"

    steps: list[str] = []
    restored = await restore_backup(
        db_settings, plugin_host, path, force=True, progress=steps.append
    )
    assert restored.migrations_applied == 0
    assert restored.manifest == manifest
    assert steps == [
        f"Checking {path}...",
        f"Restoring the backup of {clock.now():%Y-%m-%d %H:%M} UTC...",
    ]
    assert await reports(clock) == before


@pytest.mark.parametrize(
    ("damage", "message"),
    [
        pytest.param(
            flip_a_byte_of_the_data,
            "{path} is damaged: its database copy does not match its manifest's sha256",
            id="a-byte-changed",
        ),
        pytest.param(
            lambda path: path.write_bytes(path.read_bytes()[: path.stat().st_size // 2]),
            "{path} is damaged: its database copy does not match its manifest's sha256 "
            "(unexpected end of data)",
            id="cut-short",
        ),
        pytest.param(
            lambda path: path.write_text("learner;cohort\n" * 200),
            "{path} is not an Essaim backup: invalid header",
            id="not-a-backup",
        ),
    ],
)
async def test_a_damaged_backup_is_refused_and_the_database_left_as_it_was(
    backup, db_settings, plugin_host, damage, message
):
    await Learner.insert(Learner(site="paris", first_name="Léa", last_name="Martin"))
    damage(backup)
    with pytest.raises(BackupError) as refused:
        await restore_backup(db_settings, plugin_host, backup, force=True)
    assert str(refused.value) == message.format(path=backup)
    assert await Learner.count() == 2


async def test_a_backup_of_the_other_engine_is_refused(
    backup, db_settings, plugin_host, engine_name, tmp_path
):
    other = OTHER_ENGINE[engine_name]
    foreign = repack(backup, tmp_path / "other.tar", engine=other)
    await Learner.insert(Learner(site="paris", first_name="Léa", last_name="Martin"))
    with pytest.raises(BackupError) as refused:
        await restore_backup(db_settings, plugin_host, foreign, force=True)
    names = {"sqlite": "SQLite", "postgresql": "PostgreSQL"}
    configured = (
        f"the SQLite database {db_settings.sqlite_path}"
        if engine_name == "sqlite"
        else f"the PostgreSQL database {db_settings.database_url.rpartition('/')[2]} on 127.0.0.1"
    )
    assert str(refused.value) == (
        f"{foreign} is a backup of a {names[other]} database and the configured database is "
        f"{configured}: restore it where Essaim runs on {names[other]}"
    )
    assert await Learner.count() == 2


async def test_a_copy_that_fails_to_load_leaves_the_database_as_it_was(
    backup, db_settings, plugin_host, engine_name, tmp_path
):
    garbage = tmp_path / "garbage"
    garbage.write_bytes(b"not a database, whatever the checksum says\n" * 100)
    faulty = repack(backup, tmp_path / "faulty.tar", data=garbage)
    await Learner.insert(Learner(site="paris", first_name="Léa", last_name="Martin"))
    with pytest.raises(BackupError) as refused:
        await restore_backup(db_settings, plugin_host, faulty, force=True)
    expected = {
        "sqlite": "SQLite could not load the backup: file is not a database; nothing was restored",
        # psql had dropped every table when pg_restore failed: all of it rolled back.
        "postgres": "pg_restore failed: pg_restore: error: input file does not appear to be "
        "a valid archive; nothing was restored",
    }
    assert str(refused.value) == expected[engine_name]
    assert await Learner.count() == 2


def host_with_acme() -> PluginHost:
    """The toy program and the outside plugin, whose Piccolo app adds a table."""
    return load_plugins(
        load_entrypoints=False,
        plugins=[("atelier", AtelierPlugin()), ("acme", outside_plugin())],
    )


async def test_a_restore_applies_newer_migrations_and_refuses_unknown_ones(
    backup, db_settings, plugin_host, tmp_path, clock
):
    # The backup predates the outside plugin: its migrations run after the restore.
    upgraded = host_with_acme()
    restored = await restore_backup(db_settings, upgraded, backup, force=True)
    assert restored.migrations_applied == 1, "acme_kits has one migration"
    assert await Learner.count() == 1

    # A backup taken with the outside plugin cannot go back where it is not installed.
    later, manifest = await create_backup(db_settings, tmp_path / "later.tar", now=clock.now())
    assert "acme_kits" in manifest.migrations
    await Learner.insert(Learner(site="paris", first_name="Léa", last_name="Martin"))
    with pytest.raises(BackupError) as refused:
        await restore_backup(db_settings, plugin_host, later, force=True)
    assert str(refused.value) == (
        "the backup was made by a newer Essaim or with plugins not installed here: "
        "unknown migration(s) "
        + ", ".join(f"acme_kits {name}" for name in manifest.migrations["acme_kits"])
        + "; install that version and those plugins, then restore"
    )
    assert await Learner.count() == 2

    # The first backup again, over the database that has the plugin's table: the table goes
    # with the rest (it is not in the backup) and comes back by its migration.
    again = await restore_backup(db_settings, upgraded, backup, force=True)
    assert again.migrations_applied == 1
    assert await Learner.count() == 1


async def test_a_backup_never_overwrites_a_file(backup, db_settings, clock):
    with pytest.raises(BackupError, match=r"backup\.tar already exists: choose another"):
        await create_backup(db_settings, backup, now=clock.now())


async def test_a_backup_of_a_missing_sqlite_file_says_where_it_looked(tmp_path, clock):
    from core.settings import Settings

    settings = Settings(var_dir=tmp_path / "var")
    with pytest.raises(BackupError) as refused:
        await create_backup(settings, tmp_path, now=clock.now())
    assert str(refused.value) == (
        f"no SQLite database at {settings.sqlite_path}: check ESSAIM_VAR_DIR"
    )
    assert list(tmp_path.iterdir()) == [], "no file, no temporary folder left"


@pytest.mark.postgres_only("pg_dump is PostgreSQL's")
async def test_a_failed_pg_dump_leaves_no_file(
    db_settings, tmp_path, clock, monkeypatch, engine_name
):
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    output = tmp_path / "out"
    output.mkdir()
    monkeypatch.setenv("PATH", str(bin_dir))
    with pytest.raises(BackupError) as missing:
        await create_backup(db_settings, output, now=clock.now())
    assert str(missing.value) == (
        "pg_dump not found on PATH: install PostgreSQL's client programs "
        "(Debian: postgresql-client) of the server's major version or newer"
    )

    # A pg_dump that writes half a file, then fails.
    fake = bin_dir / "pg_dump"
    fake.write_text(
        "#!/bin/sh\n"
        'for arg; do case "$arg" in --file=*) echo half > "${arg#--file=}";; esac; done\n'
        'echo "pg_dump: error: connection to server lost" >&2\n'
        "exit 1\n"
    )
    fake.chmod(0o755)
    with pytest.raises(BackupError) as failed:
        await create_backup(db_settings, output, now=clock.now())
    assert str(failed.value) == "pg_dump failed: pg_dump: error: connection to server lost"
    assert list(output.iterdir()) == [], "no half file, no temporary folder left"


@pytest.mark.postgres_only("psql runs the load of a PostgreSQL backup")
async def test_a_script_psql_stops_at_is_rolled_back(
    backup, db_settings, plugin_host, tmp_path, monkeypatch, engine_name
):
    # A pg_restore whose script drops a table, then fails on a statement: psql stops there,
    # after the load had dropped every table.
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    (bin_dir / "psql").symlink_to(shutil.which("psql"))
    fake = bin_dir / "pg_restore"
    fake.write_text(
        "#!/bin/sh\necho 'DROP TABLE IF EXISTS public.learner CASCADE;'\necho 'SELECT 1 / 0;'\n"
    )
    fake.chmod(0o755)
    monkeypatch.setenv("PATH", str(bin_dir))
    with pytest.raises(BackupError) as failed:
        await restore_backup(db_settings, plugin_host, backup, force=True)
    assert str(failed.value) == "psql failed: ERROR:  division by zero; nothing was restored"
    assert await Learner.count() == 1
