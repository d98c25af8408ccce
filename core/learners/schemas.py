"""Request and response bodies of the learners API."""

from __future__ import annotations

import enum
from datetime import date
from typing import Annotated

import msgspec

from core.plugin import CefrLevel

Name = Annotated[str, msgspec.Meta(min_length=1, max_length=100)]


class Gender(enum.StrEnum):
    """Gender as the person states it; funders ask for the share of women."""

    FEMALE = "female"
    MALE = "male"
    OTHER = "other"
    UNDISCLOSED = "undisclosed"


class LearnerCreate(msgspec.Struct, kw_only=True, forbid_unknown_fields=True):
    """A new learner record at a site; only names, site and gender are required."""

    site: Annotated[str, msgspec.Meta(min_length=1, max_length=40)]
    first_name: Name
    last_name: Name
    gender: Gender
    birth_date: date | None = None
    email: Annotated[str, msgspec.Meta(max_length=254)] = ""
    phone: Annotated[str, msgspec.Meta(max_length=30, pattern=r"^[0-9 +().-]*$")] = ""
    french_level: CefrLevel | None = None


class LearnerRead(msgspec.Struct, kw_only=True):
    """A learner record as the site's staff see it."""

    id: int
    site: str
    first_name: str
    last_name: str
    gender: Gender
    birth_date: date | None
    email: str
    phone: str
    french_level: CefrLevel | None


class LearnerPage(msgspec.Struct, kw_only=True):
    """One page of learners, with the total under the same filters."""

    items: list[LearnerRead]
    total: int
    limit: int
    offset: int
