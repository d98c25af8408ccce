"""The import page: a file's dry run lists every invalid row with its line and column, the
file waits on the server for the confirmation, the import counts what it did and running
it again adds nothing; bad files are answered in place."""

from __future__ import annotations

import asyncio
import io
from datetime import timedelta
from pathlib import Path

import openpyxl
import pytest

from core.staged_imports import KEPT_FOR, MAX_BYTES
from tests.web import form_token, sign_in

PAGE = "/antenne/import"
HEADER = "first_name,last_name,gender,birth_date"
ROWS = ["Awa,Diallo,female,1995-04-02", "Karim,Benali,male,1990-13-01", "Léa,Martin,female,"]


def _csv(*lines: str) -> bytes:
    return ("\n".join(lines) + "\n").encode()


async def _upload(client, data: dict[str, str], name: str, content: bytes, page: str = PAGE):
    token = await form_token(client, page)
    return await client.post(
        PAGE,
        data={**data, "_csrf_token": token},
        files={"fichier": (name, content, "application/octet-stream")},
    )


def _kept(app) -> list[Path]:
    folder = Path(app.state.runtime.settings.var_dir) / "imports"
    return sorted(folder.iterdir()) if folder.exists() else []


async def _learners(client, people) -> list[str]:
    found = await client.get(
        "/api/v1/learners", params={"site": "paris"}, headers=people.auth("paris_manager")
    )
    return sorted(item["last_name"] for item in found.json()["items"])


async def test_a_dry_run_lists_invalid_rows_then_the_import_counts_and_is_idempotent(
    app, client, people
):
    await sign_in(client, "paris_manager")
    before = set(_kept(app))
    checked = await _upload(
        client, {"site": "paris", "kind": "learners"}, "inscrits.csv", _csv(HEADER, *ROWS)
    )
    assert checked.status_code == 200, checked.text
    assert "2 lignes à ajouter" in checked.text
    invalid = checked.text.split('id="lignes-invalides"')[1].split("</table>")[0]
    assert "<td>3</td>" in invalid and "birth_date" in invalid
    assert "pas une date : écrivez-la comme 2026-09-01" in invalid
    assert await _learners(client, people) == [], "a dry run records nothing"
    kept = set(_kept(app)) - before
    assert len(kept) == 2, "the file and what it is kept for"
    token = checked.text.split('name="fichier" value="')[1].split('"')[0]
    done = await client.post(
        f"{PAGE}/confirmer",
        data={"fichier": token, "_csrf_token": await form_token(client, PAGE)},
    )
    assert done.status_code == 303
    assert done.headers["location"] == f"{PAGE}?crees=2&ignores=0&invalides=1"
    assert await _learners(client, people) == ["Diallo", "Martin"]
    assert not kept & set(_kept(app)), "an imported file is not kept"
    trail = await client.get(
        "/api/v1/audit", params={"action": "import.run"}, headers=people.auth("admin")
    )
    (entry,) = trail.json()["items"]
    assert entry["details"] == {
        "kind": "learners",
        "site": "paris",
        "created": 2,
        "skipped": 0,
        "invalid": 1,
    }
    shown = await client.get(done.headers["location"])
    assert "2 lignes ajoutées" in shown.text
    again = await client.post(
        f"{PAGE}/confirmer",
        data={"fichier": token, "_csrf_token": await form_token(client, PAGE)},
    )
    assert again.status_code == 422 and "plus gardé" in again.text
    twice = await _upload(
        client, {"site": "paris", "kind": "learners"}, "inscrits.csv", _csv(HEADER, *ROWS)
    )
    assert "2 lignes déjà là" in twice.text and "0 ligne à ajouter" in twice.text
    assert "Importer" not in twice.text.split('id="verification"')[1]


async def test_an_xlsx_workbook_is_checked_like_a_csv(client, people):
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.append(["first_name", "last_name", "gender", "shoe_size"])
    sheet.append(["Awa", "Diallo", "female", 38])
    content = io.BytesIO()
    workbook.save(content)
    await sign_in(client, "paris_manager")
    checked = await _upload(
        client, {"site": "paris", "kind": "learners"}, "liste.xlsx", content.getvalue()
    )
    assert checked.status_code == 200
    assert "shoe_size" in checked.text and "Rien à importer" in checked.text


@pytest.mark.parametrize(
    ("name", "content", "said"),
    [
        ("liste.pdf", b"%PDF-1.4", "choisissez un fichier CSV"),
        ("liste.csv", "nom\nRenée\n".encode("latin-1"), "pas en UTF-8"),
        ("liste.xlsx", b"first_name\nAwa\n", "choisissez un fichier CSV"),
        ("liste.csv", b"", "le fichier est vide"),
        ("liste.csv", b"a" * (MAX_BYTES + 1), "trop gros"),
    ],
)
async def test_a_bad_file_is_answered_in_place_and_not_kept(
    app, client, people, name, content, said
):
    await sign_in(client, "paris_manager")
    before = _kept(app)
    response = await _upload(client, {"site": "paris", "kind": "learners"}, name, content)
    assert response.status_code == 422
    assert 'href="#fichier"' in response.text and said in response.text
    assert 'value="learners" checked' in response.text, "the choices are kept"
    assert _kept(app) == before


async def test_a_body_past_the_limit_is_answered_in_place(client, people):
    await sign_in(client, "paris_manager")
    response = await _upload(
        client, {"site": "paris", "kind": "learners"}, "big.csv", b"a" * (MAX_BYTES + 200_000)
    )
    assert response.status_code == 413
    assert "trop gros" in response.text


async def test_another_site_and_a_missing_choice_are_named_in_place(client, people):
    await sign_in(client, "paris_manager")
    page = await client.get(PAGE)
    assert 'value="paris"' in page.text and 'value="bordeaux"' not in page.text
    other = await _upload(client, {"site": "bordeaux", "kind": "learners"}, "a.csv", _csv(HEADER))
    assert other.status_code == 422 and 'href="#site"' in other.text
    missing = await _upload(client, {"site": "paris"}, "a.csv", _csv(HEADER))
    assert missing.status_code == 422 and 'href="#kind"' in missing.text


async def test_a_file_kept_for_someone_else_is_not_imported(app, client, people):
    await sign_in(client, "paris_manager")
    checked = await _upload(
        client, {"site": "paris", "kind": "learners"}, "a.csv", _csv(HEADER, ROWS[0])
    )
    token = checked.text.split('name="fichier" value="')[1].split('"')[0]
    client.cookies.delete("essaim_session")
    await sign_in(client, "admin")
    taken = await client.post(
        f"{PAGE}/confirmer",
        data={"fichier": token, "_csrf_token": await form_token(client, PAGE)},
    )
    assert taken.status_code == 422
    assert await _learners(client, people) == []


async def test_applications_are_imported_through_the_same_page(client, people):
    learner = await client.post(
        "/api/v1/learners",
        json={
            "site": "paris",
            "first_name": "Awa",
            "last_name": "Diallo",
            "gender": "female",
            "birth_date": "1995-04-02",
        },
        headers=people.auth("paris_manager"),
    )
    await sign_in(client, "paris_manager")
    content = _csv(
        "learner,program,track", f"{learner.json()['id']},atelier,initiation", "999,atelier,"
    )
    checked = await _upload(client, {"site": "paris", "kind": "applications"}, "c.csv", content)
    assert checked.status_code == 200
    assert "1 ligne à ajouter" in checked.text and "<td>3</td>" in checked.text


@pytest.mark.parametrize("who", ["central", "paris_trainer"])
async def test_the_central_team_and_trainers_may_not_import(client, people, who):
    await sign_in(client, who)
    assert (await client.get(PAGE)).status_code == 403


def _token(page) -> str:
    return page.text.split('name="fichier" value="')[1].split('"')[0]


async def test_two_confirmations_at_once_import_the_file_once(client, people):
    await sign_in(client, "paris_manager")
    checked = await _upload(
        client, {"site": "paris", "kind": "learners"}, "a.csv", _csv(HEADER, ROWS[0])
    )
    data = {"fichier": _token(checked), "_csrf_token": await form_token(client, PAGE)}
    answers = await asyncio.gather(
        client.post(f"{PAGE}/confirmer", data=data), client.post(f"{PAGE}/confirmer", data=data)
    )
    assert sorted(answer.status_code for answer in answers) == [303, 422]
    assert await _learners(client, people) == ["Diallo"]


async def test_a_file_left_waiting_is_forgotten_after_a_day(app, client, people, clock):
    await sign_in(client, "paris_manager")
    old = await _upload(
        client, {"site": "paris", "kind": "learners"}, "a.csv", _csv(HEADER, ROWS[0])
    )
    clock.advance(KEPT_FOR + timedelta(minutes=1))
    await _upload(client, {"site": "paris", "kind": "learners"}, "b.csv", _csv(HEADER, ROWS[2]))
    assert not [path for path in _kept(app) if path.stem == _token(old)]
    late = await client.post(
        f"{PAGE}/confirmer",
        data={"fichier": _token(old), "_csrf_token": await form_token(client, PAGE)},
    )
    assert late.status_code == 422 and "plus gardé" in late.text
