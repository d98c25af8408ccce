"""Request and response bodies of the cohorts API."""

from __future__ import annotations

from datetime import date
from typing import Annotated

import msgspec

from core.plugin import Key


class CohortCreate(msgspec.Struct, kw_only=True, forbid_unknown_fields=True):
    """A new cohort; ``capacity`` defaults to the site's setting for the program."""

    site: Annotated[str, msgspec.Meta(min_length=1, max_length=40)]
    program: Key
    track: Key
    title: Annotated[str, msgspec.Meta(min_length=1, max_length=200)]
    starts_on: date
    ends_on: date
    capacity: Annotated[int, msgspec.Meta(ge=1, le=200)] | None = None


class CohortRead(msgspec.Struct, kw_only=True):
    """A cohort as the API shows it."""

    id: int
    site: str
    program: str
    track: str
    title: str
    starts_on: date
    ends_on: date
    capacity: int


class CohortPage(msgspec.Struct, kw_only=True):
    """One page of cohorts, with the total under the same filters."""

    items: list[CohortRead]
    total: int
    limit: int
    offset: int
