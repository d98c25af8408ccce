"""The test databases themselves: fresh, migrated, and isolated from each other."""

from core.cohorts.tables import Cohort
from core.jobs.tables import Job


async def test_fresh_database_is_migrated_and_empty(db_settings):
    assert await Cohort.count() == 0
    assert await Job.count() == 0


async def test_foreign_keys_are_enforced(db_settings):
    from core.auth.tables import Account, AccountCohort

    account = Account(email="a@example.org", display_name="A", password_hash="x", role="trainer")
    await account.save()
    orphan = AccountCohort(account=account.id, cohort=999_999)
    import pytest

    with pytest.raises(Exception, match=r"(?i)foreign key"):
        await orphan.save()
