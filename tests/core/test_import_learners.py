"""``essaim import learners``: dry run, idempotent import, and an import killed halfway.

Run on both engines against an empty database the ``essaim migrate`` command prepares, with the
toy program and the test site files, like ``test_cli``; CliRunner tests are plain ``def`` for
the same reason.
"""

from __future__ import annotations

import asyncio
import json
import os
import signal
import sqlite3
import subprocess
import sys
import time
from contextlib import closing
from datetime import date, datetime
from pathlib import Path

import asyncpg
import openpyxl

from core import import_checking
from core.settings import Settings
from tests.conftest import TEST_SITES
from tests.core import test_cli
from tests.core.test_cli import invoke

database_env = test_cli.database_env
_keep_logging_config = test_cli._keep_logging_config
_toy_program = test_cli._toy_program
pytestmark = test_cli.pytestmark

SITE = "paris"


def query(env: dict[str, str], statement: str) -> int:
    """One number read with the bare driver, leaving no engine bound and no connection open."""
    if "ESSAIM_DATABASE_URL" in env:

        async def fetch() -> int:
            connection = await asyncpg.connect(env["ESSAIM_DATABASE_URL"], timeout=5)
            try:
                return await connection.fetchval(statement)
            finally:
                await connection.close()

        return asyncio.run(fetch())
    path = Settings(var_dir=Path(env["ESSAIM_VAR_DIR"])).sqlite_path
    with closing(sqlite3.connect(path, timeout=10)) as connection:
        return connection.execute(statement).fetchone()[0]


def learners(env: dict[str, str]) -> int:
    return query(env, "SELECT COUNT(*) FROM learner")


def write_csv(path: Path, lines: list[str], *, bom: bool = False) -> Path:
    path.write_text(("\ufeff" if bom else "") + "\n".join(lines) + "\n", encoding="utf-8")
    return path


def people(count: int) -> list[str]:
    """``count`` distinct valid rows under the header ``first_name,last_name,gender,birth_date``."""
    return [f"Prénom{i},Nom{i},female,1990-01-01" for i in range(count)]


def migrated(env: dict[str, str]) -> dict[str, str]:
    result = invoke(["migrate"], **env)
    assert result.exit_code == 0, result.output
    return env


def test_a_dry_run_reports_every_invalid_row_with_line_and_field(
    database_env: dict[str, str], tmp_path: Path
) -> None:
    env = migrated(database_env)
    file = write_csv(
        tmp_path / "inscrits.csv",
        [
            "first_name;last_name;gender;birth_date;languages;phone",
            "Awa;Diallo;female;1995-04-02;fr wo;06 12 34 56 78",
            "Karim;Benali;x;1990-01-01;;",
            "Léa;Martin;female;2999-01-01;;",
            "Sami;;male;;;",
            "Nour;Haddad;female;;xx;",
            "Yan;Li;male;;;12",
        ],
        bom=True,
    )
    result = invoke(["import", "learners", str(file), "--site", SITE, "--dry-run"], **env)
    assert result.exit_code == 1, result.output
    output = result.stdout.splitlines()
    assert output[:5] == [
        "line 3: gender: Invalid enum value 'x'",
        "line 4: birth_date: a birth date of 2999-01-01 is not plausible",
        "line 5: last_name: required",
        "line 6: languages: 'xx' is not an ISO 639-1 language code",
        "line 7: phone: a phone number has at least 6 digits",
    ]
    assert output[-1] == "1 to create, 0 skipped, 5 invalid"
    assert learners(env) == 0


def test_a_dry_run_of_a_valid_file_exits_0_and_writes_nothing(
    database_env: dict[str, str], tmp_path: Path
) -> None:
    env = migrated(database_env)
    file = write_csv(tmp_path / "ok.csv", ["first_name,last_name,gender,birth_date", *people(3)])
    result = invoke(["import", "learners", str(file), "--site", SITE, "--dry-run"], **env)
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines()[-1] == "3 to create, 0 skipped, 0 invalid"
    assert learners(env) == 0


def test_an_unknown_column_refuses_the_file(database_env: dict[str, str], tmp_path: Path) -> None:
    env = migrated(database_env)
    file = write_csv(tmp_path / "bad.csv", ["first_name,last_name,gender,shoe_size", "A,B,male,42"])
    result = invoke(["import", "learners", str(file), "--site", SITE], **env)
    assert result.exit_code == 1, result.output
    assert "line 1: shoe_size: not a learner column" in result.stdout
    assert learners(env) == 0


def test_importing_the_same_file_twice_adds_nothing(
    database_env: dict[str, str], tmp_path: Path
) -> None:
    env = migrated(database_env)
    file = write_csv(tmp_path / "ok.csv", ["first_name,last_name,gender,birth_date", *people(7)])
    args = ["import", "learners", str(file), "--site", SITE, "--batch-size", "3"]
    first = invoke(args, **env)
    assert first.exit_code == 0, first.output
    assert first.stdout.splitlines()[-1] == "7 created, 0 skipped, 0 invalid"
    second = invoke(args, **env)
    assert second.exit_code == 0, second.output
    assert second.stdout.splitlines()[-1] == "0 created, 7 skipped, 0 invalid"
    assert learners(env) == 7
    assert query(env, "SELECT COUNT(*) FROM audit_entry WHERE action = 'learner.imported'") == 7


def test_a_file_key_identifies_the_row_and_a_known_person_is_refused(
    database_env: dict[str, str], tmp_path: Path
) -> None:
    env = migrated(database_env)
    header = "import_key,first_name,last_name,gender,birth_date"
    first = write_csv(tmp_path / "a.csv", [header, "k1,Awa,Diallo,female,1995-04-02"])
    assert invoke(["import", "learners", str(first), "--site", SITE], **env).exit_code == 0
    # The same key with a corrected spelling is the same row: skipped. The same person under
    # a new key is a possible duplicate, as in the API, unless confirmed.
    again = write_csv(
        tmp_path / "b.csv",
        [
            header + ",confirm_new_person",
            "k1,Awa,Dialo,female,1995-04-02,",
            "k2,Awa,Diallo,female,1995-04-02,",
        ],
    )
    result = invoke(["import", "learners", str(again), "--site", SITE], **env)
    assert result.exit_code == 1, result.output
    assert result.stdout.splitlines()[0].startswith("line 3: confirm_new_person: 1 record(s)")
    assert result.stdout.splitlines()[-1] == "0 created, 1 skipped, 1 invalid"
    assert learners(env) == 1


def test_an_import_killed_halfway_keeps_whole_batches_and_a_rerun_completes_it(
    database_env: dict[str, str], tmp_path: Path
) -> None:
    env = migrated(database_env)
    rows, batch = 3000, 25
    file = write_csv(
        tmp_path / "big.csv", ["first_name,last_name,gender,birth_date", *people(rows)]
    )
    args = ["import", "learners", str(file), "--site", SITE, "--batch-size", str(batch)]
    environ = {k: v for k, v in os.environ.items() if not k.startswith("ESSAIM_")}
    environ.update(env, ESSAIM_LOG_LEVEL="error", ESSAIM_SITES_DIR=str(TEST_SITES))
    with (tmp_path / "stderr.txt").open("wb") as stderr:
        process = subprocess.Popen(
            [sys.executable, "-c", "from tests.cli import main_with_toy_program as m; m()", *args],
            env=environ,
            stdout=subprocess.DEVNULL,
            stderr=stderr,
            cwd=Path(__file__).resolve().parents[2],
        )
        try:
            deadline = time.monotonic() + 120
            while learners(env) < 2 * batch:
                assert process.poll() is None, (tmp_path / "stderr.txt").read_text()
                assert time.monotonic() < deadline, "no batch committed in time"
                time.sleep(0.01)
            process.send_signal(signal.SIGKILL)
        finally:
            process.kill()
            process.wait(timeout=30)
    assert process.returncode == -signal.SIGKILL

    kept = learners(env)
    assert 2 * batch <= kept < rows, "the import ended before it was killed"
    assert kept % batch == 0, "a batch was committed in part"
    audited = "SELECT COUNT(*) FROM audit_entry WHERE action = 'learner.imported'"
    assert query(env, audited) == kept

    rerun = invoke(args, **env)
    assert rerun.exit_code == 0, rerun.output
    assert rerun.stdout.splitlines()[-1] == f"{rows - kept} created, {kept} skipped, 0 invalid"
    assert learners(env) == rows
    assert query(env, "SELECT COUNT(DISTINCT import_key) FROM learner") == rows
    assert query(env, "SELECT COUNT(DISTINCT name_key) FROM learner") == rows
    assert query(env, audited) == rows


def write_xlsx(path: Path, rows: list[list[object]]) -> Path:
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    for row in rows:
        sheet.append(row)
    workbook.save(path)
    return path


def test_an_xlsx_export_imports_like_a_csv_with_its_dates_and_numbers_as_typed(
    database_env: dict[str, str], tmp_path: Path
) -> None:
    env = migrated(database_env)
    file = write_xlsx(
        tmp_path / "inscrits.xlsx",
        [
            ["first_name", "last_name", "gender", "birth_date", "phone", "french_level"],
            ["Awa", "Diallo", "female", datetime(1995, 4, 2), "06 12 34 56 78", "A2"],
            [None, None, None, None, None, None],
            ["Karim", "Benali", "male", date(1990, 1, 1), 612345679.0, None],
            ["Léa", "Martin", "x", "1991-02-03", None, None],
        ],
    )
    dry = invoke(["import", "learners", str(file), "--site", SITE, "--dry-run"], **env)
    assert dry.exit_code == 1, dry.output
    # Line numbers are the workbook's: the blank row 3 counts, as a spreadsheet shows it.
    assert dry.stdout.splitlines() == [
        "line 5: gender: Invalid enum value 'x'",
        "2 to create, 0 skipped, 1 invalid",
    ]
    done = invoke(["import", "learners", str(file), "--site", SITE], **env)
    assert done.stdout.splitlines()[-1] == "2 created, 0 skipped, 1 invalid"
    born = "SELECT COUNT(*) FROM learner WHERE birth_date = '1995-04-02' AND french_level = 'A2'"
    assert query(env, born) == 1
    assert query(env, "SELECT COUNT(*) FROM learner WHERE phone_key = '612345679'") == 1


def test_a_file_that_is_not_a_workbook_or_not_utf8_is_refused_by_name(
    database_env: dict[str, str], tmp_path: Path
) -> None:
    env = migrated(database_env)
    fake = tmp_path / "inscrits.xlsx"
    fake.write_text("first_name,last_name\n", encoding="utf-8")
    result = invoke(["import", "learners", str(fake), "--site", SITE], **env)
    assert result.exit_code == 1
    assert "inscrits.xlsx is not an XLSX workbook" in result.output
    latin = tmp_path / "latin.csv"
    latin.write_bytes("first_name,last_name,gender\nLéa,Martin,female\n".encode("latin-1"))
    result = invoke(["import", "learners", str(latin), "--site", SITE], **env)
    assert result.exit_code == 1
    assert "latin.csv is not UTF-8 text" in result.output
    assert learners(env) == 0


def _no_thread(*args: object) -> None:
    raise AssertionError("a file this size is checked in a process")


def test_a_large_file_is_checked_in_a_process_of_its_own_with_the_same_result(
    database_env: dict[str, str], tmp_path: Path, monkeypatch
) -> None:
    env = migrated(database_env)
    monkeypatch.setattr(import_checking, "PROCESS_FROM_BYTES", 0)
    monkeypatch.setattr(import_checking, "_in_thread", _no_thread)
    header = "first_name,last_name,gender,birth_date"
    file = write_csv(tmp_path / "grand.csv", [header, *people(60), "Awa,Diallo,female,1890-01-01"])
    args = ["import", "learners", str(file), "--site", SITE, "--batch-size", "25"]
    dry = invoke([*args, "--dry-run"], **env)
    assert "line 62: birth_date:" in dry.output and learners(env) == 0
    done = invoke(args, **env)
    assert done.stdout.splitlines()[-1] == "60 created, 0 skipped, 1 invalid"
    assert learners(env) == 60
    again = invoke(args, **env)
    assert again.stdout.splitlines()[-1] == "0 created, 60 skipped, 1 invalid"


def test_a_row_with_more_or_fewer_cells_than_columns_is_reported_by_line(
    database_env: dict[str, str], tmp_path: Path
) -> None:
    env = migrated(database_env)
    file = write_csv(
        tmp_path / "ragged.csv",
        ["first_name,last_name,gender", "Awa,Diallo,female", "Karim,Benali", "Léa,Martin,female,x"],
    )
    result = invoke(["import", "learners", str(file), "--site", SITE, "--dry-run"], **env)
    assert result.stdout.splitlines() == [
        "line 3: -: 2 cells for 3 columns",
        "line 4: -: 4 cells for 3 columns",
        "1 to create, 0 skipped, 2 invalid",
    ]


def test_a_person_listed_twice_in_the_file_is_caught_by_the_dry_run(
    database_env: dict[str, str], tmp_path: Path
) -> None:
    env = migrated(database_env)
    file = write_csv(
        tmp_path / "twice.csv",
        [
            "first_name,last_name,gender,birth_date,phone,email,confirm_new_person",
            "Awa,Diallo,female,1995-04-02,,,",
            "Karim,Benali,male,,06 11 22 33 44,,",
            "DIALLO,Awa,female,1995-04-02,,,",
            "Sami,Haddad,male,,+33 6 11 22 33 44,,",
            "Nour,Haddad,female,,,nour@exemple.fr,",
            "Noor,Hadad,female,,,NOUR@exemple.fr,true",
        ],
    )
    dry = invoke(["import", "learners", str(file), "--site", SITE, "--dry-run"], **env)
    assert dry.exit_code == 1
    assert dry.stdout.splitlines() == [
        "line 4: confirm_new_person: line 2 of this file may be the same person "
        "(name_and_birth_date); check with them, then set confirm_new_person to true to "
        "record a new person anyway",
        "line 5: confirm_new_person: line 3 of this file may be the same person (phone); "
        "check with them, then set confirm_new_person to true to record a new person anyway",
        "4 to create, 0 skipped, 2 invalid",
    ]
    done = invoke(["import", "learners", str(file), "--site", SITE], **env)
    assert done.stdout.splitlines()[-1] == "4 created, 0 skipped, 2 invalid"
    assert learners(env) == 4


def test_imported_records_are_stored_as_the_api_stores_them(
    database_env: dict[str, str], tmp_path: Path
) -> None:
    env = migrated(database_env)
    file = write_csv(
        tmp_path / "full.csv",
        [
            "first_name,last_name,gender,birth_date,email,languages,french_level,"
            "french_level_method,french_level_assessed_on,qpv_resident,qpv_checked_on,"
            "qpv_map_version,notes",
            " Élodie ,N'Diaye,female,1999-12-31,Elodie@Exemple.FR,fr;wo fr,B1,internal_test,"
            '2026-06-15,true,2026-06-01,2024,"Préfère être appelée, le matin"',
        ],
    )
    assert invoke(["import", "learners", str(file), "--site", SITE], **env).exit_code == 0
    asked = (
        "SELECT first_name || '|' || name_key || '|' || email || '|' || languages || '|' ||"
        " french_level_method || '|' || notes FROM learner"
    )
    assert query(env, asked) == (
        "Élodie|elodie ndiaye|elodie@exemple.fr|fr wo|internal_test|Préfère être appelée, le matin"
    )
    typed = (
        "SELECT COUNT(*) FROM learner WHERE birth_date = '1999-12-31' AND qpv_resident"
        " AND qpv_checked_on = '2026-06-01' AND created_at IS NOT NULL"
    )
    assert query(env, typed) == 1


def test_the_audit_entry_of_a_confirmed_duplicate_names_the_records_it_was_confirmed_despite(
    database_env: dict[str, str], tmp_path: Path
) -> None:
    env = migrated(database_env)
    header = "first_name,last_name,gender,birth_date,email,confirm_new_person"
    first = write_csv(tmp_path / "a.csv", [header, "Awa,Diallo,female,1995-04-02,,"])
    assert invoke(["import", "learners", str(first), "--site", SITE], **env).exit_code == 0
    # Another Awa Diallo born the same day, whom the site has checked is someone else.
    again = write_csv(tmp_path / "b.csv", [header, "Awa,Diallo,female,1995-04-02,a@b.fr,true"])
    assert invoke(["import", "learners", str(again), "--site", SITE], **env).exit_code == 0
    first_id, second_id = (
        query(env, "SELECT MIN(id) FROM learner"),
        query(env, "SELECT MAX(id) FROM learner"),
    )
    assert second_id != first_id
    details = query(
        env,
        "SELECT CAST(details AS TEXT) FROM audit_entry"
        f" WHERE action = 'learner.imported' AND target_id = {second_id}",
    )
    assert json.loads(details) == {"confirmed_despite": [first_id]}


def test_learners_then_their_applications_from_the_command_line(
    database_env: dict[str, str], tmp_path: Path
) -> None:
    env = migrated(database_env)
    args = ["users", "create", "--email", "chef.paris@example.org", "--name", "Chef"]
    args += ["--role", "site_manager", "--site", SITE]
    assert invoke(args, **env, ESSAIM_NEW_PASSWORD="correct horse battery").exit_code == 0
    people_file = write_csv(
        tmp_path / "inscrits.csv",
        ["import_key,first_name,last_name,gender,birth_date,french_level"]
        + [f"p{i},Prénom{i},Nom{i},female,1990-01-01,B1" for i in range(3)],
    )
    assert invoke(["import", "learners", str(people_file), "--site", SITE], **env).exit_code == 0
    applications = write_xlsx(
        tmp_path / "candidatures.xlsx",
        [["learner_key", "program", "track"]]
        + [[f"p{i}", "atelier", "initiation"] for i in range(3)]
        + [["p9", "atelier", "initiation"]],
    )
    args = ["import", "applications", str(applications), "--site", SITE]
    unknown = invoke([*args, "--by", "nobody@example.org"], **env)
    assert unknown.exit_code == 1
    assert "--by: no active account 'nobody@example.org'" in unknown.output
    done = invoke([*args, "--by", "Chef.Paris@example.org"], **env)
    assert done.exit_code == 1, done.output
    assert done.stdout.splitlines() == [
        "line 5: learner_key: no learner imported at 'paris' with key 'p9'",
        "3 created, 0 skipped, 1 invalid",
    ]
    assert query(env, "SELECT COUNT(*) FROM application WHERE status = 'submitted'") == 3
    again = invoke([*args, "--by", "chef.paris@example.org", "--dry-run"], **env)
    assert again.stdout.splitlines()[-1] == "0 to create, 3 skipped, 1 invalid"
