"""The site manager's volunteers page: the sign-ups from the public page to accept, then the
site's volunteers to deactivate or bring back; other sites' volunteers out of reach."""

from __future__ import annotations

from core.volunteering.tables import Volunteer
from tests.web import post_form, sign_in

PAGE = "/antenne/benevoles"


async def signed_up(client, first_name: str = "Léa", site: str = "paris") -> int:
    """A volunteer who signed up on the public page; their id."""
    response = await post_form(
        client,
        "/benevolat",
        {
            "antenne": site,
            "prenom": first_name,
            "nom": "Martin",
            "telephone": "0612345678",
            "competences": "excel",
            "accord": "oui",
        },
    )
    assert response.status_code == 303, response.text
    row = await Volunteer.select(Volunteer.id).where(Volunteer.first_name == first_name).first()
    assert row is not None
    return int(row["id"])


async def state(volunteer_id: int) -> tuple[bool, bool]:
    row = await Volunteer.select(Volunteer.active, Volunteer.pending).where(
        Volunteer.id == volunteer_id
    )
    return bool(row[0]["active"]), bool(row[0]["pending"])


async def test_a_manager_accepts_a_sign_up_then_deactivates_and_brings_them_back(client, people):
    volunteer = await signed_up(client)
    await sign_in(client, "paris_manager")
    home = await client.get("/antenne")
    assert f'href="{PAGE}"' in home.text
    listed = await client.get(PAGE)
    assert listed.status_code == 200
    assert "Léa Martin" in listed.text and "excel" in listed.text
    assert "À accepter (1)" in listed.text

    accepted = await post_form(
        client, f"{PAGE}/{volunteer}?liste=a-accepter", {"action": "accepter"}, page=PAGE
    )
    assert accepted.status_code == 303
    assert (await state(volunteer)) == (True, False)
    confirmed = await client.get(accepted.headers["location"])
    assert "accepté·e" in confirmed.text and "Léa Martin" not in confirmed.text
    assert "Léa Martin" in (await client.get(f"{PAGE}?liste=actifs")).text

    await post_form(client, f"{PAGE}/{volunteer}", {"action": "desactiver"}, page=PAGE)
    assert (await state(volunteer)) == (False, False)
    former = await client.get(f"{PAGE}?liste=inactifs")
    assert "Léa Martin" in former.text and "Réactiver" in former.text
    await post_form(client, f"{PAGE}/{volunteer}", {"action": "reactiver"}, page=PAGE)
    assert (await state(volunteer)) == (True, False)


async def test_another_sites_manager_neither_sees_nor_changes_the_volunteer(client, people):
    volunteer = await signed_up(client)
    await sign_in(client, "bordeaux_manager")
    listed = await client.get(PAGE)
    assert "Léa Martin" not in listed.text and "À accepter (0)" in listed.text
    refused = await post_form(client, f"{PAGE}/{volunteer}", {"action": "accepter"}, page=PAGE)
    assert refused.status_code == 404
    assert (await state(volunteer)) == (False, True)


async def test_a_trainer_is_not_allowed_and_an_unknown_action_changes_nothing(client, people):
    volunteer = await signed_up(client)
    await sign_in(client, "paris_trainer")
    assert (await client.get(PAGE)).status_code == 403
    client.cookies.delete("essaim_session")
    await sign_in(client, "paris_manager")
    ignored = await post_form(client, f"{PAGE}/{volunteer}", {"action": "effacer"}, page=PAGE)
    assert ignored.status_code == 303
    assert (await state(volunteer)) == (False, True)
    assert (await client.get(f"{PAGE}?liste=nulle")).status_code == 400
