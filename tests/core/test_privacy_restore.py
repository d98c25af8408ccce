"""A restore replays the erasure log: an old backup brings no erased person back."""

from __future__ import annotations

from core.backup.create import create_backup
from core.backup.restore import restore_backup
from core.learners.tables import Learner
from core.privacy.tables import Erasure
from tests.applications import make_learner
from tests.core.test_backup import fill, reports
from tests.privacy import where_found

PERSON = {"first_name": "Yevgenia", "last_name": "Korchnoi-Abebe", "phone": "0655443322"}


async def erase(client, people, learner: int) -> None:
    response = await client.post(
        f"/api/v1/learners/{learner}/erase",
        json={"reason": "request", "confirm": True},
        headers=people.auth("admin"),
    )
    assert response.status_code == 201, response.text


async def test_restoring_a_backup_taken_before_an_erasure_erases_the_person_again(
    client, people, clock, db_settings, plugin_host, tmp_path
):
    await fill(client, people, clock)
    learner = await make_learner(client, people, **PERSON)
    path, _ = await create_backup(db_settings, tmp_path, now=clock.now())
    await erase(client, people, learner)
    erased = await reports(clock)

    steps: list[str] = []
    restored = await restore_backup(
        db_settings, plugin_host, path, force=True, progress=steps.append
    )

    assert restored.erasures_replayed == 1
    assert steps[-1] == "Erased again 1 learner(s) of the erasure log."
    assert await where_found(["Yevgenia", "Korchnoi", "0655443322"]) == {}
    row = await Learner.select(Learner.erased_at).where(Learner.id == learner).first()
    assert row["erased_at"] is not None
    assert [r["learner"] for r in await Erasure.select(Erasure.learner)] == [learner]
    assert await reports(clock) == erased

    again = await restore_backup(db_settings, plugin_host, path, force=True)
    assert again.erasures_replayed == 1, "the restored log is replayed the same way"
    assert [r["learner"] for r in await Erasure.select(Erasure.learner)] == [learner]
    assert await where_found(["Yevgenia", "Korchnoi"]) == {}


async def test_a_logged_learner_the_backup_does_not_hold_is_not_carried_over(
    client, people, clock, db_settings, plugin_host, tmp_path
):
    path, _ = await create_backup(db_settings, tmp_path, now=clock.now())
    learner = await make_learner(client, people, **PERSON)
    await erase(client, people, learner)

    restored = await restore_backup(db_settings, plugin_host, path, force=True)

    assert restored.erasures_replayed == 0
    assert await Erasure.count() == 0, "the id may be someone else's after the restore"
