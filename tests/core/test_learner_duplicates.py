"""The same person applying at two sites: found by folded name and birth date, phone or
e-mail; another site's manager sees a minimal match only; a new record needs confirming."""

import pytest

from core.learners.duplicates import fold, initials, name_key, phone_key

AWA = {
    "site": "paris",
    "first_name": "Awa",
    "last_name": "Diallo",
    "gender": "female",
    "birth_date": "1998-04-02",
    "phone": "06 12 34 56 78",
    "email": "awa.diallo@example.org",
    "notes": "Suivie par Mme Bernard.",
}

BORN = {"birth_date": AWA["birth_date"]}
MINIMAL_KEYS = {"id", "site", "criteria", "initials", "birth_year"}


def test_fold_removes_case_accents_apostrophes_and_extra_spaces():
    assert fold("  ÉLOÏSE   N'Diaye-Sow ") == "eloise ndiaye sow"
    assert fold("Œdipe Straße") == "oedipe strasse"


def test_the_name_key_ignores_which_name_came_first():
    assert name_key("Awa", "Diallo") == name_key("DIALLO", "awa") == "awa diallo"
    assert name_key("Marie-Claire", "Ba") == name_key("Marie Claire", "BA")


@pytest.mark.parametrize("phone", ["06 12 34 56 78", "+33 6 12 34 56 78", "0033612345678"])
def test_phone_numbers_compare_whatever_their_form(phone):
    assert phone_key(phone) == "0612345678"


def test_initials_are_all_a_match_shows_of_a_name():
    assert initials("Éloïse", "N'Diaye") == "EN"


async def create(client, people, body, who="paris_manager"):
    return await client.post("/api/v1/learners", json=body, headers=people.auth(who))


def bordeaux(**fields):
    """Someone recorded at Bordeaux sharing nothing with Awa unless told."""
    return {
        "site": "bordeaux",
        "first_name": "Lina",
        "last_name": "Haddad",
        "gender": "female",
        "birth_date": "2001-11-30",
    } | fields


@pytest.mark.parametrize(
    ("fields", "criteria"),
    [
        ({"first_name": "AWA ", "last_name": "Dialló", **BORN}, ["name_and_birth_date"]),
        ({"first_name": "Diallo", "last_name": "Awa", **BORN}, ["name_and_birth_date"]),
        ({"phone": "+33 6 12 34 56 78"}, ["phone"]),
        ({"email": "Awa.Diallo@Example.org"}, ["email"]),
        (
            {"first_name": "Awa", "last_name": "Diallo", "email": AWA["email"], **BORN},
            ["name_and_birth_date", "email"],
        ),
    ],
)
async def test_a_possible_duplicate_at_another_site_is_a_409_with_a_minimal_match(
    client, people, fields, criteria
):
    paris = (await create(client, people, AWA)).json()
    response = await create(client, people, bordeaux(**fields), who="bordeaux_manager")
    assert response.status_code == 409, response.text
    problem = response.json()
    assert problem["errors"][0]["field"] == "confirm_new_person"
    assert problem["matches"] == [
        {
            "id": paris["id"],
            "site": "paris",
            "criteria": criteria,
            "initials": "AD",
            "birth_year": 1998,
        }
    ]
    for secret in ("Diallo", "Awa", "12 34", "example.org", "Bernard", "04-02"):
        assert secret not in response.text


async def test_the_same_name_with_another_birth_date_is_another_person(client, people):
    await create(client, people, AWA)
    body = bordeaux(first_name="Awa", last_name="Diallo", birth_date="1990-01-01")
    assert (await create(client, people, body, who="bordeaux_manager")).status_code == 201


async def test_a_confirmed_new_person_is_recorded_and_the_confirmation_audited(client, people):
    paris = (await create(client, people, AWA)).json()
    body = bordeaux(phone="0612345678")
    assert (await create(client, people, body, who="bordeaux_manager")).status_code == 409
    response = await create(
        client, people, body | {"confirm_new_person": True}, who="bordeaux_manager"
    )
    assert response.status_code == 201, response.text
    assert "confirm_new_person" not in response.json()
    audit = await client.get(
        "/api/v1/audit",
        params={"action": "learner.created", "target_id": response.json()["id"]},
        headers=people.auth("admin"),
    )
    [entry] = audit.json()["items"]
    assert entry["details"] == {"confirmed_despite": [paris["id"]]}


async def test_the_duplicates_endpoint_answers_minimal_matches(client, people):
    paris = (await create(client, people, AWA)).json()
    response = await client.get(
        "/api/v1/learners/duplicates",
        params={
            "first_name": "awa",
            "last_name": "DIALLO",
            "birth_date": "1998-04-02",
            "phone": "+33612345678",
        },
        headers=people.auth("bordeaux_manager"),
    )
    assert response.status_code == 200, response.text
    [match] = response.json()["matches"]
    assert set(match) == MINIMAL_KEYS
    assert match["id"] == paris["id"]
    assert match["criteria"] == ["name_and_birth_date", "phone"]
    nothing = await client.get(
        "/api/v1/learners/duplicates",
        params={"email": "someone.else@example.org"},
        headers=people.auth("bordeaux_manager"),
    )
    assert nothing.json() == {"matches": []}


async def test_the_duplicates_endpoint_needs_something_to_compare(client, people):
    response = await client.get(
        "/api/v1/learners/duplicates",
        params={"first_name": "Awa", "last_name": "Diallo"},
        headers=people.auth("paris_manager"),
    )
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "birth_date"


@pytest.mark.parametrize("who", ["central", "paris_trainer"])
async def test_only_managers_and_admins_look_for_duplicates(client, people, who):
    await create(client, people, AWA)
    response = await client.get(
        "/api/v1/learners/duplicates",
        params={"phone": AWA["phone"]},
        headers=people.auth(who),
    )
    assert response.status_code == 403


async def test_a_duplicate_check_is_audited_with_ids_only(client, people):
    paris = (await create(client, people, AWA)).json()
    await client.get(
        "/api/v1/learners/duplicates",
        params={"email": AWA["email"]},
        headers=people.auth("bordeaux_manager"),
    )
    audit = await client.get(
        "/api/v1/audit",
        params={"action": "learner.duplicate_check"},
        headers=people.auth("admin"),
    )
    [entry] = audit.json()["items"]
    assert (entry["target_type"], entry["target_id"]) == ("learner", None)
    assert entry["details"] == {"matches": [paris["id"]]}
