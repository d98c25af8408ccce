"""Bodies of the personal links API and what the learner's answers hold."""

from __future__ import annotations

import enum
from datetime import datetime
from typing import Annotated

import msgspec

COMMENT_MAX = 1000
"""The longest free comment kept, in characters."""


class LinkPurpose(enum.StrEnum):
    """What a personal link asks the learner."""

    SURVEY = "survey"
    """Satisfaction at the end of the training (RULES.md C6)."""
    FOLLOW_UP = "follow_up"
    """What the learner does some months after exit (RULES.md O2)."""


class Helped(enum.StrEnum):
    """What helped the learner during the training: the survey's choices."""

    TRAINER = "trainer"
    GROUP = "group"
    PRACTICE = "practice"
    PACE = "pace"
    MATERIALS = "materials"


class LinkRequest(msgspec.Struct, kw_only=True, forbid_unknown_fields=True):
    """A link to send (again) to an enrolment's learner: the survey, or the follow-up
    ``checkpoint`` months after exit (one the site follows up at)."""

    purpose: LinkPurpose
    checkpoint: Annotated[int, msgspec.Meta(ge=0, le=99)] = 0


class LinkRead(msgspec.Struct, kw_only=True):
    """A link as sent: never its secret, which only the learner's message holds."""

    id: int
    enrolment: int
    purpose: LinkPurpose
    checkpoint: int
    created_at: datetime
    expires_at: datetime
    message: int
    """The message that carries it (``GET /api/v1/messages/{id}``)."""


class SurveyInput(msgspec.Struct, frozen=True, kw_only=True, forbid_unknown_fields=True):
    """A learner's answer to the satisfaction survey."""

    satisfaction: Annotated[int, msgspec.Meta(ge=1, le=5)]
    recommends: bool
    helped: tuple[Helped, ...] = ()
    comment: Annotated[str, msgspec.Meta(max_length=COMMENT_MAX)] = ""
