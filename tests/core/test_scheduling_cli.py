"""``essaim cohorts plan``: a cohort's calendar from the command line, in French."""

from __future__ import annotations

from tests.cli import execute
from tests.core import test_cli
from tests.core.test_cli import invoke

database_env = test_cli.database_env
_keep_logging_config = test_cli._keep_logging_config
_toy_program = test_cli._toy_program
pytestmark = test_cli.pytestmark

COHORT = (
    "INSERT INTO cohort (site, program, track, title, starts_on, ends_on, capacity, created_at,"
    " status, weekdays, day_starts, day_ends, room) VALUES ('paris', 'atelier', 'initiation',"
    " 'Initiation', '2026-05-11', '2026-07-31', 12, '2026-04-01T08:00:00+00:00', 'planned',"
    " '{weekdays}', '09:30:00', '11:30:00', 'salle-a')"
)


def test_a_cohort_is_planned_and_printed_in_french(database_env: dict[str, str]) -> None:
    assert invoke(["migrate"], **database_env).exit_code == 0
    execute(database_env, COHORT.format(weekdays="1 4"))
    result = invoke(["cohorts", "plan", "1"], **database_env)
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert len(lines) == 3
    assert lines[0].startswith("  1. lundi 11 mai 2026, 9 h 30 - 11 h 30, ")
    # Thursday 14 May 2026 is Ascension Day: the second session waits for the next Monday.
    assert lines[-2].startswith("  2. lundi 18 mai 2026, 9 h 30 - 11 h 30, ")
    assert lines[-1] == "2 sessions, 2 already held"  # May 2026 is past


def test_a_cohort_without_a_rhythm_is_refused_with_the_field(database_env: dict[str, str]) -> None:
    assert invoke(["migrate"], **database_env).exit_code == 0
    execute(database_env, COHORT.format(weekdays=""))
    result = invoke(["cohorts", "plan", "1"], **database_env)
    assert result.exit_code == 1
    assert "weekdays: set the cohort's weekly rhythm" in result.output
    missing = invoke(["cohorts", "plan", "7"], **database_env)
    assert missing.exit_code == 1
    assert "no cohort 7" in missing.output


def test_the_conflicts_of_a_site_are_listed_in_french_and_exit_1(
    database_env: dict[str, str],
) -> None:
    assert invoke(["migrate"], **database_env).exit_code == 0
    execute(database_env, COHORT.format(weekdays="1 4"))
    execute(database_env, COHORT.format(weekdays="1"))
    for cohort in ("1", "2"):
        assert invoke(["cohorts", "plan", cohort], **database_env).exit_code == 0
    args = ["sites", "conflicts", "paris", "--from", "2026-05-01", "--to", "2026-05-12"]
    result = invoke(args, **database_env)
    assert result.exit_code == 1, result.output
    assert result.stdout.splitlines() == [
        "lundi 11 mai 2026, séances 1 et 3 : la salle salle-a est prise par deux séances en "
        "même temps",
        "1 conflict(s) from 2026-05-01 to 2026-05-12",
    ]
    calm = invoke([*args[:3], "--from", "2026-05-12", "--to", "2026-05-17"], **database_env)
    assert calm.exit_code == 0, calm.output
    assert calm.stdout.splitlines() == ["0 conflict(s) from 2026-05-12 to 2026-05-17"]
