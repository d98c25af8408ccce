"""Broken site files: every problem is one line naming the file and the field path.

Each case starts from a valid file for the toy program "atelier" and breaks one thing. Messages
show the file under its folder's name (``sites/lyon.toml``), whatever the working directory.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from core.plugins import PluginHost
from core.sites.loader import SiteConfigError, load_sites

REPO_SITES = Path(__file__).resolve().parents[2] / "sites"

VALID = """\
slug = "lyon"
name = "Lyon"
status = "active"
department = "69"
timezone = "Europe/Paris"

[[rooms]]
key = "salle-a"
name = "Salle A"
capacity = 12

[[closures]]
starts_on = 2026-12-21
ends_on = 2027-01-01
reason = "Vacances de Noël"

[programs.atelier]
tracks = ["initiation"]
capacity = 10
attendance_threshold = 0.8
"""

SECOND_ROOM = """\
[[rooms]]
key = "salle-a"
name = "Salle B"
capacity = 8

[[closures]]"""


@pytest.fixture
def sites(tmp_path: Path) -> Path:
    folder = tmp_path / "sites"
    folder.mkdir()
    return folder


def write(folder: Path, slug: str, text: str) -> Path:
    path = folder / f"{slug}.toml"
    path.write_text(text, encoding="utf-8")
    return path


def broken(old: str, new: str) -> str:
    assert old in VALID, old
    return VALID.replace(old, new, 1)


def errors_of(folder: Path, host: PluginHost) -> list[str]:
    with pytest.raises(SiteConfigError) as caught:
        load_sites(folder, host, environ={})
    assert str(caught.value) == "\n".join(caught.value.errors)
    return caught.value.errors


def test_the_valid_file_loads(sites: Path, plugin_host: PluginHost) -> None:
    write(sites, "lyon", VALID)
    registry = load_sites(sites, plugin_host, environ={})
    lyon = registry.get("lyon")
    assert lyon is not None
    assert lyon.programs["atelier"].capacity == 10
    assert lyon.config.enrolment.offer_hours == 48
    assert registry.warnings == ()


CASES = [
    pytest.param(
        ("capacity = 10", 'capacity = "10"'),
        "sites/lyon.toml: Expected `int`, got `str` - at `$.programs.atelier.capacity`",
        id="wrong-type-in-a-program",
    ),
    pytest.param(
        ('status = "active"', "status = 1"),
        "sites/lyon.toml: Expected `str`, got `int` - at `$.status`",
        id="wrong-type-at-top-level",
    ),
    pytest.param(
        ('name = "Lyon"', 'name = "Lyon"\ncolour = "rouge"'),
        "sites/lyon.toml: Object contains unknown field `colour` - at `$`",
        id="unknown-field-at-top-level",
    ),
    pytest.param(
        ("capacity = 10", "capacity = 10\nseats = 3"),
        "sites/lyon.toml: Object contains unknown field `seats` - at `$.programs.atelier`",
        id="unknown-field-in-a-program",
    ),
    pytest.param(
        (
            "[programs.atelier]",
            '[programs.cuisine]\ntracks = ["a"]\ncapacity = 3\n\n[programs.atelier]',
        ),
        "sites/lyon.toml: unknown program 'cuisine' (installed: atelier) - at `$.programs.cuisine`",
        id="unknown-program",
    ),
    pytest.param(
        ("attendance_threshold = 0.8", "attendance_threshold = 1.5"),
        "sites/lyon.toml: Expected `float` <= 1.0 - at `$.programs.atelier.attendance_threshold`",
        id="plugin-setting-out-of-range",
    ),
    pytest.param(
        ("capacity = 10", "capacity = 0"),
        "sites/lyon.toml: Expected `int` >= 1 - at `$.programs.atelier.capacity`",
        id="core-program-setting-out-of-range",
    ),
    pytest.param(
        ("[programs.atelier]", "[enrolment]\noffer_hours = 337\n\n[programs.atelier]"),
        "sites/lyon.toml: Expected `int` <= 336 - at `$.enrolment.offer_hours`",
        id="offer-hours-over-two-weeks",
    ),
    pytest.param(
        ("[programs.atelier]", "[enrolment]\noffer_hours = 0\n\n[programs.atelier]"),
        "sites/lyon.toml: Expected `int` >= 1 - at `$.enrolment.offer_hours`",
        id="offer-hours-below-one",
    ),
    pytest.param(
        ("[programs.atelier]", "[outcomes]\nfollow_up_months = [6, 3]\n\n[programs.atelier]"),
        "sites/lyon.toml: follow_up_months are not in increasing order - at `$.outcomes`",
        id="follow-up-months-out-of-order",
    ),
    pytest.param(
        ("[programs.atelier]", "[outcomes]\nfollow_up_months = [3, 37]\n\n[programs.atelier]"),
        "sites/lyon.toml: Expected `int` <= 36 - at `$.outcomes.follow_up_months[1]`",
        id="follow-up-over-three-years",
    ),
    pytest.param(
        ("capacity = 10", "capacity 10"),
        "sites/lyon.toml: TOML syntax error: "
        "Expected '=' after a key in a key/value pair (at line 19, column 10)",
        id="toml-syntax-error-names-the-line",
    ),
    pytest.param(
        ('slug = "lyon"', 'slug = "lyons"'),
        "sites/lyon.toml: slug 'lyons' differs from the file name 'lyon' - at `$.slug`",
        id="slug-differs-from-file-name",
    ),
    pytest.param(
        ('timezone = "Europe/Paris"', 'timezone = "Europe/Lyon"'),
        "sites/lyon.toml: unknown time zone 'Europe/Lyon' "
        "(an IANA name such as 'Europe/Paris') - at `$.timezone`",
        id="unknown-time-zone",
    ),
    pytest.param(
        # A folder of the tz database, not a zone: used to crash with IsADirectoryError.
        ('timezone = "Europe/Paris"', 'timezone = "Europe"'),
        "sites/lyon.toml: unknown time zone 'Europe' "
        "(an IANA name such as 'Europe/Paris') - at `$.timezone`",
        id="time-zone-that-is-a-tz-folder",
    ),
    pytest.param(
        ('department = "69"', 'department = "20"'),
        "sites/lyon.toml: unknown department '20' "
        "(a French department code such as '75' or '2A') - at `$.department`",
        id="unknown-department",
    ),
    pytest.param(
        ('tracks = ["initiation"]', 'tracks = ["initiation", "expert"]'),
        "sites/lyon.toml: unknown track 'expert' for program 'atelier' "
        "(known: approfondissement, initiation) - at `$.programs.atelier.tracks`",
        id="unknown-track",
    ),
    pytest.param(
        ("[[closures]]", SECOND_ROOM),
        "sites/lyon.toml: room key 'salle-a' is used twice - at `$.rooms[1].key`",
        id="room-key-used-twice",
    ),
    pytest.param(
        ("ends_on = 2027-01-01", "ends_on = 2026-12-01"),
        "sites/lyon.toml: ends_on is before starts_on - at `$.closures[0]`",
        id="closure-ends-before-it-starts",
    ),
]


@pytest.mark.parametrize(("change", "message"), CASES)
def test_each_error_is_one_exact_line(
    sites: Path, plugin_host: PluginHost, change: tuple[str, str], message: str
) -> None:
    write(sites, "lyon", broken(*change))
    assert errors_of(sites, plugin_host) == [message]


def test_messages_do_not_depend_on_the_working_directory(
    sites: Path, plugin_host: PluginHost, monkeypatch: pytest.MonkeyPatch
) -> None:
    write(sites, "lyon", broken('department = "69"', 'department = "20"'))
    seen = []
    for cwd in (sites.parent, sites, REPO_SITES.parent):
        monkeypatch.chdir(cwd)
        seen.append(errors_of(sites, plugin_host)[0].split(":")[0])
    assert seen == ["sites/lyon.toml"] * 3


def test_a_file_that_is_not_utf8_is_named(sites: Path, plugin_host: PluginHost) -> None:
    (sites / "lyon.toml").write_bytes(VALID.encode("latin-1"))
    assert errors_of(sites, plugin_host) == ["sites/lyon.toml: the file is not UTF-8 text"]


def test_a_missing_sites_folder_is_named(tmp_path: Path, plugin_host: PluginHost) -> None:
    missing = tmp_path / "nowhere"
    assert errors_of(missing, plugin_host) == [f"{missing}: the sites folder does not exist"]


def test_one_file_reports_every_problem_it_has(sites: Path, plugin_host: PluginHost) -> None:
    text = (
        broken('department = "69"', 'department = "20"')
        .replace('timezone = "Europe/Paris"', 'timezone = "Mars/Olympus"')
        .replace('tracks = ["initiation"]', 'tracks = ["expert"]')
    )
    write(sites, "lyon", text)
    assert errors_of(sites, plugin_host) == [
        "sites/lyon.toml: unknown department '20' "
        "(a French department code such as '75' or '2A') - at `$.department`",
        "sites/lyon.toml: unknown time zone 'Mars/Olympus' "
        "(an IANA name such as 'Europe/Paris') - at `$.timezone`",
        "sites/lyon.toml: unknown track 'expert' for program 'atelier' "
        "(known: approfondissement, initiation) - at `$.programs.atelier.tracks`",
    ]


def test_several_broken_files_each_report_their_error(sites: Path, plugin_host: PluginHost) -> None:
    write(sites, "lyon", broken("capacity = 10", 'capacity = "10"'))
    marseille = broken('department = "69"', 'department = "999"')
    write(sites, "marseille", marseille.replace('slug = "lyon"', 'slug = "marseille"'))
    nantes = VALID.replace('slug = "lyon"', 'slug = "nantes"').replace('"69"', '"44"')
    write(sites, "nantes", nantes)
    write(sites, "brest", broken('slug = "lyon"', 'slug = "brest"\nslug = "brest"'))
    errors = errors_of(sites, plugin_host)
    assert errors == [
        "sites/brest.toml: TOML syntax error: Cannot overwrite a value (at line 2, column 15)",
        "sites/lyon.toml: Expected `int`, got `str` - at `$.programs.atelier.capacity`",
        "sites/marseille.toml: unknown department '999' "
        "(a French department code such as '75' or '2A') - at `$.department`",
    ]
    assert all("\n" not in line for line in errors)


def test_each_duplicated_room_or_partner_key_is_reported(
    sites: Path, plugin_host: PluginHost
) -> None:
    partners = "\n".join(
        f'[[partners]]\nkey = "{key}"\nname = "P"\nkinds = ["funder"]\n'
        for key in ("ville", "region", "ville", "region", "ville")
    )
    write(sites, "lyon", broken("[[closures]]", SECOND_ROOM) + "\n" + partners)
    assert errors_of(sites, plugin_host) == [
        "sites/lyon.toml: room key 'salle-a' is used twice - at `$.rooms[1].key`",
        "sites/lyon.toml: partner key 'ville' is used twice - at `$.partners[2].key`",
        "sites/lyon.toml: partner key 'region' is used twice - at `$.partners[3].key`",
    ]


MAIL = """
[mail]
sender = "Essaim Lyon <lyon@example.org>"
host = "smtp.example.org"
password_env = "ESSAIM_MAIL_PASSWORD_LYON"
"""


def test_an_unset_mail_password_variable_is_a_warning_not_an_error(
    sites: Path, plugin_host: PluginHost
) -> None:
    write(sites, "lyon", broken("[programs.atelier]", MAIL + "\n[programs.atelier]"))
    registry = load_sites(sites, plugin_host, environ={})
    assert [site.slug for site in registry] == ["lyon"]
    assert registry.warnings == (
        "sites/lyon.toml: environment variable ESSAIM_MAIL_PASSWORD_LYON is not set "
        "- at `$.mail.password_env`",
    )
    environ = {"ESSAIM_MAIL_PASSWORD_LYON": "secret"}
    assert load_sites(sites, plugin_host, environ=environ).warnings == ()
