"""The registry: one handler per kind, and a clear error for a kind nobody handles."""

from __future__ import annotations

from typing import Any

import pytest

from core.jobs.registry import JobError, JobRegistry, UnknownJobKind


async def noop(payload: dict[str, Any]) -> None:
    return None


def test_finds_the_handler_of_a_kind():
    registry = JobRegistry({"offer_expiry": noop})
    assert registry.handler_for("offer_expiry") is noop
    assert "offer_expiry" in registry
    assert list(registry) == ["offer_expiry"]
    assert len(registry) == 1


def test_unknown_kind_is_a_job_error_that_names_the_kind():
    with pytest.raises(UnknownJobKind, match="unknown job kind 'nope'") as caught:
        JobRegistry().handler_for("nope")
    assert isinstance(caught.value, JobError)
    assert caught.value.kind == "nope"


def test_a_kind_has_one_handler():
    registry = JobRegistry({"offer_expiry": noop})
    with pytest.raises(ValueError, match="already has a handler"):
        registry.register("offer_expiry", noop)


@pytest.mark.parametrize("kind", ["", " padded", "x" * 65])
def test_rejects_a_kind_the_table_cannot_hold(kind):
    with pytest.raises(ValueError, match="job kind"):
        JobRegistry().register(kind, noop)
