"""A program whose eligibility raises is named, and leaves no half-made application behind."""

from __future__ import annotations

import pytest
from structlog.testing import capture_logs

from core.applications import service
from core.applications.schemas import ApplicationCreate
from core.auth.roles import Principal, Role
from core.plugin import EligibilityFacts, Finding, hookimpl
from core.plugins import PluginError, PluginHost, load_plugins
from tests.applications import apply, make_learner
from tests.toy_program import Atelier, AtelierPlugin


class BrokenAtelier(Atelier):
    def eligibility(self, facts: EligibilityFacts) -> list[Finding]:
        raise KeyError(facts.track)


class BrokenAtelierPlugin(AtelierPlugin):
    @hookimpl
    def essaim_register_programs(self) -> list[Atelier]:
        return [BrokenAtelier()]


@pytest.fixture
def plugin_host() -> PluginHost:
    return load_plugins(load_entrypoints=False, plugins=[("broken", BrokenAtelierPlugin())])


async def test_a_raising_program_is_named_and_nothing_is_recorded(client, people):
    learner = await make_learner(client, people)
    with capture_logs() as logs:
        body = await apply(client, people, learner, expect=500)
    assert "unexpected" in body["detail"]
    [error] = [entry for entry in logs if entry["event"] == "unhandled_error"]
    assert error["error_type"] == "PluginError"
    listed = await client.get("/api/v1/applications", headers=people.auth("admin"))
    assert listed.json()["total"] == 0


async def test_the_error_names_the_plugin_the_program_and_what_it_raised(app, client, people):
    learner = await make_learner(client, people)
    admin = Principal(account_id=1, email="admin@example.org", display_name="a", role=Role.ADMIN)
    data = ApplicationCreate(learner=learner, site="paris", program="atelier", track="initiation")
    named = "plugin 'broken', program 'atelier' raised in eligibility: KeyError"
    with pytest.raises(PluginError, match=named):
        await service.create_application(app.state.runtime, admin, data)
