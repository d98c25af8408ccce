"""An application's page with placement tests: the action that sends to one, and the results
recorded, on the toy program's variant that asks a test for its second track."""

from __future__ import annotations

import pytest

from core.plugins import PluginHost, load_plugins
from tests.applications import PlacedAtelierPlugin, apply, make_learner, move, record_result
from tests.web import post_form, sign_in


@pytest.fixture
def plugin_host() -> PluginHost:
    return load_plugins(load_entrypoints=False, plugins=[("atelier", PlacedAtelierPlugin())])


async def test_the_manager_sends_to_a_placement_test_and_sees_its_result(client, people):
    learner = await make_learner(client, people)
    application = (await apply(client, people, learner, track="approfondissement"))["id"]
    await move(client, people, application, "screening")
    page = f"/candidatures/{application}"
    await sign_in(client, "paris_manager")

    sent = await post_form(client, page, {"vers": "placement_test_pending"})
    assert sent.headers["location"] == f"{page}?fait=placement_test_pending"
    waiting = await client.get(sent.headers["location"])
    assert "La candidature est maintenant : En attente du test de positionnement." in waiting.text
    assert "Tests de positionnement" not in waiting.text

    await record_result(client, people, application, passed=True, score=31)
    tested = await client.get(page)
    results = tested.text.split('id="positionnement"')[1].split("</section>")[0]
    assert "Approfondissement" in results and "réussi" in results and "score 31" in results
    assert "Test d&#39;entrée réussi." in tested.text, "the findings after the test"
